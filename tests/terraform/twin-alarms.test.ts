/**
 * The twin alarms on what AWS would alarm on: the per-endpoint alarms the twin's CloudWatch defines
 * (scripts/twin/production-alarms.ts) are the ones terraform/modules/monitoring creates, field by field, for every
 * production endpoint of every environment; and they include every rollback alarm the lifecycle policy names.
 */
import { DEFAULT_POLICY } from '../../shared/lifecycle/policy';
import { productionAlarms } from '../../scripts/twin/production-alarms';
import type { AlarmDefinition, MetricSpec } from '../../scripts/twin/services/cloudwatch';
import { blockInstances, environments, evaluate, instances, isObject, nestedBlocks, resourcesOf, type Body, type Instance, type Scope, type Value } from '../support/terraform';

const ENVS = environments();

interface Comparable {
  threshold: Value;
  evaluationPeriods: Value;
  datapointsToAlarm: Value;
  comparison: Value;
  treatMissingData: Value;
  metrics: Value[];
}

async function metricOf(body: Body, scope: Scope): Promise<Value> {
  return {
    namespace: await evaluate(body.namespace, scope),
    name: await evaluate(body.metric_name, scope),
    stat: (await evaluate(body.extended_statistic ?? body.statistic ?? body.stat, scope)) as Value,
    period: await evaluate(body.period, scope),
    dimensions: await evaluate(body.dimensions, scope),
  };
}

/** Terraform's alarm as the twin's fields: its single metric, or the rate's part and whole metrics. */
async function fromTerraform(body: Body, scope: Scope): Promise<Comparable> {
  const queries = nestedBlocks(body, 'metric_query');
  const metrics: Value[] = [];
  if (queries.length === 0) metrics.push(await metricOf(body, scope));
  for (const q of queries) for (const m of nestedBlocks(q.body, 'metric')) metrics.push(await metricOf(m.body, scope));
  return {
    threshold: await evaluate(body.threshold, scope),
    evaluationPeriods: await evaluate(body.evaluation_periods, scope),
    datapointsToAlarm: await evaluate(body.datapoints_to_alarm, scope),
    comparison: await evaluate(body.comparison_operator, scope),
    treatMissingData: await evaluate(body.treat_missing_data, scope),
    metrics,
  };
}

function fromTwin(alarm: AlarmDefinition): Comparable {
  const metric = (m: MetricSpec): Value => ({ namespace: m.namespace, name: m.name, stat: m.stat, period: m.period, dimensions: { ...m.dimensions } });
  return {
    threshold: alarm.threshold,
    evaluationPeriods: alarm.evaluationPeriods ?? 1,
    datapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods ?? 1,
    comparison: alarm.comparison ?? 'GreaterThanThreshold',
    treatMissingData: alarm.treatMissingData ?? 'missing',
    metrics: [metric(alarm.metric), ...(alarm.percentOf ? [metric(alarm.percentOf)] : [])],
  };
}

describe('The twin’s production alarms', () => {
  it('include every rollback alarm the lifecycle policy gives the guardrails', () => {
    const names = productionAlarms('acme-prod').map((a) => a.name);
    for (const template of DEFAULT_POLICY.production.rollbackAlarms) expect(names).toContain(template.replaceAll('{endpoint}', 'acme-prod'));
  });

  it.each(ENVS)('are the monitoring module’s alarms, field by field, for every production endpoint [%s]', async (env) => {
    const all = await instances(env);
    const root = all.find((i) => i.label === 'root') as Instance;
    const monitor = all.find((i) => i.label === 'module.monitoring') as Instance;
    const endpoints = await evaluate(root.module.locals.get('production_endpoints')?.value, root.scope);
    expect(isObject(endpoints)).toBe(true);
    const terraform = new Map<string, Comparable>();
    for (const alarm of resourcesOf(monitor.module, 'aws_cloudwatch_metric_alarm')) {
      for (const each of await blockInstances(alarm, monitor.scope)) {
        const name = await evaluate(alarm.body.alarm_name, each.scope);
        if (typeof name === 'string') terraform.set(name, await fromTerraform(alarm.body, each.scope));
      }
    }
    const endpointNames = Object.values(endpoints as Record<string, Value>).map(String);
    expect(endpointNames.length).toBeGreaterThan(0);
    for (const endpoint of endpointNames) {
      for (const alarm of productionAlarms(endpoint)) {
        expect({ name: alarm.name, ...terraform.get(alarm.name) }).toEqual({ name: alarm.name, ...fromTwin(alarm) });
      }
    }
  });
});
