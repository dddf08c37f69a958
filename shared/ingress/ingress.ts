/**
 * What every ingress handler shares: the ports it uses, the origin check that refuses forged events, and the
 * rejection path (recorded, announced, never acted on).
 */
import type { ReconcileRequest } from '../contracts/reconcile-request';
import { shortHash } from '../lifecycle/names';
import type { Clock, EventBus, Pipelines, ReconcileQueue, StateStore } from '../reconcile/ports';

export interface IngressDeps {
  queue: ReconcileQueue;
  state: StateStore;
  bus: EventBus;
  pipelines: Pipelines;
  clock: Clock;
  /** The account and region this control plane runs in: events from elsewhere are forged or misrouted. */
  origin: { account: string; region: string };
}

export type IngressOutcome =
  | { outcome: 'requested'; groups: string[] }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'rejected'; reason: string };

/** The envelope fields an ingress reads before trusting anything else. */
export interface Envelope {
  id: string;
  source: string;
  'detail-type': string;
  account: string;
  region: string;
  time: string;
  resources: string[];
}

/**
 * Refuses an event that claims to come from another account or region, or names resources outside them.
 * EventBridge only routes our own account's AWS events to our rules, so such an event was put by hand
 * (or replayed from elsewhere): it must not move a model.
 */
export function originProblem(event: Envelope, origin: IngressDeps['origin']): string | undefined {
  if (event.account !== origin.account) return `Event account ${event.account} is not this account ${origin.account}`;
  if (event.region !== origin.region) return `Event region ${event.region} is not this region ${origin.region}`;
  const foreign = event.resources.find((arn) => {
    const [, , , region, account] = arn.split(':');
    return (account && account !== origin.account) || (region && region !== origin.region);
  });
  return foreign ? `Event names a resource outside this account and region: ${foreign}` : undefined;
}

/** Records and announces a refused event. The raw event is kept as evidence; nothing else happens. */
export async function rejectEvent(deps: IngressDeps, raw: unknown, reason: string): Promise<IngressOutcome> {
  const e = (raw ?? {}) as Partial<Record<string, unknown>>;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.length > 0 ? v : fallback);
  // Without an id (a direct invocation), the content names the event, so two different ones stay two.
  const eventId = text(e.id, `no-id-${shortHash(JSON.stringify(raw ?? null))}`);
  const source = text(e.source, 'unknown-source');
  const detailType = text(e['detail-type'], 'unknown-detail-type');
  const receivedAt = deps.clock.now();
  await deps.state.recordRejectedEvent({ eventId, source, detailType, reason, receivedAt, raw: JSON.stringify(raw ?? null) });
  const group = (e.detail as { ModelPackageGroupName?: unknown } | undefined)?.ModelPackageGroupName;
  await deps.bus.publish([
    {
      detailType: 'EventRejected',
      detail: {
        schemaVersion: 1,
        eventKey: `rejected/${eventId}/${source}`.slice(0, 255),
        modelGroup: text(group, 'unknown'),
        occurredAt: receivedAt,
        source,
        detailType,
        eventId,
        reason: reason.slice(0, 2000),
      },
    },
  ]);
  return { outcome: 'rejected', reason };
}

/** Queues a reconcile of `group` triggered by `event`. */
export async function requestReconcile(deps: IngressDeps, group: string, event: Envelope, reason: string): Promise<IngressOutcome> {
  const request: ReconcileRequest = {
    modelGroup: group,
    reason: reason.slice(0, 512),
    trigger: { source: event.source, detailType: event['detail-type'], eventId: event.id, time: event.time },
  };
  await deps.queue.request(request);
  return { outcome: 'requested', groups: [group] };
}
