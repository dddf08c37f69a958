/**
 * The scheduled sweep: a reconcile request for every managed group, so a lost event never strands a model.
 */
import type { IngressDeps } from './ingress';

export async function sweep(deps: IngressDeps, scheduledEventId: string, time: string): Promise<{ groups: string[] }> {
  const groups = await deps.state.listGroups();
  for (const group of groups) {
    await deps.queue.request({
      modelGroup: group,
      reason: 'Scheduled sweep',
      trigger: { source: 'creditai.mlops.sweep', detailType: 'Scheduled Sweep', eventId: scheduledEventId, time },
    });
  }
  return { groups };
}
