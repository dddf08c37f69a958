/**
 * What on-call and approvers read: one table row per domain detail-type (from the contract samples under
 * `events/samples/creditai.mlops/`, parsed with their schema) and per alarm state (from the CloudWatch samples).
 */
import { alarmStateChangeEventSchema, type AlarmStateChangeEvent } from '../../../shared/contracts/aws-events';
import {
  DOMAIN_DETAIL_TYPES,
  parseDomainEvent,
  type DomainDetailType,
  type DomainEvent,
  type DomainEventDetail,
} from '../../../shared/contracts/domain-events';
import { alarmTarget, describeAlarm } from '../../../shared/notify/alarm-messages';
import { describeDomainEvent } from '../../../shared/notify/domain-messages';
import { kebabCase, MAX_DEDUP_KEY, toDedupKey, toSubject, type Notification } from '../../../shared/notify/notification';
import { loadSample } from '../../support/events';

const LINKS = { runbookBaseUrl: 'https://runbooks.creditai.example/mlops' };
const CONSOLE = 'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1';
const GROUP = 'credit-risk-retail';
const EXECUTION_ARN = 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-credit-risk-retail/execution/k2v8x1q9m4tz';
const ROLLBACK = `npm run mlops -- rollback ${GROUP}`;

/** The contract sample of a detail-type, validated against its schema. */
function sample<T extends DomainDetailType>(detailType: T, patch: Partial<DomainEventDetail<T>> = {}): DomainEvent {
  const raw = loadSample(`creditai.mlops/${kebabCase(detailType)}/base.json`);
  raw.detail = { ...raw.detail, ...patch };
  return parseDomainEvent(raw as Parameters<typeof parseDomainEvent>[0]);
}

/** A CloudWatch sample, validated against its schema. */
function alarm(name: 'latency-alarm' | 'latency-ok' | 'errors-alarm', mutate?: (e: AlarmStateChangeEvent) => void): AlarmStateChangeEvent {
  const event = alarmStateChangeEventSchema.parse(loadSample(`aws.cloudwatch/cloudwatch-alarm-state-change/${name}.json`));
  mutate?.(event);
  return event;
}

/** Invariants every notification keeps, whatever the event. */
function expectWellFormed(n: Notification): void {
  expect(n.subject.length).toBeGreaterThan(0);
  expect(n.subject.length).toBeLessThanOrEqual(100);
  expect(n.subject).toMatch(/^[\x20-\x7e]+$/);
  expect(n.body.split('\n').length).toBeGreaterThan(4);
  expect(n.body).toContain('Runbook: https://runbooks.creditai.example/mlops#');
  if (n.page) {
    expect(n.page.dedupKey.length).toBeLessThanOrEqual(MAX_DEDUP_KEY);
    expect(n.page.summary.length).toBeLessThanOrEqual(1024);
    expect(n.page.summary).not.toContain('\n');
    expect(n.page.severity).toBe(n.severity);
    expect(n.page.runbookUrl).toMatch(/^https:\/\/runbooks\.creditai\.example\/mlops#/);
  }
}

type Row = [name: string, event: () => DomainEvent, severity: Notification['severity'], page: string | undefined, subject: string];

const ROWS: Row[] = [
  ['ModelGated (passed)', () => sample('ModelGated'), 'info', undefined, '[INFO] credit-risk-retail v7 passed its gates'],
  [
    'ModelGated (failed)',
    () =>
      sample('ModelGated', {
        passed: false,
        results: [
          { gate: 'auc', passed: false, observed: 0.8312, threshold: '>= 0.85', message: 'AUC 0.8312 is below the minimum 0.85' },
          { gate: 'ks', passed: true, observed: 0.41, threshold: '>= 0.3', message: 'KS 0.41 meets the minimum 0.3' },
        ],
      }),
    'info',
    undefined,
    '[INFO] credit-risk-retail v7 failed 1 of 2 gates',
  ],
  ['ModelApproved', () => sample('ModelApproved'), 'info', undefined, '[INFO] credit-risk-retail v7 approved for production'],
  ['ModelRejected', () => sample('ModelRejected'), 'warning', undefined, '[WARNING] credit-risk-retail v8 rejected'],
  ['ApprovalRequested', () => sample('ApprovalRequested'), 'info', undefined, '[approval needed] credit-risk-retail v7 for production'],
  [
    'ApprovalRequested (staging)',
    () => sample('ApprovalRequested', { environment: 'staging', smokeTest: undefined }),
    'info',
    undefined,
    '[approval needed] credit-risk-retail v7 for staging',
  ],
  [
    'ApprovalUnverified',
    () => sample('ApprovalUnverified'),
    'warning',
    undefined,
    '[WARNING] credit-risk-retail v7: production approval not verified',
  ],
  ['DeploymentStarted', () => sample('DeploymentStarted'), 'info', undefined, '[INFO] credit-risk-retail v7 deploying to staging'],
  [
    'DeploymentStarted (rollback)',
    () => sample('DeploymentStarted', { version: 6, environment: 'production', endpointName: `${GROUP}-prod`, kind: 'rollback' }),
    'info',
    undefined,
    '[INFO] credit-risk-retail v6 redeploying to production (rollback)',
  ],
  ['StagingVerified', () => sample('StagingVerified'), 'info', undefined, '[INFO] credit-risk-retail v7 verified in staging'],
  ['CanaryStarted', () => sample('CanaryStarted'), 'info', undefined, '[INFO] credit-risk-retail v7 canary at 10% in production'],
  ['ModelPromoted', () => sample('ModelPromoted'), 'info', undefined, '[INFO] credit-risk-retail v7 live in production (replaces v6)'],
  [
    'RollbackPerformed',
    () => sample('RollbackPerformed'),
    'critical',
    `rollback:${GROUP}:v7`,
    '[CRITICAL] credit-risk-retail v7 rolled back to v6 on credit-risk-retail-prod',
  ],
  [
    'PipelineFailed',
    () => sample('PipelineFailed'),
    'error',
    `pipeline:${EXECUTION_ARN}`,
    '[ERROR] credit-risk-retail training pipeline failed: missing-permission',
  ],
  [
    'ReconcileFailed (critical)',
    () => sample('ReconcileFailed'),
    'critical',
    `reconcile:${GROUP}:NoRollbackTarget`,
    '[CRITICAL] credit-risk-retail reconcile failed: NoRollbackTarget',
  ],
  [
    'ReconcileFailed (error)',
    () => sample('ReconcileFailed', { severity: 'error', reason: 'InvalidPolicy', message: 'The policy of credit-risk-retail is invalid' }),
    'error',
    `reconcile:${GROUP}:InvalidPolicy`,
    '[ERROR] credit-risk-retail reconcile failed: InvalidPolicy',
  ],
  [
    'ReconcileFailed (warning)',
    () => sample('ReconcileFailed', { severity: 'warning', reason: 'SlowSweep', message: 'The sweep took 40 s' }),
    'warning',
    undefined,
    '[WARNING] credit-risk-retail reconcile failed: SlowSweep',
  ],
  [
    'EventRejected',
    () => sample('EventRejected'),
    'warning',
    undefined,
    '[WARNING] Event rejected: SageMaker Model Package State Change from aws.sagemaker',
  ],
  [
    'PipelineFailed (a gate of the pipeline)',
    () => sample('PipelineFailed', { diagnosis: { category: 'condition-not-met', summary: 'The Gate step stopped the run: AUC 0.76 < 0.85' } }),
    'warning',
    undefined,
    '[WARNING] credit-risk-retail training pipeline failed: condition-not-met',
  ],
  [
    'DriftDetected (fairness only)',
    () => sample('DriftDetected', { features: [{ feature: 'age_group=18-25 DI', method: 'bias-di', distance: 0.4, threshold: 0.8, drifted: true }] }),
    'warning',
    undefined,
    '[WARNING] credit-risk-retail v3 fairness drift on age_group=18-25 DI',
  ],
  ['DriftDetected', () => sample('DriftDetected'), 'warning', undefined, '[WARNING] credit-risk-retail v3 input drift on annual_income and employment_years'],
  ['RetrainRequested', () => sample('RetrainRequested'), 'info', undefined, '[INFO] credit-risk-retail retraining started (drift on v3)'],
  ['RetrainSkipped (alert)', () => sample('RetrainSkipped'), 'warning', undefined, '[WARNING] credit-risk-retail v3 drift not retrained: cooldown'],
  ['RetrainSkipped (quiet)', () => sample('RetrainSkipped', { alert: false, skip: 'in-flight' }), 'info', undefined, '[INFO] credit-risk-retail v3 drift not retrained: in-flight'],
  ['CanaryJudged (rollback)', () => sample('CanaryJudged'), 'warning', undefined, '[WARNING] credit-risk-retail v4 canary judged: rollback'],
  ['CanaryJudged (continue)', () => sample('CanaryJudged', { decision: 'continue' }), 'info', undefined, '[INFO] credit-risk-retail v4 canary judged: continue'],
  ['ChallengerStarted', () => sample('ChallengerStarted'), 'info', undefined, '[INFO] credit-risk-retail v5 A/B test started against v4'],
  [
    'ChallengerStarted (shadow)',
    () => sample('ChallengerStarted', { mode: 'shadow', sharePercent: 100, plannedDefaults: 600 }),
    'info',
    undefined,
    '[INFO] credit-risk-retail v5 shadow test started against v4',
  ],
  ['ExperimentJudged (wins)', () => sample('ExperimentJudged'), 'info', undefined, '[INFO] credit-risk-retail v5 experiment judged: challenger-wins'],
  ['ExperimentJudged (harm)', () => sample('ExperimentJudged', { decision: 'stop-harm' }), 'warning', undefined, '[WARNING] credit-risk-retail v5 experiment judged: stop-harm'],
  ['ExperimentConcluded (wins)', () => sample('ExperimentConcluded'), 'info', undefined, '[INFO] credit-risk-retail v5 experiment concluded: challenger-wins'],
  ['ExperimentConcluded (harm)', () => sample('ExperimentConcluded', { decision: 'stop-harm', winnerVersion: 4 }), 'warning', undefined, '[WARNING] credit-risk-retail v5 experiment concluded: stop-harm'],
];

describe('Function: describeDomainEvent, experiments', () => {
  it('tells a shadow test from an A/B test, with its mirrored share and its paired AUC plan', () => {
    const n = describeDomainEvent(sample('ChallengerStarted', { mode: 'shadow', sharePercent: 100, plannedDefaults: 600 }), LINKS);
    expect(n.body).toContain('scores a copy of 100 % of production requests in shadow, deciding nothing');
    expect(n.body).toContain('paired ΔAUC (DeLong) up to 600 labelled defaults');
    expect(n.body).not.toContain('Planned effect');
  });

  it('shows the early harm label and the paired AUCs of a look when they are there', () => {
    const n = describeDomainEvent(
      sample('ExperimentJudged', {
        earlyHarm: { label: 'dpd30_m3', champion: { units: 4000, events: 200 }, challenger: { units: 4000, events: 480 } },
        shadow: { pairs: 1755, defaults: 132, championAuc: 0.8115, challengerAuc: 0.8583, brierDifference: -0.004 },
      }),
      LINKS,
    );
    expect(n.body).toContain('dpd30_m3');
    expect(n.body).toContain('12.00 %');
    expect(n.body).toContain('challenger 0.8583, champion 0.8115 on 1755 applications (132 defaults)');
  });
});

describe('Function: describeDomainEvent', () => {
  it('has a row for every domain detail-type', () => {
    const covered = new Set(ROWS.map(([, event]) => event().detailType));

    expect([...DOMAIN_DETAIL_TYPES].filter((t) => !covered.has(t))).toEqual([]);
  });

  it.each(ROWS)('%s → %s, page %s', (_name, event, severity, dedupKey, subject) => {
    // Act
    const n = describeDomainEvent(event(), LINKS);

    // Assess
    expectWellFormed(n);
    expect(n.severity).toBe(severity);
    expect(n.subject).toBe(subject);
    expect(n.page?.dedupKey).toBe(dedupKey);
    if (dedupKey) expect(n.page?.action).toBe('trigger');
    expect(n.body).toContain(`#${kebabCase(event().detailType)}`);
    expect(n.body).toContain(GROUP);
  });

  it.each(ROWS)('%s: keeps its dedup key when re-emitted later under another event key', (_name, event) => {
    const first = event();
    const again = structuredClone(first);
    again.detail.eventKey = `${first.detail.eventKey}/retry`;
    again.detail.occurredAt = '2026-11-29T00:00:00.000Z';

    expect(describeDomainEvent(again, LINKS).page?.dedupKey).toBe(describeDomainEvent(first, LINKS).page?.dedupKey);
  });

  it('pages a rollback with the endpoint, the group and the figures of the alarm', () => {
    const n = describeDomainEvent(sample('RollbackPerformed'), { ...LINKS, consoleBaseUrl: CONSOLE });

    expect(n.page).toEqual({
      action: 'trigger',
      dedupKey: `rollback:${GROUP}:v7`,
      summary: expect.stringContaining('Version 7 of credit-risk-retail was rolled back on credit-risk-retail-prod by the control plane'),
      severity: 'critical',
      source: 'credit-risk-retail-prod',
      component: 'credit-risk-retail-prod',
      group: GROUP,
      class: 'RollbackPerformed',
      timestamp: '2026-11-28T10:04:52.000Z',
      runbookUrl: 'https://runbooks.creditai.example/mlops#rollback-performed',
      customDetails: expect.objectContaining({
        detailType: 'RollbackPerformed',
        modelGroup: GROUP,
        version: 7,
        toVersion: 6,
        alarms: ['creditai-credit-risk-retail-prod-p99-latency'],
        console: `${CONSOLE}#/endpoints/credit-risk-retail-prod`,
      }),
    });
    expect(n.page?.customDetails).not.toHaveProperty('schemaVersion');
    expect(n.body).toContain('241833.0');
    expect(n.body).toContain('Now serving: version 6');
    expect(n.body).toContain(`Console: ${CONSOLE}#/endpoints/credit-risk-retail-prod`);
  });

  it('leads a pipeline failure with the diagnosis: the missing permission and the S3 path', () => {
    const n = describeDomainEvent(sample('PipelineFailed'), LINKS);
    const [first] = n.body.split('\n');

    expect(first).toContain('s3:GetObject');
    expect(first).toContain('s3://creditai-ml-data/credit-risk-retail/train/2026-11-28/part-0000.csv');
    expect(n.body).toContain('Failed step: TrainModel');
    expect(n.body).toContain(`aws sagemaker retry-pipeline-execution --pipeline-execution-arn ${EXECUTION_ARN}`);
    expect(n.page).toMatchObject({ source: 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-credit-risk-retail', class: 'missing-permission' });
  });

  it('names the pipeline when the execution has no model group', () => {
    const n = describeDomainEvent(sample('PipelineFailed', { modelGroup: 'unknown' }), LINKS);

    expect(n.subject).toBe('[ERROR] creditai-credit-risk-retail training pipeline failed: missing-permission');
    expect(n.page?.group).toBeUndefined();
  });

  it('lists failed gates first, with observed figures and thresholds', () => {
    const n = describeDomainEvent(ROWS[1]![1](), LINKS);
    const why = n.body.split('\n').filter((l) => l.startsWith('- PASS') || l.startsWith('- FAIL'));

    expect(why).toEqual([
      '- FAIL auc: AUC 0.8312 is below the minimum 0.85 [observed 0.8312, threshold >= 0.85]',
      '- PASS ks: KS 0.41 meets the minimum 0.3 [observed 0.41, threshold >= 0.3]',
    ]);
  });

  it('asks for an approval with the gate figures, the smoke test, the ARN, how to approve and the runbook', () => {
    const n = describeDomainEvent(sample('ApprovalRequested'), LINKS);
    const arn = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/7';

    expect(n.page).toBeUndefined();
    expect(n.body).toContain('- Gates: AUC 0.874 ≥ 0.85; KS 0.44 ≥ 0.2; DI 0.91–1.06 in [0.8, 1.25]');
    expect(n.body).toContain('Smoke test: passed (3 checks)');
    expect(n.body).toContain('- Smoke test PASS latency: p99 latency 84 ms within 200 ms');
    expect(n.body).toContain(`Model package: ${arn}`);
    expect(n.body).toContain(`npm run mlops -- approve ${arn} --reason "<why>"`);
    expect(n.body).toContain('SageMaker Studio > Models > Registered models > credit-risk-retail > Version 7');
    expect(n.body).toContain('Runbook: https://runbooks.creditai.example/mlops#approval-requested');
  });

  it('says so when an approval is requested for a version that did not pass every gate, or failed a smoke check', () => {
    const raw = sample('ApprovalRequested');
    const detail = raw.detail as DomainEventDetail<'ApprovalRequested'>;
    const n = describeDomainEvent(
      sample('ApprovalRequested', {
        gates: { passed: false, summary: 'AUC 0.81 ≥ 0.85 (FAILED)' },
        smokeTest: { passed: false, checks: [{ ...detail.smokeTest!.checks[0]!, passed: false }] },
      }),
      LINKS,
    );

    expect(n.body).toContain('Gates: NOT all passed');
    expect(n.body).toContain('Smoke test: FAILED (1 check)');
    expect(n.body).toContain('- Smoke test FAIL schema');
  });

  it('offers the one-command rollback after a promotion only when there is a version to go back to', () => {
    expect(describeDomainEvent(sample('ModelPromoted'), LINKS).body).toContain(ROLLBACK);
    expect(describeDomainEvent(sample('ModelPromoted', { previousVersion: undefined }), LINKS).body).not.toContain('rollback credit-risk-retail');
  });

  it('says what to do for a known reconcile failure', () => {
    const n = describeDomainEvent(sample('ReconcileFailed'), LINKS);

    expect(n.body).toContain('no last-known-good version exists');
    expect(n.body).toContain('There is no last-known-good version to roll back to');
  });

  it('describes the canary: share, bake time and the alarms that roll it back', () => {
    const n = describeDomainEvent(sample('CanaryStarted'), LINKS);

    expect(n.body).toContain('takes 10% of production traffic on credit-risk-retail-prod for a 10 min bake');
    expect(n.body).toContain('creditai-credit-risk-retail-prod-p99-latency and creditai-credit-risk-retail-prod-5xx-errors');
  });

  it('links the console only for events about an endpoint, and only when configured', () => {
    const links = { ...LINKS, consoleBaseUrl: CONSOLE };

    expect(describeDomainEvent(sample('StagingVerified'), links).body).toContain(`Console: ${CONSOLE}#/endpoints/credit-risk-retail-staging`);
    expect(describeDomainEvent(sample('StagingVerified'), LINKS).body).not.toContain('Console:');
    expect(describeDomainEvent(sample('ModelApproved'), links).body).not.toContain('Console:');
  });

  it('keeps subjects within SNS rules for long names and foreign characters', () => {
    const n = describeDomainEvent(
      sample('EventRejected', { detailType: `Ünïcode\ndetail ${'x'.repeat(200)}`, source: 'evil.source\r\n' }),
      LINKS,
    );

    expectWellFormed(n);
    expect(n.subject).toMatch(/\.\.\.$/);
    expect(n.subject.startsWith('[WARNING] Event rejected: ?n?code detail xxx')).toBe(true);
  });
});

describe('Function: describeAlarm', () => {
  it('pages an ALARM as critical, with the endpoint, the group, the metric and the figures in milliseconds', () => {
    const n = describeAlarm(alarm('latency-alarm'), { ...LINKS, consoleBaseUrl: CONSOLE });

    expectWellFormed(n);
    expect(n.severity).toBe('critical');
    expect(n.subject).toBe('[CRITICAL] ALARM creditai-credit-risk-retail-prod-p99-latency');
    expect(n.page).toMatchObject({
      action: 'trigger',
      dedupKey: 'alarm:creditai-credit-risk-retail-prod-p99-latency',
      source: 'credit-risk-retail-prod',
      component: 'credit-risk-retail-prod',
      group: GROUP,
      class: 'ModelLatency',
      timestamp: '2026-11-28T10:04:40.989+00:00',
      runbookUrl: 'https://runbooks.creditai.example/mlops#alarms',
    });
    expect(n.page?.customDetails).toMatchObject({
      alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:creditai-credit-risk-retail-prod-p99-latency',
      state: 'ALARM',
      previousState: 'OK',
      reasonData: expect.objectContaining({ threshold: 200000 }),
    });
    expect(n.body).toContain('Recent p99 datapoints: 229.0 ms, 236.4 ms, 241.8 ms; threshold 200.0 ms');
    expect(n.body).toContain('State: OK -> ALARM at 2026-11-28T10:04:40.989+0000');
    expect(n.body).toContain(ROLLBACK);
    expect(n.body).toContain(`Console: ${CONSOLE}#/endpoints/credit-risk-retail-prod`);
  });

  it('resolves the same incident when the alarm returns to OK', () => {
    const fired = describeAlarm(alarm('latency-alarm'), LINKS);
    const cleared = describeAlarm(alarm('latency-ok'), LINKS);

    expectWellFormed(cleared);
    expect(cleared.severity).toBe('info');
    expect(cleared.subject).toBe('[INFO] OK creditai-credit-risk-retail-prod-p99-latency');
    expect(cleared.page?.action).toBe('resolve');
    expect(cleared.page?.dedupKey).toBe(fired.page?.dedupKey);
    expect(cleared.body).not.toContain(ROLLBACK);
  });

  it('quotes plain counts as they are', () => {
    const n = describeAlarm(alarm('errors-alarm'), LINKS);

    expect(n.page?.dedupKey).toBe('alarm:creditai-credit-risk-retail-prod-5xx-errors');
    expect(n.page?.class).toBe('Invocation5XXErrors');
    expect(n.body).toContain('Recent Sum datapoints: 9, 17; threshold 5');
  });

  it('warns without paging on INSUFFICIENT_DATA', () => {
    const n = describeAlarm(
      alarm('latency-alarm', (e) => {
        e.detail.state.value = 'INSUFFICIENT_DATA';
      }),
      LINKS,
    );

    expectWellFormed(n);
    expect(n.severity).toBe('warning');
    expect(n.page).toBeUndefined();
  });

  it('still pages an alarm whose metric names no endpoint, keyed on the alarm', () => {
    const event = alarm('latency-alarm', (e) => {
      delete e.detail.configuration;
      e.detail.state.reasonData = 'not json';
    });

    const n = describeAlarm(event, LINKS);

    expectWellFormed(n);
    expect(alarmTarget(event)).toEqual({ alarmName: 'creditai-credit-risk-retail-prod-p99-latency' });
    expect(n.page).toMatchObject({ source: 'creditai-credit-risk-retail-prod-p99-latency', dedupKey: 'alarm:creditai-credit-risk-retail-prod-p99-latency' });
    expect(n.page?.group).toBeUndefined();
    expect(n.body).toContain('npm run mlops -- rollback <group>');
  });

  it('derives the model group only from a conventionally named endpoint', () => {
    const custom = alarm('latency-alarm', (e) => {
      e.detail.configuration!.metrics![0]!.metricStat!.metric.dimensions!.EndpointName = 'retail-scoring';
    });

    expect(alarmTarget(alarm('latency-alarm')).modelGroup).toBe(GROUP);
    expect(alarmTarget(custom)).toEqual({ alarmName: 'creditai-credit-risk-retail-prod-p99-latency', endpointName: 'retail-scoring', metricName: 'ModelLatency' });
  });
});

describe('Helpers', () => {
  it('toSubject: one printable ASCII line of at most 100 characters', () => {
    expect(toSubject('a\nb\t c')).toBe('a b c');
    expect(toSubject('é'.repeat(150))).toHaveLength(100);
    expect(toSubject('é'.repeat(150))).toMatch(/^\?+\.\.\.$/);
  });

  it('toDedupKey: short keys unchanged; long keys cut to 255, stable and still distinct', () => {
    const a = `alarm:${'a'.repeat(300)}-one`;
    const b = `alarm:${'a'.repeat(300)}-two`;

    expect(toDedupKey('alarm:x')).toBe('alarm:x');
    expect(toDedupKey(a)).toHaveLength(255);
    expect(toDedupKey(a)).toBe(toDedupKey(a));
    expect(toDedupKey(a)).not.toBe(toDedupKey(b));
  });

  it.each([
    ['RollbackPerformed', 'rollback-performed'],
    ['ModelGated', 'model-gated'],
    ['EventRejected', 'event-rejected'],
  ])('kebabCase(%s) = %s', (input, expected) => {
    expect(kebabCase(input)).toBe(expected);
  });

  it('replaces an existing fragment of the runbook base', () => {
    const n = describeDomainEvent(sample('ModelRejected'), { runbookBaseUrl: 'https://wiki.example/mlops#top' });

    expect(n.body).toContain('Runbook: https://wiki.example/mlops#model-rejected');
  });
});
