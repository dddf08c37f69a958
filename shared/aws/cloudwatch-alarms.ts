/**
 * CloudWatch alarm states (the production rollback alarms) as the `Alarms` port.
 */
import { DescribeAlarmsCommand, type CloudWatchClient, type StateValue } from '@aws-sdk/client-cloudwatch';
import type { AlarmObservation } from '../lifecycle/model';
import type { Alarms } from '../reconcile/ports';

/** DescribeAlarms accepts at most 100 AlarmNames per call. */
const NAMES_PER_CALL = 100;

interface AlarmFields {
  AlarmName?: string;
  StateValue?: StateValue;
  StateUpdatedTimestamp?: Date;
  StateTransitionedTimestamp?: Date;
  StateReason?: string;
}

function observationOf(alarm: AlarmFields): AlarmObservation | undefined {
  if (!alarm.AlarmName || !alarm.StateValue) return undefined;
  return {
    name: alarm.AlarmName,
    state: alarm.StateValue,
    // When the state value last changed: StateUpdatedTimestamp also moves when only the evaluation state or the reason
    // does, which would make an old ALARM look new.
    since: (alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp)?.toISOString() ?? new Date(0).toISOString(),
    reason: alarm.StateReason,
  };
}

/**
 * The `Alarms` port over CloudWatch: DescribeAlarms by name (metric and composite alarms), 100 names per call,
 * every page. A name with no alarm is simply absent from the result; no names → no call.
 * @example
 * const states = await makeCloudWatchAlarms(clients.cloudWatch).describe(['acme-prod-p99-latency']);
 */
export function makeCloudWatchAlarms(cloudWatch: CloudWatchClient): Alarms {
  return {
    async describe(alarmNames) {
      const names = [...new Set(alarmNames)];
      const observed: AlarmObservation[] = [];
      for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
        let nextToken: string | undefined;
        do {
          const page = await cloudWatch.send(
            new DescribeAlarmsCommand({
              AlarmNames: names.slice(i, i + NAMES_PER_CALL),
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              MaxRecords: 100,
              NextToken: nextToken,
            }),
          );
          for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
            const observation = observationOf(alarm);
            if (observation) observed.push(observation);
          }
          nextToken = page.NextToken;
        } while (nextToken);
      }
      return observed;
    },
  };
}
