/**
 * Endpoint (Deployment) State Change → reconcile the endpoint's group. The group comes from the endpoint's tag
 * (a map in these events) or, failing that, from the endpoint index the reconciler writes before deploying.
 * Endpoints that are not ours are ignored.
 */
import { endpointStatusFromEvent, type EndpointDeploymentStateChangeEvent, type EndpointStateChangeEvent } from '../contracts/aws-events';
import { requestReconcile, type IngressDeps, type IngressOutcome } from './ingress';

export const GROUP_TAG = 'creditai:model-group';

export async function ingestEndpointEvent(deps: IngressDeps, event: EndpointStateChangeEvent | EndpointDeploymentStateChangeEvent): Promise<IngressOutcome> {
  const d = event.detail;
  const tagged = (d.Tags as Record<string, string> | undefined)?.[GROUP_TAG];
  const group = tagged ?? (await deps.state.groupOfEndpoint(d.EndpointName));
  if (!group) return { outcome: 'ignored', reason: `Endpoint ${d.EndpointName} is not managed by the control plane` };
  return requestReconcile(deps, group, event, `Endpoint ${d.EndpointName} is ${endpointStatusFromEvent(d.EndpointStatus)}`);
}
