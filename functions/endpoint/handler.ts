/** Endpoint State Change and Endpoint Deployment State Change → reconcile the endpoint's model group. */
import { awsIngressDeps } from '../../shared/aws/wiring/ingress';
import { endpointEventSchema } from '../../shared/contracts/aws-events';
import { ingestEndpointEvent } from '../../shared/ingress/endpoint';
import { ingressConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeIngressHandler } from '../../shared/runtime/ingress-handler';

const deps = once(() => awsIngressDeps(readConfig(ingressConfigSchema, process.env)));

export const handler = makeIngressHandler({
  name: 'endpoint',
  schema: endpointEventSchema,
  deps,
  ingest: ingestEndpointEvent,
});
