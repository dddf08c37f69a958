/**
 * Contract tests of the consumed AWS events: the catalogue ties rule patterns, sample events and zod schemas
 * together, and every sample must validate against its schema. Negative cases are built from cloned samples.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import * as contracts from '../../shared/contracts/aws-events';
import {
  alarmStateChangeEventSchema,
  approverFromTrailEvent,
  endpointDeploymentStateChangeEventSchema,
  endpointStateChangeEventSchema,
  endpointStatusFromEvent,
  modelPackageStateChangeEventSchema,
  modelPackageVersionFromArn,
  parseAlarmReasonData,
  pipelineExecutionStatusChangeEventSchema,
  pipelineNameFromArn,
  updateModelPackageTrailEventSchema,
  type EndpointApiStatus,
} from '../../shared/contracts/aws-events';
import {
  EVENTS_DIR,
  listSamples,
  loadCatalogue,
  loadRulePattern,
  loadSample,
  matchesPattern,
  type JsonObject,
} from '../support/events';

const catalogue = loadCatalogue();
const awsSamples = listSamples().filter((p) => p.startsWith('aws.'));
const dirOf = (samplePath: string): string => samplePath.slice(0, samplePath.lastIndexOf('/'));
const samplesIn = (catalogueSamples: string): string[] =>
  awsSamples.filter((p) => `samples/${dirOf(p)}` === catalogueSamples);

/** The schema a catalogue entry names, looked up among the module's exports. */
function schemaNamed(name: string): z.ZodType | undefined {
  const candidate = (contracts as Record<string, unknown>)[name];
  return candidate && typeof (candidate as z.ZodType).safeParse === 'function' ? (candidate as z.ZodType) : undefined;
}

/** The issue paths of a failed parse, e.g. `detail.EndpointStatus`; empty when the parse succeeded. */
function issuePaths(schema: z.ZodType, event: unknown): string[] {
  const result = schema.safeParse(event);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

const SAMPLE = {
  pipelineSucceeded: 'aws.sagemaker/model-building-pipeline-execution-status-change/succeeded.json',
  pipelineFailed: 'aws.sagemaker/model-building-pipeline-execution-status-change/failed.json',
  registered: 'aws.sagemaker/model-package-state-change/registered.json',
  approved: 'aws.sagemaker/model-package-state-change/approved.json',
  endpointInService: 'aws.sagemaker/endpoint-state-change/in-service.json',
  canaryBaking: 'aws.sagemaker/endpoint-deployment-state-change/canary-baking.json',
  latencyAlarm: 'aws.cloudwatch/cloudwatch-alarm-state-change/latency-alarm.json',
  errorsAlarm: 'aws.cloudwatch/cloudwatch-alarm-state-change/errors-alarm.json',
  trailApproved: 'aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-approved.json',
  trailRejected: 'aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-rejected.json',
} as const;

describe('Contract: event catalogue', () => {
  it('names an exported zod schema for every consumed detail-type, once each', () => {
    const missing = catalogue.consumed.filter((c) => !schemaNamed(c.schema)).map((c) => c.schema);
    const detailTypes = catalogue.consumed.map((c) => c.detailType);

    expect(missing).toEqual([]);
    expect(new Set(detailTypes).size).toBe(detailTypes.length);
  });

  it('has samples for every consumed detail-type, in a directory named after it', () => {
    const kebab = (detailType: string): string =>
      detailType.replace(/^SageMaker /, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const misnamed = catalogue.consumed
      .filter((c) => c.samples !== `samples/${c.source}/${kebab(c.detailType)}`)
      .map((c) => c.samples);
    const empty = catalogue.consumed.filter((c) => samplesIn(c.samples).length === 0).map((c) => c.samples);

    expect(misnamed).toEqual([]);
    expect(empty).toEqual([]);
  });

  it('has a catalogue entry for every AWS sample directory', () => {
    const catalogued = new Set(catalogue.consumed.map((c) => c.samples));
    const uncatalogued = [...new Set(awsSamples.map((p) => `samples/${dirOf(p)}`))].filter((d) => !catalogued.has(d));

    expect(awsSamples.length).toBeGreaterThan(0);
    expect(uncatalogued).toEqual([]);
  });

  it('references every rule file, and every referenced rule file exists and parses as a pattern object', () => {
    const ruleFiles = readdirSync(join(EVENTS_DIR, 'rules')).sort();
    const referenced = catalogue.rules.map((r) => r.pattern.replace(/^rules\//, '')).sort();

    expect(referenced).toEqual(ruleFiles);
    for (const rule of catalogue.rules) {
      const file = join(EVENTS_DIR, rule.pattern);
      expect(existsSync(file)).toBe(true);
      const pattern: unknown = JSON.parse(readFileSync(file, 'utf8'));
      expect(pattern).toEqual(expect.any(Object));
      expect(Array.isArray(pattern)).toBe(false);
      expect(rule.pattern).toBe(`rules/${rule.name}.json`);
    }
  });

  it('gives every rule a bus, a target, a valid state and a description, with unique names', () => {
    const names = catalogue.rules.map((r) => r.name);

    expect(new Set(names).size).toBe(names.length);
    for (const rule of catalogue.rules) {
      expect(rule.bus).toMatch(/^(default|creditai-mlops)$/);
      expect(rule.target).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(['ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']).toContain(rule.state);
      expect(rule.description.length).toBeGreaterThan(20);
    }
  });

  it('enables the CloudTrail rule for management events and puts domain events on the project bus', () => {
    const byName = new Map(catalogue.rules.map((r) => [r.name, r]));

    expect(byName.get('approval-trail')?.state).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(byName.get('domain-events-notify')?.bus).toBe('creditai-mlops');
    expect(catalogue.rules.filter((r) => r.bus !== 'default').map((r) => r.name)).toEqual(['domain-events-notify', 'domain-events-audit']);
  });

  it('uses only consumed detail-types, each with its own source, in rule patterns', () => {
    const consumedSources = new Map(catalogue.consumed.map((c) => [c.detailType, c.source]));

    for (const rule of catalogue.rules) {
      const pattern = loadRulePattern(rule.name);
      const detailTypes: string[] = pattern['detail-type'] ?? [];
      for (const detailType of detailTypes) {
        expect({ rule: rule.name, detailType, known: consumedSources.has(detailType) }).toEqual({
          rule: rule.name,
          detailType,
          known: true,
        });
        expect(pattern.source).toEqual([consumedSources.get(detailType)]);
      }
    }
  });
});

describe('Contract: rule patterns route the samples', () => {
  const rulesMatching = (event: JsonObject): string[] =>
    catalogue.rules.filter((r) => matchesPattern(loadRulePattern(r.name), event)).map((r) => r.name);

  /** Which rules each consumed detail-type's samples must reach (every sample of the directory). */
  const expectedRules: Record<string, string[]> = {
    'SageMaker Processing Job State Change': ['monitoring-execution'],
    'SageMaker Model Building Pipeline Execution Status Change': ['pipeline-execution-status'],
    'SageMaker Model Package State Change': ['model-package-state'],
    'SageMaker Endpoint State Change': ['endpoint-state'],
    'SageMaker Endpoint Deployment State Change': ['endpoint-state'],
    'CloudWatch Alarm State Change': ['alarm-state', 'alarm-notify'],
    'AWS API Call via CloudTrail': ['approval-trail'],
  };

  it.each(catalogue.consumed.flatMap((c) => samplesIn(c.samples).map((p) => [p, c.detailType] as const)))(
    '%s reaches exactly its rules',
    (samplePath, detailType) => {
      expect(rulesMatching(loadSample(samplePath))).toEqual(expectedRules[detailType]);
    },
  );

  it('ignores non-terminal pipeline executions', () => {
    const event = loadSample(SAMPLE.pipelineSucceeded);
    event.detail.currentPipelineExecutionStatus = 'Executing';

    expect(rulesMatching(event)).toEqual([]);
  });

  it('ignores failed UpdateModelPackage calls (errorCode present)', () => {
    const event = loadSample(SAMPLE.trailApproved);
    event.detail.errorCode = 'ValidationException';

    expect(rulesMatching(event)).toEqual([]);
  });

  it('ignores INSUFFICIENT_DATA alarms, and notifies only for creditai- alarms', () => {
    const insufficient = loadSample(SAMPLE.latencyAlarm);
    insufficient.detail.state.value = 'INSUFFICIENT_DATA';
    const foreign = loadSample(SAMPLE.latencyAlarm);
    foreign.detail.alarmName = 'billing-estimated-charges';

    expect(rulesMatching(insufficient)).toEqual([]);
    expect(rulesMatching(foreign)).toEqual(['alarm-state']);
  });

  it('routes domain events of source creditai.mlops, and only those, to notify on the project bus', () => {
    const domainEvent = { source: 'creditai.mlops', 'detail-type': 'ModelPromoted', detail: {} };
    const pattern = loadRulePattern('domain-events-notify');

    expect(matchesPattern(pattern, domainEvent)).toBe(true);
    expect(matchesPattern(pattern, loadSample(SAMPLE.approved))).toBe(false);
  });

  it('routes every domain event, whatever its detail-type, to notify and to the audit ledger', () => {
    const domainRules = catalogue.rules.filter((r) => r.bus === 'creditai-mlops');
    const domainSamples = listSamples()
      .filter((p) => p.startsWith('creditai.mlops/'))
      .map((p) => loadSample(p));

    expect(domainSamples.length).toBeGreaterThan(10);
    for (const event of domainSamples) expect(rulesMatching(event)).toEqual(['domain-events-notify', 'domain-events-audit']);
    expect(domainRules.find((r) => r.name === 'domain-events-audit')?.target).toBe('audit');
    expect(matchesPattern(loadRulePattern('domain-events-audit'), loadSample(SAMPLE.approved))).toBe(false);
  });
});

describe('Contract: every AWS sample validates against its catalogued schema', () => {
  const cases = catalogue.consumed.flatMap((entry) => samplesIn(entry.samples).map((p) => [p, entry] as const));

  it.each(cases)('%s', (samplePath, entry) => {
    const sample = loadSample(samplePath);
    const schema = schemaNamed(entry.schema);

    expect(schema).toBeDefined();
    expect(issuePaths(schema as z.ZodType, sample)).toEqual([]);
    expect(sample.source).toBe(entry.source);
    expect(sample['detail-type']).toBe(entry.detailType);
    expect(sample).toMatchObject({ version: '0', account: '111122223333', region: 'eu-west-1' });
    expect(sample.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(sample.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(samplePath).toMatch(/\/[a-z0-9]+(-[a-z0-9]+)*\.json$/);
  });

  it('uses a distinct envelope id in every sample', () => {
    const ids = awsSamples.map((p) => loadSample(p).id as string);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects a sample under another detail-type schema', () => {
    expect(issuePaths(endpointStateChangeEventSchema, loadSample(SAMPLE.canaryBaking))).toEqual(['detail-type']);
    expect(issuePaths(modelPackageStateChangeEventSchema, loadSample(SAMPLE.trailApproved))).toContain('detail-type');
  });

  it('rejects an envelope whose time is not ISO-8601 (the epoch-string doc error of aws-facts §1.0)', () => {
    const event = loadSample(SAMPLE.approved);
    event.time = '1583831889050';

    expect(issuePaths(modelPackageStateChangeEventSchema, event)).toEqual(['time']);
  });
});

describe('Contract: pipelineExecutionStatusChangeEventSchema', () => {
  it('parses the terminal status, both ARNs and keeps unknown fields', () => {
    const event = loadSample(SAMPLE.pipelineFailed);
    event.detail.someFutureField = { nested: true };

    const parsed = pipelineExecutionStatusChangeEventSchema.parse(event);

    expect(parsed.detail.currentPipelineExecutionStatus).toBe('Failed');
    expect(parsed.resources).toEqual([parsed.detail.pipelineArn, parsed.detail.pipelineExecutionArn]);
    expect((parsed.detail as JsonObject).someFutureField).toEqual({ nested: true });
  });

  it.each([
    ['missing execution ARN', (d: JsonObject) => delete d.pipelineExecutionArn, 'detail.pipelineExecutionArn'],
    ['missing pipeline ARN', (d: JsonObject) => delete d.pipelineArn, 'detail.pipelineArn'],
    ['a model package ARN as pipeline ARN', (d: JsonObject) => {
      d.pipelineArn = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/3';
    }, 'detail.pipelineArn'],
    ['status "Running"', (d: JsonObject) => { d.currentPipelineExecutionStatus = 'Running'; }, 'detail.currentPipelineExecutionStatus'],
    ['status "SUCCEEDED"', (d: JsonObject) => { d.currentPipelineExecutionStatus = 'SUCCEEDED'; }, 'detail.currentPipelineExecutionStatus'],
    ['missing status', (d: JsonObject) => delete d.currentPipelineExecutionStatus, 'detail.currentPipelineExecutionStatus'],
  ])('rejects %s', (_name, mutate, path) => {
    const event = loadSample(SAMPLE.pipelineSucceeded);
    mutate(event.detail);

    expect(issuePaths(pipelineExecutionStatusChangeEventSchema, event)).toEqual([path]);
  });

  it('accepts an event without executionEndTime (its presence on non-terminal events is UNVERIFIED)', () => {
    const event = loadSample(SAMPLE.pipelineSucceeded);
    delete event.detail.executionEndTime;

    expect(issuePaths(pipelineExecutionStatusChangeEventSchema, event)).toEqual([]);
  });
});

describe('Contract: modelPackageStateChangeEventSchema', () => {
  it('parses a registration without UpdatedModelPackageFields, with metrics and lineage', () => {
    const parsed = modelPackageStateChangeEventSchema.parse(loadSample(SAMPLE.registered));

    expect(parsed.detail.ModelApprovalStatus).toBe('PendingManualApproval');
    expect(parsed.detail.UpdatedModelPackageFields).toBeUndefined();
    expect(parsed.detail.ModelPackageVersion).toBe(3);
    expect(parsed.detail.ModelMetrics?.ModelQuality?.Statistics?.S3Uri).toMatch(/^s3:\/\/.+\.json$/);
    expect(parsed.detail.ModelMetrics?.Bias?.Report?.S3Uri).toMatch(/^s3:\/\//);
    expect(parsed.detail.ModelMetrics?.Explainability?.Report?.S3Uri).toMatch(/^s3:\/\//);
    expect(parsed.detail.MetadataProperties?.GeneratedBy).toMatch(/:pipeline\/[^/]+\/execution\//);
    expect(parsed.detail.MetadataProperties?.CommitId).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each([
    ['approved', 'Approved', ['ModelApprovalStatus']],
    ['rejected', 'Rejected', ['ModelApprovalStatus']],
    ['metadata-only-update', 'Approved', ['CustomerMetadataProperties']],
    ['lifecycle-stage', 'Approved', ['ModelLifeCycle']],
  ])('parses %s with what changed', (scenario, status, updated) => {
    const parsed = modelPackageStateChangeEventSchema.parse(
      loadSample(`aws.sagemaker/model-package-state-change/${scenario}.json`),
    );

    expect(parsed.detail.ModelApprovalStatus).toBe(status);
    expect(parsed.detail.UpdatedModelPackageFields).toEqual(updated);
  });

  it('parses the lifecycle stage', () => {
    const parsed = modelPackageStateChangeEventSchema.parse(
      loadSample('aws.sagemaker/model-package-state-change/lifecycle-stage.json'),
    );

    expect(parsed.detail.ModelLifeCycle).toMatchObject({ Stage: 'Staging', StageStatus: 'Approved' });
  });

  it.each([
    ['missing ModelPackageArn', (d: JsonObject) => delete d.ModelPackageArn, 'detail.ModelPackageArn'],
    ['missing ModelPackageGroupName', (d: JsonObject) => delete d.ModelPackageGroupName, 'detail.ModelPackageGroupName'],
    ['missing ModelPackageVersion', (d: JsonObject) => delete d.ModelPackageVersion, 'detail.ModelPackageVersion'],
    ['missing ModelApprovalStatus', (d: JsonObject) => delete d.ModelApprovalStatus, 'detail.ModelApprovalStatus'],
    ['ModelApprovalStatus "approved" (lowercase)', (d: JsonObject) => { d.ModelApprovalStatus = 'approved'; }, 'detail.ModelApprovalStatus'],
    ['ModelApprovalStatus "Pending"', (d: JsonObject) => { d.ModelApprovalStatus = 'Pending'; }, 'detail.ModelApprovalStatus'],
    ['an unversioned package ARN', (d: JsonObject) => {
      d.ModelPackageArn = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail';
    }, 'detail.ModelPackageArn'],
    ['version 0', (d: JsonObject) => { d.ModelPackageVersion = 0; }, 'detail.ModelPackageVersion'],
    ['UpdatedModelPackageFields as a string', (d: JsonObject) => { d.UpdatedModelPackageFields = 'ModelApprovalStatus'; }, 'detail.UpdatedModelPackageFields'],
  ])('rejects %s', (_name, mutate, path) => {
    const event = loadSample(SAMPLE.approved);
    mutate(event.detail);

    expect(issuePaths(modelPackageStateChangeEventSchema, event)).toEqual([path]);
  });

  it('accepts a numeric-string version and unknown fields', () => {
    const event = loadSample(SAMPLE.approved);
    event.detail.ModelPackageVersion = '3';
    event.detail.ModelPackageRegistrationType = 'Registered';

    const parsed = modelPackageStateChangeEventSchema.parse(event);

    expect(parsed.detail.ModelPackageVersion).toBe(3);
    expect((parsed.detail as JsonObject).ModelPackageRegistrationType).toBe('Registered');
  });
});

describe('Contract: endpointStateChangeEventSchema', () => {
  it('parses upper-snake status, epoch-ms times and the tag map', () => {
    const parsed = endpointStateChangeEventSchema.parse(loadSample(SAMPLE.endpointInService));

    expect(parsed.detail.EndpointStatus).toBe('IN_SERVICE');
    expect(parsed.detail.LastModifiedTime).toBe(1795860941203);
    expect(parsed.detail.Tags?.['creditai:model-group']).toBe('credit-risk-retail');
    expect(parsed.detail.EndpointArn.endsWith(`endpoint/${parsed.detail.EndpointName.toLowerCase()}`)).toBe(true);
  });

  it('accepts the API spelling InService as well (event spellings other than IN_SERVICE are UNVERIFIED)', () => {
    const event = loadSample(SAMPLE.endpointInService);
    event.detail.EndpointStatus = 'InService';

    const parsed = endpointStateChangeEventSchema.parse(event);

    expect(endpointStatusFromEvent(parsed.detail.EndpointStatus)).toBe('InService');
  });

  it('accepts epoch-ms as a numeric string and parses it to a number', () => {
    const event = loadSample(SAMPLE.endpointInService);
    event.detail.LastModifiedTime = '1795860941203';
    event.detail.CreationTime = '1793523600000.0';

    const parsed = endpointStateChangeEventSchema.parse(event);

    expect(parsed.detail.LastModifiedTime).toBe(1795860941203);
    expect(parsed.detail.CreationTime).toBe(1793523600000);
  });

  it('normalises tags sent as a Key/Value list to the map', () => {
    const event = loadSample(SAMPLE.endpointInService);
    event.detail.Tags = [{ Key: 'creditai:model-group', Value: 'credit-risk-retail' }];

    const parsed = endpointStateChangeEventSchema.parse(event);

    expect(parsed.detail.Tags).toEqual({ 'creditai:model-group': 'credit-risk-retail' });
  });

  it.each([
    ['missing EndpointName', (d: JsonObject) => delete d.EndpointName, 'detail.EndpointName'],
    ['missing EndpointArn', (d: JsonObject) => delete d.EndpointArn, 'detail.EndpointArn'],
    ['missing EndpointConfigName', (d: JsonObject) => delete d.EndpointConfigName, 'detail.EndpointConfigName'],
    ['missing LastModifiedTime', (d: JsonObject) => delete d.LastModifiedTime, 'detail.LastModifiedTime'],
    ['status "Running"', (d: JsonObject) => { d.EndpointStatus = 'Running'; }, 'detail.EndpointStatus'],
    ['status "in_service"', (d: JsonObject) => { d.EndpointStatus = 'in_service'; }, 'detail.EndpointStatus'],
    ['an ISO LastModifiedTime', (d: JsonObject) => { d.LastModifiedTime = '2026-11-28T10:15:41Z'; }, 'detail.LastModifiedTime'],
    ['a pipeline ARN as EndpointArn', (d: JsonObject) => {
      d.EndpointArn = 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-credit-risk-retail';
    }, 'detail.EndpointArn'],
  ])('rejects %s', (_name, mutate, path) => {
    const event = loadSample(SAMPLE.endpointInService);
    mutate(event.detail);

    expect(issuePaths(endpointStateChangeEventSchema, event)).toEqual([path]);
  });
});

describe('Contract: endpointDeploymentStateChangeEventSchema', () => {
  it('tells the serving config from the new config being baked', () => {
    const parsed = endpointDeploymentStateChangeEventSchema.parse(loadSample(SAMPLE.canaryBaking));

    expect(parsed.detail.EndpointStatus).toBe('UPDATING');
    expect(parsed.detail.EndpointConfigName).toBe('credit-risk-retail-v1-production-9c8d7e6f');
    expect(parsed.detail.PendingDeploymentSummary?.EndpointConfigName).toBe('credit-risk-retail-v3-production-1a2b3c4d');
    expect(parsed.detail.PendingDeploymentSummary?.ProductionVariants?.[0]?.VariantStatus?.[0]?.Status).toBe('Baking');
  });

  it.each([
    ['PendingDeploymentSummary without EndpointConfigName', (d: JsonObject) => {
      delete d.PendingDeploymentSummary.EndpointConfigName;
    }, 'detail.PendingDeploymentSummary.EndpointConfigName'],
    ['variant status "BAKING"', (d: JsonObject) => {
      d.PendingDeploymentSummary.ProductionVariants[0].VariantStatus[0].Status = 'BAKING';
    }, 'detail.PendingDeploymentSummary.ProductionVariants.0.VariantStatus.0.Status'],
    ['endpoint status "Running"', (d: JsonObject) => { d.EndpointStatus = 'Running'; }, 'detail.EndpointStatus'],
    ['missing EndpointName', (d: JsonObject) => delete d.EndpointName, 'detail.EndpointName'],
  ])('rejects %s', (_name, mutate, path) => {
    const event = loadSample(SAMPLE.canaryBaking);
    mutate(event.detail);

    expect(issuePaths(endpointDeploymentStateChangeEventSchema, event)).toEqual([path]);
  });

  it('accepts a deployment event without PendingDeploymentSummary (deployment finished)', () => {
    const event = loadSample(SAMPLE.canaryBaking);
    delete event.detail.PendingDeploymentSummary;
    event.detail.EndpointStatus = 'IN_SERVICE';

    expect(issuePaths(endpointDeploymentStateChangeEventSchema, event)).toEqual([]);
  });
});

describe('Contract: alarmStateChangeEventSchema', () => {
  it('parses the state with its +0000 timestamp and the metric dimensions', () => {
    const parsed = alarmStateChangeEventSchema.parse(loadSample(SAMPLE.latencyAlarm));
    const metric = parsed.detail.configuration?.metrics?.[0]?.metricStat?.metric;

    expect(parsed.detail.state.value).toBe('ALARM');
    expect(parsed.detail.state.timestamp).toBe('2026-11-28T10:04:40.989+0000');
    expect(typeof parsed.detail.state.reasonData).toBe('string');
    expect(metric).toEqual({
      namespace: 'AWS/SageMaker',
      name: 'ModelLatency',
      dimensions: { EndpointName: 'credit-risk-retail-prod', VariantName: 'AllTraffic' },
    });
  });

  it('parses a metric-math alarm (expression instead of metricStat)', () => {
    const event = loadSample(SAMPLE.errorsAlarm);
    event.detail.configuration.metrics = [
      { id: 'e1', expression: 'm1/m2*100', label: '5xx rate', returnData: true },
      event.detail.configuration.metrics[0],
    ];

    expect(issuePaths(alarmStateChangeEventSchema, event)).toEqual([]);
  });

  it.each([
    ['missing alarmName', (d: JsonObject) => delete d.alarmName, 'detail.alarmName'],
    ['state value "Alarm"', (d: JsonObject) => { d.state.value = 'Alarm'; }, 'detail.state.value'],
    ['state value "Running"', (d: JsonObject) => { d.state.value = 'Running'; }, 'detail.state.value'],
    ['missing state', (d: JsonObject) => delete d.state, 'detail.state'],
    ['reasonData already decoded to an object', (d: JsonObject) => {
      d.state.reasonData = JSON.parse(d.state.reasonData as string);
    }, 'detail.state.reasonData'],
    ['a timestamp that is not ISO-8601', (d: JsonObject) => { d.state.timestamp = '28/11/26 10:04:40'; }, 'detail.state.timestamp'],
  ])('rejects %s', (_name, mutate, path) => {
    const event = loadSample(SAMPLE.latencyAlarm);
    mutate(event.detail);

    expect(issuePaths(alarmStateChangeEventSchema, event)).toEqual([path]);
  });

  it('keeps an unparsable reasonData as a string; the helper then gives undefined', () => {
    const event = loadSample(SAMPLE.latencyAlarm);
    event.detail.state.reasonData = (event.detail.state.reasonData as string).slice(0, 40);

    const parsed = alarmStateChangeEventSchema.parse(event);

    expect(parsed.detail.state.reasonData).toHaveLength(40);
    expect(parseAlarmReasonData(parsed.detail.state.reasonData as string)).toBeUndefined();
  });
});

describe('Contract: updateModelPackageTrailEventSchema', () => {
  it('parses the approval with its reason and the human behind the assumed role', () => {
    const parsed = updateModelPackageTrailEventSchema.parse(loadSample(SAMPLE.trailApproved));

    expect(parsed.detail.requestParameters).toMatchObject({
      modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/3',
      modelApprovalStatus: 'Approved',
    });
    expect(parsed.detail.requestParameters.approvalDescription).toMatch(/MRM-2026-114/);
    expect(approverFromTrailEvent(parsed)).toEqual({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com',
      principalId: 'AROAYEXAMPLERISKOFF1:jane.doe@example.com',
      sourceIdentity: 'jane.doe@example.com',
    });
  });

  it('reads sourceIdentity from userIdentity too, and leaves it undefined when absent', () => {
    const topLevel = loadSample(SAMPLE.trailRejected);
    topLevel.detail.userIdentity.sourceIdentity = 'omar.haddad';

    const rejected = updateModelPackageTrailEventSchema.parse(loadSample(SAMPLE.trailRejected));

    expect(approverFromTrailEvent(updateModelPackageTrailEventSchema.parse(topLevel)).sourceIdentity).toBe('omar.haddad');
    expect(approverFromTrailEvent(rejected).sourceIdentity).toBeUndefined();
    expect(rejected.detail.requestParameters.modelApprovalStatus).toBe('Rejected');
  });

  it('normalises PascalCase requestParameters (their lowerCamel casing is INFERRED) to lowerCamel', () => {
    const event = loadSample(SAMPLE.trailApproved);
    const { modelPackageArn, modelApprovalStatus, approvalDescription } = event.detail.requestParameters;
    event.detail.requestParameters = {
      ModelPackageArn: modelPackageArn,
      ModelApprovalStatus: modelApprovalStatus,
      ApprovalDescription: approvalDescription,
    };

    const parsed = updateModelPackageTrailEventSchema.parse(event);

    expect(parsed.detail.requestParameters.modelPackageArn).toBe(modelPackageArn);
    expect(parsed.detail.requestParameters.modelApprovalStatus).toBe('Approved');
    expect(parsed.detail.requestParameters.approvalDescription).toBe(approvalDescription);
  });

  it('accepts a metadata-only update (no modelApprovalStatus) and a null responseElements', () => {
    const event = loadSample(SAMPLE.trailApproved);
    delete event.detail.requestParameters.modelApprovalStatus;
    delete event.detail.requestParameters.approvalDescription;
    event.detail.responseElements = null;

    expect(issuePaths(updateModelPackageTrailEventSchema, event)).toEqual([]);
  });

  it('keeps errorCode so a handler can still refuse a failed call', () => {
    const event = loadSample(SAMPLE.trailApproved);
    event.detail.errorCode = 'ValidationException';

    expect(updateModelPackageTrailEventSchema.parse(event).detail.errorCode).toBe('ValidationException');
  });

  it.each([
    ['missing eventID', (d: JsonObject) => delete d.eventID, 'detail.eventID'],
    ['missing userIdentity', (d: JsonObject) => delete d.userIdentity, 'detail.userIdentity'],
    ['missing userIdentity.type', (d: JsonObject) => delete d.userIdentity.type, 'detail.userIdentity.type'],
    ['missing modelPackageArn', (d: JsonObject) => delete d.requestParameters.modelPackageArn, 'detail.requestParameters.modelPackageArn'],
    ['modelApprovalStatus "approved" (lowercase)', (d: JsonObject) => {
      d.requestParameters.modelApprovalStatus = 'approved';
    }, 'detail.requestParameters.modelApprovalStatus'],
    ['another API call', (d: JsonObject) => { d.eventName = 'CreateModelPackage'; }, 'detail.eventName'],
    ['another event source', (d: JsonObject) => { d.eventSource = 'iam.amazonaws.com'; }, 'detail.eventSource'],
    ['missing eventTime', (d: JsonObject) => delete d.eventTime, 'detail.eventTime'],
  ])('rejects %s', (_name, mutate, path) => {
    const event = loadSample(SAMPLE.trailApproved);
    mutate(event.detail);

    expect(issuePaths(updateModelPackageTrailEventSchema, event)).toEqual([path]);
  });
});

describe('Contract: helpers', () => {
  const eventToApi: Array<[string, EndpointApiStatus]> = [
    ['IN_SERVICE', 'InService'],
    ['UPDATING', 'Updating'],
    ['CREATING', 'Creating'],
    ['SYSTEM_UPDATING', 'SystemUpdating'],
    ['ROLLING_BACK', 'RollingBack'],
    ['OUT_OF_SERVICE', 'OutOfService'],
    ['DELETING', 'Deleting'],
    ['FAILED', 'Failed'],
    ['UPDATE_ROLLBACK_FAILED', 'UpdateRollbackFailed'],
  ];

  it.each(eventToApi)('endpointStatusFromEvent maps %s to %s', (eventStatus, apiStatus) => {
    expect(endpointStatusFromEvent(eventStatus)).toBe(apiStatus);
  });

  it.each(eventToApi.map(([, api]) => api))('endpointStatusFromEvent keeps PascalCase %s', (apiStatus) => {
    expect(endpointStatusFromEvent(apiStatus)).toBe(apiStatus);
  });

  it('covers every status the event schema accepts', () => {
    const accepted = contracts.endpointEventStatusSchema.options;

    expect(accepted).toHaveLength(18);
    for (const status of accepted) expect(contracts.ENDPOINT_API_STATUSES).toContain(endpointStatusFromEvent(status));
  });

  it.each(['Running', 'in_service', 'INSERVICE', '', 'constructor', 'toString'])(
    'endpointStatusFromEvent throws on %p, naming it',
    (value) => {
      expect(() => endpointStatusFromEvent(value)).toThrow(`"${value}"`);
    },
  );

  it.each([
    ['arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-credit-risk-retail', 'creditai-credit-risk-retail'],
    ['arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-credit-risk-retail/execution/k2x9v7q1m3ab', 'creditai-credit-risk-retail'],
    ['arn:aws:sagemaker:us-east-1:111122223333:pipeline/mypipeline-123/execution/p4jn9xou8a8s', 'mypipeline-123'],
    ['arn:aws-cn:sagemaker:cn-north-1:111122223333:pipeline/p', 'p'],
  ])('pipelineNameFromArn(%s) is %s', (arn, name) => {
    expect(pipelineNameFromArn(arn)).toBe(name);
  });

  it.each([
    'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/3',
    'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/',
    'pipeline/creditai-credit-risk-retail',
    '',
  ])('pipelineNameFromArn throws on %p, naming it', (arn) => {
    expect(() => pipelineNameFromArn(arn)).toThrow(`"${arn}"`);
  });

  it.each([
    ['arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/3', 3],
    ['arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/12', 12],
    ['arn:aws:sagemaker:us-east-1:123456789012:model-package/group-a/1', 1],
  ])('modelPackageVersionFromArn(%s) is %d', (arn, version) => {
    expect(modelPackageVersionFromArn(arn)).toBe(version);
  });

  it.each([
    'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail',
    'arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/credit-risk-retail',
    'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/v3',
    'credit-risk-retail/3',
  ])('modelPackageVersionFromArn throws on %p, naming it', (arn) => {
    expect(() => modelPackageVersionFromArn(arn)).toThrow(`"${arn}"`);
  });

  it('agrees with the model package event on the version', () => {
    const event = modelPackageStateChangeEventSchema.parse(loadSample(SAMPLE.approved));

    expect(modelPackageVersionFromArn(event.detail.ModelPackageArn)).toBe(event.detail.ModelPackageVersion);
  });

  it('parseAlarmReasonData decodes the sample reasonData', () => {
    const event = alarmStateChangeEventSchema.parse(loadSample(SAMPLE.latencyAlarm));

    expect(parseAlarmReasonData(event.detail.state.reasonData as string)).toMatchObject({
      threshold: 200000,
      evaluatedDatapoints: expect.arrayContaining([expect.objectContaining({ value: 241833 })]),
    });
  });

  it.each([
    ['{"threshold":5}', { threshold: 5 }],
    ['[1,2]', [1, 2]],
    ['null', null],
    ['', undefined],
    ['{bad json', undefined],
    ['{"threshold":', undefined],
  ])('parseAlarmReasonData(%p) is %p', (input, expected) => {
    expect(parseAlarmReasonData(input)).toEqual(expected);
  });
});
