/**
 * Per-fleet SageMaker endpoint metrics and the judge's harm signal, as the `FleetMetrics` port over CloudWatch.
 *
 * UNVERIFIED: during a blue/green deployment SageMaker is understood to emit the endpoint's invocation metrics also
 * with an `EndpointConfigName` dimension per fleet (besides EndpointName + VariantName), which is what tells the old
 * fleet's errors from the new one's; the twin's metric reporter emits them so. Check on a real rollout.
 */
import { GetMetricDataCommand, PutMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { ArmCounts } from '../judge/data-quality';
import type { FleetMetrics, FleetQuery } from '../canary-judge/ports';

/** The judge's namespace; the canary-harm alarm (terraform/modules/monitoring) watches CanaryHarm in it. */
export const JUDGE_NAMESPACE = 'CreditaiMlops/Judge';
export const CANARY_HARM_METRIC = 'CanaryHarm';

/** GetMetricData takes at most 500 queries per call; two per fleet. */
const MAX_FLEETS_PER_CALL = 250;

/** ModelLatency is published in microseconds (aws-facts §4.5: the guardrail doc's 100000 is 100 ms). */
const MICROSECONDS_PER_MS = 1000;

function fleetQuery(id: string, fleet: FleetQuery, metricName: string, stat: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/SageMaker',
        MetricName: metricName,
        Dimensions: [
          { Name: 'EndpointName', Value: fleet.endpointName },
          { Name: 'VariantName', Value: fleet.variantName },
          { Name: 'EndpointConfigName', Value: fleet.endpointConfigName },
        ],
      },
      // One-minute values, added up here: exact for any whole-minute range, whatever its length (a count of
      // datapoints per minute adds up as a Sum does).
      Period: 60,
      Stat: stat,
    },
    ReturnData: true,
  };
}

/**
 * The trimmed count of the datapoints above `thresholdMs`: `TC(x:)` with an absolute lower bound counts the values
 * v > x (CloudWatch's statistics definitions: the lower bound is exclusive, no upper bound).
 */
export function slowerThanStat(thresholdMs: number): string {
  return `TC(${Math.round(thresholdMs * MICROSECONDS_PER_MS)}:)`;
}

/** What a fleet's units and events are: a metric name and the statistic of it summed over the minutes. */
interface CountedStats {
  units: [metricName: string, stat: string];
  events: [metricName: string, stat: string];
}

/** Units and events per fleet: the one-minute `stats` of each fleet summed over [start, end). */
async function armCounts(
  cloudWatch: CloudWatchClient,
  fleets: FleetQuery[],
  start: string,
  end: string,
  stats: CountedStats,
): Promise<ArmCounts[]> {
  const totals = new Map<string, number>();
  for (let first = 0; first < fleets.length; first += MAX_FLEETS_PER_CALL) {
    const chunk = fleets.slice(first, first + MAX_FLEETS_PER_CALL);
    const queries = chunk.flatMap((fleet, i) => [fleetQuery(`units${first + i}`, fleet, ...stats.units), fleetQuery(`events${first + i}`, fleet, ...stats.events)]);
    let nextToken: string | undefined;
    do {
      const page = await cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(start), EndTime: new Date(end), NextToken: nextToken }));
      for (const result of page.MetricDataResults ?? []) {
        if (!result.Id) continue;
        totals.set(result.Id, (totals.get(result.Id) ?? 0) + (result.Values ?? []).reduce((a, b) => a + b, 0));
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return fleets.map((_, i): ArmCounts => ({ units: Math.round(totals.get(`units${i}`) ?? 0), events: Math.round(totals.get(`events${i}`) ?? 0) }));
}

/**
 * @example
 * const [old, canary] = await makeCloudWatchFleetMetrics(clients.cloudWatch).invocationCounts(fleets, startedAt, now);
 */
export function makeCloudWatchFleetMetrics(cloudWatch: CloudWatchClient): FleetMetrics {
  return {
    invocationCounts: (fleets, start, end) => armCounts(cloudWatch, fleets, start, end, { units: ['Invocations', 'Sum'], events: ['Invocation5XXErrors', 'Sum'] }),

    /*
     * UNVERIFIED: a trimmed count needs SageMaker to publish ModelLatency as raw values (or value distributions),
     * not only as pre-aggregated statistic sets; the p99 alarms on ModelLatency that SageMaker's own guardrail docs
     * show suggest it does (percentiles need the values too). Units are ModelLatency's SampleCount, so the events
     * are a share of the same datapoints. Check on a real endpoint.
     */
    latencySloMisses: (fleets, thresholdMs, start, end) =>
      armCounts(cloudWatch, fleets, start, end, { units: ['ModelLatency', 'SampleCount'], events: ['ModelLatency', slowerThanStat(thresholdMs)] }),

    async raiseCanaryHarm(endpointName, at) {
      await cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: JUDGE_NAMESPACE,
          MetricData: [{ MetricName: CANARY_HARM_METRIC, Dimensions: [{ Name: 'EndpointName', Value: endpointName }], Timestamp: new Date(at), Value: 1, Unit: 'Count' }],
        }),
      );
    },
  };
}
