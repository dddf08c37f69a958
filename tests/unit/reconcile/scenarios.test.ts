/**
 * Scenarios: one model group driven through the ingress handlers and the reconciler over the in-memory world,
 * event by event, as AWS would deliver them. Assertions are on the resulting state, not on call order.
 */
import {
  alarmStateChangeEventSchema,
  endpointEventSchema,
  modelPackageStateChangeEventSchema,
  updateModelPackageTrailEventSchema,
} from '../../../shared/contracts/aws-events';
import { domainEventDetailSchemas } from '../../../shared/contracts/domain-events';
import { ingestAlarmEvent } from '../../../shared/ingress/alarm';
import { ingestApprovalTrailEvent } from '../../../shared/ingress/approval-trail';
import { ingestEndpointEvent } from '../../../shared/ingress/endpoint';
import { ingestModelPackageEvent } from '../../../shared/ingress/model-package';
import { handleReconcileRequest } from '../../../shared/reconcile/reconcile-request-handler';
import { makeIngressHandler } from '../../../shared/runtime/ingress-handler';
import { loadSample, type JsonObject } from '../../support/events';
import { FakeWorld } from '../../support/fake-world';

const GROUP = 'credit-risk-retail';
const STAGING = 'credit-risk-retail-staging';
const PROD = 'credit-risk-retail-prod';
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';
const LATENCY_ALARM = 'creditai-credit-risk-retail-prod-p99-latency';
const context = { functionName: 'test', awsRequestId: 'req-1' } as never;

/** The handlers as deployed, over the world's ports. */
function handlers(world: FakeWorld) {
  const deps = () => world.ingressDeps();
  return {
    modelPackage: makeIngressHandler({ name: 'model-package', schema: modelPackageStateChangeEventSchema, deps, ingest: ingestModelPackageEvent }),
    endpoint: makeIngressHandler({ name: 'endpoint', schema: endpointEventSchema, deps, ingest: ingestEndpointEvent }),
    alarm: makeIngressHandler({ name: 'alarm', schema: alarmStateChangeEventSchema, deps, ingest: ingestAlarmEvent }),
    approvalTrail: makeIngressHandler({ name: 'approval-trail', schema: updateModelPackageTrailEventSchema, deps, ingest: ingestApprovalTrailEvent }),
  };
}

let eventCounter = 0;
/** A sample event re-addressed to this scenario: fresh id, the world's time, detail fields patched. */
function sample(path: string, world: FakeWorld, detail: JsonObject = {}): JsonObject {
  const event = loadSample(path);
  eventCounter += 1;
  event.id = `00000000-0000-4000-8000-${String(eventCounter).padStart(12, '0')}`;
  event.time = world.iso().replace(/\.\d{3}Z$/, 'Z');
  Object.assign(event.detail, detail);
  return event;
}

const packageEvent = (world: FakeWorld, version: number, status: string) =>
  sample('aws.sagemaker/model-package-state-change/registered.json', world, {
    ModelPackageVersion: version,
    ModelPackageArn: `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/${version}`,
    ModelApprovalStatus: status,
  });

const endpointEvent = (world: FakeWorld, name: string) => {
  const ep = world.endpoints.get(name)!;
  const status = ep.status.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return sample('aws.sagemaker/endpoint-state-change/in-service.json', world, {
    EndpointName: name,
    EndpointArn: `arn:aws:sagemaker:eu-west-1:111122223333:endpoint/${name}`,
    EndpointConfigName: ep.configName,
    EndpointStatus: status,
    Tags: { 'creditai:model-group': GROUP },
  });
};

const trailEvent = (world: FakeWorld, version: number, status: 'Approved' | 'Rejected', who: string) => {
  const event = sample('aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-approved.json', world);
  event.detail.userIdentity.arn = who;
  event.detail.eventID = `trail-${eventCounter}`;
  event.detail.eventTime = world.iso().replace(/\.\d{3}Z$/, 'Z');
  event.detail.requestParameters = {
    modelPackageArn: `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/${version}`,
    modelApprovalStatus: status,
    approvalDescription: 'Reviewed validation pack VP-2026-118; fairness within band',
  };
  return event;
};

/** Delivers every queued reconcile request, as the FIFO queue would, until none is left. */
async function drain(world: FakeWorld): Promise<void> {
  while (world.queued.length > 0) {
    const batch = world.queued.splice(0);
    const done = new Set<string>();
    for (const request of batch) await handleReconcileRequest(world.reconcileDeps(), JSON.stringify(request), done);
  }
}

/** Every event published so far matches its contract. */
function expectValidDomainEvents(world: FakeWorld): void {
  for (const e of world.published) expect(() => domainEventDetailSchemas[e.detailType].parse(e.detail)).not.toThrow();
}

/** Drives a fresh group's version from registration to Live; returns the world. */
async function releaseToLive(world: FakeWorld, version: number): Promise<void> {
  const h = handlers(world);
  world.register(GROUP, version);
  await h.modelPackage(packageEvent(world, version, 'PendingManualApproval'), context);
  await drain(world);
  world.tick(300);
  world.finishEndpoint(STAGING);
  await h.endpoint(endpointEvent(world, STAGING), context);
  await drain(world);
  world.tick(1800);
  const arn = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/${version}`;
  world.humanDecides(arn, 'Approved', JANE, 'Reviewed validation pack VP-2026-118; fairness within band');
  await h.approvalTrail(trailEvent(world, version, 'Approved', JANE), context);
  await h.modelPackage(packageEvent(world, version, 'Approved'), context);
  await drain(world);
  world.tick(900);
  world.finishEndpoint(PROD);
  await h.endpoint(endpointEvent(world, PROD), context);
  await drain(world);
}

describe('Scenario: a registered version reaches production', () => {
  it('carries version 3 from Registered through gates, staging, a human approval and production to Live', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    const h = handlers(world);
    world.register(GROUP, 3);

    // Act + Assess, step by step as events arrive
    await h.modelPackage(packageEvent(world, 3, 'PendingManualApproval'), context);
    await drain(world);
    expect(world.phaseOf(GROUP, 3)).toBe('DeployingStaging');
    expect(world.endpoints.get(STAGING)?.status).toBe('Creating');

    world.tick(300);
    world.finishEndpoint(STAGING);
    await h.endpoint(endpointEvent(world, STAGING), context);
    await drain(world);
    const waiting = world.status(GROUP).versions[0]!;
    expect(waiting.phase).toBe('AwaitingApproval');
    expect(waiting.awaiting).toBe('production');
    expect(waiting.smokeTest?.passed).toBe(true);
    expect(world.endpoints.has(PROD)).toBe(false);

    world.tick(1800);
    const arn = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/3`;
    world.humanDecides(arn, 'Approved', JANE, 'Reviewed validation pack VP-2026-118; fairness within band');
    await h.approvalTrail(trailEvent(world, 3, 'Approved', JANE), context);
    await h.modelPackage(packageEvent(world, 3, 'Approved'), context);
    await drain(world);
    expect(world.phaseOf(GROUP, 3)).toBe('Canary');
    expect(world.endpoints.get(PROD)?.status).toBe('Creating');

    world.tick(900);
    world.finishEndpoint(PROD);
    await h.endpoint(endpointEvent(world, PROD), context);
    await drain(world);

    const live = world.status(GROUP).versions[0]!;
    expect(live.phase).toBe('Live');
    expect(live.gates?.passed).toBe(true);
    expect(live.approval).toMatchObject({ actor: { arn: JANE, kind: 'human', source: 'cloudtrail' } });
    expect(live.deployments.production?.endpointConfigName).toBe(world.endpoints.get(PROD)?.configName);
    expect(world.detailTypes()).toEqual(
      expect.arrayContaining(['ModelGated', 'DeploymentStarted', 'StagingVerified', 'ModelApproved', 'ModelPromoted']),
    );
    expectValidDomainEvents(world);
  });

  it('reaches the same state when every event is delivered twice and the approval events arrive in reverse order', async () => {
    // Prepare
    const once = new FakeWorld();
    once.manage(GROUP);
    await releaseToLive(once, 3);
    const twice = new FakeWorld();
    twice.manage(GROUP);
    const h = handlers(twice);
    twice.register(GROUP, 3);

    // Act
    const registered = packageEvent(twice, 3, 'PendingManualApproval');
    await h.modelPackage(registered, context);
    await h.modelPackage(registered, context);
    await drain(twice);
    twice.tick(300);
    twice.finishEndpoint(STAGING);
    const stagingUp = endpointEvent(twice, STAGING);
    await h.endpoint(stagingUp, context);
    await drain(twice);
    await h.endpoint(stagingUp, context);
    await drain(twice);
    twice.tick(1800);
    const arn = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/3`;
    twice.humanDecides(arn, 'Approved', JANE, 'Reviewed validation pack VP-2026-118; fairness within band');
    await h.modelPackage(packageEvent(twice, 3, 'Approved'), context);
    await h.approvalTrail(trailEvent(twice, 3, 'Approved', JANE), context);
    await drain(twice);
    twice.tick(900);
    twice.finishEndpoint(PROD);
    const prodUp = endpointEvent(twice, PROD);
    await h.endpoint(prodUp, context);
    await h.endpoint(prodUp, context);
    await drain(twice);

    // Assess: same phases, one deployment per environment, no event published twice
    const phases = (w: FakeWorld) => w.status(GROUP).versions.map((v) => [v.version, v.phase]);
    expect(phases(twice)).toEqual(phases(once));
    expect(twice.calls.filter((c) => c.startsWith('deploy'))).toHaveLength(2);
    const keys = twice.published.map((e) => e.detail.eventKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('rejects a version whose AUC is below the policy and never deploys it', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 4, { auc: 0.82 });

    // Act
    await handlers(world).modelPackage(packageEvent(world, 4, 'PendingManualApproval'), context);
    await drain(world);

    // Assess
    const v = world.status(GROUP).versions[0]!;
    expect(v.phase).toBe('Rejected');
    expect(v.reason).toContain('AUC 0.82 is below the minimum 0.85');
    expect(world.packages.get(`arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/4`)?.approvalStatus).toBe('Rejected');
    expect(world.endpoints.size).toBe(0);
  });

  it('does not act on a production approval made by the pipeline role rather than a person', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    const h = handlers(world);
    world.register(GROUP, 3);
    await h.modelPackage(packageEvent(world, 3, 'PendingManualApproval'), context);
    await drain(world);
    world.finishEndpoint(STAGING);
    await h.endpoint(endpointEvent(world, STAGING), context);
    await drain(world);

    // Act
    const pipelineRole = 'arn:aws:sts::111122223333:assumed-role/SageMakerPipelineRole/SageMaker';
    world.humanDecides(`arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/3`, 'Approved', pipelineRole, 'auto');
    await h.modelPackage(packageEvent(world, 3, 'Approved'), context);
    await drain(world);

    // Assess
    expect(world.phaseOf(GROUP, 3)).toBe('AwaitingApproval');
    expect(world.endpoints.has(PROD)).toBe(false);
    expect(world.detailTypes().filter((t) => t === 'ApprovalUnverified')).toHaveLength(1);
  });
});

describe('Scenario: a Live version is rolled back', () => {
  /** Version 2 Live, then version 3 released through a canary to Live. */
  async function twoReleases(): Promise<FakeWorld> {
    const world = new FakeWorld();
    world.manage(GROUP);
    await releaseToLive(world, 2);
    world.tick(86400);
    await releaseToLive(world, 3);
    return world;
  }

  it('releases the second version through a canary and supersedes the first', async () => {
    const world = await twoReleases();
    expect(world.phaseOf(GROUP, 3)).toBe('Live');
    expect(world.phaseOf(GROUP, 2)).toBe('Superseded');
    expect(world.calls).toContainEqual(expect.stringMatching(/^deploy credit-risk-retail-prod credit-risk-retail-v3-prod-[0-9a-f]{8} canary$/));
  });

  it('moves Live to RolledBack on a latency alarm and redeploys the last-known-good to Live', async () => {
    // Prepare
    const world = await twoReleases();
    const h = handlers(world);
    world.tick(3600);

    // Act: the p99 latency alarm fires on the production endpoint
    world.setAlarm(LATENCY_ALARM, 'ALARM', 'Threshold Crossed: 3 datapoints were greater than the threshold (200000.0)');
    await h.alarm(sample('aws.cloudwatch/cloudwatch-alarm-state-change/latency-alarm.json', world), context);
    await drain(world);

    // Assess: v3 out, v2 on its way back, all at once
    expect(world.phaseOf(GROUP, 3)).toBe('RolledBack');
    expect(world.phaseOf(GROUP, 2)).toBe('Canary');
    expect(world.calls.at(-1)).toMatch(/^deploy credit-risk-retail-prod credit-risk-retail-v2-prod-[0-9a-f]{8} all-at-once$/);
    const rollback = world.published.find((e) => e.detailType === 'RollbackPerformed');
    expect(rollback?.detail).toMatchObject({ version: 3, toVersion: 2, initiator: 'control-plane', alarms: [LATENCY_ALARM] });

    // Act: the endpoint finishes; the alarm is still in ALARM from before
    world.tick(420);
    world.finishEndpoint(PROD);
    await h.endpoint(endpointEvent(world, PROD), context);
    await drain(world);

    // Assess: v2 Live again and not rolled back by the stale alarm
    expect(world.phaseOf(GROUP, 2)).toBe('Live');
    expect(world.phaseOf(GROUP, 3)).toBe('RolledBack');
    expectValidDomainEvents(world);
  });

  it('records a silent guardrail rollback of a canary as RolledBack and keeps the old version Live', async () => {
    // Prepare: version 2 Live, version 3 in its canary
    const world = new FakeWorld();
    world.manage(GROUP);
    await releaseToLive(world, 2);
    const h = handlers(world);
    world.register(GROUP, 3);
    await h.modelPackage(packageEvent(world, 3, 'PendingManualApproval'), context);
    await drain(world);
    world.finishEndpoint(STAGING);
    await h.endpoint(endpointEvent(world, STAGING), context);
    await drain(world);
    world.humanDecides(`arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/3`, 'Approved', JANE, 'ok');
    await h.modelPackage(packageEvent(world, 3, 'Approved'), context);
    await drain(world);
    expect(world.phaseOf(GROUP, 3)).toBe('Canary');

    // Act: the alarm trips during the bake and SageMaker reverts the endpoint
    world.tick(120);
    world.setAlarm(LATENCY_ALARM, 'ALARM');
    world.finishEndpoint(PROD, 'revert');
    await h.endpoint(endpointEvent(world, PROD), context);
    await drain(world);

    // Assess
    expect(world.phaseOf(GROUP, 3)).toBe('RolledBack');
    expect(world.phaseOf(GROUP, 2)).toBe('Live');
    const rollback = world.published.find((e) => e.detailType === 'RollbackPerformed');
    expect(rollback?.detail).toMatchObject({ version: 3, initiator: 'sagemaker-guardrails' });
  });

  it('rolls back on an operator request without any alarm', async () => {
    // Prepare
    const world = await twoReleases();
    const deps = world.reconcileDeps();

    // Act: what `mlops rollback` does
    await deps.state.requestRollback(GROUP, { by: 'oncall@example.com', reason: 'customer complaints', at: world.iso() });
    world.queued.push({ modelGroup: GROUP, reason: 'Rollback requested', trigger: { source: 'creditai.mlops.cli', detailType: 'Rollback Requested', eventId: 'cli-1', time: world.iso() } });
    await drain(world);

    // Assess
    expect(world.phaseOf(GROUP, 3)).toBe('RolledBack');
    expect(world.phaseOf(GROUP, 2)).toBe('Canary');
    expect(world.status(GROUP).rollbackRequest).toBeUndefined();
    expect(world.published.find((e) => e.detailType === 'RollbackPerformed')?.detail).toMatchObject({ initiator: 'operator' });
  });
});

describe('Scenario: bad input', () => {
  it('rejects and records a forged event from another account without reconciling anything', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage(GROUP);
    const forged = packageEvent(world, 3, 'Approved');
    forged.account = '999988887777';

    // Act
    const outcome = await handlers(world).modelPackage(forged, context);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(world.queued).toHaveLength(0);
    expect(world.rejected).toHaveLength(1);
    expect(world.rejected[0]!.reason).toContain('999988887777');
    expect(world.detailTypes()).toEqual(['EventRejected']);
  });

  it('rejects a malformed event with the schema path in the reason', async () => {
    // Prepare
    const world = new FakeWorld();
    const malformed = packageEvent(world, 3, 'approved');

    // Act
    const outcome = await handlers(world).modelPackage(malformed, context);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(world.rejected[0]!.reason).toMatch(/detail\.ModelApprovalStatus/);
    expect(world.queued).toHaveLength(0);
  });
});
