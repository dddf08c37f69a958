/** Processing Job State Change → Model Monitor / Clarify drift violations of a managed endpoint become DriftDetected. */
import { awsMonitoringExecutionDeps } from '../../shared/aws/wiring/monitoring-execution';
import { processingJobStateChangeEventSchema } from '../../shared/contracts/aws-events';
import { ingestMonitoringExecutionEvent } from '../../shared/ingress/monitoring-execution';
import { ingressConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeIngressHandler } from '../../shared/runtime/ingress-handler';

const deps = once(() => awsMonitoringExecutionDeps(readConfig(ingressConfigSchema, process.env)));

export const handler = makeIngressHandler({
  name: 'monitoring-execution',
  schema: processingJobStateChangeEventSchema,
  deps,
  // The handler shell knows the ingress ports only; this ingress also reads the monitoring describes and S3.
  ingest: (_ingressDeps, event) => ingestMonitoringExecutionEvent(deps(), event),
});
