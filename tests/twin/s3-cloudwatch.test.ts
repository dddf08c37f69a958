/**
 * The S3 and CloudWatch twins: objects, versions, conditional writes, checksums and Object Lock; alarms,
 * DescribeAlarms and the alarm state change events (parsed with their contract). Operations are called directly with
 * a hand-made ServiceContext; the last tests run the real adapters through real SDK clients and `createTwin`.
 */
import { createHash } from 'node:crypto';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { makeCloudWatchAlarms } from '../../shared/aws/cloudwatch-alarms';
import { makeS3Documents } from '../../shared/aws/s3-documents';
import { makeS3Ledger } from '../../shared/aws/s3-ledger-store';
import { alarmStateChangeEventSchema, parseAlarmReasonData } from '../../shared/contracts/aws-events';
import { createTwin } from '../../scripts/twin/core/twin';
import type { ServiceContext } from '../../scripts/twin/core/types';
import { createCloudWatchTwin } from '../../scripts/twin/services/cloudwatch';
import { createS3Twin } from '../../scripts/twin/services/s3';
import { fakeServiceContext } from '../support/twin-context';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const START = '2026-11-28T09:00:00.000Z';
const DAY = 86_400_000;

const fakeContext = () => fakeServiceContext(START, ACCOUNT, REGION);

type Twin = { operations: Record<string, (input: Record<string, unknown>, ctx: ServiceContext) => Promise<Record<string, unknown>>> };

async function call(twin: Twin, ctx: ServiceContext, operation: string, input: object): Promise<any> {
  const op = twin.operations[operation];
  if (!op) throw new Error(`no operation ${operation}`);
  return op(input as Record<string, unknown>, ctx);
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata?: { httpStatusCode: number } };
  }
  throw new Error('expected the call to fail');
}

describe('S3 twin', () => {
  it('stores and reads objects: GetObject bodies the SDK way, HeadObject, and S3\'s errors for missing things', async () => {
    // Prepare
    const { ctx } = fakeContext();
    const s3 = createS3Twin();
    await s3.putJson(ctx, 's3://artifacts/run1/evaluation.json', { auc: 0.87 });
    // Act
    const got = await call(s3, ctx, 'GetObject', { Bucket: 'artifacts', Key: 'run1/evaluation.json' });
    const text = await got.Body.transformToString();
    const again = await failure(got.Body.transformToByteArray());
    const head = await call(s3, ctx, 'HeadObject', { Bucket: 'artifacts', Key: 'run1/evaluation.json' });
    const noKey = await failure(call(s3, ctx, 'GetObject', { Bucket: 'artifacts', Key: 'run1/missing.json' }));
    const noHead = await failure(call(s3, ctx, 'HeadObject', { Bucket: 'artifacts', Key: 'run1/missing.json' }));
    const noBucket = await failure(call(s3, ctx, 'GetObject', { Bucket: 'nope', Key: 'x' }));
    // Assess
    expect(JSON.parse(text)).toEqual({ auc: 0.87 });
    expect(again.message).toBe('The stream has already been transformed.');
    expect(got).toMatchObject({ ContentType: 'application/json', ContentLength: text.length, ETag: `"${createHash('md5').update(text).digest('hex')}"` });
    expect(head).toMatchObject({ ContentLength: text.length, LastModified: new Date(START) });
    expect(noKey).toMatchObject({ name: 'NoSuchKey', message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    expect(noHead).toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    expect(noBucket).toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
  });

  it('PutObject with If-None-Match: * refuses an existing key with PreconditionFailed (412)', async () => {
    // Prepare
    const { ctx } = fakeContext();
    const s3 = createS3Twin();
    s3.createBucket('audit');
    await call(s3, ctx, 'PutObject', { Bucket: 'audit', Key: 'ledger/g/000000000001.json', Body: '{"n":1}', IfNoneMatch: '*' });
    // Act
    const refused = await failure(call(s3, ctx, 'PutObject', { Bucket: 'audit', Key: 'ledger/g/000000000001.json', Body: '{"n":2}', IfNoneMatch: '*' }));
    // Assess
    expect(refused).toMatchObject({ name: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold', $metadata: { httpStatusCode: 412 } });
    expect(new TextDecoder().decode(s3.read('s3://audit/ledger/g/000000000001.json'))).toBe('{"n":1}');
  });

  it('checks a ChecksumSHA256 it is given and keeps the checksum it was asked for', async () => {
    // Prepare
    const { ctx } = fakeContext();
    const s3 = createS3Twin();
    s3.createBucket('audit');
    const body = new TextEncoder().encode('{"n":1}');
    const sha = createHash('sha256').update(body).digest('base64');
    // Act
    const bad = await failure(call(s3, ctx, 'PutObject', { Bucket: 'audit', Key: 'a', Body: body, ChecksumSHA256: createHash('sha256').update('other').digest('base64') }));
    const put = await call(s3, ctx, 'PutObject', { Bucket: 'audit', Key: 'a', Body: body, ChecksumAlgorithm: 'SHA256' });
    const withChecksum = await call(s3, ctx, 'HeadObject', { Bucket: 'audit', Key: 'a', ChecksumMode: 'ENABLED' });
    // Assess
    expect(bad).toMatchObject({ name: 'BadDigest', message: 'The SHA256 you specified did not match the calculated checksum.', $metadata: { httpStatusCode: 400 } });
    expect(put.ChecksumSHA256).toBe(sha);
    expect(withChecksum.ChecksumSHA256).toBe(sha);
  });

  it('Object Lock keeps every version, refuses to delete a locked one (AccessDenied), and lets it go after retention', async () => {
    // Prepare
    const { ctx } = fakeContext();
    const s3 = createS3Twin();
    s3.createBucket('audit', { objectLock: { mode: 'COMPLIANCE', days: 7 } });
    const v1 = await call(s3, ctx, 'PutObject', { Bucket: 'audit', Key: 'k', Body: 'one', ChecksumAlgorithm: 'SHA256' });
    const v2 = await call(s3, ctx, 'PutObject', { Bucket: 'audit', Key: 'k', Body: 'two', ChecksumAlgorithm: 'SHA256' });
    // Act
    const latest = await call(s3, ctx, 'GetObject', { Bucket: 'audit', Key: 'k' });
    const latestText = await latest.Body.transformToString();
    const firstText = await (await call(s3, ctx, 'GetObject', { Bucket: 'audit', Key: 'k', VersionId: v1.VersionId })).Body.transformToString();
    const refused = await failure(call(s3, ctx, 'DeleteObject', { Bucket: 'audit', Key: 'k', VersionId: v1.VersionId }));
    const marker = await call(s3, ctx, 'DeleteObject', { Bucket: 'audit', Key: 'k' });
    const hidden = await failure(call(s3, ctx, 'GetObject', { Bucket: 'audit', Key: 'k' }));
    const stillThere = await (await call(s3, ctx, 'GetObject', { Bucket: 'audit', Key: 'k', VersionId: v2.VersionId })).Body.transformToString();
    await ctx.clock.advance(7 * DAY + 1);
    const afterRetention = await call(s3, ctx, 'DeleteObject', { Bucket: 'audit', Key: 'k', VersionId: v1.VersionId });
    // Assess
    expect(v1.VersionId).not.toBe(v2.VersionId);
    expect(latestText).toBe('two');
    expect(latest).toMatchObject({ VersionId: v2.VersionId, ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.parse(START) + 7 * DAY) });
    expect(firstText).toBe('one');
    expect(refused).toMatchObject({ name: 'AccessDenied', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
    expect(marker.DeleteMarker).toBe(true);
    expect(hidden.name).toBe('NoSuchKey');
    expect(stillThere).toBe('two');
    expect(afterRetention.VersionId).toBe(v1.VersionId);
    expect(s3.versions('s3://audit/k').map((v) => v.deleteMarker)).toEqual([false, true]);
  });

  it('ListObjectsV2: prefix, delimiter, MaxKeys with continuation tokens, StartAfter', async () => {
    // Prepare
    const { ctx } = fakeContext();
    const s3 = createS3Twin();
    for (const key of ['ledger/a/1.json', 'ledger/a/2.json', 'ledger/b/1.json', 'ledger/c/1.json', 'other/x.json']) await s3.putJson(ctx, `s3://audit/${key}`, { key });
    // Act
    const groups = await call(s3, ctx, 'ListObjectsV2', { Bucket: 'audit', Prefix: 'ledger/', Delimiter: '/', MaxKeys: 2 });
    const groupsRest = await call(s3, ctx, 'ListObjectsV2', { Bucket: 'audit', Prefix: 'ledger/', Delimiter: '/', MaxKeys: 2, ContinuationToken: groups.NextContinuationToken });
    const keys = await call(s3, ctx, 'ListObjectsV2', { Bucket: 'audit', Prefix: 'ledger/', StartAfter: 'ledger/a/1.json', MaxKeys: 2 });
    const keysRest = await call(s3, ctx, 'ListObjectsV2', { Bucket: 'audit', Prefix: 'ledger/', MaxKeys: 2, ContinuationToken: keys.NextContinuationToken });
    const badToken = await failure(call(s3, ctx, 'ListObjectsV2', { Bucket: 'audit', ContinuationToken: 'garbage' }));
    // Assess
    expect(groups).toMatchObject({ IsTruncated: true, KeyCount: 2, CommonPrefixes: [{ Prefix: 'ledger/a/' }, { Prefix: 'ledger/b/' }] });
    expect(groups.Contents).toBeUndefined();
    expect(groupsRest).toMatchObject({ IsTruncated: false, CommonPrefixes: [{ Prefix: 'ledger/c/' }] });
    expect(keys.Contents.map((c: any) => c.Key)).toEqual(['ledger/a/2.json', 'ledger/b/1.json']);
    expect(keysRest.Contents.map((c: any) => c.Key)).toEqual(['ledger/c/1.json']);
    expect(keysRest.NextContinuationToken).toBeUndefined();
    expect(badToken).toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
  });
});

const LATENCY = {
  name: 'creditai-credit-risk-retail-prod-p99-latency',
  description: 'p99 ModelLatency above 200 ms',
  metric: { namespace: 'AWS/SageMaker', name: 'ModelLatency', dimensions: { EndpointName: 'credit-risk-retail-prod', VariantName: 'AllTraffic' }, stat: 'p99', period: 60, unit: 'Microseconds' as const },
  threshold: 200_000,
  evaluationPeriods: 3,
};

describe('CloudWatch twin', () => {
  it('describes alarms by name: metric alarms by default, paged with NextToken', async () => {
    // Prepare
    const { ctx } = fakeContext();
    const cloudwatch = createCloudWatchTwin();
    cloudwatch.defineAlarm(ctx, LATENCY);
    cloudwatch.defineAlarm(ctx, { name: 'b-errors', metric: { namespace: 'AWS/SageMaker', name: 'Invocation5XXErrors', stat: 'Sum', period: 60 }, threshold: 5, comparison: 'GreaterThanOrEqualToThreshold' });
    cloudwatch.defineAlarm(ctx, { name: 'c-other', metric: { namespace: 'X', name: 'Y', stat: 'Average', period: 300 }, threshold: 1 });
    // Act
    const one = await call(cloudwatch, ctx, 'DescribeAlarms', { AlarmNames: [LATENCY.name, 'missing'] });
    const page1 = await call(cloudwatch, ctx, 'DescribeAlarms', { MaxRecords: 2 });
    const page2 = await call(cloudwatch, ctx, 'DescribeAlarms', { MaxRecords: 2, NextToken: page1.NextToken });
    const composite = await call(cloudwatch, ctx, 'DescribeAlarms', { AlarmTypes: ['CompositeAlarm'] });
    const badToken = await failure(call(cloudwatch, ctx, 'DescribeAlarms', { NextToken: '!!' }));
    // Assess
    expect(one.MetricAlarms).toEqual([
      expect.objectContaining({
        AlarmName: LATENCY.name,
        AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${LATENCY.name}`,
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        StateUpdatedTimestamp: new Date(START),
        ExtendedStatistic: 'p99',
        Dimensions: [
          { Name: 'EndpointName', Value: 'credit-risk-retail-prod' },
          { Name: 'VariantName', Value: 'AllTraffic' },
        ],
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Threshold: 200_000,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    ]);
    expect([...page1.MetricAlarms, ...page2.MetricAlarms].map((a: any) => a.AlarmName)).toEqual(['b-errors', 'c-other', LATENCY.name]);
    expect(page2.NextToken).toBeUndefined();
    expect(composite.MetricAlarms).toEqual([]);
    expect(badToken.name).toBe('InvalidNextToken');
  });

  it('emits CloudWatch Alarm State Change on every change of value, with reasonData as a JSON string and +0000 timestamps', async () => {
    // Prepare
    const { ctx, events } = fakeContext();
    const cloudwatch = createCloudWatchTwin();
    cloudwatch.defineAlarm(ctx, LATENCY);
    // Act
    await ctx.clock.advance(60_000);
    cloudwatch.setAlarmState(ctx, LATENCY.name, 'OK', 'Threshold Crossed: 3 out of the last 3 datapoints were not greater than the threshold (200000.0)');
    await ctx.clock.advance(60_000);
    cloudwatch.setAlarmState(ctx, LATENCY.name, 'ALARM', 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (200000.0)', { version: '1.0', recentDatapoints: [228977, 236410, 241833], threshold: 200000 });
    cloudwatch.setAlarmState(ctx, LATENCY.name, 'ALARM', 'still above');
    const described = await call(cloudwatch, ctx, 'DescribeAlarms', { AlarmNames: [LATENCY.name] });
    const unknown = (() => {
      try {
        cloudwatch.setAlarmState(ctx, 'nope', 'ALARM', 'x');
      } catch (error) {
        return error as Error;
      }
    })();
    // Assess
    const changes = events.map((e) => alarmStateChangeEventSchema.parse(e));
    expect(changes).toHaveLength(2);
    expect(changes[0]!.detail).toMatchObject({
      alarmName: LATENCY.name,
      state: { value: 'OK', timestamp: '2026-11-28T09:01:00.000+0000' },
      previousState: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', timestamp: '2026-11-28T09:00:00.000+0000' },
      configuration: { description: LATENCY.description, metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'AWS/SageMaker', name: 'ModelLatency', dimensions: LATENCY.metric.dimensions }, period: 60, stat: 'p99' }, returnData: true }] },
    });
    expect(parseAlarmReasonData(changes[0]!.detail.state.reasonData!)).toMatchObject({ version: '1.0', queryDate: '2026-11-28T09:01:00.000+0000', extendedStatistic: 'p99', unit: 'Microseconds', period: 60, threshold: 200000 });
    expect(parseAlarmReasonData(changes[1]!.detail.state.reasonData!)).toEqual({ version: '1.0', recentDatapoints: [228977, 236410, 241833], threshold: 200000 });
    expect(changes[1]!.resources).toEqual([`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${LATENCY.name}`]);
    expect(described.MetricAlarms[0]).toMatchObject({ StateValue: 'ALARM', StateReason: 'still above', StateUpdatedTimestamp: new Date(Date.parse(START) + 120_000) });
    expect(cloudwatch.alarmState(LATENCY.name)).toBe('ALARM');
    expect(cloudwatch.alarmState('nope')).toBeUndefined();
    expect(unknown?.name).toBe('ResourceNotFound');
  });
});

describe('S3 and CloudWatch twins through the SDK (createTwin, real clients, the real adapters)', () => {
  const noCredentials = async () => {
    throw new Error('the twin must not need credentials');
  };

  it('serves the ledger, documents and alarms adapters', async () => {
    // Prepare
    const s3 = createS3Twin();
    const cloudwatch = createCloudWatchTwin();
    const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [s3, cloudwatch] });
    const s3Client = new S3Client({ region: REGION, credentials: noCredentials });
    const cloudWatchClient = new CloudWatchClient({ region: REGION, credentials: noCredentials });
    twin.install(s3Client);
    twin.install(cloudWatchClient);
    s3.createBucket('creditai-audit', { objectLock: { mode: 'COMPLIANCE', days: 2557 } });
    await s3.putJson(twin.context, 's3://creditai-artifacts/run1/evaluation.json', { binary_classification_metrics: { auc: { value: 0.87 } } });
    cloudwatch.defineAlarm(twin.context, LATENCY);
    cloudwatch.setAlarmState(twin.context, LATENCY.name, 'ALARM', 'Threshold Crossed');
    const ledger = makeS3Ledger(s3Client, { bucket: 'creditai-audit' });
    const record = '{"sequence":1}';
    // Act
    const created = await ledger.create('ledger/credit-risk-retail/000000000001.json', record);
    const duplicate = await ledger.create('ledger/credit-risk-retail/000000000001.json', '{"sequence":"forged"}');
    await ledger.create('ledger/other-group/000000000001.json', record);
    const read = await ledger.get('ledger/credit-risk-retail/000000000001.json');
    const missing = await ledger.get('ledger/credit-risk-retail/000000000002.json');
    const groups = await ledger.groups();
    const keys = await ledger.keys('credit-risk-retail');
    const report = await makeS3Documents(s3Client).readJson('s3://creditai-artifacts/run1/evaluation.json');
    const alarms = await makeCloudWatchAlarms(cloudWatchClient).describe([LATENCY.name, 'unknown-alarm']);
    // Assess
    expect([created, duplicate]).toEqual(['created', 'exists']);
    expect(new TextDecoder().decode(read)).toBe('{"sequence":1}');
    expect(missing).toBeUndefined();
    expect(groups).toEqual(['credit-risk-retail', 'other-group']);
    expect(keys).toEqual(['ledger/credit-risk-retail/000000000001.json']);
    expect(report).toEqual({ binary_classification_metrics: { auc: { value: 0.87 } } });
    expect(alarms).toEqual([{ name: LATENCY.name, state: 'ALARM', since: START, reason: 'Threshold Crossed' }]);
    expect(twin.events.map((e) => alarmStateChangeEventSchema.parse(e).detail.state.value)).toEqual(['ALARM']);
  });
});
