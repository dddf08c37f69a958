/**
 * The twin's CloudWatch computes statistics from datapoints and evaluates alarms from them as CloudWatch does:
 * whole periods, M out of N, missing data, metric-math error rates; endpoint invocations become AWS/SageMaker
 * datapoints; GetMetricData answers through the real SDK client.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { alarmStateChangeEventSchema, parseAlarmReasonData } from '../../shared/contracts/aws-events';
import { createTwin } from '../../scripts/twin/core/twin';
import { productionAlarms } from '../../scripts/twin/production-alarms';
import { createCloudWatchTwin } from '../../scripts/twin/services/cloudwatch';
import { createMetricStore, statistic } from '../../scripts/twin/services/cloudwatch-metrics';
import { createEndpointMetricsReporter } from '../../scripts/twin/services/sagemaker-metrics';
import type { InvocationRecord } from '../../scripts/twin/services/sagemaker-runtime';
import { fakeServiceContext } from '../support/twin-context';

const START = '2026-11-28T09:00:00.000Z';
const T0 = Date.parse(START);
const MINUTE = 60_000;
const ENDPOINT = 'credit-risk-retail-prod';
const [LATENCY, SERVER_ERRORS] = productionAlarms(ENDPOINT);

function invocation(atMs: number, latencyMs: number, error?: string): InvocationRecord {
  return { endpointName: ENDPOINT, endpointConfigName: `${ENDPOINT}-config`, variantName: 'AllTraffic', modelName: 'm', modelKey: 'm', atMs, rows: 1, latencyMs, ...(error ? { error } : {}) };
}

describe('statistic', () => {
  it.each([
    ['Sum', [1, 2, 3, 4], 10],
    ['SampleCount', [1, 2, 3, 4], 4],
    ['Average', [1, 2, 3, 4], 2.5],
    ['Minimum', [3, 1, 2], 1],
    ['Maximum', [3, 1, 2], 3],
    // Nearest rank: ceil(0.5 × 4) = 2nd smallest; ceil(0.99 × 100) = 99th.
    ['p50', [4, 1, 3, 2], 2],
    ['p99', Array.from({ length: 100 }, (_, i) => i + 1), 99],
    ['p99', [7], 7],
    // Trimmed count and percentile rank with absolute bounds: lower bound exclusive, upper inclusive.
    ['TC(200000:)', [150_000, 200_000, 200_001, 260_000], 2],
    ['TC(:200000)', [150_000, 200_000, 200_001, 260_000], 2],
    ['TC(150000:200001)', [150_000, 200_000, 200_001, 260_000], 2],
    ['TC(300000:)', [150_000, 260_000], 0],
    ['TC(-1.5:0.5)', [-2, -1.5, -1, 0.5, 1], 2],
    ['PR(:300)', [100, 300, 301, 500], 50],
    ['PR(100:2000)', [100, 101, 2000, 2001], 50],
    ['PR(0:)', [1, 2, 3], 100],
  ])('%s of %j is %d', (stat, values, expected) => {
    expect(statistic(stat, values)).toBe(expected);
  });

  it('has no value without datapoints, and refuses statistics CloudWatch does not have', () => {
    expect(statistic('Sum', [])).toBeUndefined();
    expect(() => statistic('Median', [1])).toThrow('not supported');
    expect(statistic('TC(200000:)', [])).toBeUndefined();
  });

  it.each(['TC(10%:90%)', 'tc90', 'PR(:95%)', 'TC(a:)', 'TC(1:2'])('refuses %s: TC and PR with absolute bounds only', (stat) => {
    expect(() => statistic(stat, [1])).toThrow(`statistic ${stat} is not supported: TC and PR take absolute bounds only`);
  });
});

describe('metric store', () => {
  it('aggregates whole periods aligned to the epoch, leaving out periods without data', () => {
    const store = createMetricStore();
    const id = { namespace: 'N', name: 'M', dimensions: { B: '2', A: '1' } };
    store.put(id, T0 + 10_000, 5);
    store.put({ ...id, dimensions: { A: '1', B: '2' } }, T0 + 70_000, 7); // same metric: dimension order does not matter
    store.put(id, T0 + 250_000, 1);
    store.put({ ...id, dimensions: { A: '1' } }, T0 + 10_000, 100); // another metric
    expect(store.series(id, 'Sum', 60, T0, T0 + 5 * MINUTE)).toEqual([
      { atMs: T0, value: 5 },
      { atMs: T0 + MINUTE, value: 7 },
      { atMs: T0 + 4 * MINUTE, value: 1 },
    ]);
    expect(store.series(id, 'Sum', 300, T0, T0 + 5 * MINUTE)).toEqual([{ atMs: T0, value: 13 }]);
    // The period in progress is not whole: left out.
    expect(store.series(id, 'Sum', 300, T0, T0 + 4 * MINUTE)).toEqual([]);
  });
});

describe('alarm evaluation from datapoints', () => {
  function setup() {
    const { ctx, events } = fakeServiceContext(START);
    const cloudwatch = createCloudWatchTwin();
    const log: InvocationRecord[] = [];
    const reporter = createEndpointMetricsReporter({ invocationsSince: (from) => log.slice(from) }, cloudwatch.metrics);
    for (const alarm of productionAlarms(ENDPOINT)) cloudwatch.defineAlarm(ctx, alarm);
    /** Moves one minute, reporting and evaluating as the twin does every minute. */
    const minute = async () => {
      await ctx.clock.advance(MINUTE);
      reporter.flush();
      cloudwatch.evaluateAlarms(ctx);
    };
    return { ctx, events, cloudwatch, log, minute };
  }

  it('fires the p99 latency alarm only after 3 slow minutes in a row, with the datapoints in its reason', async () => {
    const { ctx, events, cloudwatch, log, minute } = setup();
    // Two minutes fast, then slow: 1 in 100 requests is fast so p99 is the slow one.
    for (let m = 0; m < 6; m++) {
      for (let i = 0; i < 100; i++) log.push(invocation(T0 + m * MINUTE + i * 100, m < 2 ? 40 : i === 0 ? 40 : 260));
    }
    const states: string[] = [];
    for (let m = 0; m < 6; m++) {
      await minute();
      states.push(cloudwatch.alarmState(LATENCY!.name)!);
    }
    // Minute 1: 1 fast period; 2: 2 fast; 3: 2 fast + 1 slow (OK); 4: 1 fast + 2 slow (OK); 5: 3 slow → ALARM.
    expect(states).toEqual(['OK', 'OK', 'OK', 'OK', 'ALARM', 'ALARM']);
    const fired = events.filter((e) => e['detail-type'] === 'CloudWatch Alarm State Change' && (e.detail.state as { value: string }).value === 'ALARM');
    expect(fired).toHaveLength(1);
    const event = alarmStateChangeEventSchema.parse(fired[0]);
    expect(event.detail.state.reason).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [260000.0, 260000.0, 260000.0] were greater than the threshold (200000.0) (minimum 3 datapoints for OK -> ALARM transition).',
    );
    expect(parseAlarmReasonData(event.detail.state.reasonData!)).toMatchObject({ recentDatapoints: [260000, 260000, 260000], threshold: 200000 });
    expect(ctx.clock.nowMs()).toBe(T0 + 6 * MINUTE);
  });

  it('computes the 5XX error rate as a percentage of invocations over 5-minute periods, two in a row', async () => {
    const { cloudwatch, log, minute } = setup();
    // 200 requests per 5 minutes; 1 % then 3 % server errors; a client error (400) never counts as 5XX.
    for (let p = 0; p < 3; p++) {
      for (let i = 0; i < 200; i++) {
        const error = p === 0 ? (i < 2 ? 'Received client error (500) from primary with message "boom"' : undefined) : i < 6 ? 'Received client error (503) from primary with message "x"' : i === 6 ? 'Received client error (400) from primary with message "bad"' : undefined;
        log.push(invocation(T0 + p * 5 * MINUTE + i * 1000, 30, error));
      }
    }
    const states: string[] = [];
    for (let m = 0; m < 15; m++) {
      await minute();
      if ((m + 1) % 5 === 0) states.push(cloudwatch.alarmState(SERVER_ERRORS!.name)!);
    }
    // After period 1: [1 %] (not > 1); after 2: [1 %, 3 %]; after 3: [3 %, 3 %] → ALARM.
    expect(states).toEqual(['OK', 'OK', 'ALARM']);
  });

  it('treats a silent endpoint as not breaching (no alarm without traffic), and “missing” as insufficient data', async () => {
    const { ctx, cloudwatch, minute } = setup();
    cloudwatch.defineAlarm(ctx, { name: 'strict', metric: { namespace: 'AWS/SageMaker', name: 'ModelLatency', stat: 'p99', period: 60 }, threshold: 1 });
    await minute();
    expect(cloudwatch.alarmState(LATENCY!.name)).toBe('OK');
    expect(cloudwatch.alarmState('strict')).toBe('INSUFFICIENT_DATA');
  });
});

describe('GetMetricData through the SDK', () => {
  it('answers per-variant statistics, newest first, validated against the CloudWatch model', async () => {
    const cloudwatch = createCloudWatchTwin();
    const twin = createTwin({ start: START, account: '111122223333', region: 'eu-west-1', services: [cloudwatch] });
    const log = [invocation(T0 + 1000, 20), invocation(T0 + 2000, 40), invocation(T0 + MINUTE + 1000, 100, 'Received client error (500) from primary with message "x"')];
    createEndpointMetricsReporter({ invocationsSince: (from) => log.slice(from) }, cloudwatch.metrics).flush();
    const client = new CloudWatchClient({ region: 'eu-west-1' });
    twin.install(client);
    const dims = [
      { Name: 'EndpointName', Value: ENDPOINT },
      { Name: 'VariantName', Value: 'AllTraffic' },
    ];
    const out = await client.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 2 * MINUTE),
        MetricDataQueries: [
          { Id: 'latency', MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Dimensions: dims }, Period: 60, Stat: 'Average' } },
          { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocation5XXErrors', Dimensions: dims }, Period: 60, Stat: 'Sum' } },
        ],
      }),
    );
    expect(out.MetricDataResults?.map((r) => ({ id: r.Id, values: r.Values, at: r.Timestamps?.map((t) => t.getTime() - T0) }))).toEqual([
      { id: 'latency', values: [100_000, 30_000], at: [MINUTE, 0] },
      { id: 'errors', values: [1, 0], at: [MINUTE, 0] },
    ]);
  });

  it('answers a trimmed count of ModelLatency per minute from the raw datapoints, and refuses percentage bounds', async () => {
    const cloudwatch = createCloudWatchTwin();
    const twin = createTwin({ start: START, account: '111122223333', region: 'eu-west-1', services: [cloudwatch] });
    const latencies = [20, 99, 100, 101, 180, 30, 250];
    const log = latencies.map((ms, i) => invocation(T0 + (i < 5 ? 1000 * (i + 1) : MINUTE + 1000 * i), ms));
    createEndpointMetricsReporter({ invocationsSince: (from) => log.slice(from) }, cloudwatch.metrics).flush();
    const client = new CloudWatchClient({ region: 'eu-west-1' });
    twin.install(client);
    const latency = (Stat: string) => ({
      StartTime: new Date(T0),
      EndTime: new Date(T0 + 2 * MINUTE),
      MetricDataQueries: [
        {
          Id: 'slow',
          MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Dimensions: [{ Name: 'EndpointName', Value: ENDPOINT }, { Name: 'VariantName', Value: 'AllTraffic' }] }, Period: 60, Stat },
        },
      ],
      ScanBy: 'TimestampAscending' as const,
    });

    const out = await client.send(new GetMetricDataCommand(latency('TC(100000:)')));

    // Minute 0: 101 and 180 ms are above 100 ms (100 ms itself is not); minute 1: 250 ms.
    expect(out.MetricDataResults?.[0]?.Values).toEqual([2, 1]);
    await expect(client.send(new GetMetricDataCommand(latency('TC(5%:)')))).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('absolute bounds only') });
  });
});
