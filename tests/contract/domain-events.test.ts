/**
 * Contract tests of the events the control plane emits on its own bus: every detail-type has a sample under
 * `events/samples/creditai.mlops/<kebab-detail-type>/base.json` that parses, and every schema's shape is pinned so a
 * removed, renamed, loosened or retyped field fails here (DESIGN §4: such a change is a new schemaVersion, not an edit).
 */
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  DOMAIN_DETAIL_TYPES,
  DOMAIN_SOURCE,
  domainEventDetailSchemas,
  parseDomainEvent,
  type DomainDetailType,
} from '../../shared/contracts/domain-events';
import { listSamples, loadSample, SAMPLES_DIR } from '../support/events';

const kebab = (detailType: string): string => detailType.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const samplePath = (detailType: string): string => `${DOMAIN_SOURCE}/${kebab(detailType)}/base.json`;
const domainSamples = listSamples().filter((p) => p.startsWith(`${DOMAIN_SOURCE}/`));

/**
 * The shape of a schema as sorted lines: one per field path (`results[].gate`; `?` marks an optional segment,
 * `actor?.arn`), plus one per enum or literal (`kind = release|rollback`). Comparing these lines with the pinned
 * lists below catches every change a consumer could trip over.
 */
function shapeOf(schema: z.ZodType, prefix = ''): string[] {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  if (s instanceof z.ZodArray) return shapeOf(s.element as z.ZodType, `${prefix}[]`);
  if (s instanceof z.ZodEnum) return [`${prefix} = ${[...s.options].map(String).sort().join('|')}`];
  if (s instanceof z.ZodLiteral) return [`${prefix} = ${[...s.values].map(String).sort().join('|')}`];
  if (!(s instanceof z.ZodObject)) return [];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([key, field]) => {
    const path = `${prefix ? `${prefix}.` : ''}${key}${field instanceof z.ZodOptional ? '?' : ''}`;
    return [path, ...shapeOf(field, path)];
  });
}

const shape = (detailType: DomainDetailType): string[] => shapeOf(domainEventDetailSchemas[detailType]).sort();

// Fields every domain event carries, and the actor shape of approvals and rejections.
const BASE = ['eventKey', 'modelGroup', 'occurredAt', 'schemaVersion', 'schemaVersion = 1'];
const actor = (name: string): string[] => [
  name,
  `${name}.arn`,
  `${name}.kind`,
  `${name}.kind = control-plane|human|service|unknown`,
  `${name}.source`,
  `${name}.source = cloudtrail|control-plane|describe`,
];
const ENVIRONMENT = ['environment', 'environment = production|staging'];
const driftFeatures = (name: string): string[] => [
  name,
  `${name}[].feature`,
  `${name}[].method`,
  `${name}[].distance`,
  `${name}[].threshold`,
  `${name}[].drifted`,
  `${name}[].importance?`,
];

/** Pinned shapes. Changing one of these lists is a contract change: bump schemaVersion and tell every consumer. */
const EXPECTED_SHAPES: Record<DomainDetailType, string[]> = {
  ModelGated: [
    ...BASE,
    'version',
    'passed',
    'results',
    'results[].gate',
    'results[].message',
    'results[].observed?',
    'results[].passed',
    'results[].threshold?',
    'lineage?',
    'lineage?.trainingDataUri?',
    'lineage?.trainingDataHash?',
    'lineage?.commitId?',
    'lineage?.pipelineExecutionArn?',
    'lineage?.hyperparameters',
    'lineage?.imageDigests?',
    'evidence?',
    'evidence?[].report',
    'evidence?[].report = bias|evaluation|explainability',
    'evidence?[].uri',
    'evidence?[].sha256',
    'figures?',
    'figures?.thresholds',
    'figures?.thresholds.minAuc',
    'figures?.thresholds.minKs',
    'figures?.thresholds.disparateImpact',
    'figures?.thresholds.disparateImpact.min',
    'figures?.thresholds.disparateImpact.max',
    'figures?.thresholds.maxAbsDppl',
    'figures?.bias',
    'figures?.bias[].stage',
    'figures?.bias[].stage = post-training|pre-training',
    'figures?.bias[].facet',
    'figures?.bias[].value',
    'figures?.bias[].metrics',
    'figures?.shap',
  ],
  ModelApproved: [...BASE, 'version', ...ENVIRONMENT, ...actor('approver'), 'reason'],
  ModelRejected: [...BASE, 'version', 'reasons', ...actor('rejectedBy')],
  ApprovalUnverified: [...BASE, 'version', ...ENVIRONMENT, ...actor('actor?'), 'reason'],
  ApprovalRequested: [
    ...BASE,
    'version',
    ...ENVIRONMENT,
    'gates',
    'gates.passed',
    'gates.summary',
    'smokeTest?',
    'smokeTest?.passed',
    'smokeTest?.checks',
    'smokeTest?.checks[].message',
    'smokeTest?.checks[].name',
    'smokeTest?.checks[].passed',
    'modelPackageArn',
    'howToApprove',
  ],
  DeploymentStarted: [
    ...BASE,
    'version',
    ...ENVIRONMENT,
    'endpointName',
    'endpointConfigName',
    'strategy',
    'strategy = all-at-once|canary',
    'kind',
    'kind = release|rollback',
  ],
  StagingVerified: [...BASE, 'version', 'endpointName', 'checks', 'checks[].message', 'checks[].name', 'checks[].passed'],
  CanaryStarted: [...BASE, 'version', 'endpointName', 'endpointConfigName', 'trafficPercent', 'bakeSeconds', 'rollbackAlarms'],
  ModelPromoted: [...BASE, 'version', 'endpointName', 'endpointConfigName', 'previousVersion?'],
  RollbackPerformed: [
    ...BASE,
    'version',
    'endpointName',
    'initiator',
    'initiator = control-plane|operator|sagemaker-guardrails',
    'reason',
    'toVersion?',
    'alarms',
  ],
  PipelineFailed: [
    ...BASE,
    'pipelineArn',
    'pipelineExecutionArn',
    'failureReason',
    'failedStep?',
    'diagnosis',
    'diagnosis.category',
    'diagnosis.category = algorithm|condition-not-met|data|missing-permission|resource-limit|unknown',
    'diagnosis.summary',
    'diagnosis.action?',
    'diagnosis.resource?',
    'diagnosis.principal?',
  ],
  ReconcileFailed: [...BASE, 'version?', 'severity', 'severity = critical|error|warning', 'reason', 'message'],
  EventRejected: [...BASE, 'source', 'detailType', 'eventId', 'reason'],
  DriftDetected: [
    ...BASE,
    'version',
    'source',
    'source = drift-check|model-monitor',
    'windowStart',
    'windowEnd',
    'records',
    ...driftFeatures('features'),
    'reportUri?',
    'violationsUri?',
  ],
  CanaryJudged: [
    ...BASE,
    'version',
    'endpointName',
    'endpointConfigName',
    'previousConfigName',
    'lookAt',
    'decision',
    'decision = continue|pass|rollback|wait',
    'reason',
    'metric',
    'champion',
    'champion.units',
    'champion.events',
    'canary',
    'canary.units',
    'canary.events',
    'plannedUnits',
    'informationFraction',
    'statistic?',
    'bound?',
    'alwaysValidPValue?',
    'metrics?',
    'metrics?[].metric',
    'metrics?[].decision',
    'metrics?[].decision = continue|pass|rollback|wait',
    'metrics?[].champion',
    'metrics?[].champion.units',
    'metrics?[].champion.events',
    'metrics?[].canary',
    'metrics?[].canary.units',
    'metrics?[].canary.events',
    'metrics?[].alpha',
    'metrics?[].statistic?',
    'metrics?[].bound?',
    'metrics?[].alwaysValidPValue?',
    'metrics?[].thresholdMs?',
  ],
  ChallengerStarted: [
    ...BASE,
    'version',
    'championVersion',
    'endpointName',
    'endpointConfigName',
    'sharePercent',
    'mode?',
    'mode? = ab|shadow',
    'requestedBy',
    'reason',
    'label',
    'labelMaturityDays',
    'championDefaultRate',
    'minimumDetectableEffect',
    'plannedDefaults?',
    'earlyHarmLabel?',
    'earlyHarmLabel?.label',
    'earlyHarmLabel?.maturityDays',
  ],
  ExperimentJudged: [
    ...BASE,
    'version',
    'championVersion',
    'lookAt',
    'decision',
    'decision = challenger-wins|continue|keep-champion|stop-harm|wait',
    'reason',
    'label',
    'champion',
    'champion.units',
    'champion.events',
    'challenger',
    'challenger.units',
    'challenger.events',
    'informationFraction',
    'mode?',
    'mode? = ab|shadow',
    'alert?',
    'alert? = labels-incomplete|sample-ratio-mismatch',
    'statistic?',
    'bound?',
    'earlyHarm?',
    'earlyHarm?.label',
    'earlyHarm?.champion',
    'earlyHarm?.champion.units',
    'earlyHarm?.champion.events',
    'earlyHarm?.challenger',
    'earlyHarm?.challenger.units',
    'earlyHarm?.challenger.events',
    'shadow?',
    'shadow?.pairs',
    'shadow?.defaults',
    'shadow?.championAuc',
    'shadow?.challengerAuc',
    'shadow?.brierDifference',
  ],
  ExperimentConcluded: [
    ...BASE,
    'version',
    'championVersion',
    'decision',
    'decision = aborted|challenger-wins|keep-champion|stop-harm',
    'reason',
    'winnerVersion',
    'champion',
    'champion.units',
    'champion.events',
    'challenger',
    'challenger.units',
    'challenger.events',
  ],
  RetrainRequested: [...BASE, 'version', 'reason', 'pipelineName', 'clientToken', 'triggerWindowEnd', ...driftFeatures('features'), 'reportUri?'],
  RetrainSkipped: [
    ...BASE,
    'version',
    'skip',
    'skip = alert-only|cooldown|in-flight|minor-features|no-commit|weekly-budget',
    'reason',
    'alert',
    'triggerWindowEnd',
    ...driftFeatures('features'),
    'until?',
    'pipelineExecutionArn?',
  ],
};

describe('Contract: domain event samples', () => {
  it('has a base sample for every domain detail-type', () => {
    const missing = DOMAIN_DETAIL_TYPES.filter((t) => !existsSync(join(SAMPLES_DIR, samplePath(t))));

    expect(DOMAIN_DETAIL_TYPES.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('has no sample directory that is not a domain detail-type', () => {
    const known = new Set(DOMAIN_DETAIL_TYPES.map(kebab));
    const stray = readdirSync(join(SAMPLES_DIR, DOMAIN_SOURCE)).filter((dir) => !known.has(dir));

    expect(stray).toEqual([]);
  });

  it.each(domainSamples)('%s is a full EventBridge envelope of the project bus', (path) => {
    const sample = loadSample(path);

    expect(EventBridgeSchema.safeParse(sample).success).toBe(true);
    expect(sample).toMatchObject({ version: '0', source: DOMAIN_SOURCE, account: '111122223333', region: 'eu-west-1', resources: [] });
    expect(kebab(sample['detail-type'])).toBe(path.split('/')[1]);
    expect(sample.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it.each(domainSamples)('%s parses with parseDomainEvent', (path) => {
    const sample = loadSample(path);

    const event = parseDomainEvent(sample as Parameters<typeof parseDomainEvent>[0]);

    expect(event.detailType).toBe(sample['detail-type']);
    expect(event.detail).toEqual(sample.detail);
  });

  it('gives every sample its own event id', () => {
    const ids = domainSamples.map((p) => loadSample(p).id as string);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(DOMAIN_DETAIL_TYPES)('refuses a %s sample without a required field, or with an unknown one', (detailType) => {
    const sample = loadSample(samplePath(detailType));
    const withoutKey = loadSample(samplePath(detailType));
    delete withoutKey.detail.eventKey;
    const withExtra = loadSample(samplePath(detailType));
    withExtra.detail.unexpected = true;

    expect(() => parseDomainEvent(sample as Parameters<typeof parseDomainEvent>[0])).not.toThrow();
    expect(() => parseDomainEvent(withoutKey as Parameters<typeof parseDomainEvent>[0])).toThrow();
    expect(() => parseDomainEvent(withExtra as Parameters<typeof parseDomainEvent>[0])).toThrow();
  });

  it('refuses another source and an unknown detail-type', () => {
    const sample = loadSample(samplePath('ModelPromoted'));

    expect(() => parseDomainEvent({ ...sample, source: 'aws.sagemaker' } as Parameters<typeof parseDomainEvent>[0])).toThrow(/Not a domain event/);
    expect(() => parseDomainEvent({ ...sample, 'detail-type': 'ModelDeleted' } as Parameters<typeof parseDomainEvent>[0])).toThrow(
      /Unknown domain detail-type/,
    );
  });
});

describe('Contract: domain event schema evolution', () => {
  it('pins a shape for every detail-type, and no more', () => {
    expect(Object.keys(EXPECTED_SHAPES).sort()).toEqual([...DOMAIN_DETAIL_TYPES].sort());
  });

  it.each(DOMAIN_DETAIL_TYPES)('%s keeps its fields, their optionality and its enum values', (detailType) => {
    expect(shape(detailType)).toEqual([...EXPECTED_SHAPES[detailType]].sort());
  });

  it('is strict: an unknown field is refused, so producers cannot drift from the schema unnoticed', () => {
    const loose = DOMAIN_DETAIL_TYPES.filter((t) => domainEventDetailSchemas[t].safeParse({ ...loadSample(samplePath(t)).detail, extra: 1 }).success);

    expect(loose).toEqual([]);
  });

  it('detects a removed field (the guard guards)', () => {
    const { previousVersion: _removed, ...fields } = domainEventDetailSchemas.ModelPromoted.shape;

    expect(shapeOf(z.strictObject(fields)).sort()).not.toEqual([...EXPECTED_SHAPES.ModelPromoted].sort());
  });
});
