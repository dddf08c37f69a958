/**
 * What the canary judge reads and writes in the twin: models that fail a deterministic share of requests, endpoint
 * metrics per fleet (EndpointConfigName), the judge's adapter over the twin's CloudWatch through the real SDK, and the
 * canary-harm rollback alarm it raises.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { makeCloudWatchFleetMetrics } from '../../shared/aws/cloudwatch-fleet-metrics';
import { createTwin } from '../../scripts/twin/core/twin';
import { productionAlarms } from '../../scripts/twin/production-alarms';
import { createCloudWatchTwin } from '../../scripts/twin/services/cloudwatch';
import { createEndpointMetricsReporter } from '../../scripts/twin/services/sagemaker-metrics';
import { createSageMakerRuntimeTwin, failsAt, type InvocationRecord } from '../../scripts/twin/services/sagemaker-runtime';
import { fakeServiceContext } from '../support/twin-context';

const START = '2026-11-28T09:00:00.000Z';
const T0 = Date.parse(START);
const MINUTE = 60_000;
const ENDPOINT = 'credit-risk-retail-prod';
const ROUTE = { endpointName: ENDPOINT, endpointConfigName: `${ENDPOINT}-v2`, variantName: 'AllTraffic', modelName: 'm2', modelKey: 'pkg/2' };

describe('failsAt', () => {
  it.each<[number, number[]]>([
    [0.05, [19, 39, 59]],
    [0.005, [199, 399, 599]],
    [0.5, [1, 3, 5]],
    [0, []],
  ])('rate %p fails requests %j of the first 600', (rate, first) => {
    const failing = Array.from({ length: 600 }, (_, n) => n).filter((n) => failsAt(n, rate));
    expect(failing.slice(0, 3)).toEqual(first);
    expect(failing).toHaveLength(Math.floor(600 * rate));
  });
});

describe('SageMaker Runtime twin: errorRate', () => {
  it('refuses the model\'s share of requests with a container 500 ModelError, counting per model', async () => {
    const { ctx } = fakeServiceContext(START);
    const runtime = createSageMakerRuntimeTwin({ endpoints: { route: () => ROUTE }, models: { 'pkg/2': { errorRate: 0.05 } } });
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      try {
        await runtime.operations.InvokeEndpoint!({ EndpointName: ENDPOINT, ContentType: 'text/csv', Body: '1,2,3' }, ctx);
        outcomes.push('ok');
      } catch (error) {
        outcomes.push((error as Error).name);
        expect((error as Error).message).toMatch(/^Received client error \(500\) from primary/);
      }
    }
    expect(outcomes.flatMap((o, n) => (o === 'ok' ? [] : [[n, o]]))).toEqual([
      [19, 'ModelError'],
      [39, 'ModelError'],
    ]);
    expect(runtime.invocations().filter((r) => r.error !== undefined)).toHaveLength(2);
  });
});

function invocation(atMs: number, endpointConfigName: string, error?: string, latencyMs = 25): InvocationRecord {
  return { ...ROUTE, endpointConfigName, atMs, rows: 1, latencyMs, ...(error ? { error } : {}) };
}

describe('Endpoint metrics per fleet, read by the judge\'s adapter through the SDK', () => {
  it('counts each fleet\'s invocations and 5XX errors by EndpointConfigName, besides the endpoint-wide metrics', async () => {
    const cloudwatch = createCloudWatchTwin();
    const twin = createTwin({ start: START, account: '111122223333', region: 'eu-west-1', services: [cloudwatch] });
    const server = 'Received client error (500) from primary with message "boom"';
    const client = 'Received client error (415) from primary with message "bad type"';
    const log = [
      invocation(T0 + 1000, 'old'),
      invocation(T0 + 2000, 'old', server),
      invocation(T0 + 3000, 'new', server),
      invocation(T0 + MINUTE + 1000, 'new'),
      invocation(T0 + MINUTE + 2000, 'new', client),
      invocation(T0 + 2 * MINUTE + 1000, 'new', server),
    ];
    createEndpointMetricsReporter({ invocationsSince: (from) => log.slice(from) }, cloudwatch.metrics).flush();
    const sdk = new CloudWatchClient({ region: 'eu-west-1' });
    twin.install(sdk);
    const fleet = (endpointConfigName: string) => ({ endpointName: ENDPOINT, variantName: 'AllTraffic', endpointConfigName });

    // The third minute is not whole yet at 09:02: left out.
    const counts = await makeCloudWatchFleetMetrics(sdk).invocationCounts([fleet('old'), fleet('new'), fleet('none')], START, new Date(T0 + 2 * MINUTE).toISOString());

    expect(counts).toEqual([
      { units: 2, events: 1 },
      { units: 3, events: 1 },
      { units: 0, events: 0 },
    ]);
    const wide = cloudwatch.metrics.series({ namespace: 'AWS/SageMaker', name: 'Invocations', dimensions: { EndpointName: ENDPOINT, VariantName: 'AllTraffic' } }, 'Sum', 60, T0, T0 + 3 * MINUTE);
    expect(wide.map((p) => p.value)).toEqual([3, 2, 1]);
  });

  it('counts each fleet\'s requests slower than the threshold from its per-fleet ModelLatency (a trimmed count)', async () => {
    const cloudwatch = createCloudWatchTwin();
    const twin = createTwin({ start: START, account: '111122223333', region: 'eu-west-1', services: [cloudwatch] });
    const latencies = { old: [25, 120, 25, 99.9, 25], new: [120, 150, 25, 100.001] };
    const log = Object.entries(latencies).flatMap(([config, ms]) => ms.map((latencyMs, i) => invocation(T0 + MINUTE * (i % 2) + 1000 * i, config, undefined, latencyMs)));
    createEndpointMetricsReporter({ invocationsSince: (from) => log.slice(from) }, cloudwatch.metrics).flush();
    const sdk = new CloudWatchClient({ region: 'eu-west-1' });
    twin.install(sdk);
    const fleet = (endpointConfigName: string) => ({ endpointName: ENDPOINT, variantName: 'AllTraffic', endpointConfigName });

    const counts = await makeCloudWatchFleetMetrics(sdk).latencySloMisses([fleet('old'), fleet('new'), fleet('none')], 100, START, new Date(T0 + 2 * MINUTE).toISOString());

    expect(counts).toEqual([
      { units: 5, events: 1 },
      { units: 4, events: 3 },
      { units: 0, events: 0 },
    ]);
  });

  it('raises the canary-harm rollback alarm with one CanaryHarm datapoint, and clears it a minute later', async () => {
    const cloudwatch = createCloudWatchTwin();
    const twin = createTwin({ start: START, account: '111122223333', region: 'eu-west-1', services: [cloudwatch] });
    const { ctx } = fakeServiceContext(START);
    const harm = productionAlarms(ENDPOINT).find((a) => a.name === `creditai-${ENDPOINT}-canary-harm`)!;
    cloudwatch.defineAlarm(ctx, harm);
    const sdk = new CloudWatchClient({ region: 'eu-west-1' });
    twin.install(sdk);

    await makeCloudWatchFleetMetrics(sdk).raiseCanaryHarm(ENDPOINT, new Date(T0 + 30_000).toISOString());
    const states: (string | undefined)[] = [];
    for (let m = 1; m <= 2; m++) {
      await ctx.clock.advance(MINUTE);
      cloudwatch.evaluateAlarms(ctx);
      states.push(cloudwatch.alarmState(harm.name));
    }

    expect(states).toEqual(['ALARM', 'OK']);
  });
});
