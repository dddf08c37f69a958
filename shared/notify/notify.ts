/**
 * The notify use case: tell people what the control plane did or what an alarm saw.
 *
 *   1. describe the event (pure, `messages.ts`);
 *   2. publish it to SNS with filterable attributes (`severity`, `modelGroup`, `detailType`), on the topic its
 *      detail-type is routed to (approvals: what approvers act on; notices: everything else);
 *   3. page (trigger or resolve) when the event is an incident and a PagerDuty client is configured.
 *
 * SNS goes first so a PagerDuty outage or a bad routing key never silences the SNS subscribers; a retry after a
 * failed page may repeat the SNS message, and repeats the page under the same dedup key, which PagerDuty merges.
 *
 * A judge's routine look (`continue`, or `wait` before anything is wrong: see isRoutineLook) is told to nobody:
 * the judge looks every minute and every look is in the audit ledger (`mlops status` shows an experiment's latest);
 * its verdicts (rollback, pass, challenger-wins, keep-champion, stop-harm) are told as any other event.
 */
import type { AlarmStateChangeEvent } from '../contracts/aws-events';
import type { DomainDetailType, DomainEvent } from '../contracts/domain-events';
import { alarmTarget, describeAlarm } from './alarm-messages';
import { describeDomainEvent } from './domain-messages';
import type { Notification, NotificationLinks, Page } from './notification';

/** What notify works through. */
export interface NotifyDeps {
  /** Publishes one message to the notification topic (notices). */
  publishSns: (subject: string, body: string, attributes: Record<string, string>) => Promise<void>;
  /** Publishes to the approvals topic; absent where none is configured: approval events then go to notices. */
  publishApprovals?: (subject: string, body: string, attributes: Record<string, string>) => Promise<void>;
  /** Absent where PagerDuty is not configured: incidents then go to SNS only. */
  pagerDuty?: { send(page: Page): Promise<unknown> };
  links: NotificationLinks;
}

/** A domain event of the project bus, or a project alarm's state change from the default bus. */
export type NotifyInput = { kind: 'domain'; event: DomainEvent } | { kind: 'alarm'; event: AlarmStateChangeEvent };

/** What was sent: `sent` false for a routine look, told to nobody. */
export interface NotifyResult {
  notification: Notification;
  sent: boolean;
  paged: boolean;
}

/**
 * A judge's look that decides nothing: the minute-by-minute record of a canary or an experiment. Not routine: an
 * experiment look with an alert, and a canary still waiting for enough events past its planned invocations (the
 * rollout will complete on the SLO alarms alone unless someone extends the bake).
 */
export function isRoutineLook(input: NotifyInput): boolean {
  if (input.kind !== 'domain') return false;
  const { event } = input;
  if (event.detailType === 'ExperimentJudged') return !event.detail.alert && (event.detail.decision === 'continue' || event.detail.decision === 'wait');
  if (event.detailType === 'CanaryJudged') return event.detail.decision === 'continue' || (event.detail.decision === 'wait' && event.detail.informationFraction < 1);
  return false;
}

/** The topic of each detail-type that does not go to notices: what approvers are asked, and what came of it. */
const TOPIC_OF: Partial<Record<DomainDetailType, 'approvals'>> = {
  ApprovalRequested: 'approvals',
  ModelApproved: 'approvals',
  ApprovalUnverified: 'approvals',
  ModelRejected: 'approvals',
};

/** The topic an input belongs on: `approvals` for the approval detail-types, `notices` for the rest and alarms. */
export function topicOf(input: NotifyInput): 'notices' | 'approvals' {
  return (input.kind === 'domain' && TOPIC_OF[input.event.detailType]) || 'notices';
}

/** The SNS message attributes subscribers filter on; `unknown` where the event names no model group. */
function attributesOf(input: NotifyInput, notification: Notification): Record<string, string> {
  const [detailType, modelGroup] =
    input.kind === 'domain'
      ? [input.event.detailType, input.event.detail.modelGroup]
      : [input.event['detail-type'], alarmTarget(input.event).modelGroup ?? 'unknown'];
  return { severity: notification.severity, modelGroup, detailType };
}

/** Publishes the notification of one event to SNS, then pages if it is an incident. */
export async function notify(deps: NotifyDeps, input: NotifyInput): Promise<NotifyResult> {
  const notification =
    input.kind === 'domain' ? describeDomainEvent(input.event, deps.links) : describeAlarm(input.event, deps.links);
  if (isRoutineLook(input)) return { notification, sent: false, paged: false };
  const publish = (topicOf(input) === 'approvals' && deps.publishApprovals) || deps.publishSns;
  await publish(notification.subject, notification.body, attributesOf(input, notification));
  if (!notification.page || !deps.pagerDuty) return { notification, sent: true, paged: false };
  await deps.pagerDuty.send(notification.page);
  return { notification, sent: true, paged: true };
}
