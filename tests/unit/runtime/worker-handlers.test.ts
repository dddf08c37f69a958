/**
 * The reconcile worker and the sweep as Lambda handlers (middy, Powertools) over the in-memory world: SQS FIFO
 * partial batch responses, where a failed group's messages go back to the queue and other groups carry on.
 */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ReconcileRequest } from '../../../shared/contracts/reconcile-request';
import type { ReconcileDeps } from '../../../shared/reconcile/reconcile-group';
import { RetryableError } from '../../../shared/runtime/errors';
import { makeReconcileHandler, makeSweepHandler } from '../../../shared/runtime/worker-handlers';
import { ACCOUNT, FakeWorld, REGION } from '../../support/fake-world';

const RETAIL = 'credit-risk-retail';
const SME = 'credit-risk-sme';
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:creditai-mlops-reconcile.fifo`;

const context = (awsRequestId = 'req-1') =>
  ({ functionName: 'creditai-mlops-reconcile', awsRequestId, getRemainingTimeInMillis: () => 30000 }) as unknown as Context;

let sequence = 0;
/** An SQS FIFO record as Lambda delivers it; `body` overrides the request's JSON. */
function record(group: string, messageId: string, body?: string): SQSRecord {
  sequence += 1;
  const request: ReconcileRequest = {
    modelGroup: group,
    reason: 'Model package v1 is PendingManualApproval',
    trigger: { source: 'aws.sagemaker', detailType: 'SageMaker Model Package State Change', eventId: `evt-${messageId}`, time: '2026-11-28T09:00:00Z' },
  };
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: body ?? JSON.stringify(request),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795856400000',
      SenderId: 'AROAEXAMPLE:creditai-mlops-model-package',
      ApproximateFirstReceiveTimestamp: '1795856400100',
      SequenceNumber: String(18849496460467696128n + BigInt(sequence)),
      MessageGroupId: group,
      MessageDeduplicationId: `dedup-${messageId}`,
    },
    messageAttributes: {},
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: REGION,
  };
}

/** The world's reconcile ports; the first `failures` policy reads of `failingGroup` throw a RetryableError. */
function flakyDeps(world: FakeWorld, failingGroup: string, failures = 1): { deps: ReconcileDeps; reads: string[] } {
  const base = world.reconcileDeps();
  const reads: string[] = [];
  let left = failures;
  const deps: ReconcileDeps = {
    ...base,
    state: {
      ...base.state,
      policyOverrides: async (group) => {
        reads.push(group);
        if (group === failingGroup && left > 0) {
          left -= 1;
          throw new RetryableError('DynamoDB throttled the read (ProvisionedThroughputExceededException)');
        }
        return base.state.policyOverrides(group);
      },
    },
  };
  return { deps, reads };
}

function twoGroups(): FakeWorld {
  const world = new FakeWorld();
  world.manage(RETAIL);
  world.manage(SME);
  world.register(RETAIL, 1);
  world.register(SME, 1);
  return world;
}

describe('Function: makeReconcileHandler', () => {
  it("reports exactly the failed group's messages, its later ones skipped, while the other group is reconciled", async () => {
    // Prepare
    const world = twoGroups();
    const { deps, reads } = flakyDeps(world, RETAIL);
    const handler = makeReconcileHandler(() => deps);
    const event: SQSEvent = { Records: [record(RETAIL, 'm-1'), record(SME, 'm-2'), record(RETAIL, 'm-3')] };

    // Act
    const response = await handler(event, context());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-3' }]);
    // m-3 was skipped, not tried: its group failed earlier in the batch (the failure was a one-off).
    expect(reads).toEqual([RETAIL, SME]);
    expect(world.phaseOf(SME, 1)).toBe('DeployingStaging');
    expect(world.phaseOf(RETAIL, 1)).toBeUndefined();
  });

  it('reports nothing when every group reconciles, coalescing a repeated group', async () => {
    // Prepare
    const world = twoGroups();
    const { deps, reads } = flakyDeps(world, RETAIL, 0);
    const handler = makeReconcileHandler(() => deps);
    const event: SQSEvent = { Records: [record(RETAIL, 'm-1'), record(SME, 'm-2'), record(RETAIL, 'm-3')] };

    // Act
    const response = await handler(event, context());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(reads).toEqual([RETAIL, SME]);
    expect(world.phaseOf(RETAIL, 1)).toBe('DeployingStaging');
  });

  it('does not carry a failed group over into the next invocation', async () => {
    // Prepare
    const world = twoGroups();
    const { deps } = flakyDeps(world, RETAIL);
    const handler = makeReconcileHandler(() => deps);
    await handler({ Records: [record(RETAIL, 'm-1'), record(SME, 'm-2')] }, context('req-1'));

    // Act
    const retry = await handler({ Records: [record(RETAIL, 'm-1'), record(RETAIL, 'm-3')] }, context('req-2'));

    // Assess
    expect(retry.batchItemFailures).toEqual([]);
    expect(world.phaseOf(RETAIL, 1)).toBe('DeployingStaging');
  });

  it('returns the failures instead of throwing when the whole batch fails', async () => {
    // Prepare
    const world = twoGroups();
    const { deps } = flakyDeps(world, RETAIL, 10);
    const handler = makeReconcileHandler(() => deps);
    // No record succeeded, so no metric was added: Powertools warns about publishing none.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act
    const response = await handler({ Records: [record(RETAIL, 'm-1'), record(RETAIL, 'm-2')] }, context()).finally(() => warn.mockRestore());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
  });

  it('drops a malformed message and a terminal error instead of retrying them', async () => {
    // Prepare
    const world = twoGroups();
    world.manage(SME, { gates: { minAuc: 2 } });
    const { deps } = flakyDeps(world, RETAIL, 0);
    const handler = makeReconcileHandler(() => deps);

    // Act
    const response = await handler({ Records: [record(RETAIL, 'm-1', 'not json'), record(SME, 'm-2')] }, context());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.detailTypes()).toEqual(['ReconcileFailed']);
  });
});

describe('Function: makeSweepHandler', () => {
  it('requests a reconcile of every managed group and returns them', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(RETAIL);
    world.manage(SME);
    const handler = makeSweepHandler(() => world.ingressDeps());

    // Act
    const result = await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, context('sweep-req-7'));

    // Assess
    expect(result.groups.sort()).toEqual([RETAIL, SME]);
    expect(world.queued.map((r) => r.modelGroup).sort()).toEqual([RETAIL, SME]);
    expect(world.queued.every((r) => r.trigger.eventId === 'sweep-sweep-req-7' && r.trigger.time === world.iso())).toBe(true);
  });

  it('returns no group for an empty world', async () => {
    // Prepare
    const world = new FakeWorld();
    const handler = makeSweepHandler(() => world.ingressDeps());

    // Act
    const result = await handler({}, context());

    // Assess
    expect(result).toEqual({ groups: [] });
    expect(world.queued).toEqual([]);
  });
});
