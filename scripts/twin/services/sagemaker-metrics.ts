/**
 * What a SageMaker endpoint reports to CloudWatch, per request, in the `AWS/SageMaker` namespace with the
 * EndpointName and VariantName dimensions: Invocations, ModelLatency and OverheadLatency (microseconds), and
 * Invocation4XXErrors / Invocation5XXErrors by the container's status (invocations, 5XX errors and latency also per fleet). The twin's runtime logs every invocation;
 * this reporter turns the new ones into datapoints each time it is flushed (once a virtual minute).
 */
import type { InvocationRecord } from './sagemaker-runtime';
import type { MetricStore } from './cloudwatch-metrics';

/** The container status of a refused request, as the ModelError message carries it ("Received client error (500) …"). */
function containerStatus(record: InvocationRecord): number | undefined {
  if (record.error === undefined) return undefined;
  const status = /\((\d{3})\) from/.exec(record.error)?.[1];
  return status === undefined ? 500 : Number(status);
}

/** SageMaker's own per-request overhead, in microseconds (small and steady; UNVERIFIED magnitude). */
const OVERHEAD_MICROSECONDS = 1_800;

/**
 * Puts the datapoints of one invocation; Invocations, Invocation5XXErrors and ModelLatency also per fleet, with the
 * EndpointConfigName of the config that served the request (UNVERIFIED: that SageMaker emits this dimension during
 * blue/green deployments; the canary judge reads it to tell the new fleet from the old).
 */
export function reportInvocation(metrics: MetricStore, record: InvocationRecord): void {
  const dimensions = { EndpointName: record.endpointName, VariantName: record.variantName };
  const fleet = { ...dimensions, EndpointConfigName: record.endpointConfigName };
  const put = (name: string, value: number, unit: string, dims: Record<string, string> = dimensions) => metrics.put({ namespace: 'AWS/SageMaker', name, dimensions: dims }, record.atMs, value, unit);
  const status = containerStatus(record);
  const serverError = status !== undefined && status >= 500 ? 1 : 0;
  put('Invocations', 1, 'None');
  put('Invocation4XXErrors', status !== undefined && status < 500 ? 1 : 0, 'None');
  put('Invocation5XXErrors', serverError, 'None');
  put('ModelLatency', Math.round(record.latencyMs * 1000), 'Microseconds');
  put('OverheadLatency', OVERHEAD_MICROSECONDS, 'Microseconds');
  put('Invocations', 1, 'None', fleet);
  put('Invocation5XXErrors', serverError, 'None', fleet);
  put('ModelLatency', Math.round(record.latencyMs * 1000), 'Microseconds', fleet);
}

/** Reports the invocations logged since the last flush (read from where it left off, not the whole log). */
export function createEndpointMetricsReporter(source: { invocationsSince(from: number): InvocationRecord[] }, metrics: MetricStore) {
  let reported = 0;
  return {
    flush(): number {
      const fresh = source.invocationsSince(reported);
      for (const record of fresh) reportInvocation(metrics, record);
      reported += fresh.length;
      return fresh.length;
    },
  };
}
