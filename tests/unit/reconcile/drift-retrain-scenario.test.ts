/**
 * Scenario: drift on the Live version retrains, once. A version released through the real handlers; the hourly
 * drift check reads each hour's captured traffic (the twin's drifted synthetic data) against the version's
 * baseline; its reconcile requests drive the reconciler. Assertions are on state: executions started, the group's
 * retraining state, the events.
 */
import { endpointEventSchema, modelPackageStateChangeEventSchema, updateModelPackageTrailEventSchema } from '../../../shared/contracts/aws-events';
import { domainEventDetailSchemas, type DomainEventDetail } from '../../../shared/contracts/domain-events';
import { previousHour, runDriftCheck } from '../../../shared/drift-check/drift-check';
import { ingestApprovalTrailEvent } from '../../../shared/ingress/approval-trail';
import { ingestEndpointEvent } from '../../../shared/ingress/endpoint';
import { ingestModelPackageEvent } from '../../../shared/ingress/model-package';
import { sweep } from '../../../shared/ingress/sweep';
import type { PipelineStart } from '../../../shared/reconcile/ports';
import type { ReconcileDeps } from '../../../shared/reconcile/reconcile-group';
import { handleReconcileRequest, type RequestOutcome } from '../../../shared/reconcile/reconcile-request-handler';
import { makeIngressHandler } from '../../../shared/runtime/ingress-handler';
import { loadSample, type JsonObject } from '../../support/events';
import { FakeWorld } from '../../support/fake-world';
import { applications, capture, CAPTURE_URI, incomeOnlyExplainer, REPORTS_URI, SCHEMA, trainingBaseline, type TrafficKind } from '../drift-check/traffic';

const GROUP = 'credit-risk-retail';
const STAGING = 'credit-risk-retail-staging';
const PROD = 'credit-risk-retail-prod';
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';
const TRAINING = { pipelineName: 'creditai-mlops-training', dataPrefix: 's3://creditai-data/applications/', codePrefix: 's3://creditai-artifacts/pipeline/code/' };
const context = { functionName: 'test', awsRequestId: 'req-1' } as never;

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

const arnOf = (version: number) => `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/${version}`;

/** StartPipelineExecution calls, by world (the world keys its executions by token, so it cannot tell a repeat). */
const startCalls = new WeakMap<FakeWorld, PipelineStart[]>();

/** The world's reconcile ports, counting every StartPipelineExecution call. */
function countingDeps(world: FakeWorld): ReconcileDeps {
  const deps = world.reconcileDeps();
  const pipelines = deps.pipelines!;
  const calls = startCalls.get(world) ?? [];
  startCalls.set(world, calls);
  return {
    ...deps,
    pipelines: {
      ...pipelines,
      startExecution: async (start) => {
        calls.push(start);
        return pipelines.startExecution(start);
      },
    },
  };
}

/** Delivers every queued reconcile request, as the FIFO queue would, until none is left; returns the outcomes. */
async function drain(world: FakeWorld): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  while (world.queued.length > 0) {
    const batch = world.queued.splice(0);
    const done = new Set<string>();
    for (const request of batch) outcomes.push(await handleReconcileRequest(countingDeps(world), JSON.stringify(request), done));
  }
  return outcomes;
}

/** Registration → gates → staging → a human approval → production → Live, through the ingress handlers. */
async function releaseToLive(world: FakeWorld, version: number): Promise<void> {
  const deps = () => world.ingressDeps();
  const modelPackage = makeIngressHandler({ name: 'model-package', schema: modelPackageStateChangeEventSchema, deps, ingest: ingestModelPackageEvent });
  const endpoint = makeIngressHandler({ name: 'endpoint', schema: endpointEventSchema, deps, ingest: ingestEndpointEvent });
  const approvalTrail = makeIngressHandler({ name: 'approval-trail', schema: updateModelPackageTrailEventSchema, deps, ingest: ingestApprovalTrailEvent });
  const packageEvent = (status: string) =>
    sample('aws.sagemaker/model-package-state-change/registered.json', world, { ModelPackageVersion: version, ModelPackageArn: arnOf(version), ModelApprovalStatus: status });
  const endpointEvent = (name: string) => {
    const ep = world.endpoints.get(name)!;
    return sample('aws.sagemaker/endpoint-state-change/in-service.json', world, {
      EndpointName: name,
      EndpointArn: `arn:aws:sagemaker:eu-west-1:111122223333:endpoint/${name}`,
      EndpointConfigName: ep.configName,
      EndpointStatus: ep.status.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      Tags: { 'creditai:model-group': GROUP },
    });
  };
  const trail = sample('aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-approved.json', world);

  world.register(GROUP, version);
  await modelPackage(packageEvent('PendingManualApproval'), context);
  await drain(world);
  world.tick(300);
  world.finishEndpoint(STAGING);
  await endpoint(endpointEvent(STAGING), context);
  await drain(world);
  world.tick(1800);
  world.humanDecides(arnOf(version), 'Approved', JANE, 'Reviewed validation pack VP-2026-118; fairness within band');
  trail.detail.userIdentity.arn = JANE;
  trail.detail.eventID = `trail-${eventCounter}`;
  trail.detail.eventTime = world.iso().replace(/\.\d{3}Z$/, 'Z');
  trail.detail.requestParameters = { modelPackageArn: arnOf(version), modelApprovalStatus: 'Approved', approvalDescription: 'Reviewed validation pack VP-2026-118; fairness within band' };
  await approvalTrail(trail, context);
  await modelPackage(packageEvent('Approved'), context);
  await drain(world);
  world.tick(900);
  world.finishEndpoint(PROD);
  await endpoint(endpointEvent(PROD), context);
  await drain(world);
}

const checkDeps = (world: FakeWorld) => world.driftCheckDeps({ captureUri: CAPTURE_URI, reportsUri: REPORTS_URI });

/** One hour of `kind` traffic on production ending at `hourEnd`, then the hourly check two minutes later. */
async function hourOfTraffic(world: FakeWorld, hourEnd: string, kind: TrafficKind, seed: number): Promise<void> {
  const start = new Date(Date.parse(hourEnd) - 3_600_000).toISOString();
  capture(world, PROD, start, applications(kind, seed));
  world.now = new Date(Date.parse(hourEnd) + 120_000);
  await runDriftCheck(checkDeps(world), SCHEMA, previousHour(world.iso()));
}

function eventsOf<T extends 'RetrainRequested' | 'RetrainSkipped' | 'DriftDetected'>(world: FakeWorld, type: T): DomainEventDetail<T>[] {
  return world.published.filter((e) => e.detailType === type).map((e) => e.detail as DomainEventDetail<T>);
}

/** A world with v3 Live (its baseline and explainer registered) and drift retraining configured. */
async function liveWorld(): Promise<FakeWorld> {
  const world = new FakeWorld();
  world.training = TRAINING;
  world.manage(GROUP);
  await releaseToLive(world, 3);
  world.registerBaseline(arnOf(3), trainingBaseline(), incomeOnlyExplainer());
  return world;
}

describe('Scenario: drift on the Live version retrains once, then cools down', () => {
  it('starts exactly one retraining after two consecutive drifted windows, however often they are reported and reconciled', async () => {
    const world = await liveWorld();
    expect(world.phaseOf(GROUP, 3)).toBe('Live');

    // 10:00–11:00: the first drifted window: recorded and announced, not yet persistent.
    await hourOfTraffic(world, '2026-11-28T11:00:00.000Z', 'drifted', 101);
    expect(await drain(world)).toEqual([expect.objectContaining({ outcome: 'settled' })]);
    expect(startCalls.get(world)).toEqual([]);
    expect(eventsOf(world, 'RetrainRequested')).toEqual([]);

    // 11:00–12:00: the second: persistent drift on annual income (the model's whole importance) retrains.
    await hourOfTraffic(world, '2026-11-28T12:00:00.000Z', 'drifted', 102);
    await drain(world);
    expect(startCalls.get(world)).toHaveLength(1);
    const [run] = [...world.started.values()];
    const commit = world.packages.get(arnOf(3))!.lineage.commitId!;
    expect(run).toMatchObject({
      pipelineName: 'creditai-mlops-training',
      displayName: `retrain-${GROUP}`,
      parameters: { ModelPackageGroupName: GROUP, CommitId: commit, InputDataUri: `s3://creditai-data/applications/${GROUP}/`, CodeUri: `s3://creditai-artifacts/pipeline/code/${commit}/` },
    });
    expect(run!.description).toContain(`${REPORTS_URI}/${GROUP}/v3/2026-11-28T12-00-00-000Z/report.json`);
    const [requested, ...moreRequests] = eventsOf(world, 'RetrainRequested');
    expect(moreRequests).toEqual([]);
    expect(requested).toMatchObject({ version: 3, triggerWindowEnd: '2026-11-28T12:00:00.000Z', clientToken: run!.clientToken, pipelineName: 'creditai-mlops-training' });
    // Both persistent features, the important one first (employment years has no weight in this model).
    expect(requested!.features.map((f) => [f.feature, f.importance])).toEqual([
      ['annual_income', 1],
      ['employment_years', 0],
    ]);
    expect(world.status(GROUP).retraining?.inFlight).toEqual({ clientToken: run!.clientToken, startedAt: '2026-11-28T12:02:00.000Z', triggerWindowEnd: '2026-11-28T12:00:00.000Z', executionArn: run!.executionArn });

    // The same window checked again (a scheduler retry), its signal duplicated, and the group swept: nothing new.
    await runDriftCheck(checkDeps(world), SCHEMA, { start: '2026-11-28T11:00:00.000Z', end: '2026-11-28T12:00:00.000Z' });
    const signals = await world.reconcileDeps().state.driftSignals(GROUP, 3);
    await world.reconcileDeps().state.recordDriftSignal(GROUP, signals[0]!);
    await sweep(world.ingressDeps(), 'sweep-1', world.iso());
    await drain(world);
    await sweep(world.ingressDeps(), 'sweep-2', world.iso());
    await drain(world);
    expect(world.driftSignals.size).toBe(2);
    expect(startCalls.get(world)).toHaveLength(1);
    expect(eventsOf(world, 'RetrainRequested')).toHaveLength(1);
    expect(eventsOf(world, 'RetrainSkipped')).toEqual([]);

    // The run finishes at 12:40; the next reconcile ends it and the cooldown starts from its end.
    world.now = new Date('2026-11-28T12:40:00.000Z');
    world.finishExecution(run!.executionArn, 'Succeeded');
    await sweep(world.ingressDeps(), 'sweep-3', world.iso());
    await drain(world);
    expect(world.status(GROUP).retraining).toEqual({
      lastEndedAt: '2026-11-28T12:40:00.000Z',
      starts: ['2026-11-28T12:02:00.000Z'],
      lastTriagedWindow: '2026-11-28T12:00:00.000Z',
    });

    // 12:00–13:00: still drifted, during the cooldown: skipped, with why and until when.
    await hourOfTraffic(world, '2026-11-28T13:00:00.000Z', 'drifted', 103);
    await drain(world);
    expect(startCalls.get(world)).toHaveLength(1);
    expect(eventsOf(world, 'RetrainSkipped')).toEqual([
      expect.objectContaining({ version: 3, skip: 'cooldown', triggerWindowEnd: '2026-11-28T13:00:00.000Z', until: '2026-11-29T12:40:00.000Z', alert: true }),
    ]);

    expect(eventsOf(world, 'DriftDetected').map((e) => e.windowEnd)).toEqual([
      '2026-11-28T11:00:00.000Z',
      '2026-11-28T12:00:00.000Z',
      '2026-11-28T12:00:00.000Z',
      '2026-11-28T13:00:00.000Z',
    ]);
    for (const e of world.published) expect(() => domainEventDetailSchemas[e.detailType].parse(e.detail)).not.toThrow();
  });

  it('does not retrain on drift in two windows that are not consecutive', async () => {
    const world = await liveWorld();

    await hourOfTraffic(world, '2026-11-28T11:00:00.000Z', 'drifted', 101);
    await drain(world);
    await hourOfTraffic(world, '2026-11-28T12:00:00.000Z', 'steady', 102);
    await drain(world);
    await hourOfTraffic(world, '2026-11-28T13:00:00.000Z', 'drifted', 103);
    await drain(world);

    expect(eventsOf(world, 'DriftDetected').map((e) => e.windowEnd)).toEqual(['2026-11-28T11:00:00.000Z', '2026-11-28T13:00:00.000Z']);
    expect(startCalls.get(world)).toEqual([]);
    expect(eventsOf(world, 'RetrainRequested')).toEqual([]);
  });

  it('reports drift but never retrains when no training pipeline is configured', async () => {
    const world = await liveWorld();
    world.training = undefined;

    await hourOfTraffic(world, '2026-11-28T11:00:00.000Z', 'drifted', 101);
    await hourOfTraffic(world, '2026-11-28T12:00:00.000Z', 'drifted', 102);
    const outcomes = await drain(world);

    expect(outcomes.map((o) => o.outcome)).not.toContain('terminal-error');
    expect(eventsOf(world, 'DriftDetected')).toHaveLength(2);
    expect(world.started.size).toBe(0);
    expect(world.status(GROUP).retraining).toBeUndefined();
  });
});
