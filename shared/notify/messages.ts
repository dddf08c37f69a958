/**
 * What people receive: one human-readable notification (an SNS subject and body) per domain event or project alarm,
 * and, for incidents, the PagerDuty page that goes with it.
 *
 * Severity and paging, in one place:
 *
 * | event                                      | severity          | page                                     |
 * |--------------------------------------------|-------------------|------------------------------------------|
 * | RollbackPerformed                          | critical          | trigger `rollback:<group>:v<version>`    |
 * | ReconcileFailed                            | its own severity  | trigger `reconcile:<group>:<reason>` when critical or error |
 * | PipelineFailed                             | error             | trigger `pipeline:<executionArn>`        |
 * | ApprovalUnverified, EventRejected, ModelRejected | warning     | none                                     |
 * | every other domain event                   | info              | none                                     |
 * | alarm ALARM                                | critical          | trigger `alarm:<alarmName>`              |
 * | alarm OK                                   | info              | resolve `alarm:<alarmName>`              |
 * | alarm INSUFFICIENT_DATA (not routed today) | warning           | none                                     |
 *
 * Pure: no AWS, no clock, no environment. Domain events carry no secrets, and nothing else is read.
 */
import { parseAlarmReasonData, pipelineNameFromArn, type AlarmStateChangeEvent } from '../contracts/aws-events';
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
type Detail<T extends DomainEvent['detailType']> = DomainEventDetail<T>;

/** The parts every describer fills in; {@link render} turns them into a {@link Notification}. */
interface Draft {
  severity: Severity;
  /** The subject, without the severity tag. */
  title: string;
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
const MAX_QUOTED = 1500;

/** The one-command rollback on-call can run from a checkout of the repository. */
export function rollbackCommand(group: string): string {
  return `npm run mlops -- rollback ${group}`;
}

/** `s` cut to `max` characters, with an ellipsis when something was cut. */
function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}

/** Whitespace and control characters collapsed to single spaces: pages and subjects are one line. */
function oneLine(s: string): string {
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
function withFragment(base: string, fragment: string): string {
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
function duration(seconds: number): string {
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `credit-risk-retail v7`, or the group alone for group-level events. */
function groupVersion(group: string, version?: number): string {
  return version === undefined ? group : `${group} v${version}`;
}

type Actor = Detail<'ModelApproved'>['approver'];

/** Who acted, in a sentence: the control plane by name, anyone else by ARN. */
function actorName(actor: Actor): string {
  return actor.kind === 'control-plane' ? 'the control plane' : actor.arn;
}

/** Who acted, with how the identity was established (an auditor's question). */
function actorText(actor: Actor): string {
  return actor.kind === 'control-plane' ? `the control plane (${actor.arn})` : `${actor.arn} (${actor.kind}, identified from ${actor.source})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------------------

interface RenderContext {
  links: NotificationLinks;
  anchor: string;
  modelGroup: string | undefined;
  /** `Event: …` footer: which event this was, so a reader can find it in the ledger. */
  eventRef: string;
  timestamp: string;
  /** Structured facts for the page, on top of the draft's. */
  details: Record<string, unknown>;
}

function section(heading: string, items: readonly string[]): string[] {
  return items.length === 0 ? [] : ['', heading, ...items.map((i) => `- ${i}`)];
}

function render(draft: Draft, ctx: RenderContext): Notification {
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
    subject: toSubject(`[${draft.severity.toUpperCase()}] ${draft.title}`),
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

// ---------------------------------------------------------------------------------------------------------------
// Domain events
// ---------------------------------------------------------------------------------------------------------------

function versionFacts(d: { modelGroup: string; version?: number }): Draft['facts'] {
  return [
    ['Model group', d.modelGroup],
    ['Version', d.version],
  ];
}

function gateLine(r: Detail<'ModelGated'>['results'][number]): string {
  const figures = [r.observed !== undefined ? `observed ${r.observed}` : '', r.threshold ? `threshold ${r.threshold}` : '']
    .filter(Boolean)
    .join(', ');
  return `${r.passed ? 'PASS' : 'FAIL'} ${r.gate}: ${r.message}${figures ? ` [${figures}]` : ''}`;
}

function modelGated(d: Detail<'ModelGated'>): Draft {
  const failed = d.results.filter((r) => !r.passed);
  return {
    severity: 'info',
    title: d.passed
      ? `${groupVersion(d.modelGroup, d.version)} passed its gates`
      : `${groupVersion(d.modelGroup, d.version)} failed ${failed.length} of ${plural(d.results.length, 'gate')}`,
    headline: d.passed
      ? `Version ${d.version} of ${d.modelGroup} passed all ${plural(d.results.length, 'gate')} and goes on to staging and approval.`
      : `Version ${d.version} of ${d.modelGroup} failed ${failed.length} of ${plural(d.results.length, 'gate')} and is rejected.`,
    facts: versionFacts(d),
    // Failures first: they are what the reader came for.
    why: [...failed, ...d.results.filter((r) => r.passed)].map(gateLine),
    next: d.passed
      ? ['Nothing to do: the version continues on its own.']
      : ['Fix the data or the model for the failed gates and push: the new version re-enters the lifecycle.'],
  };
}

function modelApproved(d: Detail<'ModelApproved'>): Draft {
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} approved for ${d.environment}`,
    headline: `Version ${d.version} of ${d.modelGroup} was approved for ${d.environment} by ${actorName(d.approver)}.`,
    facts: [...versionFacts(d), ['Environment', d.environment], ['Approver', actorText(d.approver)]],
    why: [`Stated reason: ${d.reason || '(none given)'}`],
    next: [`Nothing to do: the ${d.environment} rollout starts as soon as the endpoint is free (DeploymentStarted follows).`],
  };
}

function modelRejected(d: Detail<'ModelRejected'>): Draft {
  return {
    severity: 'warning',
    title: `${groupVersion(d.modelGroup, d.version)} rejected`,
    headline: `Version ${d.version} of ${d.modelGroup} was rejected by ${actorName(d.rejectedBy)} and will not be deployed.`,
    facts: [...versionFacts(d), ['Rejected by', actorText(d.rejectedBy)]],
    why: d.reasons,
    next: ['A rejected version is final. Fix the causes above and push: the next version re-enters the lifecycle.'],
  };
}

function approvalUnverified(d: Detail<'ApprovalUnverified'>): Draft {
  return {
    severity: 'warning',
    title: `${groupVersion(d.modelGroup, d.version)}: ${d.environment} approval not verified`,
    headline: `The ${d.environment} approval of version ${d.version} of ${d.modelGroup} has no identified human approver, so the control plane does not act on it.`,
    facts: [...versionFacts(d), ['Environment', d.environment], ['Recorded actor', d.actor ? actorText(d.actor) : 'none']],
    why: [d.reason],
    next: [
      'Check who approved in CloudTrail (UpdateModelPackage).',
      'If the approval is genuine, approve again in the SageMaker console or with the CLI, signed in as yourself (not a shared or service role), so the approver is recorded.',
      'If it is not, reject the version and review who may call UpdateModelPackage.',
    ],
  };
}

function deploymentStarted(d: Detail<'DeploymentStarted'>): Draft {
  const rollback = d.kind === 'rollback';
  return {
    severity: 'info',
    title: rollback
      ? `${groupVersion(d.modelGroup, d.version)} redeploying to ${d.environment} (rollback)`
      : `${groupVersion(d.modelGroup, d.version)} deploying to ${d.environment}`,
    headline: rollback
      ? `Version ${d.version} of ${d.modelGroup} is being redeployed to ${d.endpointName} as the last-known-good version.`
      : `Version ${d.version} of ${d.modelGroup} is being deployed to ${d.endpointName} (${d.environment}, ${d.strategy}).`,
    facts: [
      ...versionFacts(d),
      ['Environment', d.environment],
      ['Endpoint', d.endpointName],
      ['Endpoint config', d.endpointConfigName],
      ['Strategy', d.strategy],
    ],
    why: [rollback ? 'A rollback redeploys the last version that was Live before.' : 'The version passed its gates and its approval.'],
    next: [
      d.environment === 'staging'
        ? 'Nothing to do: a smoke test runs when the endpoint is InService (StagingVerified follows).'
        : 'Nothing to do: ModelPromoted follows when the endpoint serves the new config; a failure is reported.',
    ],
    endpointName: d.endpointName,
  };
}

function stagingVerified(d: Detail<'StagingVerified'>): Draft {
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} verified in staging`,
    headline: `Version ${d.version} of ${d.modelGroup} passed its smoke test on ${d.endpointName}.`,
    facts: [...versionFacts(d), ['Endpoint', d.endpointName]],
    why: d.checks.map((c) => `${c.passed ? 'PASS' : 'FAIL'} ${c.name}: ${c.message}`),
    next: ['Production approval is next: where the policy asks for a manual approval, approve in the SageMaker console or with the CLI.'],
    endpointName: d.endpointName,
  };
}

function canaryStarted(d: Detail<'CanaryStarted'>): Draft {
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} canary at ${d.trafficPercent}% in production`,
    headline: `Version ${d.version} of ${d.modelGroup} takes ${d.trafficPercent}% of production traffic on ${d.endpointName} for a ${duration(d.bakeSeconds)} bake.`,
    facts: [
      ...versionFacts(d),
      ['Endpoint', d.endpointName],
      ['Endpoint config', d.endpointConfigName],
      ['Canary traffic', `${d.trafficPercent}%`],
      ['Bake time', duration(d.bakeSeconds)],
    ],
    why: [
      d.rollbackAlarms.length > 0
        ? `SageMaker rolls the canary back on its own if ${d.rollbackAlarms.length === 1 ? 'this alarm fires' : 'any of these alarms fires'} during the bake: ${list(d.rollbackAlarms)}.`
        : 'No rollback alarm guards this canary: SageMaker will not roll it back on its own.',
    ],
    next: ['Nothing to do: ModelPromoted or RollbackPerformed follows.'],
    endpointName: d.endpointName,
  };
}

function modelPromoted(d: Detail<'ModelPromoted'>): Draft {
  const previous = d.previousVersion;
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} live in production${previous ? ` (replaces v${previous})` : ''}`,
    headline: `Version ${d.version} of ${d.modelGroup} now serves all production traffic on ${d.endpointName}.`,
    facts: [...versionFacts(d), ['Endpoint', d.endpointName], ['Endpoint config', d.endpointConfigName], ['Previous version', previous]],
    why: [
      previous
        ? `It replaces version ${previous}, which is kept as the last-known-good.`
        : 'It is the first version in production: there is no last-known-good to roll back to yet.',
    ],
    next: previous
      ? [`If it misbehaves, roll back to version ${previous} with one command: ${rollbackCommand(d.modelGroup)}`]
      : ['Nothing to do.'],
    endpointName: d.endpointName,
  };
}

const INITIATOR: Record<Detail<'RollbackPerformed'>['initiator'], string> = {
  'sagemaker-guardrails': "SageMaker's deployment guardrails",
  'control-plane': 'the control plane',
  operator: 'an operator',
};

function rollbackPerformed(d: Detail<'RollbackPerformed'>): Draft {
  const to = d.toVersion;
  const stillOld = d.initiator === 'sagemaker-guardrails';
  return {
    severity: 'critical',
    title: `${groupVersion(d.modelGroup, d.version)} rolled back${to ? ` to v${to}` : ''} on ${d.endpointName}`,
    headline: `Version ${d.version} of ${d.modelGroup} was rolled back on ${d.endpointName} by ${INITIATOR[d.initiator]}.`,
    summary: `Version ${d.version} of ${d.modelGroup} was rolled back on ${d.endpointName} by ${INITIATOR[d.initiator]}: ${d.reason}`,
    facts: [
      ...versionFacts(d),
      ['Endpoint', d.endpointName],
      ['Initiator', d.initiator],
      ['Now serving', to ? `version ${to} (being redeployed)` : stillOld ? 'the previous endpoint config (the rollout never completed)' : undefined],
    ],
    why: [`Reason: ${d.reason}`, ...(d.alarms.length > 0 ? [`Alarms: ${list(d.alarms)}`] : [])],
    next: [
      ...(to ? [`Check that version ${to} is healthy again: a DeploymentStarted (rollback) and then ModelPromoted follow.`] : []),
      'Find the cause (the reason and alarms above, the endpoint metrics and logs) before releasing a fix: a rolled-back version is final, ship a new one.',
      'Resolve this incident by hand once production is healthy: no automatic resolve follows.',
    ],
    endpointName: d.endpointName,
    page: {
      action: 'trigger',
      dedupKey: `rollback:${d.modelGroup}:v${d.version}`,
      source: d.endpointName,
      component: d.endpointName,
      class: 'RollbackPerformed',
    },
  };
}

/** What to do about a failed pipeline, by diagnosis category. */
function pipelineNext(d: Detail<'PipelineFailed'>): string[] {
  const retry = `then retry the execution: aws sagemaker retry-pipeline-execution --pipeline-execution-arn ${d.pipelineExecutionArn}`;
  const { category, action, resource, principal } = d.diagnosis;
  switch (category) {
    case 'missing-permission':
      return [
        `Grant ${action ?? 'the missing action'}${resource ? ` on ${resource}` : ''} to ${principal ?? 'the pipeline execution role'} (its policy is in terraform/), ${retry}`,
      ];
    case 'resource-limit':
      return [`Request a service quota increase or use a smaller instance type, ${retry}`];
    case 'data':
      return ['Check the training data named above (schema, labels, location), fix it and push or re-run the pipeline.'];
    case 'algorithm':
      return ["Read the failed step's CloudWatch logs, fix the training or processing code and push."];
    case 'condition-not-met':
      return ['The model did not meet the policy (AUC or fairness): improve it and push. Nothing is deployed.'];
    case 'unknown':
      return [`Read the failure reason above and the failed step's logs; fix the cause, ${retry}`];
  }
}

function pipelineName(arn: string): string {
  try {
    return pipelineNameFromArn(arn);
  } catch {
    return arn;
  }
}

function pipelineFailed(d: Detail<'PipelineFailed'>): Draft {
  const name = pipelineName(d.pipelineArn);
  const who = d.modelGroup === 'unknown' ? name : d.modelGroup;
  return {
    severity: 'error',
    title: `${who} training pipeline failed: ${d.diagnosis.category}`,
    // The diagnosis leads: it names the fix ("role X lacks s3:GetObject on s3://…"), the raw reason follows.
    headline: `Training pipeline ${name} failed: ${d.diagnosis.summary}`,
    facts: [
      ['Model group', d.modelGroup],
      ['Pipeline', name],
      ['Execution', d.pipelineExecutionArn],
      ['Failed step', d.failedStep],
      ['Diagnosis', d.diagnosis.category],
      ['Missing permission', d.diagnosis.action],
      ['Resource', d.diagnosis.resource],
      ['Principal', d.diagnosis.principal],
    ],
    why: [`SageMaker's failure reason: ${cut(d.failureReason, MAX_QUOTED)}`],
    next: pipelineNext(d),
    page: {
      action: 'trigger',
      dedupKey: `pipeline:${d.pipelineExecutionArn}`,
      source: d.pipelineArn,
      component: name,
      class: d.diagnosis.category,
    },
  };
}

/** Known reconcile failure reasons and what on-call does about each. */
const RECONCILE_NEXT: Record<string, string[]> = {
  NoRollbackTarget: [
    'There is no last-known-good version to roll back to: fix forward (push a new version) or take traffic off the endpoint.',
    'The rollback request is cleared; request it again once a target exists.',
  ],
  UpdateRollbackFailed: [
    'The endpoint serves a mix of configs. Inspect it in the console and update it by hand to a known-good endpoint config (aws sagemaker update-endpoint); the next sweep reconciles from there.',
  ],
  InvalidPolicy: ["Fix the group's policy overrides: nothing is reconciled for this group until the policy parses."],
};

function reconcileFailed(d: Detail<'ReconcileFailed'>): Draft {
  const pages = d.severity === 'critical' || d.severity === 'error';
  return {
    severity: d.severity,
    title: `${groupVersion(d.modelGroup, d.version)} reconcile failed: ${d.reason}`,
    headline: `Reconciling ${d.modelGroup} failed (${d.reason}): ${d.message}`,
    facts: [...versionFacts(d), ['Reason', d.reason]],
    why: [],
    next: RECONCILE_NEXT[d.reason] ?? ['The reconciler tries again on the next event or sweep; fix the cause above if it persists.'],
    ...(pages ? { page: { action: 'trigger', dedupKey: `reconcile:${d.modelGroup}:${d.reason}`, source: d.modelGroup, class: d.reason } } : {}),
  };
}

function eventRejected(d: Detail<'EventRejected'>): Draft {
  return {
    severity: 'warning',
    title: `Event rejected: ${d.detailType} from ${d.source}`,
    headline: `An event (${d.detailType} from ${d.source}, id ${d.eventId}) was refused and not acted on: ${d.reason}`,
    facts: [
      ['Model group', d.modelGroup],
      ['Source', d.source],
      ['Detail-type', d.detailType],
      ['Event id', d.eventId],
    ],
    why: [],
    next: [
      'Nothing was changed. The raw event is kept as evidence with the rejected-event record.',
      'If the event was genuine, fix its producer or the contract; if not, find out who can put events on the bus.',
    ],
  };
}

/** The draft of one domain event; the switch is exhaustive, so a new detail-type fails to compile here. */
function draftOf(event: DomainEvent): Draft {
  switch (event.detailType) {
    case 'ModelGated':
      return modelGated(event.detail);
    case 'ModelApproved':
      return modelApproved(event.detail);
    case 'ModelRejected':
      return modelRejected(event.detail);
    case 'ApprovalUnverified':
      return approvalUnverified(event.detail);
    case 'DeploymentStarted':
      return deploymentStarted(event.detail);
    case 'StagingVerified':
      return stagingVerified(event.detail);
    case 'CanaryStarted':
      return canaryStarted(event.detail);
    case 'ModelPromoted':
      return modelPromoted(event.detail);
    case 'RollbackPerformed':
      return rollbackPerformed(event.detail);
    case 'PipelineFailed':
      return pipelineFailed(event.detail);
    case 'ReconcileFailed':
      return reconcileFailed(event.detail);
    case 'EventRejected':
      return eventRejected(event.detail);
  }
}

/**
 * The notification of a domain event: subject, body, severity, and the page for incidents.
 *
 * @example
 * describeDomainEvent({ detailType: 'RollbackPerformed', detail }, { runbookBaseUrl: 'https://runbooks.example/mlops' })
 * // → { subject: '[CRITICAL] credit-risk-retail v7 rolled back to v6 on credit-risk-retail-prod', severity: 'critical',
 * //     page: { action: 'trigger', dedupKey: 'rollback:credit-risk-retail:v7', … }, body: '…' }
 */
export function describeDomainEvent(event: DomainEvent, links: NotificationLinks): Notification {
  const { schemaVersion: _schemaVersion, ...details } = event.detail;
  return render(draftOf(event), {
    links,
    anchor: kebabCase(event.detailType),
    modelGroup: event.detail.modelGroup === 'unknown' ? undefined : event.detail.modelGroup,
    eventRef: `${event.detailType} ${event.detail.eventKey} at ${event.detail.occurredAt}`,
    timestamp: event.detail.occurredAt,
    details: { detailType: event.detailType, ...details },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// CloudWatch alarms
// ---------------------------------------------------------------------------------------------------------------

/** What an alarm is about, as far as the event tells: the endpoint from the metric, the group from the endpoint. */
export interface AlarmTarget {
  alarmName: string;
  endpointName?: string;
  /**
   * The model group, derived from the endpoint's default name `<group>-prod` / `<group>-staging`. Undefined for an
   * endpoint named otherwise: the alarm event itself carries no model group.
   */
  modelGroup?: string;
  metricName?: string;
}

/** The endpoint, model group and metric an alarm watches. */
export function alarmTarget(event: AlarmStateChangeEvent): AlarmTarget {
  const metrics = event.detail.configuration?.metrics ?? [];
  const stat = metrics.find((m) => m.metricStat?.metric.dimensions?.EndpointName)?.metricStat ?? metrics[0]?.metricStat;
  const endpointName = stat?.metric.dimensions?.EndpointName;
  const modelGroup = endpointName ? /^(.+)-(?:prod|staging)$/.exec(endpointName)?.[1] : undefined;
  return {
    alarmName: event.detail.alarmName,
    ...(endpointName ? { endpointName } : {}),
    ...(modelGroup ? { modelGroup } : {}),
    ...(stat ? { metricName: stat.metric.name } : {}),
  };
}

/** The figures of `reasonData`: recent datapoints and threshold, in milliseconds where CloudWatch says microseconds. */
function alarmFigures(reasonData: string | undefined): string | undefined {
  const data = reasonData === undefined ? undefined : parseAlarmReasonData(reasonData);
  if (typeof data !== 'object' || data === null) return undefined;
  const { recentDatapoints, threshold, unit, statistic, extendedStatistic } = data as Record<string, unknown>;
  if (!Array.isArray(recentDatapoints) || typeof threshold !== 'number') return undefined;
  const micro = unit === 'Microseconds';
  const show = (n: unknown): string =>
    typeof n !== 'number' ? String(n) : micro ? `${(n / 1000).toFixed(1)} ms` : `${n}${typeof unit === 'string' ? ` ${unit}` : ''}`;
  const stat = typeof extendedStatistic === 'string' ? extendedStatistic : typeof statistic === 'string' ? statistic : 'value';
  return `Recent ${stat} datapoints: ${recentDatapoints.map(show).join(', ')}; threshold ${show(threshold)}`;
}

/** `2019-10-02T17:04:40.989+0000` → `2019-10-02T17:04:40.989+00:00`: CloudWatch's colon-less offset, made ISO-8601 extended. */
function isoTimestamp(s: string): string {
  return s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

function alarmDraft(event: AlarmStateChangeEvent, target: AlarmTarget): Draft {
  const { alarmName, endpointName, modelGroup, metricName } = target;
  const { state, previousState, configuration } = event.detail;
  const on = endpointName ? ` on ${endpointName}` : '';
  const figures = alarmFigures(state.reasonData);
  // The figures lead the headline (and so the page); CloudWatch's own wording follows in the body.
  const why = [configuration?.description, state.reason ? `CloudWatch: ${state.reason}` : undefined].filter(
    (s): s is string => s !== undefined && s !== '',
  );
  const facts: Draft['facts'] = [
    ['Alarm', alarmName],
    ['State', `${previousState?.value ?? 'unknown'} -> ${state.value} at ${state.timestamp}`],
    ['Model group', modelGroup],
    ['Endpoint', endpointName],
    ['Metric', metricName],
  ];
  const page = { dedupKey: `alarm:${alarmName}`, source: endpointName ?? alarmName, ...(endpointName ? { component: endpointName } : {}), ...(metricName ? { class: metricName } : {}) };
  switch (state.value) {
    case 'ALARM':
      return {
        severity: 'critical',
        title: `ALARM ${alarmName}`,
        headline: `CloudWatch alarm ${alarmName} is in ALARM${on}${figures ? `: ${figures}` : ''}.`,
        facts,
        why,
        next: [
          'If it guards a rollout or the Live version and the policy rolls back on alarms, the control plane rolls back on its own: watch for RollbackPerformed.',
          modelGroup
            ? `If no rollback follows within a few minutes, roll back with one command: ${rollbackCommand(modelGroup)}`
            : 'If no rollback follows within a few minutes, roll back the affected group: npm run mlops -- rollback <group>',
          "Check the endpoint's metrics and logs for the cause.",
        ],
        ...(endpointName ? { endpointName } : {}),
        page: { action: 'trigger', ...page },
      };
    case 'OK':
      return {
        severity: 'info',
        title: `OK ${alarmName}`,
        headline: `CloudWatch alarm ${alarmName} is back to OK${on}${figures ? `: ${figures}` : ''}.`,
        facts,
        why,
        next: ["Nothing to do: this alarm's PagerDuty incident is resolved. If a rollback ran, check the last-known-good version is Live."],
        ...(endpointName ? { endpointName } : {}),
        page: { action: 'resolve', ...page },
      };
    case 'INSUFFICIENT_DATA':
      return {
        severity: 'warning',
        title: `INSUFFICIENT_DATA ${alarmName}`,
        headline: `CloudWatch alarm ${alarmName} has insufficient data${on}: the endpoint may be taking no traffic.`,
        facts,
        why,
        next: ['Check that the endpoint exists and receives traffic.'],
        ...(endpointName ? { endpointName } : {}),
      };
  }
}

/**
 * The notification of a project alarm (`creditai-*`): ALARM pages (critical), OK resolves the same incident (info).
 * Every alarm links the runbook's `#alarms` section; the alarm's own description (with its runbook) is quoted.
 */
export function describeAlarm(event: AlarmStateChangeEvent, links: NotificationLinks): Notification {
  const target = alarmTarget(event);
  const { state, previousState } = event.detail;
  const reasonData = state.reasonData === undefined ? undefined : parseAlarmReasonData(state.reasonData);
  return render(alarmDraft(event, target), {
    links,
    anchor: 'alarms',
    modelGroup: target.modelGroup,
    eventRef: `${event['detail-type']} ${event.id} at ${event.time}`,
    timestamp: isoTimestamp(state.timestamp),
    details: {
      alarmName: target.alarmName,
      alarmArn: event.resources[0],
      state: state.value,
      previousState: previousState?.value,
      reason: state.reason,
      ...(reasonData !== undefined ? { reasonData } : {}),
      endpointName: target.endpointName,
      modelGroup: target.modelGroup,
      metric: target.metricName,
      account: event.account,
      region: event.region,
    },
  });
}
