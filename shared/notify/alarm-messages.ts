/**
 * What people receive for a project alarm (CloudWatch Alarm State Change): a notice and, in ALARM, a page that
 * the OK resolves.
 */
import { parseAlarmReasonData, type AlarmStateChangeEvent } from '../contracts/aws-events';
import { render, rollbackCommand, type Draft, type Notification, type NotificationLinks } from './notification';

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

