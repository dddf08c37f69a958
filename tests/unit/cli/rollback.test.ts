/**
 * `mlops rollback`: refuses without a Live version or a last-known-good; otherwise records the request on the
 * group and queues a reconcile for it.
 */
import { CLI_SOURCE, rollback } from '../../../scripts/mlops/commands/rollback';
import { reconcileRequestSchema } from '../../../shared/contracts/reconcile-request';
import { FakeQueue, FakeStateStore, fixedClock, GROUP, groupStatus, NOW, superseded, version } from './fakes';

function world(...versions: Parameters<typeof groupStatus>[0]) {
  const state = new FakeStateStore(groupStatus(versions));
  const queue = new FakeQueue();
  return { state, queue, deps: { state, queue, clock: fixedClock } };
}

describe('Command: rollback', () => {
  it('requests a rollback from the Live version to the last-known-good and queues a reconcile', async () => {
    // Prepare
    const { state, queue, deps } = world(superseded(3), superseded(4), version(5, 'Live', { liveSince: '2026-11-28T10:00:00.000Z' }));

    // Act
    const result = await rollback(deps, { group: GROUP, reason: 'p99 latency regression', operator: 'alice' });

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain(`Rollback of ${GROUP}: v5 (Live since 2026-11-28 10:00Z (2h ago)) → v4 (last-known-good).`);
    expect(state.rollbackRequests).toEqual([{ group: GROUP, request: { by: 'alice', reason: 'p99 latency regression', at: NOW } }]);
    expect(queue.requests).toHaveLength(1);
    const request = queue.requests[0]!;
    expect(reconcileRequestSchema.parse(request)).toEqual(request);
    expect(request).toMatchObject({
      modelGroup: GROUP,
      reason: 'Operator rollback requested by alice: p99 latency regression',
      trigger: { source: CLI_SOURCE, time: NOW },
    });
    expect(result.output).toContain(`Reconcile queued (trigger ${request.trigger.eventId})`);
    expect((await state.load(GROUP)).rollbackRequest).toEqual({ by: 'alice', reason: 'p99 latency regression', at: NOW });
  });

  it('records the request before queueing the reconcile, so the reconciler finds it', async () => {
    const { state, deps } = world(superseded(4), version(5, 'Live'));
    const seen: unknown[] = [];
    const queue = { request: async () => void seen.push((await state.load(GROUP)).rollbackRequest) };

    await rollback({ ...deps, queue }, { group: GROUP, operator: 'alice' });

    expect(seen).toEqual([{ by: 'alice', reason: 'no reason given', at: NOW }]);
  });

  it('refuses with exit 2 when no version is Live', async () => {
    const { state, queue, deps } = world(superseded(4), version(5, 'Canary'));

    const result = await rollback(deps, { group: GROUP, operator: 'alice' });

    expect(result.exitCode).toBe(2);
    expect(result.output).toBe(`Refused: model group ${GROUP} has no Live version, so there is nothing to roll back.`);
    expect(state.rollbackRequests).toEqual([]);
    expect(queue.requests).toEqual([]);
  });

  it('refuses with exit 2 when there is no last-known-good (a Superseded version that never served is not one)', async () => {
    const { state, queue, deps } = world(version(4, 'Superseded'), version(5, 'Live'));

    const result = await rollback(deps, { group: GROUP, operator: 'alice' });

    expect(result.exitCode).toBe(2);
    expect(result.output).toMatch(/^Refused: model group credit-risk-retail has no last-known-good version/);
    expect(state.rollbackRequests).toEqual([]);
    expect(queue.requests).toEqual([]);
  });

  it('refuses with exit 2 for a group with no recorded status, and hints at the name', async () => {
    const { deps } = world();

    const result = await rollback(deps, { group: 'unknown-group', operator: 'alice' });

    expect(result.exitCode).toBe(2);
    expect(result.output).toContain('No status is recorded for it');
  });

  it('fails with exit 1 for a name that is not a model package group name', async () => {
    const { deps } = world();

    const result = await rollback(deps, { group: 'bad name!', operator: 'alice' });

    expect(result.exitCode).toBe(1);
  });

  it('only prints the plan with --dry-run', async () => {
    const { state, queue, deps } = world(superseded(4), version(5, 'Live'));

    const result = await rollback(deps, { group: GROUP, operator: 'alice', dryRun: true });

    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('v5 (Live since');
    expect(result.output).toContain('→ v4 (last-known-good)');
    expect(result.output).toContain('Dry run: nothing was requested.');
    expect(state.rollbackRequests).toEqual([]);
    expect(queue.requests).toEqual([]);
  });

  it('says that a production rollout in progress must end first', async () => {
    const { deps } = world(superseded(4), version(5, 'Live'), version(6, 'Canary'));

    const result = await rollback(deps, { group: GROUP, operator: 'alice' });

    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('Note: v6 is rolling out to production (Canary); the rollback starts when that rollout ends.');
  });

  it('gives each request its own trigger id, so SQS does not drop a second request as a duplicate', async () => {
    const { queue, deps } = world(superseded(4), version(5, 'Live'));

    await rollback(deps, { group: GROUP, operator: 'alice' });
    await rollback({ ...deps, clock: { now: () => '2026-11-28T12:10:00.000Z' } }, { group: GROUP, operator: 'alice' });
    await rollback(deps, { group: GROUP, operator: 'bob' });

    const ids = queue.requests.map((r) => r.trigger.eventId);
    expect(new Set(ids).size).toBe(3);
  });
});
