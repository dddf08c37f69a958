/**
 * Issue 3, "Checks", units and names of the alarms: SageMaker reports ModelLatency and OverheadLatency in
 * MICROSECONDS, so the 200 ms p99 rollback alarm has the threshold 200000 (a threshold in milliseconds would never
 * fire). The rollback alarms Terraform creates carry exactly the names the lifecycle policy gives SageMaker's
 * deployment guardrails (`production.rollbackAlarms`, `{endpoint}` = the production endpoint).
 */
import { join } from 'node:path';
import { DEFAULT_POLICY } from '../../shared/lifecycle/policy';
import {
  blockInstances,
  environments,
  evaluate,
  expressionOf,
  instances,
  isObject,
  loadModule,
  loadModuleFromText,
  nestedBlocks,
  resourcesOf,
  Scope,
  show,
  TF_MODULES,
  type Block,
  type Instance,
  type TfModule,
  type Value,
} from '../support/terraform';

/** SageMaker endpoint metrics in microseconds. */
const MICROSECOND_METRICS = new Set(['ModelLatency', 'OverheadLatency']);
/** The smallest sensible threshold in microseconds: 1 ms. Below it, milliseconds were almost surely meant. */
const MIN_MICROSECONDS = 1000;

const ALARM_TYPES = ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'];
const TEMPLATES = DEFAULT_POLICY.production.rollbackAlarms;
const ENVS = environments();

/** The metric names an alarm watches: its own metric_name, or those of its metric_query metrics. */
function metricNames(alarm: Block): string[] {
  const names = [alarm.body.metric_name];
  for (const q of nestedBlocks(alarm.body, 'metric_query')) for (const m of nestedBlocks(q.body, 'metric')) names.push(m.body.metric_name);
  return names.filter((n): n is string => typeof n === 'string');
}

/** Alarms on a microsecond metric whose threshold (evaluated per for_each instance) is below 1 ms. */
export async function latencyThresholdProblems(mod: TfModule, scope: Scope, label = mod.rel): Promise<string[]> {
  const problems: string[] = [];
  for (const alarm of resourcesOf(mod, 'aws_cloudwatch_metric_alarm')) {
    const metrics = metricNames(alarm).filter((m) => MICROSECOND_METRICS.has(m));
    if (metrics.length === 0) continue;
    for (const each of await blockInstances(alarm, scope)) {
      const threshold = await evaluate(alarm.body.threshold, each.scope);
      if (typeof threshold !== 'number') problems.push(`${label} ${alarm.file} ${each.label}: threshold ${show(threshold)} on ${metrics.join()} does not evaluate to a number`);
      else if (threshold < MIN_MICROSECONDS) {
        problems.push(`${label} ${alarm.file} ${each.label}: threshold ${threshold} on ${metrics.join()}, which is in microseconds (${threshold} us = ${threshold / 1000} ms); milliseconds used by mistake?`);
      }
    }
  }
  return problems;
}

/**
 * The alarm name expression as a policy template: each interpolation that names the endpoint (`each.value`, or an
 * expression mentioning `endpoint`) becomes `{endpoint}`. `creditai-${each.value}-p99-latency` →
 * `creditai-{endpoint}-p99-latency`.
 */
export function nameTemplate(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const inner = expressionOf(raw);
  // A name that is one whole expression (`each.value.name`) cannot be compared as text.
  if (inner !== undefined && !/^".*"$/s.test(inner)) return undefined;
  return raw.replace(/\$\{([^}]*)\}/g, (whole, expr: string) => (/^each\.value$|endpoint/i.test(expr.trim()) ? '{endpoint}' : whole));
}

const monitoring = () => loadModule(join(TF_MODULES, 'monitoring'));

describe('Terraform alarms: the checks themselves', () => {
  it('flag a latency threshold in milliseconds and read the name templates', async () => {
    const mod = await loadModuleFromText('fixture', {
      'fixture/main.tf': `
resource "aws_cloudwatch_metric_alarm" "ms" {
  alarm_name  = "creditai-\${each.value}-p99-latency"
  metric_name = "ModelLatency"
  threshold   = 200
}
resource "aws_cloudwatch_metric_alarm" "math" {
  threshold = local.t
  metric_query {
    id = "m"
    metric {
      metric_name = "OverheadLatency"
    }
  }
}
resource "aws_cloudwatch_metric_alarm" "us" {
  metric_name = "ModelLatency"
  threshold   = 200 * 1000
}
locals {
  t = 50
}
`,
    });
    expect((await latencyThresholdProblems(mod, new Scope(mod))).sort()).toEqual([
      expect.stringContaining('aws_cloudwatch_metric_alarm.math: threshold 50 on OverheadLatency'),
      expect.stringContaining('aws_cloudwatch_metric_alarm.ms: threshold 200 on ModelLatency'),
    ]);
    expect(nameTemplate('creditai-${each.value}-p99-latency')).toBe('creditai-{endpoint}-p99-latency');
    expect(nameTemplate('creditai-${var.production_endpoints[each.key]}-5xx-errors')).toBe('creditai-{endpoint}-5xx-errors');
    expect(nameTemplate('creditai-${each.key}-p99-latency')).toBe('creditai-${each.key}-p99-latency');
    expect(nameTemplate('${each.value.name}')).toBeUndefined();
  });
});

describe('Terraform alarms: units', () => {
  it('the monitoring module has a p99 ModelLatency alarm at 200000 us (200 ms)', async () => {
    const mod = await monitoring();
    const instance = (await instances(ENVS[0])).find((i) => i.module === mod);
    const scope = instance?.scope ?? new Scope(mod);
    const latency = resourcesOf(mod, 'aws_cloudwatch_metric_alarm').filter((a) => metricNames(a).includes('ModelLatency'));
    const p99 = [];
    for (const alarm of latency) {
      if ((await evaluate(alarm.body.extended_statistic, scope)) === 'p99') p99.push(alarm);
    }
    expect(p99.map((a) => a.address)).toHaveLength(1);
    for (const alarm of p99) {
      for (const each of await blockInstances(alarm, scope)) {
        expect(`${each.label}: threshold ${show(await evaluate(alarm.body.threshold, each.scope))}`).toBe(`${each.label}: threshold 200000`);
      }
    }
  });

  it.each(ENVS.length > 0 ? ENVS : ['(defaults)'])('every alarm on ModelLatency or OverheadLatency has a threshold in microseconds (>= 1000) [%s]', async (env) => {
    const problems: string[] = [];
    const seen = new Set<TfModule>();
    for (const instance of await instances(ENVS.includes(env) ? env : undefined)) {
      if (seen.has(instance.module)) continue;
      seen.add(instance.module);
      problems.push(...(await latencyThresholdProblems(instance.module, instance.scope, instance.label)));
    }
    expect(problems).toEqual([]);
  });
});

describe('Terraform alarms: rollback alarm names', () => {
  it('the lifecycle policy names rollback alarms by endpoint', () => {
    expect(TEMPLATES.length).toBeGreaterThan(0);
    for (const t of TEMPLATES) expect(t).toContain('{endpoint}');
  });

  it.each(TEMPLATES)('the monitoring module creates an alarm named %s', async (template) => {
    const mod = await monitoring();
    const alarms = ALARM_TYPES.flatMap((t) => resourcesOf(mod, t));
    const names = alarms.map((a) => `${a.address}: ${show(a.body.alarm_name as Value)} → ${nameTemplate(a.body.alarm_name)}`);
    const match = alarms.filter((a) => nameTemplate(a.body.alarm_name) === template);
    expect(match.length > 0 ? 'found' : `no alarm named ${template} in ${mod.rel}; its alarm names:\n${names.join('\n')}`).toBe('found');
  });

  it.each(ENVS.length > 0 ? ENVS : ['(defaults)'])(
    'with envs/%s.tfvars, every production endpoint has each rollback alarm, on that endpoint',
    async (env) => {
      const all = await instances(ENVS.includes(env) ? env : undefined);
      const root = all.find((i) => i.label === 'root') as Instance;
      const endpoints = await evaluate(root.module.locals.get('production_endpoints')?.value, root.scope);
      expect(isObject(endpoints) ? 'map' : `local.production_endpoints is ${show(endpoints)}`).toBe('map');
      const monitor = all.find((i) => i.label === 'module.monitoring');
      expect(monitor ? 'module.monitoring' : 'no module "monitoring"').toBe('module.monitoring');
      if (!isObject(endpoints) || !monitor) return;
      // Every alarm instance: its evaluated name and the EndpointName dimensions it watches.
      const created = new Map<string, { label: string; endpoints: Value[] }>();
      for (const type of ALARM_TYPES) {
        for (const alarm of resourcesOf(monitor.module, type)) {
          for (const each of await blockInstances(alarm, monitor.scope)) {
            const name = await evaluate(alarm.body.alarm_name, each.scope);
            const dims = [alarm.body.dimensions, ...nestedBlocks(alarm.body, 'metric_query').flatMap((q) => nestedBlocks(q.body, 'metric').map((m) => m.body.dimensions))];
            const watched: Value[] = [];
            for (const d of dims) {
              const value = await evaluate(d, each.scope);
              if (isObject(value) && 'EndpointName' in value) watched.push(value.EndpointName as Value);
            }
            if (typeof name === 'string') created.set(name, { label: `${alarm.file} ${each.label}`, endpoints: watched });
          }
        }
      }
      const problems: string[] = [];
      for (const endpoint of Object.values(endpoints)) {
        for (const template of TEMPLATES) {
          const expected = template.replaceAll('{endpoint}', String(endpoint));
          const alarm = created.get(expected);
          if (!alarm) problems.push(`no alarm ${expected} (policy template ${template}) for endpoint ${show(endpoint)}`);
          else if (alarm.endpoints.length > 0 && !alarm.endpoints.every((e) => e === endpoint)) {
            problems.push(`${alarm.label}: ${expected} watches EndpointName ${alarm.endpoints.map(show).join(', ')}, not ${show(endpoint)}`);
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
