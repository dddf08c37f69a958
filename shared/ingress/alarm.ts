/**
 * CloudWatch Alarm State Change → reconcile the group whose endpoint the alarm watches (its EndpointName
 * dimension). The reconciler reads the alarm's state itself; this only says "look now".
 */
import type { AlarmStateChangeEvent } from '../contracts/aws-events';
import { requestReconcile, type IngressDeps, type IngressOutcome } from './ingress';

/** Endpoint names the alarm's metrics are about. */
export function alarmEndpoints(event: AlarmStateChangeEvent): string[] {
  const names = (event.detail.configuration?.metrics ?? []).map((m) => m.metricStat?.metric.dimensions?.EndpointName);
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))];
}

export async function ingestAlarmEvent(deps: IngressDeps, event: AlarmStateChangeEvent): Promise<IngressOutcome> {
  const groups = new Set<string>();
  for (const endpoint of alarmEndpoints(event)) {
    const group = await deps.state.groupOfEndpoint(endpoint);
    if (group) groups.add(group);
  }
  if (groups.size === 0) return { outcome: 'ignored', reason: `Alarm ${event.detail.alarmName} watches no managed endpoint` };
  const reason = `Alarm ${event.detail.alarmName} is ${event.detail.state.value}`;
  for (const group of groups) await requestReconcile(deps, group, event, reason);
  return { outcome: 'requested', groups: [...groups] };
}
