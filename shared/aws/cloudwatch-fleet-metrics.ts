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

function sumQuery(id: string, fleet: FleetQuery, metricName: string): MetricDataQuery {
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
      // One-minute sums, added up here: exact for any whole-minute range, whatever its length.
      Period: 60,
      Stat: 'Sum',
    },
    ReturnData: true,
  };
}

/**
 * @example
 * const [old, canary] = await makeCloudWatchFleetMetrics(clients.cloudWatch).invocationCounts(fleets, startedAt, now);
 */
export function makeCloudWatchFleetMetrics(cloudWatch: CloudWatchClient): FleetMetrics {
  return {
    async invocationCounts(fleets, start, end) {
      const totals = new Map<string, number>();
      for (let first = 0; first < fleets.length; first += MAX_FLEETS_PER_CALL) {
        const chunk = fleets.slice(first, first + MAX_FLEETS_PER_CALL);
        const queries = chunk.flatMap((fleet, i) => [sumQuery(`units${first + i}`, fleet, 'Invocations'), sumQuery(`events${first + i}`, fleet, 'Invocation5XXErrors')]);
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
    },

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
