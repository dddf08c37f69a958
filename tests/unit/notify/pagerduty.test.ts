/**
 * The PagerDuty Events API v2 client against an injected fake fetch: exact request bodies, PagerDuty's retry rules
 * (aws-facts §5.1) and a routing key that never leaks into an error.
 */
import { RetryableError, TerminalError } from '../../../shared/runtime/errors';
import type { Page } from '../../../shared/notify/notification';
import { makePagerDutyClient, PAGERDUTY_EVENTS_URL, type PagerDutyClientOptions } from '../../../shared/notify/pagerduty';

const ROUTING_KEY = 'R0UT1NGK3Y0123456789abcdefABCDEF';

const TRIGGER: Page = {
  action: 'trigger',
  dedupKey: 'rollback:credit-risk-retail:v7',
  summary: 'Version 7 of credit-risk-retail was rolled back on credit-risk-retail-prod by the control plane: p99 latency',
  severity: 'critical',
  source: 'credit-risk-retail-prod',
  timestamp: '2026-11-28T10:04:52.000Z',
  component: 'credit-risk-retail-prod',
  group: 'credit-risk-retail',
  class: 'RollbackPerformed',
  runbookUrl: 'https://runbooks.creditai.example/mlops#rollback-performed',
  customDetails: { version: 7, toVersion: 6 },
};

const RESOLVE: Page = {
  action: 'resolve',
  dedupKey: 'alarm:creditai-credit-risk-retail-prod-p99-latency',
  summary: 'CloudWatch alarm creditai-credit-risk-retail-prod-p99-latency is back to OK',
  severity: 'info',
  source: 'credit-risk-retail-prod',
  customDetails: {},
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const accepted = (dedupKey: string): Response => json(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
const invalid = (): Response =>
  json(400, { status: 'invalid event', message: 'Event object is invalid', errors: ["'payload.source' is missing or blank"] });

/** A fake fetch answering from a script (a Response, or an Error to throw), recording each request. */
function fakeFetch(script: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = jest.fn(async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = script.shift();
    if (!next) throw new Error('fake fetch: no scripted response left');
    if (next instanceof Error) throw next;
    return next;
  });
  return { fetch: fn as unknown as typeof fetch, calls, bodies: () => calls.map((c) => JSON.parse(String(c.init.body)) as unknown) };
}

function client(script: (Response | Error)[], options: Partial<PagerDutyClientOptions> = {}) {
  const fake = fakeFetch(script);
  const sleeps: number[] = [];
  const pagerDuty = makePagerDutyClient({
    routingKey: async () => ROUTING_KEY,
    fetch: fake.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { pagerDuty, sleeps, ...fake };
}

/** The error `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('Function: makePagerDutyClient', () => {
  it('triggers with the exact Events API v2 body', async () => {
    // Prepare
    const { pagerDuty, calls, bodies } = client([accepted(TRIGGER.dedupKey)]);

    // Act
    const result = await pagerDuty.send(TRIGGER);

    // Assess
    expect(result).toEqual({ dedupKey: 'rollback:credit-risk-retail:v7' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(PAGERDUTY_EVENTS_URL);
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(bodies()[0]).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'rollback:credit-risk-retail:v7',
      payload: {
        summary: TRIGGER.summary,
        severity: 'critical',
        source: 'credit-risk-retail-prod',
        timestamp: '2026-11-28T10:04:52.000Z',
        component: 'credit-risk-retail-prod',
        group: 'credit-risk-retail',
        class: 'RollbackPerformed',
        custom_details: { version: 7, toVersion: 6 },
      },
      links: [{ href: 'https://runbooks.creditai.example/mlops#rollback-performed', text: 'Runbook' }],
      client: 'creditai-mlops',
    });
  });

  it('resolves with the key and the action only: no payload, links or client', async () => {
    const { pagerDuty, bodies } = client([accepted(RESOLVE.dedupKey)]);

    await pagerDuty.send(RESOLVE);

    expect(bodies()[0]).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'alarm:creditai-credit-risk-retail-prod-p99-latency',
    });
  });

  it('leaves out optional payload fields that are not set, and cuts a long summary to 1024', async () => {
    const { pagerDuty, bodies } = client([accepted('k')]);

    await pagerDuty.send({ action: 'trigger', dedupKey: 'k', summary: 's'.repeat(2000), severity: 'error', source: 'x', customDetails: {} });

    expect(bodies()[0]).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'k',
      payload: { summary: 's'.repeat(1024), severity: 'error', source: 'x', custom_details: {} },
      client: 'creditai-mlops',
    });
  });

  it('posts to a configured endpoint and falls back to its own key when the response has none', async () => {
    const { pagerDuty, calls } = client([new Response('', { status: 202 })], { endpoint: 'https://events.eu.pagerduty.com/v2/enqueue' });

    await expect(pagerDuty.send(TRIGGER)).resolves.toEqual({ dedupKey: TRIGGER.dedupKey });
    expect(calls[0]!.url).toBe('https://events.eu.pagerduty.com/v2/enqueue');
  });

  it("fails terminally on 400 with PagerDuty's message, without retrying", async () => {
    const { pagerDuty, calls, sleeps } = client([invalid()]);

    const error = await failure(pagerDuty.send(TRIGGER));

    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toContain('Event object is invalid');
    expect(error.message).toContain("'payload.source' is missing or blank");
    expect(error.message).toContain('HTTP 400');
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries a 429 with backoff and succeeds on the next 202', async () => {
    const { pagerDuty, calls, sleeps } = client([json(429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly' }), accepted('k2')]);

    await expect(pagerDuty.send(TRIGGER)).resolves.toEqual({ dedupKey: 'k2' });
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([200]);
  });

  it('waits as long as Retry-After asks, within the ceiling', async () => {
    const { pagerDuty, sleeps } = client([json(429, {}, { 'Retry-After': '2' }), json(429, {}, { 'Retry-After': '60' }), accepted('k')]);

    await pagerDuty.send(TRIGGER);

    expect(sleeps).toEqual([2000, 5000]);
  });

  it('gives up after three 500s with a RetryableError, backing off exponentially', async () => {
    const { pagerDuty, calls, sleeps } = client([json(500, {}), json(502, {}), json(503, { message: 'Service Unavailable' })]);

    const error = await failure(pagerDuty.send(TRIGGER));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toBe('PagerDuty trigger of rollback:credit-risk-retail:v7 failed after 3 attempts: HTTP 503: Service Unavailable');
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([200, 400]);
  });

  it('retries network errors, and honours maxAttempts', async () => {
    const { pagerDuty, calls } = client([new TypeError('fetch failed'), new TypeError('fetch failed')], { maxAttempts: 2 });

    const error = await failure(pagerDuty.send(RESOLVE));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toContain('network error: fetch failed');
    expect(calls).toHaveLength(2);
  });

  it.each([
    ['too short', ROUTING_KEY.slice(0, 31)],
    ['too long', `${ROUTING_KEY}x`],
    ['empty', ''],
  ])('refuses a routing key that is %s before sending, without echoing it', async (_name, key) => {
    const { pagerDuty, calls } = client([accepted('k')], { routingKey: async () => key });

    const error = await failure(pagerDuty.send(TRIGGER));

    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toMatch(/must be 32 characters, got \d+/);
    if (key) expect(error.message).not.toContain(key);
    expect(calls).toHaveLength(0);
  });

  it('refuses a dedup key PagerDuty would refuse', async () => {
    const { pagerDuty, calls } = client([accepted('k')]);

    await expect(pagerDuty.send({ ...TRIGGER, dedupKey: 'k'.repeat(256) })).rejects.toBeInstanceOf(TerminalError);
    expect(calls).toHaveLength(0);
  });

  it('never lets the routing key into an error message, even when the response echoes it', async () => {
    const echo = (status: number): Response => json(status, { message: `Bad routing_key ${ROUTING_KEY}`, errors: [ROUTING_KEY] });
    const scripts: (Response | Error)[][] = [
      [echo(400)],
      [echo(500), echo(500), echo(500)],
      [echo(429), echo(429), echo(429)],
      [new TypeError(`connect ECONNREFUSED ${ROUTING_KEY}`), new TypeError('x'), new TypeError(`x ${ROUTING_KEY}`)],
      [new Response(`<html>${ROUTING_KEY}</html>`, { status: 404 })],
    ];

    const errors = await Promise.all(scripts.map((script) => failure(client(script).pagerDuty.send(TRIGGER))));

    expect(errors).toHaveLength(5);
    for (const error of errors) {
      expect(error.message).not.toContain(ROUTING_KEY);
      expect(String(error)).not.toContain(ROUTING_KEY);
      expect(JSON.stringify(error)).not.toContain(ROUTING_KEY);
    }
  });

  it('lets a failure to read the routing key through untouched, sending nothing', async () => {
    const boom = new Error('SecretsManager unavailable');
    const { pagerDuty, calls } = client([accepted('k')], { routingKey: async () => Promise.reject(boom) });

    await expect(pagerDuty.send(TRIGGER)).rejects.toBe(boom);
    expect(calls).toHaveLength(0);
  });
});
