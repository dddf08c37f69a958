/**
 * PagerDuty Events API v2 client (aws-facts §5.1): `send(page)` triggers or resolves an incident, retries what
 * PagerDuty says may be retried (429, 5xx, network errors) with exponential backoff, and classifies the rest into the
 * project's error taxonomy. The routing key is a secret: it goes into the request body and nowhere else, never into
 * an error message or a log.
 */
import { messageOf, RetryableError, TerminalError } from '../runtime/errors';
import { MAX_DEDUP_KEY, MAX_SUMMARY, type Page, type Severity } from './notification';

/** The Events API v2 endpoint (US service region; the EU region is `events.eu.pagerduty.com`). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** An "Events API V2" integration key is 32 characters; PagerDuty answers 400 to any other length. */
const ROUTING_KEY_LENGTH = 32;

/** Who sent the event, as the incident shows it. */
const CLIENT = 'creditai-mlops';

/** Options of {@link makePagerDutyClient}. */
export interface PagerDutyClientOptions {
  /** The integration key, read when a page is sent (from Secrets Manager or SSM, cached by the caller). */
  routingKey: () => Promise<string>;
  /** Injected for tests; the global `fetch` otherwise. */
  fetch?: typeof fetch;
  /** Defaults to {@link PAGERDUTY_EVENTS_URL}. */
  endpoint?: string;
  /** Attempts per page, the first included. Default 3. */
  maxAttempts?: number;
  /** Injected for tests; a timer otherwise. */
  sleep?: (ms: number) => Promise<void>;
  /** First backoff; doubled per attempt. Default 200 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling, a `Retry-After` included: the function's own timeout bounds the wait. Default 5 s. */
  maxDelayMs?: number;
  /** Per-request timeout; a hung connection counts as a network error. Default 5 s. */
  timeoutMs?: number;
}

/** Sends pages. */
export interface PagerDutyClient {
  /**
   * Triggers or resolves the page's incident.
   *
   * @returns the dedup key PagerDuty filed the event under.
   * @throws TerminalError for a bad routing key or an event PagerDuty refuses (400); RetryableError when 429, 5xx or
   *   network errors persist for `maxAttempts`.
   */
  send(page: Page): Promise<{ dedupKey: string }>;
}

/** The Events API v2 request body. */
export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    severity: Severity;
    source: string;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
  client?: string;
}

/** The request body of a page. A resolve carries only the key and the action: payload and links are for triggers. */
export function toPagerDutyEvent(page: Page, routingKey: string): PagerDutyEvent {
  const head = { routing_key: routingKey, event_action: page.action, dedup_key: page.dedupKey };
  if (page.action === 'resolve') return head;
  return {
    ...head,
    payload: {
      summary: page.summary.slice(0, MAX_SUMMARY),
      severity: page.severity,
      source: page.source,
      ...(page.timestamp ? { timestamp: page.timestamp } : {}),
      ...(page.component ? { component: page.component } : {}),
      ...(page.group ? { group: page.group } : {}),
      ...(page.class ? { class: page.class } : {}),
      custom_details: page.customDetails,
    },
    ...(page.runbookUrl ? { links: [{ href: page.runbookUrl, text: 'Runbook' }] } : {}),
    client: CLIENT,
  };
}

type Attempt =
  | { kind: 'ok'; dedupKey: string | undefined }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'terminal'; reason: string };

/** PagerDuty's own words from an error response (`{status, message, errors[]}`), or the start of the raw text. */
function describeResponse(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(body.errors) ? body.errors.map(String) : [];
    const parts = [typeof body.message === 'string' ? body.message : '', ...errors].filter(Boolean);
    if (parts.length > 0) return `HTTP ${status}: ${parts.join('; ')}`;
  } catch {
    // Not JSON (a proxy's HTML page): quote its start.
  }
  return `HTTP ${status}${text ? `: ${text.slice(0, 300)}` : ''}`;
}

/** `Retry-After` in seconds, as milliseconds. */
function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function sleepFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A PagerDuty Events API v2 client.
 *
 * @example
 * const pagerDuty = makePagerDutyClient({ routingKey: () => secrets.get('pagerduty/routing-key') });
 * await pagerDuty.send(notification.page);
 */
export function makePagerDutyClient(options: PagerDutyClientOptions): PagerDutyClient {
  // The global fetch is looked up per call, not captured: whoever stands in for the network (a test, the twin) is
  // the one answering, even for a client built earlier.
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const endpoint = options.endpoint ?? PAGERDUTY_EVENTS_URL;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const sleep = options.sleep ?? sleepFor;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 5000;

  async function attempt(body: string): Promise<Attempt> {
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { kind: 'retry', reason: `network error: ${messageOf(error)}` };
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      try {
        const parsed = JSON.parse(text) as { dedup_key?: unknown };
        return { kind: 'ok', dedupKey: typeof parsed.dedup_key === 'string' ? parsed.dedup_key : undefined };
      } catch {
        return { kind: 'ok', dedupKey: undefined };
      }
    }
    const reason = describeResponse(response.status, text);
    if (response.status === 429 || response.status >= 500) {
      const after = retryAfterMs(response);
      return { kind: 'retry', reason, ...(after !== undefined ? { retryAfterMs: after } : {}) };
    }
    return { kind: 'terminal', reason };
  }

  async function send(page: Page): Promise<{ dedupKey: string }> {
    const routingKey = await options.routingKey();
    // Checked here so a misconfigured secret fails fast, and so its value is never echoed: only its length is.
    if (routingKey.length !== ROUTING_KEY_LENGTH) {
      throw new TerminalError(
        `The PagerDuty routing key must be ${ROUTING_KEY_LENGTH} characters, got ${routingKey.length}: check the integration key secret`,
      );
    }
    if (page.dedupKey.length === 0 || page.dedupKey.length > MAX_DEDUP_KEY) {
      throw new TerminalError(`PagerDuty dedup keys are 1 to ${MAX_DEDUP_KEY} characters, got ${page.dedupKey.length}`);
    }
    // Belt and braces: should PagerDuty or a proxy ever echo the key, it still never reaches an error message.
    const redact = (s: string): string => s.replaceAll(routingKey, '[routing key]');
    const what = `PagerDuty ${page.action} of ${page.dedupKey}`;
    const body = JSON.stringify(toPagerDutyEvent(page, routingKey));
    for (let n = 1; ; n += 1) {
      const outcome = await attempt(body);
      if (outcome.kind === 'ok') return { dedupKey: outcome.dedupKey ?? page.dedupKey };
      if (outcome.kind === 'terminal') throw new TerminalError(redact(`${what} was refused: ${outcome.reason}`));
      if (n >= maxAttempts) {
        throw new RetryableError(redact(`${what} failed after ${n} attempt${n === 1 ? '' : 's'}: ${outcome.reason}`));
      }
      const backoff = baseDelayMs * 2 ** (n - 1);
      await sleep(Math.min(maxDelayMs, Math.max(backoff, outcome.retryAfterMs ?? 0)));
    }
  }

  return { send };
}
