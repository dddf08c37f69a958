/**
 * PagerDuty's Events API v2 as the twin sees it: the notify function's real client posts to
 * https://events.pagerduty.com/v2/enqueue with the global `fetch`; the twin answers those posts (and only those:
 * any other URL fails loudly), checks them as PagerDuty would (routing key, action, dedup key, a trigger's
 * payload) and keeps the incidents they open and resolve, so scenarios can say who was paged and for what.
 */
import { PAGERDUTY_EVENTS_URL } from '../../../shared/notify/pagerduty';

/** One event PagerDuty accepted. */
export interface PagerDutyRecord {
  action: 'trigger' | 'acknowledge' | 'resolve';
  dedupKey: string;
  summary?: string;
  severity?: string;
  source?: string;
  receivedAt: string;
}

export interface PagerDutyTwin {
  readonly routingKey: string;
  /** Every accepted event, in arrival order. */
  readonly events: readonly PagerDutyRecord[];
  /** Dedup keys of incidents triggered and not resolved. */
  openIncidents(): string[];
  /** Puts the twin in front of the global fetch; returns the undo. */
  install(now: () => string): () => void;
}

const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

function reply(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function createPagerDutyTwin(routingKey = 'R0UT1NGKEYTW1N000000000000000000'): PagerDutyTwin {
  const events: PagerDutyRecord[] = [];
  const open = new Set<string>();

  function accept(body: Record<string, unknown>, receivedAt: string): Response {
    const payload = body.payload as Record<string, unknown> | undefined;
    const errors: string[] = [];
    if (body.routing_key !== routingKey) errors.push('Invalid routing key');
    if (!['trigger', 'acknowledge', 'resolve'].includes(String(body.event_action))) errors.push("'event_action' is invalid");
    if (body.event_action === 'trigger') {
      if (!payload || typeof payload.summary !== 'string' || payload.summary.length === 0) errors.push("'payload.summary' is missing or blank");
      if (!payload || typeof payload.source !== 'string') errors.push("'payload.source' is missing or blank");
      if (!payload || !SEVERITIES.has(String(payload.severity))) errors.push("'payload.severity' is invalid");
    } else if (typeof body.dedup_key !== 'string') errors.push("'dedup_key' is required for this event_action");
    if (errors.length > 0) return reply(400, { status: 'invalid event', message: 'Event object is invalid', errors });
    const dedupKey = typeof body.dedup_key === 'string' ? body.dedup_key : `pd-${events.length + 1}`;
    const action = body.event_action as PagerDutyRecord['action'];
    events.push({ action, dedupKey, receivedAt, ...(payload ? { summary: String(payload.summary), severity: String(payload.severity), source: String(payload.source) } : {}) });
    if (action === 'trigger') open.add(dedupKey);
    if (action === 'resolve') open.delete(dedupKey);
    return reply(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  }

  return {
    routingKey,
    events,
    openIncidents: () => [...open],
    install(now) {
      const previous = globalThis.fetch;
      globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (url !== PAGERDUTY_EVENTS_URL) throw new Error(`The twin has no network: fetch of ${url} refused`);
        return accept(JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>, now());
      }) as typeof fetch;
      return () => {
        globalThis.fetch = previous;
      };
    },
  };
}
