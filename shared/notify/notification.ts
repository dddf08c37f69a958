/**
 * A notification: the SNS subject and body people read and, for incidents, the PagerDuty page; the text helpers
 * and the renderer every describer (domain-messages.ts, alarm-messages.ts) shares.
 */
import type { DomainEvent, DomainEventDetail } from '../contracts/domain-events';
import { shortHash } from '../lifecycle/names';

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

/** PagerDuty's four severities, used for SNS filtering too. */
export type Severity = 'critical' | 'error' | 'warning' | 'info';

/** Where the links in a notification point. */
export interface NotificationLinks {
  /** The runbook page; each event links to its own anchor (`#rollback-performed`, `#alarms`). */
  runbookBaseUrl: string;
  /**
   * The SageMaker console of the region, e.g. `https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1`.
   * An endpoint's page is `<consoleBaseUrl>#/endpoints/<name>`. Omit it and no console link is written.
   */
  consoleBaseUrl?: string;
}

/** A PagerDuty Events API v2 event, before the routing key is added (see `pagerduty.ts`). */
export interface Page {
  action: 'trigger' | 'resolve';
  /** Deterministic per incident, at most 255 characters: a retry or a repeat joins the open incident. */
  dedupKey: string;
  /** One line, at most 1024 characters. */
  summary: string;
  severity: Severity;
  /** The affected system: the endpoint, the pipeline or the model group. */
  source: string;
  /** ISO-8601 time the condition was observed. */
  timestamp?: string;
  component?: string;
  /** The model group. */
  group?: string;
  /** The kind of problem (detail-type, metric or diagnosis category). */
  class?: string;
  runbookUrl?: string;
  customDetails: Record<string, unknown>;
}

/** One notification: the SNS message and, for incidents, the page. */
export interface Notification {
  /** At most 100 printable ASCII characters, no newline (SNS's limit). */
  subject: string;
  /** Plain text, several lines: what happened, to which group/version, why (with figures), what to do, the runbook. */
  body: string;
  severity: Severity;
  page?: Page;
}

/** A domain event's detail, by detail-type. */
export type Detail<T extends DomainEvent['detailType']> = DomainEventDetail<T>;

/** The parts every describer fills in; {@link render} turns them into a {@link Notification}. */
export interface Draft {
  severity: Severity;
  /** The subject, without the severity tag. */
  title: string;
  /** The subject's tag in place of the severity (`approval needed`). */
  tag?: string;
  /** The body's first line: what happened, in one sentence. */
  headline: string;
  /** The page summary, when the headline alone does not say why. */
  summary?: string;
  facts: [label: string, value: string | number | undefined][];
  why: string[];
  next: string[];
  endpointName?: string;
  page?: Omit<Page, 'summary' | 'severity' | 'runbookUrl' | 'customDetails'> & { customDetails?: Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------------------------------
// Limits and text helpers
// ---------------------------------------------------------------------------------------------------------------

/** SNS subject limit. */
export const MAX_SUBJECT = 100;
/** PagerDuty `dedup_key` limit. */
export const MAX_DEDUP_KEY = 255;
/** PagerDuty `payload.summary` limit. */
export const MAX_SUMMARY = 1024;
/** A long AWS failure text is cut here: the diagnosis above it says what matters. */
export const MAX_QUOTED = 1500;

/** The one-command rollback on-call can run from a checkout of the repository. */
export function rollbackCommand(group: string): string {
  return `npm run mlops -- rollback ${group}`;
}

/** `s` cut to `max` characters, with an ellipsis when something was cut. */
export function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}

/** Whitespace and control characters collapsed to single spaces: pages and subjects are one line. */
export function oneLine(s: string): string {
  return s.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** A valid SNS subject: printable ASCII only (anything else becomes `?`), one line, at most 100 characters. */
export function toSubject(s: string): string {
  return cut(oneLine(s).replace(/[^\x20-\x7e]/g, '?'), MAX_SUBJECT);
}

/**
 * A dedup key within PagerDuty's 255 characters. A longer key keeps its head and gains a hash of the whole, so it
 * stays both stable and unique (truncation alone could merge two incidents).
 */
export function toDedupKey(key: string): string {
  if (key.length <= MAX_DEDUP_KEY) return key;
  const hash = shortHash(key, 16);
  return `${key.slice(0, MAX_DEDUP_KEY - hash.length - 1)}#${hash}`;
}

/** `RollbackPerformed` → `rollback-performed`: the runbook anchor of a detail-type. */
export function kebabCase(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** A base URL with its fragment replaced by `fragment`. */
export function withFragment(base: string, fragment: string): string {
  return `${base.replace(/#.*$/, '')}#${fragment}`;
}

/** The runbook link of a detail-type (or `alarms`). */
export function runbookUrl(links: NotificationLinks, anchor: string): string {
  return withFragment(links.runbookBaseUrl, anchor);
}

/** The SageMaker console page of an endpoint, when a console base is configured. */
export function endpointConsoleUrl(links: NotificationLinks, endpointName: string | undefined): string | undefined {
  if (!links.consoleBaseUrl || !endpointName) return undefined;
  return withFragment(links.consoleBaseUrl, `/endpoints/${encodeURIComponent(endpointName)}`);
}

/** `600` → `10 min`, `90` → `90 s`. */
export function duration(seconds: number): string {
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** `a`, `a and b`, `a, b and c`. */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `credit-risk-retail v7`, or the group alone for group-level events. */
export function groupVersion(group: string, version?: number): string {
  return version === undefined ? group : `${group} v${version}`;
}

export type Actor = Detail<'ModelApproved'>['approver'];

/** Who acted, in a sentence: the control plane by name, anyone else by ARN. */
export function actorName(actor: Actor): string {
  return actor.kind === 'control-plane' ? 'the control plane' : actor.arn;
}

/** Who acted, with how the identity was established (an auditor's question). */
export function actorText(actor: Actor): string {
  return actor.kind === 'control-plane' ? `the control plane (${actor.arn})` : `${actor.arn} (${actor.kind}, identified from ${actor.source})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------------------

export interface RenderContext {
  links: NotificationLinks;
  anchor: string;
  modelGroup: string | undefined;
  /** `Event: …` footer: which event this was, so a reader can find it in the ledger. */
  eventRef: string;
  timestamp: string;
  /** Structured facts for the page, on top of the draft's. */
  details: Record<string, unknown>;
}

export function section(heading: string, items: readonly string[]): string[] {
  return items.length === 0 ? [] : ['', heading, ...items.map((i) => `- ${i}`)];
}

export function render(draft: Draft, ctx: RenderContext): Notification {
  const runbook = runbookUrl(ctx.links, ctx.anchor);
  const consoleUrl = endpointConsoleUrl(ctx.links, draft.endpointName);
  const facts = draft.facts.filter((f): f is [string, string | number] => f[1] !== undefined && f[1] !== '');
  const body = [
    draft.headline,
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    ...(consoleUrl ? [`Console: ${consoleUrl}`] : []),
    ...section('Why:', draft.why),
    ...section('What to do next:', draft.next),
    '',
    `Runbook: ${runbook}`,
    `Event: ${ctx.eventRef}`,
  ].join('\n');
  const notification: Notification = {
    subject: toSubject(`[${draft.tag ?? draft.severity.toUpperCase()}] ${draft.title}`),
    body,
    severity: draft.severity,
  };
  if (!draft.page) return notification;
  const { customDetails, ...page } = draft.page;
  return {
    ...notification,
    page: {
      ...page,
      dedupKey: toDedupKey(page.dedupKey),
      summary: cut(oneLine(draft.summary ?? draft.headline), MAX_SUMMARY),
      severity: draft.severity,
      timestamp: ctx.timestamp,
      ...(ctx.modelGroup ? { group: ctx.modelGroup } : {}),
      runbookUrl: runbook,
      customDetails: {
        ...ctx.details,
        ...customDetails,
        runbook,
        ...(consoleUrl ? { console: consoleUrl } : {}),
      },
    },
  };
}

