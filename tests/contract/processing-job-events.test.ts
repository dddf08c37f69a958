/**
 * Contract of `SageMaker Processing Job State Change` (aws-facts §1.7), the event of Model Monitor and Clarify
 * monitoring runs: the samples validate, the rule routes every finished job to the monitoring-execution function
 * (which tells monitoring runs apart, the event cannot) and nothing still running.
 */
import { processingJobStateChangeEventSchema } from '../../shared/contracts/aws-events';
import { listSamples, loadCatalogue, loadRulePattern, loadSample, matchesPattern, type JsonObject } from '../support/events';

const DIR = 'aws.sagemaker/processing-job-state-change';
const SAMPLES = listSamples().filter((p) => p.startsWith(`${DIR}/`));
const WITH_VIOLATIONS = `${DIR}/monitoring-completed-with-violations.json`;

const issuePaths = (event: unknown): string[] => {
  const result = processingJobStateChangeEventSchema.safeParse(event);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};
const rulesMatching = (event: JsonObject): string[] =>
  loadCatalogue()
    .rules.filter((r) => matchesPattern(loadRulePattern(r.name), event))
    .map((r) => r.name);

describe('Contract: processing job samples', () => {
  it('has the four cases: a monitoring run with violations, one without, a failed one, a job that is not a monitoring run', () => {
    expect(SAMPLES).toEqual([
      `${DIR}/monitoring-completed-no-violations.json`,
      `${DIR}/monitoring-completed-with-violations.json`,
      `${DIR}/monitoring-failed.json`,
      `${DIR}/non-monitoring-completed.json`,
    ]);
  });

  it.each(SAMPLES)('%s validates against processingJobStateChangeEventSchema', (path) => {
    expect(issuePaths(loadSample(path))).toEqual([]);
  });

  it.each(SAMPLES)('%s reaches exactly the monitoring-execution rule', (path) => {
    expect(rulesMatching(loadSample(path))).toEqual(['monitoring-execution']);
  });

  it('is catalogued with the rule that targets the monitoring-execution function', () => {
    const catalogue = loadCatalogue();
    expect(catalogue.consumed.find((c) => c.detailType === 'SageMaker Processing Job State Change')).toEqual({
      source: 'aws.sagemaker',
      detailType: 'SageMaker Processing Job State Change',
      samples: `samples/${DIR}`,
      schema: 'processingJobStateChangeEventSchema',
    });
    expect(catalogue.rules.find((r) => r.name === 'monitoring-execution')).toMatchObject({ bus: 'default', target: 'monitoring-execution', state: 'ENABLED' });
  });
});

describe('Contract: the monitoring-execution rule', () => {
  it.each(['InProgress', 'Stopping', 'Stopped'])('does not route a job that is %s', (status) => {
    const event = loadSample(WITH_VIOLATIONS);
    event.detail.ProcessingJobStatus = status;

    expect(rulesMatching(event)).toEqual([]);
  });

  it('routes CompletedWithViolations too, should a job status ever say it (aws-facts §0.6: the execution status does)', () => {
    const event = loadSample(WITH_VIOLATIONS);
    event.detail.ProcessingJobStatus = 'CompletedWithViolations';

    expect(rulesMatching(event)).toEqual(['monitoring-execution']);
  });

  it('does not route another SageMaker detail-type with the same status field', () => {
    const event = loadSample(WITH_VIOLATIONS);
    event['detail-type'] = 'SageMaker Training Job State Change';

    expect(rulesMatching(event)).toEqual([]);
  });
});

describe('Contract: processingJobStateChangeEventSchema', () => {
  it('parses the identity, status and epoch-ms times, and keeps unknown fields', () => {
    const event = processingJobStateChangeEventSchema.parse(loadSample(WITH_VIOLATIONS));

    expect(event.detail.ProcessingJobName).toBe('model-monitoring-202611281500-3f9e0c7a4b2d1e8f6a5c0b9d');
    expect(event.detail.ProcessingJobStatus).toBe('Completed');
    expect(event.detail.ProcessingEndTime).toBe(Date.parse('2026-11-28T15:09:40Z'));
    expect(event.detail.ProcessingOutputConfig?.Outputs?.[0]?.S3Output?.LocalPath).toBe('/opt/ml/processing/resultdata');
    expect((event.detail as JsonObject).StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
  });

  it('accepts ExitMessage, MonitoringScheduleArn and Environment when present (their presence in the event is UNVERIFIED)', () => {
    const raw = loadSample(WITH_VIOLATIONS);
    raw.detail.ExitMessage = 'CompletedWithViolations: Job completed successfully with 2 violations.';
    raw.detail.MonitoringScheduleArn = 'arn:aws:sagemaker:eu-west-1:111122223333:monitoring-schedule/credit-risk-retail-prod-data-quality';
    raw.detail.Environment = { sagemaker_endpoint_name: 'credit-risk-retail-prod' };

    const event = processingJobStateChangeEventSchema.parse(raw);

    expect(event.detail.ExitMessage).toMatch(/^CompletedWithViolations:/);
    expect(event.detail.Environment).toEqual({ sagemaker_endpoint_name: 'credit-risk-retail-prod' });
  });

  it('accepts a job with only its identity and status, and epoch-ms times as numeric strings', () => {
    const raw = loadSample(WITH_VIOLATIONS);
    raw.detail = {
      ProcessingJobName: raw.detail.ProcessingJobName,
      ProcessingJobArn: raw.detail.ProcessingJobArn,
      ProcessingJobStatus: 'Completed',
      ProcessingEndTime: '1795878580000',
    };

    expect(processingJobStateChangeEventSchema.parse(raw).detail.ProcessingEndTime).toBe(1795878580000);
  });

  it.each<[string, (e: JsonObject) => void, string]>([
    ['an unknown status', (e) => (e.detail.ProcessingJobStatus = 'Succeeded'), 'detail.ProcessingJobStatus'],
    ['an ARN of a training job', (e) => (e.detail.ProcessingJobArn = 'arn:aws:sagemaker:eu-west-1:111122223333:training-job/x'), 'detail.ProcessingJobArn'],
    ['a blank job name', (e) => (e.detail.ProcessingJobName = ''), 'detail.ProcessingJobName'],
    ['a schedule ARN of another type', (e) => (e.detail.MonitoringScheduleArn = 'arn:aws:sagemaker:eu-west-1:111122223333:endpoint/x'), 'detail.MonitoringScheduleArn'],
    ['an output without its S3 URI', (e) => delete e.detail.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri, 'detail.ProcessingOutputConfig.Outputs.0.S3Output.S3Uri'],
    ['an epoch time that is not a number', (e) => (e.detail.ProcessingEndTime = '2026-11-28T15:09:40Z'), 'detail.ProcessingEndTime'],
  ])('rejects %s', (_case, spoil, path) => {
    const raw = loadSample(WITH_VIOLATIONS);
    spoil(raw);

    expect(issuePaths(raw)).toContain(path);
  });
});
