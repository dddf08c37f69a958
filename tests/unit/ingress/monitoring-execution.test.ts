/**
 * The monitoring-execution ingress over the in-memory world: a Model Monitor or Clarify run of a managed production
 * endpoint that found drift becomes the same DriftDetected as our own check (recorded once per window, announced,
 * reconciled); every other finished processing job is ignored with its reason, and a malformed event is rejected.
 */
import { processingJobStateChangeEventSchema, type ProcessingJobStateChangeEvent } from '../../../shared/contracts/aws-events';
import { domainEventDetailSchemas, type DomainEventDetail } from '../../../shared/contracts/domain-events';
import {
  analysisWindow,
  ingestMonitoringExecutionEvent,
  outcomeFromExitMessage,
  outputPrefixOf,
  type MonitoringExecutionDeps,
  type ProcessingJobDescription,
} from '../../../shared/ingress/monitoring-execution';
import { makeIngressHandler } from '../../../shared/runtime/ingress-handler';
import { TerminalError } from '../../../shared/runtime/errors';
import { loadSample } from '../../support/events';
import { ACCOUNT, FakeWorld, REGION } from '../../support/fake-world';
import { aVersion } from '../../support/lifecycle-fixtures';

const GROUP = 'credit-risk-retail';
const PROD = 'credit-risk-retail-prod';
const SAMPLES = 'aws.sagemaker/processing-job-state-change';
const SCHEDULE_ARN = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:monitoring-schedule/credit-risk-retail-prod-data-quality`;
const OUTPUT = 's3://creditai-mlops-artifacts-111122223333/monitoring/credit-risk-retail-prod/credit-risk-retail-prod-data-quality/2026/11/28/15';
const VIOLATIONS_URI = `${OUTPUT}/constraint_violations.json`;

type SampleName = 'monitoring-completed-with-violations' | 'monitoring-completed-no-violations' | 'monitoring-failed' | 'non-monitoring-completed';

function sampleEvent(name: SampleName): ProcessingJobStateChangeEvent {
  return processingJobStateChangeEventSchema.parse(loadSample(`${SAMPLES}/${name}.json`));
}

/** DescribeProcessingJob of a monitoring run of the production endpoint, as Model Monitor starts it. */
function monitoringRun(event: ProcessingJobStateChangeEvent, overrides: Partial<ProcessingJobDescription> = {}): ProcessingJobDescription {
  return {
    name: event.detail.ProcessingJobName,
    arn: event.detail.ProcessingJobArn,
    status: 'Completed',
    exitMessage: 'CompletedWithViolations: Job completed successfully with 3 violations.',
    monitoringScheduleArn: SCHEDULE_ARN,
    environment: {
      sagemaker_endpoint_name: PROD,
      sagemaker_monitoring_schedule_name: 'credit-risk-retail-prod-data-quality',
      start_time: '2026-11-28T14:00:00Z',
      end_time: '2026-11-28T15:00:00Z',
      output_path: '/opt/ml/processing/resultdata',
    },
    outputs: [{ name: 'result', s3Uri: OUTPUT, localPath: '/opt/ml/processing/resultdata' }],
    startedAt: '2026-11-28T15:05:58.000Z',
    ...overrides,
  };
}

const dataQualityViolations = {
  violations: [
    { feature_name: 'annual_income', constraint_check_type: 'baseline_drift_check', description: 'Numerical distance: 0.3412 exceeds numerical threshold: 0.1' },
    { feature_name: 'employment_years', constraint_check_type: 'baseline_drift_check', description: 'Numerical distance: 0.2290 exceeds numerical threshold: 0.1' },
    { feature_name: 'employment_years', constraint_check_type: 'completeness_check', description: 'Data completeness 0.91 is below the baseline 0.99' },
  ],
};

/** A world where v3 of the group is Live on its production endpoint, Model Monitor's run and output in place. */
async function liveWorld(options: { run?: Partial<ProcessingJobDescription>; violations?: unknown; live?: boolean } = {}) {
  const world = new FakeWorld();
  world.now = new Date('2026-11-28T15:10:00.000Z');
  world.manage(GROUP);
  const r = world.reconcileDeps();
  await r.state.registerEndpoint(PROD, GROUP);
  await r.state.registerEndpoint(`${GROUP}-staging`, GROUP);
  if (options.live !== false) await r.state.save({ group: GROUP, revision: 0, versions: [aVersion(3, 'Live')], conditions: [] });
  world.documents.set(VIOLATIONS_URI, options.violations ?? dataQualityViolations);
  world.documents.set(`${OUTPUT}/statistics.json`, { version: 0, dataset: { item_count: 4812 }, features: [] });
  const described: string[] = [];
  const event = sampleEvent('monitoring-completed-with-violations');
  const run = monitoringRun(event, options.run);
  const deps: MonitoringExecutionDeps = {
    ...world.ingressDeps(),
    documents: r.documents,
    monitoring: {
      describeProcessingJob: async (name) => {
        described.push(name);
        return structuredClone(run);
      },
    },
  };
  return { world, deps, described, event };
}

const driftEvents = (world: FakeWorld): DomainEventDetail<'DriftDetected'>[] =>
  world.published.flatMap((e) => (e.detailType === 'DriftDetected' ? [e.detail] : []));

describe('Function: ingestMonitoringExecutionEvent', () => {
  it('turns a data-quality run with violations into one recorded signal, one valid DriftDetected and a reconcile', async () => {
    // Prepare
    const { world, deps, described, event } = await liveWorld();

    // Act
    const outcome = await ingestMonitoringExecutionEvent(deps, event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(described).toEqual([event.detail.ProcessingJobName]);
    const features = [
      { feature: 'annual_income', method: 'linf', distance: 0.3412, threshold: 0.1 },
      { feature: 'employment_years', method: 'linf', distance: 0.229, threshold: 0.1 },
    ];
    expect([...world.driftSignals.values()]).toEqual([
      { version: 3, source: 'model-monitor', windowStart: '2026-11-28T14:00:00.000Z', windowEnd: '2026-11-28T15:00:00.000Z', features },
    ]);
    const [detail] = driftEvents(world);
    expect(() => domainEventDetailSchemas.DriftDetected.parse(detail)).not.toThrow();
    expect(detail).toEqual({
      schemaVersion: 1,
      eventKey: `${GROUP}/v3/model-monitor/2026-11-28T15:00:00.000Z/DriftDetected`,
      modelGroup: GROUP,
      occurredAt: world.iso(),
      version: 3,
      source: 'model-monitor',
      windowStart: '2026-11-28T14:00:00.000Z',
      windowEnd: '2026-11-28T15:00:00.000Z',
      records: 4812,
      features: features.map((f) => ({ ...f, drifted: true })),
      violationsUri: VIOLATIONS_URI,
    });
    expect(world.queued.map((q) => q.modelGroup)).toEqual([GROUP]);
  });

  it.each<[string, unknown, { features: string[]; records: number }]>([
    [
      'bias drift (Clarify)',
      {
        version: '1.0',
        violations: [
          { facet: 'age_group', facet_value: 'under_25', metric_name: 'DI', constraint_check_type: 'bias_drift_check', description: 'Value 0.71 does not meet the constraint requirement' },
          { facet: 'age_group', facet_value: 'under_25', metric_name: 'DPPL', constraint_check_type: 'bias_drift_check', description: 'Value 0.12 does not meet the constraint requirement' },
        ],
      },
      { features: ['bias:DI[age_group=under_25]', 'bias:DPPL[age_group=under_25]'], records: 0 },
    ],
    [
      'feature attribution drift (Clarify)',
      { version: '1.0', violations: [{ label: 'label0', metric_name: 'shap', constraint_check_type: 'feature_attribution_drift_check', description: 'Feature attribution drift 0.76 exceeds threshold 0.9' }] },
      { features: ['attribution:shap[label0]'], records: 0 },
    ],
  ])('reports %s on the Live version, without a record count (only data quality writes statistics.json)', async (_case, violations, expected) => {
    // Prepare
    const { world, deps, event } = await liveWorld({ violations });

    // Act
    await ingestMonitoringExecutionEvent(deps, event);

    // Assess
    const [detail] = driftEvents(world);
    expect(detail?.features.map((f) => f.feature)).toEqual(expected.features);
    expect(detail?.records).toBe(expected.records);
    expect(detail?.features.every((f) => f.drifted)).toBe(true);
  });

  it('records one signal for a duplicated event, and announces it under one eventKey', async () => {
    // Prepare
    const { world, deps, event } = await liveWorld();

    // Act
    await ingestMonitoringExecutionEvent(deps, event);
    await ingestMonitoringExecutionEvent(deps, structuredClone(event));

    // Assess
    expect(world.driftSignals.size).toBe(1);
    expect(new Set(driftEvents(world).map((d) => d.eventKey)).size).toBe(1);
  });

  it('reads the file when the outcome is unknown (no ExitMessage), and takes the hour before the run started', async () => {
    // Prepare: no ExitMessage, no analysis times in the environment.
    const { world, deps, event } = await liveWorld({ run: { exitMessage: undefined, environment: { sagemaker_endpoint_name: PROD } } });

    // Act
    const outcome = await ingestMonitoringExecutionEvent(deps, event);

    // Assess
    expect(outcome.outcome).toBe('requested');
    expect([...world.driftSignals.values()].map((s) => [s.windowStart, s.windowEnd])).toEqual([['2026-11-28T14:00:00.000Z', '2026-11-28T15:00:00.000Z']]);
  });

  it.each<[string, SampleName | undefined, Parameters<typeof liveWorld>[0], RegExp]>([
    ['a failed run (nothing described)', 'monitoring-failed', {}, /ended Failed: AlgorithmError/],
    ['a processing job not named as a monitoring run (nothing described)', 'non-monitoring-completed', {}, /is not named as a monitoring run/],
    ['a job without a MonitoringScheduleArn', undefined, { run: { monitoringScheduleArn: undefined } }, /is not a monitoring execution/],
    ['a run that names no endpoint (batch transform)', undefined, { run: { environment: {} } }, /names no endpoint/],
    ['a run on an endpoint the control plane does not manage', undefined, { run: { environment: { sagemaker_endpoint_name: 'fraud-scoring-prod' } } }, /fraud-scoring-prod .* is not managed/],
    ['a run on the staging endpoint', undefined, { run: { environment: { sagemaker_endpoint_name: `${GROUP}-staging` } } }, /is not the production endpoint/],
    ['a run while no version is Live', undefined, { live: false }, /has no Live version/],
    ['a run that found no violations (ExitMessage)', undefined, { run: { exitMessage: 'Completed: Job completed successfully with no violations.' } }, /found no violations/],
    ['a run whose violations are not drift', undefined, { violations: { violations: [dataQualityViolations.violations[2]] } }, /reported no drift \(other violations: 1 completeness_check\)/],
    ['a run without an S3 output', undefined, { run: { outputs: [] } }, /has no S3 output/],
  ])('ignores %s, with the reason', async (_case, sample, options, reason) => {
    // Prepare
    const { world, deps, described, event } = await liveWorld(options);
    const ingested = sample ? sampleEvent(sample) : event;

    // Act
    const outcome = await ingestMonitoringExecutionEvent(deps, ingested);

    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason: expect.stringMatching(reason) });
    expect(world.published).toEqual([]);
    expect(world.queued).toEqual([]);
    expect(world.driftSignals.size).toBe(0);
    if (sample) expect(described).toEqual([]);
  });

  it('throws a terminal error naming the file when it is not a violations file (the DLQ keeps the event)', async () => {
    // Prepare
    const { deps, event } = await liveWorld({ violations: { findings: [] } });

    // Act + Assess
    const failure = ingestMonitoringExecutionEvent(deps, event);
    await expect(failure).rejects.toBeInstanceOf(TerminalError);
    await expect(failure).rejects.toThrow(VIOLATIONS_URI);
  });
});

describe('Function: makeIngressHandler with the monitoring-execution ingress', () => {
  const context = { functionName: 'monitoring-execution', awsRequestId: 'r1' } as never;

  it.each<[string, (e: Record<string, any>) => void, string]>([
    ['a status outside the enum', (e) => (e.detail.ProcessingJobStatus = 'Done'), 'detail.ProcessingJobStatus'],
    ['a job ARN of another resource type', (e) => (e.detail.ProcessingJobArn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/x`), 'detail.ProcessingJobArn'],
    ['no job name', (e) => delete e.detail.ProcessingJobName, 'detail.ProcessingJobName'],
  ])('rejects an event with %s: recorded, announced as EventRejected, never ingested', async (_case, spoil, path) => {
    // Prepare
    const { world, deps, described } = await liveWorld();
    const handler = makeIngressHandler({ name: 'monitoring-execution', schema: processingJobStateChangeEventSchema, deps: () => deps, ingest: (_, e) => ingestMonitoringExecutionEvent(deps, e) });
    const raw = loadSample(`${SAMPLES}/monitoring-completed-with-violations.json`);
    spoil(raw);

    // Act
    const outcome = await handler(raw, context);

    // Assess
    expect(outcome).toEqual({ outcome: 'rejected', reason: expect.stringContaining(path) });
    expect(world.rejected.map((r) => r.eventId)).toEqual([raw.id]);
    expect(world.detailTypes()).toEqual(['EventRejected']);
    expect(described).toEqual([]);
  });

  it('ingests a well-formed sample end to end', async () => {
    // Prepare
    const { world, deps } = await liveWorld();
    const handler = makeIngressHandler({ name: 'monitoring-execution', schema: processingJobStateChangeEventSchema, deps: () => deps, ingest: (_, e) => ingestMonitoringExecutionEvent(deps, e) });

    // Act
    const outcome = await handler(loadSample(`${SAMPLES}/monitoring-completed-with-violations.json`), context);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(world.detailTypes()).toEqual(['DriftDetected']);
  });
});

describe('Function: outcomeFromExitMessage', () => {
  it.each<[string | undefined, ReturnType<typeof outcomeFromExitMessage>]>([
    ['CompletedWithViolations: Job completed successfully with 3 violations.', 'CompletedWithViolations'],
    ['Completed: Job completed successfully with no violations.', 'Completed'],
    ['  Completed', 'Completed'],
    ['CompletedSomehow', undefined],
    ['Error: analysis failed', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %s', (message, expected) => {
    expect(outcomeFromExitMessage(message)).toBe(expected);
  });
});

describe('Function: outputPrefixOf', () => {
  const job = (outputs: ProcessingJobDescription['outputs'], environment: Record<string, string> = {}) => monitoringRun(sampleEvent('monitoring-completed-with-violations'), { outputs, environment });

  it.each<[string, ProcessingJobDescription, string | undefined]>([
    ['the only output, without its trailing slash', job([{ name: 'result', s3Uri: 's3://b/monitoring/run/' }]), 's3://b/monitoring/run'],
    [
      'the output mounted at output_path among several',
      job(
        [
          { name: 'other', s3Uri: 's3://b/other', localPath: '/opt/ml/processing/other' },
          { name: 'result', s3Uri: 's3://b/monitoring/run', localPath: '/opt/ml/processing/resultdata' },
        ],
        { output_path: '/opt/ml/processing/resultdata' },
      ),
      's3://b/monitoring/run',
    ],
    ['none of several when output_path names none', job([{ name: 'a', s3Uri: 's3://b/a' }, { name: 'b', s3Uri: 's3://b/b' }]), undefined],
    ['none without outputs', job([]), undefined],
  ])('takes %s', (_case, description, expected) => {
    expect(outputPrefixOf(description)).toBe(expected);
  });
});

describe('Function: analysisWindow', () => {
  const job = (environment: Record<string, string>, startedAt?: string) => ({ ...monitoringRun(sampleEvent('monitoring-completed-with-violations'), { environment }), startedAt });

  it.each<[string, ProcessingJobDescription, { start: string; end: string }]>([
    ['the environment times', job({ start_time: '2026-11-28T14:00:00Z', end_time: '2026-11-28T15:00:00Z' }), { start: '2026-11-28T14:00:00.000Z', end: '2026-11-28T15:00:00.000Z' }],
    ['the environment times as the guide prints them (spaces)', job({ start_time: '2019-12-01T15: 20: 00Z', end_time: '2019-12-01T16: 20: 00Z' }), { start: '2019-12-01T15:20:00.000Z', end: '2019-12-01T16:20:00.000Z' }],
    ['the hour before the start hour when the times are missing', job({}, '2026-11-28T15:19:59.000Z'), { start: '2026-11-28T14:00:00.000Z', end: '2026-11-28T15:00:00.000Z' }],
    ['the hour before the start hour when the times are reversed', job({ start_time: '2026-11-28T15:00:00Z', end_time: '2026-11-28T14:00:00Z' }, '2026-11-28T15:02:00.000Z'), { start: '2026-11-28T14:00:00.000Z', end: '2026-11-28T15:00:00.000Z' }],
    ['the event time when nothing else is known', job({ start_time: 'soon' }), { start: '2026-11-28T09:00:00.000Z', end: '2026-11-28T10:00:00.000Z' }],
  ])('takes %s', (_case, description, expected) => {
    expect(analysisWindow(description, '2026-11-28T10:12:00Z')).toEqual(expected);
  });
});
