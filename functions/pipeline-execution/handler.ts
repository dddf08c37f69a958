/** Pipeline Execution Status Change → diagnose failures (PipelineFailed) and reconcile the trained group. */
import { awsIngressDeps } from '../../shared/aws/wiring/ingress';
import { pipelineExecutionStatusChangeEventSchema } from '../../shared/contracts/aws-events';
import { ingestPipelineExecutionEvent } from '../../shared/ingress/pipeline-execution';
import { ingressConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeIngressHandler } from '../../shared/runtime/ingress-handler';

const deps = once(() => awsIngressDeps(readConfig(ingressConfigSchema, process.env)));

export const handler = makeIngressHandler({
  name: 'pipeline-execution',
  schema: pipelineExecutionStatusChangeEventSchema,
  deps,
  ingest: ingestPipelineExecutionEvent,
});
