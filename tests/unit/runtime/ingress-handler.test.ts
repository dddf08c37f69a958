/**
 * The ingress Lambda shape: a failing ingest is thrown whatever its kind, so Lambda's retries and the on-failure
 * DLQ keep the event; a well-formed event from this account is ingested once.
 */
import { modelPackageStateChangeEventSchema } from '../../../shared/contracts/aws-events';
import { ingestModelPackageEvent } from '../../../shared/ingress/model-package';
import { RetryableError, TerminalError } from '../../../shared/runtime/errors';
import { makeIngressHandler } from '../../../shared/runtime/ingress-handler';
import { loadSample } from '../../support/events';
import { FakeWorld } from '../../support/fake-world';

const context = { functionName: 'model-package', awsRequestId: 'r1' } as never;

describe('Function: makeIngressHandler', () => {
  it('queues one reconcile for a well-formed event of this account', async () => {
    // Prepare
    const world = new FakeWorld();
    const handler = makeIngressHandler({ name: 'model-package', schema: modelPackageStateChangeEventSchema, deps: () => world.ingressDeps(), ingest: ingestModelPackageEvent });

    // Act
    const outcome = await handler(loadSample('aws.sagemaker/model-package-state-change/registered.json'), context);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: ['credit-risk-retail'] });
    expect(world.queued).toHaveLength(1);
  });

  it.each([
    ['a retryable error', new RetryableError('SQS throttled')],
    ['a terminal error', new TerminalError('AccessDenied on sqs:SendMessage')],
  ])('throws %s so the event is retried and then kept in the DLQ', async (_, error) => {
    // Prepare
    const world = new FakeWorld();
    const failing = makeIngressHandler({
      name: 'model-package',
      schema: modelPackageStateChangeEventSchema,
      deps: () => world.ingressDeps(),
      ingest: async () => {
        throw error;
      },
    });

    // Act + Assess
    await expect(failing(loadSample('aws.sagemaker/model-package-state-change/registered.json'), context)).rejects.toBe(error);
    expect(world.rejected).toHaveLength(0);
  });
});
