/**
 * `mlops replay`: validates an event file against its contract, routes it by the rule patterns of `events/`, and
 * invokes the target function (RequestResponse) unless `--dry-run`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadEventCatalogue, matchesPattern, replay, type InvokeResult, type ReplayDeps } from '../../../scripts/mlops/commands/replay';
import { EVENTS_DIR, listSamples, loadSample, SAMPLES_DIR, type JsonObject } from '../../support/events';

const catalogue = loadEventCatalogue(EVENTS_DIR);

/** The ingress function of each consumed detail-type, written out here so the test does not restate the catalogue. */
const EXPECTED_FUNCTION: Record<string, string> = {
  'SageMaker Processing Job State Change': 'creditai-mlops-monitoring-execution',
  'SageMaker Model Building Pipeline Execution Status Change': 'creditai-mlops-pipeline-execution',
  'SageMaker Model Package State Change': 'creditai-mlops-model-package',
  'SageMaker Endpoint State Change': 'creditai-mlops-endpoint',
  'SageMaker Endpoint Deployment State Change': 'creditai-mlops-endpoint',
  'CloudWatch Alarm State Change': 'creditai-mlops-alarm',
  'AWS API Call via CloudTrail': 'creditai-mlops-approval-trail',
};

/** Replay deps over in-memory files (falling back to disk) and a recording invoker. */
function deps(files: Record<string, string> = {}, result: InvokeResult = { statusCode: 200, payload: '{"batchItemFailures":[]}' }) {
  const invocations: { functionName: string; payload: string }[] = [];
  const d: ReplayDeps = {
    readText: async (path) => files[path] ?? readFile(path, 'utf8'),
    catalogue,
    invoke: async (functionName, payload) => {
      invocations.push({ functionName, payload });
      return result;
    },
  };
  return { deps: d, invocations };
}

const fileOf = (event: JsonObject) => ({ 'event.json': JSON.stringify(event) });

const awsSamples = listSamples().filter((p) => p.startsWith('aws.'));

describe('Command: replay --dry-run over every AWS sample', () => {
  it('has samples to replay', () => {
    expect(awsSamples.length).toBeGreaterThan(0);
  });

  it.each(awsSamples)('%s: validates and names its ingress function without invoking it', async (sample) => {
    // Prepare
    const { deps: d, invocations } = deps();
    const detailType = String(loadSample(sample)['detail-type']);

    // Act
    const result = await replay(d, { file: join(SAMPLES_DIR, sample), dryRun: true });

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/ is valid against \w+\./);
    expect(result.output).toContain(`Dry run: would invoke ${EXPECTED_FUNCTION[detailType]}.`);
    expect(invocations).toEqual([]);
  });
});

describe('Command: replay', () => {
  it('invokes the target function with the event as recorded and prints its result', async () => {
    const event = loadSample('aws.sagemaker/model-package-state-change/approved.json');
    const { deps: d, invocations } = deps(fileOf(event));

    const result = await replay(d, { file: 'event.json' });

    expect(result.exitCode).toBe(0);
    expect(invocations).toHaveLength(1);
    expect(invocations[0]!.functionName).toBe('creditai-mlops-model-package');
    expect(JSON.parse(invocations[0]!.payload)).toEqual(event);
    expect(result.output).toContain('Invoked creditai-mlops-model-package (RequestResponse): status 200');
    expect(result.output).toContain('"batchItemFailures": []');
  });

  it('invokes the function --function-name names instead', async () => {
    const { deps: d, invocations } = deps(fileOf(loadSample('aws.sagemaker/endpoint-state-change/in-service.json')));

    await replay(d, { file: 'event.json', functionName: 'creditai-mlops-endpoint-dev' });

    expect(invocations.map((i) => i.functionName)).toEqual(['creditai-mlops-endpoint-dev']);
  });

  it('fails with exit 1 and shows the log tail when the function fails', async () => {
    const failure = { statusCode: 200, functionError: 'Unhandled', payload: '{"errorType":"TerminalError","errorMessage":"boom"}', logTail: 'ERROR boom\n' };
    const { deps: d } = deps(fileOf(loadSample('aws.sagemaker/endpoint-state-change/in-service.json')), failure);

    const result = await replay(d, { file: 'event.json' });

    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('function error (Unhandled)');
    expect(result.output).toContain('"errorMessage": "boom"');
    expect(result.output).toContain('Log tail:\nERROR boom');
  });

  it("refuses a malformed event with exit 2 and the schema's messages", async () => {
    const event = loadSample('aws.sagemaker/model-package-state-change/approved.json');
    event.detail.ModelPackageArn = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail';
    event.detail.ModelApprovalStatus = 'approved';
    const { deps: d, invocations } = deps(fileOf(event));

    const result = await replay(d, { file: 'event.json' });

    expect(result.exitCode).toBe(2);
    expect(result.output.split('\n')).toEqual([
      'Refused: the event (aws.sagemaker / SageMaker Model Package State Change) does not match its contract:',
      '  detail.ModelPackageArn: expected a versioned SageMaker model package ARN',
      expect.stringMatching(/^ {2}detail\.ModelApprovalStatus: .*"Approved"/),
    ]);
    expect(invocations).toEqual([]);
  });

  it('refuses an event with a missing envelope field', async () => {
    const event = loadSample('aws.cloudwatch/cloudwatch-alarm-state-change/latency-alarm.json');
    delete event.account;
    const { deps: d } = deps(fileOf(event));

    const result = await replay(d, { file: 'event.json', dryRun: true });

    expect(result.exitCode).toBe(2);
    expect(result.output).toContain('  account: ');
  });

  it('refuses an event type no contract covers', async () => {
    const event = { ...loadSample('aws.sagemaker/endpoint-state-change/in-service.json'), 'detail-type': 'SageMaker Training Job State Change' };
    const { deps: d } = deps(fileOf(event));

    const result = await replay(d, { file: 'event.json', dryRun: true });

    expect(result.exitCode).toBe(2);
    expect(result.output).toContain('no contract for source "aws.sagemaker", detail-type "SageMaker Training Job State Change"');
  });

  it('refuses a valid event no rule delivers (a pipeline still Executing), unless --function-name says where', async () => {
    const event = loadSample('aws.sagemaker/model-building-pipeline-execution-status-change/succeeded.json');
    event.detail.currentPipelineExecutionStatus = 'Executing';
    const { deps: d, invocations } = deps(fileOf(event));

    const refused = await replay(d, { file: 'event.json' });
    const forced = await replay(d, { file: 'event.json', functionName: 'creditai-mlops-pipeline-execution' });

    expect(refused.exitCode).toBe(2);
    expect(refused.output).toContain('no rule in events/catalogue.json matches it');
    expect(forced.exitCode).toBe(0);
    expect(invocations.map((i) => i.functionName)).toEqual(['creditai-mlops-pipeline-execution']);
  });

  it('names the other rules an event also matches (a creditai- alarm also pages through notify)', async () => {
    const { deps: d } = deps();

    const result = await replay(d, { file: join(SAMPLES_DIR, 'aws.cloudwatch/cloudwatch-alarm-state-change/latency-alarm.json'), dryRun: true });

    expect(result.output).toContain('Rule alarm-state (bus default) targets function alarm.');
    expect(result.output).toContain('Also matched by rule alarm-notify (bus default) → notify');
  });

  it('validates a domain event of the project bus and routes it to notify', async () => {
    const event = {
      version: '0',
      id: '9f1b3d5f-7b9d-4f1b-8d5f-7b9d1f3b5d7f',
      'detail-type': 'ModelPromoted',
      source: 'creditai.mlops',
      account: '111122223333',
      time: '2026-11-28T10:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: {
        schemaVersion: 1,
        eventKey: 'credit-risk-retail/v5/t7/ModelPromoted',
        modelGroup: 'credit-risk-retail',
        occurredAt: '2026-11-28T10:00:00.000Z',
        version: 5,
        endpointName: 'credit-risk-retail-prod',
        endpointConfigName: 'credit-risk-retail-v5-prod-abcd1234',
      },
    };
    const { deps: d } = deps(fileOf(event));

    const ok = await replay(d, { file: 'event.json', dryRun: true });
    const bad = await replay(deps(fileOf({ ...event, detail: { ...event.detail, version: 0 } })).deps, { file: 'event.json', dryRun: true });

    expect(ok.exitCode).toBe(0);
    expect(ok.output).toContain('valid against domainEventDetailSchemas.ModelPromoted');
    expect(ok.output).toContain('Dry run: would invoke creditai-mlops-notify.');
    expect(bad.exitCode).toBe(2);
    expect(bad.output).toMatch(/ {2}detail\.version: /);
  });

  it.each([
    ['a missing file', {}, 'missing.json', /^Cannot read missing\.json: /],
    ['a file that is not JSON', { 'x.json': '{ nope' }, 'x.json', /^x\.json is not valid JSON: /],
    ['a JSON array', { 'x.json': '[]' }, 'x.json', /does not hold a JSON object/],
  ])('fails with exit 1 for %s', async (_case, files, file, message) => {
    const { deps: d } = deps(files as Record<string, string>);

    const result = await replay(d, { file });

    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(message);
  });
});

describe('Function: matchesPattern', () => {
  it('matches exact values, prefix, exists and anything-but, nested', () => {
    const event = { source: 'aws.cloudwatch', detail: { alarmName: 'creditai-x', state: { value: 'ALARM' } } };

    expect(matchesPattern({ source: ['aws.cloudwatch'], detail: { alarmName: [{ prefix: 'creditai-' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { alarmName: [{ prefix: 'other-' }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { errorCode: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { alarmName: [{ exists: true }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { state: { value: [{ 'anything-but': ['OK'] }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { state: { value: [{ 'anything-but': 'ALARM' }] } } }, event)).toBe(false);
  });

  it('throws on an operator it does not know rather than guess', () => {
    expect(() => matchesPattern({ detail: { n: [{ numeric: ['>', 1] }] } }, { detail: { n: 2 } })).toThrow(/Unsupported/);
  });
});
