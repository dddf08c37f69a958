/**
 * The CloudWatch twin: metric alarms, their states, DescribeAlarms, and the `CloudWatch Alarm State Change` event
 * every state change puts on the bus (aws-facts §1.9). States are set by scenarios for now; evaluating alarms from
 * the metrics of simulated traffic is a later slice.
 */
import type { ComparisonOperator, DescribeAlarmsInput, MetricAlarm, StandardUnit, StateValue, Statistic } from '@aws-sdk/client-cloudwatch';
import { TwinServiceError, type ServiceContext, type ServiceTwin } from '../core/types';

/** A metric alarm, in the terms Terraform's `aws_cloudwatch_metric_alarm` uses. */
export interface AlarmDefinition {
  name: string;
  description?: string;
  metric: {
    namespace: string;
    name: string;
    dimensions?: Record<string, string>;
    /** `Sum`, `Average`, `SampleCount`, `Minimum`, `Maximum`, or a percentile such as `p99`. */
    stat: string;
    /** Seconds. */
    period: number;
    unit?: StandardUnit;
  };
  threshold: number;
  /** Default GreaterThanThreshold. */
  comparison?: ComparisonOperator;
  /** Default 1. */
  evaluationPeriods?: number;
  /** Default `evaluationPeriods`. */
  datapointsToAlarm?: number;
  treatMissingData?: 'missing' | 'breaching' | 'notBreaching' | 'ignore';
  alarmActions?: string[];
  okActions?: string[];
}

interface StoredAlarm {
  definition: AlarmDefinition;
  arn: string;
  configuredMs: number;
  state: { value: StateValue; reason: string; reasonData?: string; updatedMs: number };
}

/** The CloudWatch twin: a `ServiceTwin` plus alarm definition, state changes and the guardrail hook. */
export interface CloudWatchTwin extends ServiceTwin {
  /** Creates (or replaces) a metric alarm; a new alarm starts INSUFFICIENT_DATA, as CloudWatch's do. */
  defineAlarm(ctx: ServiceContext, definition: AlarmDefinition): void;
  /**
   * Sets an alarm's state (as SetAlarmState or an evaluation would). A change of value emits the state change event;
   * the same value again only updates the reason. `reasonData` defaults to the evaluation summary CloudWatch writes.
   */
  setAlarmState(ctx: ServiceContext, name: string, state: StateValue, reason: string, reasonData?: Record<string, unknown>): void;
  /** The alarm's state value, or undefined for an unknown alarm (SageMaker's deployment guardrails read this). */
  alarmState(name: string): StateValue | undefined;
}

const STATISTICS: ReadonlySet<string> = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);

/** CloudWatch's event timestamps: `2019-10-02T17:04:40.989+0000`, not `Z` (aws-facts §1.9). */
export function cloudWatchTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** DescribeAlarms answers at most MaxRecords alarms, 50 when it is absent. */
const DEFAULT_MAX_RECORDS = 50;

/**
 * Builds the CloudWatch twin.
 * @example
 * const cloudwatch = createCloudWatchTwin();
 * cloudwatch.defineAlarm(ctx, { name: 'acme-prod-p99-latency', metric: { namespace: 'AWS/SageMaker', name: 'ModelLatency', stat: 'p99', period: 60 }, threshold: 200000 });
 */
export function createCloudWatchTwin(): CloudWatchTwin {
  const alarms = new Map<string, StoredAlarm>();

  function metricAlarmOf(alarm: StoredAlarm): MetricAlarm {
    const d = alarm.definition;
    const standard = STATISTICS.has(d.metric.stat);
    const evaluationPeriods = d.evaluationPeriods ?? 1;
    return {
      AlarmName: d.name,
      AlarmArn: alarm.arn,
      ...(d.description !== undefined ? { AlarmDescription: d.description } : {}),
      AlarmConfigurationUpdatedTimestamp: new Date(alarm.configuredMs),
      ActionsEnabled: true,
      OKActions: [...(d.okActions ?? [])],
      AlarmActions: [...(d.alarmActions ?? [])],
      InsufficientDataActions: [],
      StateValue: alarm.state.value,
      StateReason: alarm.state.reason,
      ...(alarm.state.reasonData !== undefined ? { StateReasonData: alarm.state.reasonData } : {}),
      StateUpdatedTimestamp: new Date(alarm.state.updatedMs),
      StateTransitionedTimestamp: new Date(alarm.state.updatedMs),
      MetricName: d.metric.name,
      Namespace: d.metric.namespace,
      ...(standard ? { Statistic: d.metric.stat as Statistic } : { ExtendedStatistic: d.metric.stat }),
      Dimensions: Object.entries(d.metric.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
      Period: d.metric.period,
      ...(d.metric.unit ? { Unit: d.metric.unit } : {}),
      EvaluationPeriods: evaluationPeriods,
      DatapointsToAlarm: d.datapointsToAlarm ?? evaluationPeriods,
      Threshold: d.threshold,
      ComparisonOperator: d.comparison ?? 'GreaterThanThreshold',
      TreatMissingData: d.treatMissingData ?? 'missing',
    };
  }

  /** The `reasonData` CloudWatch writes for an evaluation: a JSON document, sent as a string (aws-facts §1.9). */
  function defaultReasonData(alarm: StoredAlarm, nowMs: number): Record<string, unknown> {
    const d = alarm.definition;
    const periods = d.evaluationPeriods ?? 1;
    return {
      version: '1.0',
      queryDate: cloudWatchTime(nowMs),
      startDate: cloudWatchTime(Math.floor(nowMs / 60_000) * 60_000 - periods * d.metric.period * 1000),
      ...(d.metric.unit ? { unit: d.metric.unit } : {}),
      ...(STATISTICS.has(d.metric.stat) ? { statistic: d.metric.stat } : { extendedStatistic: d.metric.stat }),
      period: d.metric.period,
      recentDatapoints: [],
      threshold: d.threshold,
    };
  }

  function configurationOf(d: AlarmDefinition): Record<string, unknown> {
    return {
      ...(d.description !== undefined ? { description: d.description } : {}),
      metrics: [
        {
          id: 'm1',
          metricStat: {
            metric: { namespace: d.metric.namespace, name: d.metric.name, dimensions: { ...d.metric.dimensions } },
            period: d.metric.period,
            stat: d.metric.stat,
          },
          returnData: true,
        },
      ],
    };
  }

  function eventState(state: StoredAlarm['state']): Record<string, unknown> {
    return { value: state.value, reason: state.reason, ...(state.reasonData !== undefined ? { reasonData: state.reasonData } : {}), timestamp: cloudWatchTime(state.updatedMs) };
  }

  function describeAlarms(input: DescribeAlarmsInput): Record<string, unknown> {
    // Metric alarms only unless AlarmTypes says otherwise (CloudWatch's default); the twin has no composite alarms.
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const names = input.AlarmNames ? new Set(input.AlarmNames) : undefined;
    const matching = types.includes('MetricAlarm')
      ? [...alarms.values()]
          .filter((a) => !names || names.has(a.definition.name))
          .filter((a) => !input.AlarmNamePrefix || a.definition.name.startsWith(input.AlarmNamePrefix))
          .filter((a) => !input.StateValue || a.state.value === input.StateValue)
          .filter((a) => !input.ActionPrefix || (a.definition.alarmActions ?? []).some((x) => x.startsWith(input.ActionPrefix!)))
          .sort((a, b) => (a.definition.name < b.definition.name ? -1 : a.definition.name > b.definition.name ? 1 : 0))
      : [];
    let offset = 0;
    if (input.NextToken) {
      const match = /^alarms:(\d+)$/.exec(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
      if (!match) throw new TwinServiceError('InvalidNextToken', 'The service returned an invalid NextToken.');
      offset = Number(match[1]);
    }
    const max = input.MaxRecords ?? DEFAULT_MAX_RECORDS;
    const page = matching.slice(offset, offset + max);
    const next = offset + max < matching.length ? Buffer.from(`alarms:${offset + max}`, 'utf8').toString('base64url') : undefined;
    return { MetricAlarms: page.map(metricAlarmOf), CompositeAlarms: [], ...(next ? { NextToken: next } : {}) };
  }

  return {
    model: 'cloudwatch',
    clientName: 'CloudWatchClient',
    operations: { DescribeAlarms: async (input) => describeAlarms(input as DescribeAlarmsInput) },

    defineAlarm(ctx, definition) {
      const now = ctx.clock.nowMs();
      const existing = alarms.get(definition.name);
      alarms.set(definition.name, {
        definition: structuredClone(definition),
        arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.account}:alarm:${definition.name}`,
        configuredMs: now,
        // Replacing a definition keeps the state, as PutMetricAlarm on an existing alarm does.
        state: existing?.state ?? { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedMs: now },
      });
    },

    setAlarmState(ctx, name, value, reason, reasonData) {
      const alarm = alarms.get(name);
      if (!alarm) throw new TwinServiceError('ResourceNotFound', `Alarm ${name} not found`, 404);
      const now = ctx.clock.nowMs();
      const data = JSON.stringify(reasonData ?? defaultReasonData(alarm, now));
      if (alarm.state.value === value) {
        alarm.state = { ...alarm.state, reason, reasonData: data };
        return;
      }
      const previous = alarm.state;
      alarm.state = { value, reason, reasonData: data, updatedMs: now };
      ctx.emit({
        source: 'aws.cloudwatch',
        'detail-type': 'CloudWatch Alarm State Change',
        resources: [alarm.arn],
        detail: {
          alarmName: name,
          state: eventState(alarm.state),
          previousState: eventState(previous),
          configuration: configurationOf(alarm.definition),
        },
      });
    },

    alarmState: (name) => alarms.get(name)?.state.value,
  };
}
