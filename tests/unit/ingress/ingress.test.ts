/**
 * What every ingress shares: the origin check that refuses forged or misrouted events, and the rejection path that
 * records and announces an event without ever acting on it, whatever it was handed.
 */
import { domainEventDetailSchemas } from '../../../shared/contracts/domain-events';
import { originProblem, rejectEvent, type Envelope } from '../../../shared/ingress/ingress';
import { loadSample } from '../../support/events';
import { ACCOUNT, FakeWorld, REGION } from '../../support/fake-world';

const ORIGIN = { account: ACCOUNT, region: REGION };
const FOREIGN_ACCOUNT = '444455556666';

/** The envelope of a real sample: an endpoint event of this account and region. */
function envelope(overrides: Partial<Envelope> = {}): Envelope {
  const e = loadSample('aws.sagemaker/endpoint-state-change/in-service.json');
  return { id: e.id, source: e.source, 'detail-type': e['detail-type'], account: e.account, region: e.region, time: e.time, resources: e.resources, ...overrides };
}

describe('Function: originProblem', () => {
  it.each<[string, Partial<Envelope>, string | undefined]>([
    ['an event of this account and region', {}, undefined],
    ['an event without resources', { resources: [] }, undefined],
    ['a global resource ARN without region (IAM)', { resources: [`arn:aws:iam::${ACCOUNT}:role/creditai-sagemaker-pipeline`] }, undefined],
    ['an ARN without account or region (S3)', { resources: ['arn:aws:s3:::bucket'] }, undefined],
    ['an S3 object ARN', { resources: ['arn:aws:s3:::creditai-artifacts/credit-risk-retail/v3/evaluation.json'] }, undefined],
    ['a resource ARN with a colon in its resource part', { resources: [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:creditai-credit-risk-retail-prod-p99-latency`] }, undefined],
    ['another account', { account: FOREIGN_ACCOUNT }, `Event account ${FOREIGN_ACCOUNT} is not this account ${ACCOUNT}`],
    ['another region', { region: 'us-east-1' }, `Event region us-east-1 is not this region ${REGION}`],
    [
      'a resource ARN in another account',
      { resources: [`arn:aws:sagemaker:${REGION}:${FOREIGN_ACCOUNT}:endpoint/credit-risk-retail-prod`] },
      `Event names a resource outside this account and region: arn:aws:sagemaker:${REGION}:${FOREIGN_ACCOUNT}:endpoint/credit-risk-retail-prod`,
    ],
    [
      'a resource ARN in another region',
      { resources: [`arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/credit-risk-retail-prod`] },
      `Event names a resource outside this account and region: arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/credit-risk-retail-prod`,
    ],
    [
      'one foreign resource among ours',
      { resources: ['arn:aws:s3:::bucket', `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/a`, `arn:aws:iam::${FOREIGN_ACCOUNT}:role/x`] },
      `Event names a resource outside this account and region: arn:aws:iam::${FOREIGN_ACCOUNT}:role/x`,
    ],
  ])('%s', (_case, overrides, expected) => {
    // Prepare
    const event = envelope(overrides);

    // Act
    const problem = originProblem(event, ORIGIN);

    // Assess
    expect(problem).toBe(expected);
  });

  it('checks the account before the region', () => {
    // Prepare
    const event = envelope({ account: FOREIGN_ACCOUNT, region: 'us-east-1' });

    // Act
    const problem = originProblem(event, ORIGIN);

    // Assess
    expect(problem).toMatch(/^Event account/);
  });
});

describe('Function: rejectEvent', () => {
  const garbage: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'not an event'],
    ['a number', 42],
    ['an array', [{ id: 'x' }]],
    ['an object without id', { source: 'aws.sagemaker', detail: { ModelPackageGroupName: 'credit-risk-retail' } }],
    ['an object with an empty id and a non-string detail-type', { id: '', 'detail-type': 7, detail: null }],
    ['an object whose detail is a string', { id: 'e-1', detail: 'oops' }],
  ];

  it.each(garbage)('records and announces %s without throwing', async (_case, raw) => {
    // Prepare
    const world = new FakeWorld();

    // Act
    const outcome = await rejectEvent(world.ingressDeps(), raw, 'Malformed event: (root): expected object');

    // Assess
    expect(outcome).toEqual({ outcome: 'rejected', reason: 'Malformed event: (root): expected object' });
    expect(world.rejected).toHaveLength(1);
    const record = world.rejected[0]!;
    expect(record.reason).toBe('Malformed event: (root): expected object');
    expect(record.receivedAt).toBe(world.iso());
    expect(JSON.parse(record.raw)).toEqual(raw ?? null);
    expect(world.published).toHaveLength(1);
    const announced = world.published[0]!;
    expect(announced.detailType).toBe('EventRejected');
    expect(() => domainEventDetailSchemas.EventRejected.parse(announced.detail)).not.toThrow();
    expect(world.queued).toEqual([]);
  });

  it('falls back to placeholders for the identity fields of an event without them', async () => {
    // Prepare
    const world = new FakeWorld();

    // Act
    await rejectEvent(world.ingressDeps(), { hello: 'world' }, 'Malformed event');

    // Assess
    const eventId = expect.stringMatching(/^no-id-[0-9a-f]{8}$/);
    expect(world.rejected[0]).toMatchObject({ eventId, source: 'unknown-source', detailType: 'unknown-detail-type' });
    expect(world.published[0]!.detail).toMatchObject({ modelGroup: 'unknown', eventId, source: 'unknown-source', detailType: 'unknown-detail-type' });
  });

  it('keeps the identity and the model group of a forged but well-formed event', async () => {
    // Prepare
    const world = new FakeWorld();
    const forged = loadSample('aws.sagemaker/model-package-state-change/approved.json');
    forged.account = FOREIGN_ACCOUNT;

    // Act
    await rejectEvent(world.ingressDeps(), forged, `Forged or misrouted event: Event account ${FOREIGN_ACCOUNT} is not this account ${ACCOUNT}`);

    // Assess
    expect(world.rejected[0]).toMatchObject({ eventId: forged.id, source: 'aws.sagemaker', detailType: 'SageMaker Model Package State Change' });
    expect(JSON.parse(world.rejected[0]!.raw)).toEqual(forged);
    const detail = domainEventDetailSchemas.EventRejected.parse(world.published[0]!.detail);
    expect(detail).toMatchObject({ modelGroup: forged.detail.ModelPackageGroupName, eventId: forged.id, occurredAt: world.iso() });
    expect(detail.eventKey).toBe(`rejected/${forged.id}/aws.sagemaker`);
  });

  it('cuts a huge reason and a huge id to what the EventRejected contract allows', async () => {
    // Prepare
    const world = new FakeWorld();

    // Act
    await rejectEvent(world.ingressDeps(), { id: 'i'.repeat(1000) }, 'r'.repeat(5000));

    // Assess
    const detail = domainEventDetailSchemas.EventRejected.parse(world.published[0]!.detail);
    expect(detail.eventKey.length).toBeLessThanOrEqual(255);
    expect(detail.reason).toHaveLength(2000);
  });

  // Regression (found by these tests, fixed): shared/ingress/ingress.ts keys every rejected event without an id `rejected/unknown-id/unknown-source`, so
  // two different garbage events share one eventKey and notify's idempotency (7 days) announces only the first. The
  // key should stay deterministic per event but differ between events (e.g. a hash of the raw event).
  it('gives two different events without an id different eventKeys', async () => {
    // Prepare
    const world = new FakeWorld();

    // Act
    await rejectEvent(world.ingressDeps(), { detail: { ModelPackageGroupName: 'credit-risk-retail' } }, 'Malformed event');
    await rejectEvent(world.ingressDeps(), { detail: { ModelPackageGroupName: 'credit-risk-sme' } }, 'Malformed event');

    // Assess
    const [a, b] = world.published;
    expect(a!.detail.eventKey).not.toBe(b!.detail.eventKey);
  });
});
