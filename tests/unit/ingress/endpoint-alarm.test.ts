/**
 * The endpoint, alarm and approval-trail ingresses over the in-memory world: which group an event is about (tag,
 * endpoint index, alarm dimension, package ARN), what they ignore, and the approval evidence the trail records.
 */
import {
  alarmStateChangeEventSchema,
  endpointDeploymentStateChangeEventSchema,
  endpointStateChangeEventSchema,
  updateModelPackageTrailEventSchema,
  type AlarmStateChangeEvent,
  type UpdateModelPackageTrailEvent,
} from '../../../shared/contracts/aws-events';
import { reconcileRequestSchema } from '../../../shared/contracts/reconcile-request';
import { alarmEndpoints, ingestAlarmEvent } from '../../../shared/ingress/alarm';
import { ingestApprovalTrailEvent } from '../../../shared/ingress/approval-trail';
import { GROUP_TAG, ingestEndpointEvent } from '../../../shared/ingress/endpoint';
import { loadSample, type JsonObject } from '../../support/events';
import { ACCOUNT, FakeWorld, REGION } from '../../support/fake-world';

const GROUP = 'credit-risk-retail';
const OTHER_GROUP = 'credit-risk-sme';
const PROD = 'credit-risk-retail-prod';
const OTHER_PROD = 'credit-risk-sme-prod';
const PACKAGE_ARN = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/${GROUP}/3`;
const JANE = `arn:aws:sts::${ACCOUNT}:assumed-role/RiskOfficer/jane.doe@example.com`;

/** Every queued request is a valid reconcile request; returns their groups. */
function queuedGroups(world: FakeWorld): string[] {
  return world.queued.map((r) => reconcileRequestSchema.parse(r).modelGroup);
}

/** A CloudWatch metric of the alarm's configuration, on an endpoint's ModelLatency (or on no endpoint). */
function metric(id: string, dimensions: Record<string, string>): JsonObject {
  return { id, metricStat: { metric: { namespace: 'AWS/SageMaker', name: 'ModelLatency', dimensions }, period: 60, stat: 'p99' }, returnData: false };
}

/** The latency alarm sample with other metrics. */
function alarmWith(metrics: JsonObject[]): AlarmStateChangeEvent {
  const event = loadSample('aws.cloudwatch/cloudwatch-alarm-state-change/latency-alarm.json');
  event.detail.configuration.metrics = metrics;
  return alarmStateChangeEventSchema.parse(event);
}

/** The approved trail sample with other request parameters (and detail fields). */
function trailWith(requestParameters: JsonObject, detail: JsonObject = {}): UpdateModelPackageTrailEvent {
  const event = loadSample('aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-approved.json');
  event.detail.requestParameters = requestParameters;
  Object.assign(event.detail, detail);
  return updateModelPackageTrailEventSchema.parse(event);
}

describe('Function: ingestEndpointEvent', () => {
  it('reconciles the group named by the endpoint tag', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = endpointStateChangeEventSchema.parse(loadSample('aws.sagemaker/endpoint-state-change/in-service.json'));

    // Act
    const outcome = await ingestEndpointEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(world.queued[0]!.reason).toBe(`Endpoint ${PROD} is InService`);
  });

  it('resolves an endpoint event without the group tag through the endpoint index', async () => {
    // Prepare
    const world = new FakeWorld();
    const raw = loadSample('aws.sagemaker/endpoint-state-change/in-service.json');
    delete raw.detail.Tags[GROUP_TAG];
    const event = endpointStateChangeEventSchema.parse(raw);
    await world.ingressDeps().state.registerEndpoint(PROD, GROUP);

    // Act
    const outcome = await ingestEndpointEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(queuedGroups(world)).toEqual([GROUP]);
  });

  it('resolves an untagged deployment state change through the endpoint index', async () => {
    // Prepare
    const world = new FakeWorld();
    const raw = loadSample('aws.sagemaker/endpoint-deployment-state-change/canary-baking.json');
    delete raw.detail.Tags;
    const event = endpointDeploymentStateChangeEventSchema.parse(raw);
    await world.ingressDeps().state.registerEndpoint(PROD, GROUP);

    // Act
    const outcome = await ingestEndpointEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(world.queued[0]!.reason).toBe(`Endpoint ${PROD} is Updating`);
  });

  it('ignores an untagged endpoint the index does not know', async () => {
    // Prepare
    const world = new FakeWorld();
    const raw = loadSample('aws.sagemaker/endpoint-state-change/in-service.json');
    delete raw.detail.Tags;
    raw.detail.EndpointName = 'someone-elses-endpoint';
    raw.detail.EndpointArn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/someone-elses-endpoint`;
    const event = endpointStateChangeEventSchema.parse(raw);
    await world.ingressDeps().state.registerEndpoint(PROD, GROUP);

    // Act
    const outcome = await ingestEndpointEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason: 'Endpoint someone-elses-endpoint is not managed by the control plane' });
    expect(world.queued).toEqual([]);
  });
});

describe('Function: alarmEndpoints', () => {
  it('lists each endpoint dimension once and skips metrics without one', () => {
    // Prepare
    const event = alarmWith([
      metric('m1', { EndpointName: PROD, VariantName: 'AllTraffic' }),
      metric('m2', { EndpointName: PROD, VariantName: 'Canary' }),
      metric('m3', { Host: 'x' }),
      { id: 'e1', expression: 'm1 + m2', returnData: true },
    ]);

    // Act
    const endpoints = alarmEndpoints(event);

    // Assess
    expect(endpoints).toEqual([PROD]);
  });
});

describe('Function: ingestAlarmEvent', () => {
  it('reconciles the group of the endpoint the alarm watches', async () => {
    // Prepare
    const world = new FakeWorld();
    await world.ingressDeps().state.registerEndpoint(PROD, GROUP);
    const event = alarmStateChangeEventSchema.parse(loadSample('aws.cloudwatch/cloudwatch-alarm-state-change/latency-alarm.json'));

    // Act
    const outcome = await ingestAlarmEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(world.queued[0]!.reason).toBe('Alarm creditai-credit-risk-retail-prod-p99-latency is ALARM');
  });

  it('ignores an alarm whose metrics have no EndpointName dimension', async () => {
    // Prepare
    const world = new FakeWorld();
    await world.ingressDeps().state.registerEndpoint(PROD, GROUP);
    const event = alarmWith([metric('m1', { FunctionName: 'creditai-mlops-reconcile' }), { id: 'e1', expression: 'm1 * 2' }]);

    // Act
    const outcome = await ingestAlarmEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason: expect.stringContaining('watches no managed endpoint') });
    expect(world.queued).toEqual([]);
  });

  it('ignores an alarm without a metrics configuration', async () => {
    // Prepare
    const world = new FakeWorld();
    const raw = loadSample('aws.cloudwatch/cloudwatch-alarm-state-change/latency-alarm.json');
    delete raw.detail.configuration;
    const event = alarmStateChangeEventSchema.parse(raw);

    // Act
    const outcome = await ingestAlarmEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome.outcome).toBe('ignored');
    expect(world.queued).toEqual([]);
  });

  it('ignores an alarm on an endpoint the control plane does not manage', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = alarmWith([metric('m1', { EndpointName: 'someone-elses-endpoint' })]);

    // Act
    const outcome = await ingestAlarmEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome.outcome).toBe('ignored');
    expect(world.queued).toEqual([]);
  });

  it('requests one reconcile per group for an alarm watching managed endpoints of two groups', async () => {
    // Prepare
    const world = new FakeWorld();
    const state = world.ingressDeps().state;
    await state.registerEndpoint(PROD, GROUP);
    await state.registerEndpoint(OTHER_PROD, OTHER_GROUP);
    const event = alarmWith([
      metric('m1', { EndpointName: PROD, VariantName: 'AllTraffic' }),
      metric('m2', { EndpointName: OTHER_PROD, VariantName: 'AllTraffic' }),
      metric('m3', { EndpointName: 'someone-elses-endpoint' }),
    ]);

    // Act
    const outcome = await ingestAlarmEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP, OTHER_GROUP] });
    expect(queuedGroups(world).sort()).toEqual([GROUP, OTHER_GROUP]);
  });

  it('requests a single reconcile when two watched endpoints belong to one group', async () => {
    // Prepare
    const world = new FakeWorld();
    const state = world.ingressDeps().state;
    await state.registerEndpoint(PROD, GROUP);
    await state.registerEndpoint('credit-risk-retail-staging', GROUP);
    const event = alarmWith([metric('m1', { EndpointName: PROD }), metric('m2', { EndpointName: 'credit-risk-retail-staging' })]);

    // Act
    const outcome = await ingestAlarmEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(world.queued).toHaveLength(1);
  });
});

describe('Function: ingestApprovalTrailEvent', () => {
  it('records who approved, with the reason, and reconciles the group', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = updateModelPackageTrailEventSchema.parse(loadSample('aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-approved.json'));

    // Act
    const outcome = await ingestApprovalTrailEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    const evidence = await world.ingressDeps().state.approvalEvidence(GROUP, 3);
    expect(evidence).toEqual([
      {
        modelGroup: GROUP,
        version: 3,
        modelPackageArn: PACKAGE_ARN,
        change: 'Approved',
        principalArn: JANE,
        sourceIdentity: 'jane.doe@example.com',
        description: event.detail.requestParameters.approvalDescription,
        at: '2026-11-28T09:40:05.000Z',
        eventId: event.detail.eventID,
      },
    ]);
    expect(world.queued[0]!.reason).toBe(`${JANE} set Approved on ${PACKAGE_ARN}`);
  });

  it('ignores a failed call (errorCode): nothing changed', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = trailWith(
      { modelPackageArn: PACKAGE_ARN, modelApprovalStatus: 'Approved' },
      { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform: sagemaker:UpdateModelPackage', responseElements: null },
    );

    // Act
    const outcome = await ingestApprovalTrailEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason: expect.stringContaining('AccessDenied') });
    expect(await world.ingressDeps().state.approvalEvidence(GROUP, 3)).toEqual([]);
    expect(world.queued).toEqual([]);
  });

  it('ignores a metadata-only change', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = trailWith({ modelPackageArn: PACKAGE_ARN, customerMetadataProperties: { 'validation-pack': 'VP-2026-118' } });

    // Act
    const outcome = await ingestApprovalTrailEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason: 'UpdateModelPackage changed neither the approval nor the stage' });
    expect(await world.ingressDeps().state.approvalEvidence(GROUP, 3)).toEqual([]);
    expect(world.queued).toEqual([]);
  });

  it.each<[string, JsonObject]>([
    ['lowerCamel keys', { modelPackageArn: PACKAGE_ARN, modelLifeCycle: { stage: 'Staging', stageStatus: 'Approved', stageDescription: 'Staging sign-off' } }],
    ['PascalCase keys', { ModelPackageArn: PACKAGE_ARN, ModelLifeCycle: { Stage: 'Staging', StageStatus: 'Approved', StageDescription: 'Staging sign-off' } }],
  ])('records a ModelLifeCycle stage change in %s as Staging:Approved', async (_case, requestParameters) => {
    // Prepare
    const world = new FakeWorld();
    const event = trailWith(requestParameters);

    // Act
    const outcome = await ingestApprovalTrailEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    const evidence = await world.ingressDeps().state.approvalEvidence(GROUP, 3);
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ change: 'Staging:Approved', principalArn: JANE, modelPackageArn: PACKAGE_ARN });
    expect(world.queued[0]!.reason).toBe(`${JANE} set Staging:Approved on ${PACKAGE_ARN}`);
  });

  it('falls back to the principal id for a caller CloudTrail gives no ARN', async () => {
    // Prepare
    const world = new FakeWorld();
    const raw = loadSample('aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-approved.json');
    raw.detail.userIdentity = { type: 'AWSService', principalId: 'AIDAEXAMPLESERVICE' };
    const event = updateModelPackageTrailEventSchema.parse(raw);

    // Act
    await ingestApprovalTrailEvent(world.ingressDeps(), event);

    // Assess
    const [evidence] = await world.ingressDeps().state.approvalEvidence(GROUP, 3);
    expect(evidence?.principalArn).toBe('principal:AIDAEXAMPLESERVICE');
    expect(evidence).not.toHaveProperty('sourceIdentity');
  });

  it('records the evidence of a duplicate delivery once, under the CloudTrail event id', async () => {
    // Prepare
    const world = new FakeWorld();
    const raw = loadSample('aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-approved.json');
    const first = updateModelPackageTrailEventSchema.parse(raw);
    const again = updateModelPackageTrailEventSchema.parse({ ...structuredClone(raw), id: '9e8d7c6b-5a49-4838-a726-150493827160' });

    // Act
    await ingestApprovalTrailEvent(world.ingressDeps(), first);
    world.tick(30);
    await ingestApprovalTrailEvent(world.ingressDeps(), again);

    // Assess
    const evidence = await world.ingressDeps().state.approvalEvidence(GROUP, 3);
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.eventId).toBe(raw.detail.eventID);
    expect(evidence[0]!.at).toBe('2026-11-28T09:40:05.000Z');
    expect(queuedGroups(world)).toEqual([GROUP, GROUP]);
  });
});
