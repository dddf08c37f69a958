/**
 * One reconcile request from the FIFO queue over the in-memory world: parsing, coalescing within a batch, and the
 * error taxonomy (retryable errors go back to the queue, terminal ones are announced once and dropped).
 */
import { domainEventDetailSchemas, type DomainEventDetail } from '../../../shared/contracts/domain-events';
import type { ReconcileRequest } from '../../../shared/contracts/reconcile-request';
import type { ReconcileDeps } from '../../../shared/reconcile/reconcile-group';
import { handleReconcileRequest } from '../../../shared/reconcile/reconcile-request-handler';
import { RetryableError, TerminalError } from '../../../shared/runtime/errors';
import { FakeWorld } from '../../support/fake-world';

const GROUP = 'credit-risk-retail';

function body(group: string = GROUP, eventId = 'evt-1'): string {
  const request: ReconcileRequest = {
    modelGroup: group,
    reason: 'Model package v3 is PendingManualApproval',
    trigger: { source: 'aws.sagemaker', detailType: 'SageMaker Model Package State Change', eventId, time: '2026-11-28T09:00:00Z' },
  };
  return JSON.stringify(request);
}

/** The ReconcileFailed details the world's bus received. */
function reconcileFailures(world: FakeWorld): DomainEventDetail<'ReconcileFailed'>[] {
  return world.published.flatMap((e) => (e.detailType === 'ReconcileFailed' ? [e.detail] : []));
}

/** The world's reconcile ports with the documents port replaced, counting the policy reads. */
function depsWith(world: FakeWorld, readJson?: ReconcileDeps['documents']['readJson']): { deps: ReconcileDeps; policyReads: string[] } {
  const base = world.reconcileDeps();
  const policyReads: string[] = [];
  const deps: ReconcileDeps = {
    ...base,
    state: {
      ...base.state,
      policyOverrides: async (group) => {
        policyReads.push(group);
        return base.state.policyOverrides(group);
      },
    },
    // Reports are read with their hash: the replaced reader fails (or answers) there too.
    documents: readJson ? { readJson, readJsonWithHash: async (uri) => ({ value: await readJson(uri), sha256: '0'.repeat(64) }) } : base.documents,
  };
  return { deps, policyReads };
}

describe('Function: handleReconcileRequest', () => {
  it('reconciles a managed group until it settles and marks it done for the batch', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 3);
    const done = new Set<string>();

    // Act
    const outcome = await handleReconcileRequest(world.reconcileDeps(), body(), done);

    // Assess
    expect(outcome.outcome).toBe('settled');
    expect(outcome.passes).toBeGreaterThan(1);
    expect(world.phaseOf(GROUP, 3)).toBe('DeployingStaging');
    expect(done.has(GROUP)).toBe(true);
  });

  it.each<[string, string]>([
    ['a body that is not JSON', '{"modelGroup": "credit-risk-retail",'],
    ['an empty body', ''],
    ['JSON of the wrong shape', JSON.stringify({ group: GROUP })],
    ['a request with an extra field', JSON.stringify({ ...JSON.parse(body()), priority: 'high' })],
    ['a group name SageMaker would refuse', body('credit risk retail')],
    ['JSON null', 'null'],
  ])('reports %s as malformed, without throwing or reconciling', async (_case, raw) => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 3);
    const { deps, policyReads } = depsWith(world);
    const done = new Set<string>();

    // Act
    const outcome = await handleReconcileRequest(deps, raw, done);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'malformed', passes: 0 });
    expect(outcome).toHaveProperty('message', expect.any(String));
    expect(policyReads).toEqual([]);
    expect(world.published).toEqual([]);
    expect(done.size).toBe(0);
  });

  it('coalesces a second request for the same group in one batch', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 3);
    const { deps, policyReads } = depsWith(world);
    const done = new Set<string>();

    // Act
    const first = await handleReconcileRequest(deps, body(GROUP, 'evt-1'), done);
    const second = await handleReconcileRequest(deps, body(GROUP, 'evt-2'), done);

    // Assess
    expect(first.outcome).toBe('settled');
    expect(second).toEqual({ outcome: 'coalesced', passes: 0 });
    expect(policyReads).toEqual([GROUP]);
  });

  it('reconciles the same group again in the next batch', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    const { deps, policyReads } = depsWith(world);

    // Act
    await handleReconcileRequest(deps, body(), new Set());
    const next = await handleReconcileRequest(deps, body(), new Set());

    // Assess
    expect(next.outcome).toBe('settled');
    expect(policyReads).toEqual([GROUP, GROUP]);
  });

  it('leaves an unmanaged group alone', async () => {
    // Prepare
    const world = new FakeWorld();
    world.register(GROUP, 3);

    // Act
    const outcome = await handleReconcileRequest(world.reconcileDeps(), body(), new Set());

    // Assess
    expect(outcome).toEqual({ outcome: 'unmanaged', passes: 0 });
    expect(world.status(GROUP).versions).toEqual([]);
    expect(world.published).toEqual([]);
    expect(world.calls).toEqual([]);
  });

  it('refuses an invalid policy override with exactly one ReconcileFailed (InvalidPolicy) and changes nothing', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP, { gates: { minAuc: 2 } });
    world.register(GROUP, 3);
    const done = new Set<string>();

    // Act
    const outcome = await handleReconcileRequest(world.reconcileDeps(), body(GROUP, 'evt-1'), done);
    const again = await handleReconcileRequest(world.reconcileDeps(), body(GROUP, 'evt-2'), done);

    // Assess
    expect(outcome).toEqual({ outcome: 'invalid-policy', passes: 0 });
    expect(again.outcome).toBe('coalesced');
    const failures = reconcileFailures(world);
    expect(world.published).toHaveLength(1);
    expect(failures).toHaveLength(1);
    const failure = domainEventDetailSchemas.ReconcileFailed.parse(failures[0]);
    expect(failure).toMatchObject({ modelGroup: GROUP, reason: 'InvalidPolicy', severity: 'error', occurredAt: world.iso() });
    expect(failure.message).toContain(`The policy of ${GROUP} is invalid`);
    expect(failure.message).toContain('minAuc');
    expect(world.status(GROUP).versions).toEqual([]);
    expect(world.calls).toEqual([]);
  });

  it('announces the same invalid policy under the same eventKey on every retry', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP, { gates: { minAuc: 2 } });

    // Act
    await handleReconcileRequest(world.reconcileDeps(), body(), new Set());
    await handleReconcileRequest(world.reconcileDeps(), body(), new Set());

    // Assess
    const [a, b] = reconcileFailures(world);
    expect(a!.eventKey).toBe(b!.eventKey);
  });

  it('turns a TerminalError from a port into terminal-error and one ReconcileFailed, without throwing', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 3);
    const { deps } = depsWith(world, async (uri) => {
      throw new TerminalError(`Access denied reading ${uri}: the reconcile role lacks s3:GetObject`);
    });
    const done = new Set<string>();

    // Act
    const outcome = await handleReconcileRequest(deps, body(), done);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'terminal-error', passes: 0, message: expect.stringContaining('the reconcile role lacks s3:GetObject') });
    const failures = reconcileFailures(world);
    expect(world.published).toHaveLength(1);
    const failure = domainEventDetailSchemas.ReconcileFailed.parse(failures[0]);
    expect(failure).toMatchObject({ modelGroup: GROUP, reason: 'TerminalError', severity: 'error' });
    expect(failure.message).toContain('s3://creditai-artifacts/credit-risk-retail/v3/evaluation.json');
    expect(done.has(GROUP)).toBe(true);
    expect(world.status(GROUP).versions).toEqual([]);
  });

  it('treats an AWS AccessDeniedException from a port as terminal', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 3);
    const { deps } = depsWith(world, async () => {
      throw Object.assign(new Error('User is not authorized to perform: s3:GetObject'), { name: 'AccessDeniedException' });
    });

    // Act
    const outcome = await handleReconcileRequest(deps, body(), new Set());

    // Assess
    expect(outcome.outcome).toBe('terminal-error');
    expect(reconcileFailures(world)).toHaveLength(1);
  });

  it('treats a registered report that does not match its layout as terminal', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 3);
    world.documents.set('s3://creditai-artifacts/credit-risk-retail/v3/evaluation.json', { metrics: 'not the evaluation layout' });

    // Act
    const outcome = await handleReconcileRequest(world.reconcileDeps(), body(), new Set());

    // Assess
    expect(outcome).toMatchObject({ outcome: 'terminal-error', message: expect.stringContaining('does not match its layout') });
    expect(reconcileFailures(world)).toHaveLength(1);
  });

  it('throws a RetryableError from a port for the queue to retry, announcing nothing', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 3);
    const throttled = new RetryableError('S3 throttled the read: SlowDown');
    const { deps } = depsWith(world, async () => {
      throw throttled;
    });
    const done = new Set<string>();

    // Act
    const act = handleReconcileRequest(deps, body(), done);

    // Assess
    await expect(act).rejects.toBe(throttled);
    expect(world.published).toEqual([]);
    expect(done.has(GROUP)).toBe(false);
  });

  it('throws an unknown error (retryable by default) rather than dropping the request', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 3);
    world.documents.clear();

    // Act
    const act = handleReconcileRequest(world.reconcileDeps(), body(), new Set());

    // Assess
    await expect(act).rejects.toThrow(/NoSuchKey/);
    expect(world.published).toEqual([]);
  });
});
