/**
 * The CloudWatch twin: metrics (PutMetricData, GetMetricData, and what the SageMaker twin reports for its
 * endpoints), metric alarms evaluated every minute from those datapoints as CloudWatch evaluates them (periods,
 * M out of N datapoints, missing data), DescribeAlarms, and the `CloudWatch Alarm State Change` event every state
 * change puts on the bus (aws-facts §1.9). Scenarios may still force a state (SetAlarmState).
 */
import type {
  ComparisonOperator,
  DescribeAlarmsInput,
  GetMetricDataInput,
  MetricAlarm,
  MetricDataQuery,
  PutMetricDataInput,
  StandardUnit,
  StateValue,
  Statistic,
} from '@aws-sdk/client-cloudwatch';
import { TwinServiceError, type ServiceContext, type ServiceTwin } from '../core/types';
import { createMetricStore, type MetricStore } from './cloudwatch-metrics';

/** One metric and how it is aggregated over a period. */
export interface MetricSpec {
  namespace: string;
  name: string;
  dimensions?: Record<string, string>;
  /** `Sum`, `Average`, `SampleCount`, `Minimum`, `Maximum`, or a percentile such as `p99`. */
  stat: string;
  /** Seconds, a multiple of 60. */
  period: number;
  unit?: StandardUnit;
}

/**
 * A metric alarm, in the terms Terraform's `aws_cloudwatch_metric_alarm` uses: on one metric, or on the metric-math
 * rate `IF(whole > 0, 100 * FILL(part, 0) / whole, 0)` (the error-rate alarms of terraform/modules/monitoring).
 */
export interface AlarmDefinition {
  name: string;
  description?: string;
  metric: MetricSpec;
  /** When present, the alarm is on 100 × `metric` / `percentOf` per period instead of on `metric` alone. */
  percentOf?: MetricSpec;
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
  /** The metric store (services that report metrics, such as SageMaker endpoints, put their datapoints here). */
  metrics: MetricStore;
  /** Evaluates every alarm at the current virtual time, as CloudWatch does once a minute. */
  evaluateAlarms(ctx: ServiceContext): void;
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
  const metrics = createMetricStore();

  /** The two queries and the expression of a rate alarm, as PutMetricAlarm's `Metrics` holds them. */
  function rateQueries(d: AlarmDefinition & { percentOf: MetricSpec }): MetricDataQuery[] {
    const stat = (id: string, m: MetricSpec): MetricDataQuery => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: m.namespace, MetricName: m.name, Dimensions: Object.entries(m.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })) },
        Period: m.period,
        Stat: m.stat,
      },
      ReturnData: false,
    });
    return [
      { Id: 'rate', Expression: 'IF(whole > 0, 100 * FILL(part, 0) / whole, 0)', Label: `${d.metric.name} (% of ${d.percentOf.name})`, ReturnData: true },
      stat('part', d.metric),
      stat('whole', d.percentOf),
    ];
  }

  function metricAlarmOf(alarm: StoredAlarm): MetricAlarm {
    const d = alarm.definition;
    const standard = STATISTICS.has(d.metric.stat);
    const evaluationPeriods = d.evaluationPeriods ?? 1;
    const subject = d.percentOf
      ? { Metrics: rateQueries({ ...d, percentOf: d.percentOf }) }
      : {
          MetricName: d.metric.name,
          Namespace: d.metric.namespace,
          ...(standard ? { Statistic: d.metric.stat as Statistic } : { ExtendedStatistic: d.metric.stat }),
          Dimensions: Object.entries(d.metric.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
          Period: d.metric.period,
          ...(d.metric.unit ? { Unit: d.metric.unit } : {}),
        };
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
      ...subject,
      EvaluationPeriods: evaluationPeriods,
      DatapointsToAlarm: d.datapointsToAlarm ?? evaluationPeriods,
      Threshold: d.threshold,
      ComparisonOperator: d.comparison ?? 'GreaterThanThreshold',
      TreatMissingData: d.treatMissingData ?? 'missing',
    };
  }

  /** The `reasonData` CloudWatch writes for an evaluation: a JSON document, sent as a string (aws-facts §1.9). */
  function defaultReasonData(alarm: StoredAlarm, nowMs: number, recentDatapoints: number[] = []): Record<string, unknown> {
    const d = alarm.definition;
    const periods = d.evaluationPeriods ?? 1;
    return {
      version: '1.0',
      queryDate: cloudWatchTime(nowMs),
      startDate: cloudWatchTime(Math.floor(nowMs / 60_000) * 60_000 - periods * d.metric.period * 1000),
      ...(d.metric.unit && !d.percentOf ? { unit: d.metric.unit } : {}),
      ...(d.percentOf ? {} : STATISTICS.has(d.metric.stat) ? { statistic: d.metric.stat } : { extendedStatistic: d.metric.stat }),
      period: d.metric.period,
      recentDatapoints,
      threshold: d.threshold,
    };
  }

  function configurationOf(d: AlarmDefinition): Record<string, unknown> {
    const query = (id: string, m: MetricSpec, returnData: boolean) => ({
      id,
      metricStat: { metric: { namespace: m.namespace, name: m.name, dimensions: { ...m.dimensions } }, period: m.period, stat: m.stat },
      returnData,
    });
    return {
      ...(d.description !== undefined ? { description: d.description } : {}),
      metrics: d.percentOf
        ? [
            { id: 'rate', expression: 'IF(whole > 0, 100 * FILL(part, 0) / whole, 0)', returnData: true },
            query('part', d.metric, false),
            query('whole', d.percentOf, false),
          ]
        : [query('m1', d.metric, true)],
    };
  }

  /** The alarm's value per period over its evaluation range, oldest first; undefined where a period has no data. */
  function evaluationSeries(d: AlarmDefinition, nowMs: number): (number | undefined)[] {
    const periodMs = d.metric.period * 1000;
    const periods = d.evaluationPeriods ?? 1;
    // Whole periods only: the one in progress is not evaluated yet.
    const endMs = Math.floor(nowMs / periodMs) * periodMs;
    const startMs = endMs - periods * periodMs;
    const byPeriod = (spec: MetricSpec) => new Map(metrics.series(spec, spec.stat, spec.period, startMs, endMs).map((p) => [p.atMs, p.value]));
    const part = byPeriod(d.metric);
    const whole = d.percentOf ? byPeriod(d.percentOf) : undefined;
    return Array.from({ length: periods }, (_, i) => {
      const at = startMs + i * periodMs;
      if (!whole) return part.get(at);
      const total = whole.get(at);
      if (total === undefined) return undefined;
      return total > 0 ? (100 * (part.get(at) ?? 0)) / total : 0;
    });
  }

  function breaches(d: AlarmDefinition, value: number): boolean {
    switch (d.comparison ?? 'GreaterThanThreshold') {
      case 'GreaterThanThreshold':
        return value > d.threshold;
      case 'GreaterThanOrEqualToThreshold':
        return value >= d.threshold;
      case 'LessThanThreshold':
        return value < d.threshold;
      case 'LessThanOrEqualToThreshold':
        return value <= d.threshold;
      default:
        throw new Error(`CloudWatch twin: comparison ${d.comparison} is not supported`);
    }
  }

  const COMPARISON_WORDS: Record<string, string> = {
    GreaterThanThreshold: 'greater than',
    GreaterThanOrEqualToThreshold: 'greater than or equal to',
    LessThanThreshold: 'less than',
    LessThanOrEqualToThreshold: 'less than or equal to',
  };

  /**
   * One evaluation, as CloudWatch's documented rules have it: of the last N periods (evaluation periods), the alarm
   * goes to ALARM when at least M (datapoints to alarm) breach; missing periods count as TreatMissingData says
   * (`missing`: not counted, all missing is INSUFFICIENT_DATA; `ignore`: the state stays).
   */
  function evaluate(ctx: ServiceContext, alarm: StoredAlarm): void {
    const d = alarm.definition;
    const series = evaluationSeries(d, ctx.clock.nowMs());
    const needed = d.datapointsToAlarm ?? d.evaluationPeriods ?? 1;
    const treat = d.treatMissingData ?? 'missing';
    const present = series.filter((v): v is number => v !== undefined);
    const missing = series.length - present.length;
    if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
      if (treat === 'missing') setState(ctx, alarm, 'INSUFFICIENT_DATA', `Insufficient Data: ${series.length} datapoints were unknown.`, defaultReasonData(alarm, ctx.clock.nowMs()));
      return;
    }
    const breaching = present.filter((v) => breaches(d, v)).length + (treat === 'breaching' ? missing : 0);
    const shown = present.map((v) => Number(v.toFixed(1)));
    const words = COMPARISON_WORDS[d.comparison ?? 'GreaterThanThreshold'];
    if (breaching >= needed) {
      setState(ctx, alarm, 'ALARM', `Threshold Crossed: ${breaching} out of the last ${series.length} datapoints [${shown.map((v) => v.toFixed(1)).join(', ')}] were ${words} the threshold (${d.threshold.toFixed(1)}) (minimum ${needed} datapoints for OK -> ALARM transition).`, defaultReasonData(alarm, ctx.clock.nowMs(), shown));
    } else {
      setState(ctx, alarm, 'OK', `Threshold Crossed: ${breaching} out of the last ${series.length} datapoints were ${words} the threshold (${d.threshold.toFixed(1)}) (minimum ${needed} datapoints for ALARM -> OK transition).`, defaultReasonData(alarm, ctx.clock.nowMs(), shown));
    }
  }

  /** A change of value emits the state change event; the same value again only updates the reason. */
  function setState(ctx: ServiceContext, alarm: StoredAlarm, value: StateValue, reason: string, reasonData: Record<string, unknown>): void {
    const now = ctx.clock.nowMs();
    const data = JSON.stringify(reasonData);
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
      detail: { alarmName: alarm.definition.name, state: eventState(alarm.state), previousState: eventState(previous), configuration: configurationOf(alarm.definition) },
    });
  }

  /** A statistic the twin cannot compute is the caller's bad parameter, as CloudWatch refuses one it does not know. */
  function seriesOrRefuse<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw new TwinServiceError('InvalidParameterValue', (error as Error).message);
    }
  }

  /** GetMetricData for MetricStat queries (the twin does not evaluate metric-math expressions sent by callers). */
  function getMetricData(input: GetMetricDataInput): Record<string, unknown> {
    const startMs = new Date(input.StartTime!).getTime();
    const endMs = new Date(input.EndTime!).getTime();
    const results = (input.MetricDataQueries ?? []).map((q) => {
      if (!q.MetricStat) throw new TwinServiceError('InvalidParameterValue', `The twin answers MetricStat queries only; query ${q.Id} has none.`);
      const m = q.MetricStat;
      const id = {
        namespace: m.Metric?.Namespace ?? '',
        name: m.Metric?.MetricName ?? '',
        dimensions: Object.fromEntries((m.Metric?.Dimensions ?? []).map((dim) => [dim.Name!, dim.Value!])),
      };
      // Newest first: GetMetricData's default ScanBy is TimestampDescending.
      const points = seriesOrRefuse(() => metrics.series(id, m.Stat!, m.Period!, startMs, endMs));
      if ((input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending') points.reverse();
      return { Id: q.Id, Label: q.Label ?? id.name, Timestamps: points.map((p) => new Date(p.atMs)), Values: points.map((p) => p.value), StatusCode: 'Complete' };
    });
    return { MetricDataResults: results, Messages: [] };
  }

  function putMetricData(input: PutMetricDataInput, ctx: ServiceContext): Record<string, unknown> {
    for (const datum of input.MetricData ?? []) {
      const id = { namespace: input.Namespace!, name: datum.MetricName!, dimensions: Object.fromEntries((datum.Dimensions ?? []).map((dim) => [dim.Name!, dim.Value!])) };
      const atMs = datum.Timestamp ? new Date(datum.Timestamp).getTime() : ctx.clock.nowMs();
      const values = datum.Values ?? (datum.Value !== undefined ? [datum.Value] : []);
      values.forEach((value, i) => {
        for (let c = 0; c < (datum.Counts?.[i] ?? 1); c++) metrics.put(id, atMs, value, datum.Unit);
      });
    }
    return {};
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
    operations: {
      DescribeAlarms: async (input) => describeAlarms(input as DescribeAlarmsInput),
      GetMetricData: async (input) => getMetricData(input as unknown as GetMetricDataInput),
      PutMetricData: async (input, ctx) => putMetricData(input as unknown as PutMetricDataInput, ctx),
    },
    metrics,
    evaluateAlarms(ctx) {
      for (const alarm of alarms.values()) evaluate(ctx, alarm);
    },

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
      setState(ctx, alarm, value, reason, reasonData ?? defaultReasonData(alarm, ctx.clock.nowMs()));
    },

    alarmState: (name) => alarms.get(name)?.state.value,
  };
}
