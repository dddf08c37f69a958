import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeCloudWatchFleetMetrics, slowerThanStat } from '../../../shared/aws/cloudwatch-fleet-metrics';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const cloudWatch = mockClient(CloudWatchClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(cloudWatch)) expectValidAwsInput('cloudwatch', command);
  } finally {
    cloudWatch.reset();
  }
});

const metrics = () => makeCloudWatchFleetMetrics(new CloudWatchClient({}));
const OLD = { endpointName: 'acme-prod', variantName: 'AllTraffic', endpointConfigName: 'acme-prod-v1-aaaa' };
const NEW = { endpointName: 'acme-prod', variantName: 'AllTraffic', endpointConfigName: 'acme-prod-v2-bbbb' };

describe('Function: makeCloudWatchFleetMetrics', () => {
  it('sums one-minute Invocations and Invocation5XXErrors of each fleet, by its EndpointConfigName, over every page', async () => {
    cloudWatch
      .on(GetMetricDataCommand, { NextToken: undefined })
      .resolves({
        MetricDataResults: [
          { Id: 'units0', Values: [54, 54, 54] },
          { Id: 'events0', Values: [0, 1, 0] },
          { Id: 'units1', Values: [6, 6, 6] },
          { Id: 'events1', Values: [] },
        ],
        NextToken: 'more',
      })
      .on(GetMetricDataCommand, { NextToken: 'more' })
      .resolves({ MetricDataResults: [{ Id: 'units1', Values: [6] }, { Id: 'events1', Values: [1] }] });

    const counts = await metrics().invocationCounts([OLD, NEW], '2026-11-28T10:00:00.000Z', '2026-11-28T10:04:00.000Z');

    expect(counts).toEqual([
      { units: 162, events: 1 },
      { units: 24, events: 1 },
    ]);
    const first = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(first.StartTime).toEqual(new Date('2026-11-28T10:00:00.000Z'));
    expect(first.EndTime).toEqual(new Date('2026-11-28T10:04:00.000Z'));
    expect(first.MetricDataQueries?.[3]).toEqual({
      Id: 'events1',
      MetricStat: {
        Metric: {
          Namespace: 'AWS/SageMaker',
          MetricName: 'Invocation5XXErrors',
          Dimensions: [
            { Name: 'EndpointName', Value: 'acme-prod' },
            { Name: 'VariantName', Value: 'AllTraffic' },
            { Name: 'EndpointConfigName', Value: 'acme-prod-v2-bbbb' },
          ],
        },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: true,
    });
    expect(cloudWatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
  });

  it('counts each fleet\'s ModelLatency datapoints and those above the threshold (trimmed count, in microseconds)', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'units0', Values: [54, 54] },
        { Id: 'events0', Values: [3, 2] },
        { Id: 'units1', Values: [6, 6] },
        { Id: 'events1', Values: [2, 1] },
      ],
    });

    const counts = await metrics().latencySloMisses([OLD, NEW], 100, '2026-11-28T10:00:00.000Z', '2026-11-28T10:02:00.000Z');

    expect(counts).toEqual([
      { units: 108, events: 5 },
      { units: 12, events: 3 },
    ]);
    const queries = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!;
    expect(queries.map((q) => [q.Id, q.MetricStat?.Metric?.MetricName, q.MetricStat?.Stat, q.MetricStat?.Period])).toEqual([
      ['units0', 'ModelLatency', 'SampleCount', 60],
      ['events0', 'ModelLatency', 'TC(100000:)', 60],
      ['units1', 'ModelLatency', 'SampleCount', 60],
      ['events1', 'ModelLatency', 'TC(100000:)', 60],
    ]);
    expect(queries[3]!.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'EndpointName', Value: 'acme-prod' },
      { Name: 'VariantName', Value: 'AllTraffic' },
      { Name: 'EndpointConfigName', Value: 'acme-prod-v2-bbbb' },
    ]);
  });

  it.each([
    [200, 'TC(200000:)'],
    [100, 'TC(100000:)'],
    [0.5, 'TC(500:)'],
    [12.3456, 'TC(12346:)'],
  ])('asks for the datapoints above %p ms as %s (ModelLatency is in microseconds)', (ms, stat) => {
    expect(slowerThanStat(ms)).toBe(stat);
  });

  it('counts a fleet with no datapoints as zero', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    expect(await metrics().invocationCounts([OLD], '2026-11-28T10:00:00.000Z', '2026-11-28T10:01:00.000Z')).toEqual([{ units: 0, events: 0 }]);
  });

  it('puts CanaryHarm = 1 for the endpoint in the judge namespace, at the look time', async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});

    await metrics().raiseCanaryHarm('acme-prod', '2026-11-28T10:38:02.000Z');

    expect(cloudWatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'CreditaiMlops/Judge',
      MetricData: [{ MetricName: 'CanaryHarm', Dimensions: [{ Name: 'EndpointName', Value: 'acme-prod' }], Timestamp: new Date('2026-11-28T10:38:02.000Z'), Value: 1, Unit: 'Count' }],
    });
  });
});
