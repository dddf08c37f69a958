/**
 * Issue 3, "Checks", wiring: the Terraform matches the code and the event catalogue. Every function has a Lambda, a
 * role, a log group and the configuration its handler reads; every catalogue rule becomes an EventBridge rule whose
 * pattern is read from its file, with a target, a DLQ and a permission; every scheduled function has a schedule;
 * every module call passes exactly what the module declares; everything is documented.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as config from '../../shared/runtime/config';
import { FUNCTIONS } from '../../scripts/functions';
import {
  asBodies,
  asRecord,
  evaluate,
  expressionOf,
  forEachEntries,
  functionCall,
  evaluateExpression,
  instances,
  isObject,
  loadModule,
  moduleDirs,
  moduleSourceDir,
  parseHcl,
  nestedBlocks,
  references,
  REPO,
  resourcesOf,
  Scope,
  show,
  textOf,
  TF_MODULES,
  TF_ROOT,
  UNRESOLVED_PARTS,
  withoutComments,
  type Instance,
  type TfModule,
} from '../support/terraform';

const EVENTS = join(REPO, 'events');
const catalogue = JSON.parse(readFileSync(join(EVENTS, 'catalogue.json'), 'utf8')) as {
  rules: { name: string; pattern: string; bus: string; target: string; state: string }[];
};
const FUNCTION_NAMES: string[] = FUNCTIONS.map((f) => f.name);

/** Module arguments that are Terraform meta-arguments, not variables. */
const META_ARGUMENTS = new Set(['source', 'version', 'for_each', 'count', 'depends_on', 'providers']);

/** Functions that run on a schedule (issue 3: the sweep now; the judge and the drift check when they exist). */
const SCHEDULED = new Set(['sweep', 'judge', 'experiment-judge', 'drift-check']);

/** The scheduled functions among `functions`: the named ones, and any entry marked `scheduled: true`. */
export function scheduledFunctions(functions: readonly { name: string }[]): string[] {
  return functions.filter((f) => SCHEDULED.has(f.name) || (f as { scheduled?: boolean }).scheduled === true).map((f) => f.name);
}

/** Scheduled functions that no entry of the `schedules` map (`{ key = { function = name, ... } }`) invokes. */
export function missingSchedules(scheduled: string[], schedules: unknown): string[] {
  const targets = Object.entries(asRecord(schedules)).map(([key, s]) => {
    const fn = asRecord(s).function;
    return typeof fn === 'string' ? fn : key;
  });
  return scheduled.filter((name) => !targets.includes(name));
}

const root = () => loadModule(TF_ROOT);
const moduleNamed = (name: string) => loadModule(join(TF_MODULES, name));

/** The root's module calls with the directory each points to. */
async function calls(): Promise<{ caller: TfModule; name: string; file: string; body: Record<string, unknown>; dir: string | undefined }[]> {
  const r = await root();
  return [...r.modules.values()].map((call) => ({ caller: r, name: call.name, file: call.file, body: call.body, dir: moduleSourceDir(r, call) }));
}

/** The `module "functions"` instances (one per function). */
async function functionInstances(): Promise<Instance[]> {
  return (await instances()).filter((i) => i.label.startsWith('module.functions['));
}

describe('Terraform wiring: functions', () => {
  it('terraform/functions.tf declares local.functions with exactly the functions of scripts/functions.ts', async () => {
    const r = await root();
    const local = r.locals.get('functions');
    expect(local?.file ?? 'local.functions is not declared in the root module').toBe('terraform/functions.tf');
    const value = await evaluate(local?.value, new Scope(r));
    expect(isObject(value) ? 'a map' : `local.functions is not a map literal: ${show(value)}`).toBe('a map');
    const keys = isObject(value) ? Object.keys(value) : [];
    const missing = FUNCTION_NAMES.filter((n) => !keys.includes(n)).map((n) => `function ${n} (scripts/functions.ts) has no entry in local.functions`);
    const extra = keys.filter((k) => !FUNCTION_NAMES.includes(k)).map((k) => `local.functions.${k} is not a function of scripts/functions.ts (no bundle in dist/)`);
    expect([...missing, ...extra]).toEqual([]);
  });

  it('module "functions" instantiates modules/function once per entry of local.functions', async () => {
    const call = (await calls()).find((c) => c.name === 'functions');
    expect(call ? `${call.file}` : 'no module "functions" in the root (main.tf references module.functions)').toBe('terraform/functions.tf');
    expect(call?.dir && relative(REPO, call.dir)).toBe('terraform/modules/function');
    expect(references(call?.body.for_each, 'local.functions') ? 'for_each over local.functions' : `for_each is ${textOf(call?.body.for_each)}`).toBe(
      'for_each over local.functions',
    );
    expect((await functionInstances()).map((i) => i.label).sort()).toEqual(FUNCTION_NAMES.map((n) => `module.functions[${JSON.stringify(n)}]`).sort());
  });

  it('modules/function creates a Lambda function, its IAM role and its log group', async () => {
    const fn = await moduleNamed('function');
    const problems: string[] = [];
    for (const type of ['aws_lambda_function', 'aws_iam_role', 'aws_cloudwatch_log_group']) {
      if (resourcesOf(fn, type).length === 0) problems.push(`terraform/modules/function has no ${type}`);
    }
    for (const lambda of resourcesOf(fn, 'aws_lambda_function')) {
      if (!/aws_iam_role\.\w+/.test(textOf(lambda.body.role))) problems.push(`${lambda.file} ${lambda.address}: role is not the module's aws_iam_role (${textOf(lambda.body.role)})`);
      // Lambda writes to /aws/lambda/<function name> unless logging_config names another group: the retention must be
      // on the group it actually writes to.
      const logging = nestedBlocks(lambda.body, 'logging_config').map((b) => textOf(b.body.log_group));
      const groups = resourcesOf(fn, 'aws_cloudwatch_log_group');
      const writesToOwnGroup =
        logging.some((l) => /aws_cloudwatch_log_group\.\w+/.test(l)) || groups.some((g) => textOf(g.body.name).startsWith('/aws/lambda/'));
      if (!writesToOwnGroup) problems.push(`${lambda.file} ${lambda.address}: its log group is neither /aws/lambda/<name> nor set in logging_config.log_group`);
    }
    const roles = resourcesOf(fn, 'aws_iam_role');
    const policies = [...resourcesOf(fn, 'aws_iam_role_policy'), ...resourcesOf(fn, 'aws_iam_role_policy_attachment')];
    if (roles.length > 0 && policies.length === 0) problems.push('terraform/modules/function: the role has no policy (aws_iam_role_policy)');
    expect(problems).toEqual([]);
  });

  /** Required settings of a zod object schema: those that do not accept undefined (no default, not optional). */
  function requiredKeys(schema: { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }): string[] {
    return Object.entries(schema.shape)
      .filter(([, field]) => !field.safeParse(undefined).success)
      .map(([key]) => key)
      // Lambda sets AWS_REGION itself (and refuses it as a user variable).
      .filter((key) => key !== 'AWS_REGION');
  }

  /** The config schema a function's handler reads (`readConfig(xConfigSchema, ...)`). */
  function schemaOf(name: string): { name: string; required: string[] } | undefined {
    const handler = join(REPO, 'functions', name, 'handler.ts');
    if (!existsSync(handler)) return undefined;
    const found = /\b(\w+ConfigSchema)\b/.exec(readFileSync(handler, 'utf8'))?.[1];
    const schema = found ? (config as unknown as Record<string, unknown>)[found] : undefined;
    return found && schema ? { name: found, required: requiredKeys(schema as Parameters<typeof requiredKeys>[0]) } : undefined;
  }

  it('the schema lookup sees the required settings (and not the defaulted or optional ones)', () => {
    expect(schemaOf('reconcile')).toEqual({ name: 'reconcileConfigSchema', required: ['STATE_TABLE', 'SAGEMAKER_EXECUTION_ROLE_ARN', 'DATA_CAPTURE_S3_URI'] });
    expect(schemaOf('sweep')?.required).toEqual(['STATE_TABLE', 'EXPECTED_ACCOUNT_ID', 'RECONCILE_QUEUE_URL']);
    expect(schemaOf('notify')?.required).toEqual(['STATE_TABLE', 'NOTIFY_TOPIC_ARN']);
  });

  it.each(FUNCTION_NAMES)('function %s gets every required setting of the config schema its handler reads', async (name) => {
    const schema = schemaOf(name);
    expect(schema ? schema.name : `functions/${name}/handler.ts reads no *ConfigSchema`).toMatch(/ConfigSchema$/);
    const instance = (await functionInstances()).find((i) => i.label === `module.functions[${JSON.stringify(name)}]`);
    expect(instance ? 'instance' : `no module.functions["${name}"]`).toBe('instance');
    if (!instance || !schema) return;
    const lambdas = resourcesOf(instance.module, 'aws_lambda_function');
    expect(lambdas.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const lambda of lambdas) {
      const environments = nestedBlocks(lambda.body, 'environment');
      const keys = new Set<string>();
      const unresolved: string[] = [];
      for (const env of environments) {
        const variables = await evaluate(env.body.variables, instance.scope);
        if (isObject(variables)) {
          Object.keys(variables).forEach((k) => keys.add(k));
          unresolved.push(...((variables as { [UNRESOLVED_PARTS]?: string[] })[UNRESOLVED_PARTS] ?? []));
        } else unresolved.push(show(variables));
      }
      const missing = schema.required.filter((k) => !keys.has(k));
      if (missing.length > 0) {
        problems.push(
          `${lambda.file} ${lambda.address} for ${name}: environment lacks ${missing.join(', ')} (required by ${schema.name})` +
            (unresolved.length > 0 ? `; could not evaluate ${unresolved.join(', ')}` : ''),
        );
      }
      if (keys.has('AWS_REGION')) problems.push(`${lambda.file} ${lambda.address} for ${name}: sets AWS_REGION, a reserved variable Lambda sets itself`);
    }
    expect(problems).toEqual([]);
  });
});

describe('Terraform wiring: EventBridge rules', () => {
  it('every catalogue rule has its pattern file, and every pattern file is in the catalogue', () => {
    const problems: string[] = [];
    for (const rule of catalogue.rules) {
      if (!existsSync(join(EVENTS, rule.pattern))) problems.push(`catalogue rule ${rule.name}: events/${rule.pattern} does not exist`);
    }
    const used = new Set(catalogue.rules.map((r) => resolve(EVENTS, r.pattern)));
    for (const file of readdirSync(join(EVENTS, 'rules'))) {
      if (!used.has(join(EVENTS, 'rules', file))) problems.push(`events/rules/${file} is used by no rule of events/catalogue.json`);
    }
    expect(problems).toEqual([]);
  });

  /** The rules module with the root's arguments, and its event rules evaluated per for_each key. */
  async function rulesInstance(): Promise<Instance> {
    const instance = (await instances()).find((i) => i.label === 'module.rules');
    if (!instance) throw new Error('no module "rules" in terraform/main.tf');
    return instance;
  }

  it('every catalogue rule becomes an EventBridge rule whose pattern is file() of its pattern file, on its bus, in its state', async () => {
    const instance = await rulesInstance();
    const rules = resourcesOf(instance.module, 'aws_cloudwatch_event_rule');
    expect(rules.length ? 'rules' : 'terraform/modules/rules has no aws_cloudwatch_event_rule').toBe('rules');
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const rule of rules) {
      const entries = await forEachEntries(rule.body.for_each, instance.scope);
      if (!entries) {
        problems.push(`${rule.file} ${rule.address}: for_each ${textOf(rule.body.for_each)} does not evaluate to the catalogue's rules`);
        continue;
      }
      for (const [rawKey, value] of entries) {
        const key = String(rawKey);
        const scope = instance.scope.with({ each: { key, value } });
        const name = isObject(value) && typeof value.name === 'string' ? value.name : key;
        const entry = catalogue.rules.find((r) => r.name === name);
        if (!entry) continue;
        seen.add(entry.name);
        const where = `${rule.file} ${rule.address}["${key}"]`;
        // The pattern must be file(<the catalogue's pattern file>), not a copy.
        const expression = expressionOf(rule.body.event_pattern);
        const call = expression ? await functionCall(expression) : undefined;
        if (call?.name !== 'file' || call.args[0] === undefined) {
          problems.push(`${where}: event_pattern is not file(...) of the pattern file: ${textOf(rule.body.event_pattern)}`);
        } else {
          const path = await evaluateExpression(call.args[0], scope);
          const expected = join(EVENTS, entry.pattern);
          if (typeof path !== 'string' || resolve(TF_ROOT, path) !== expected) {
            problems.push(`${where}: event_pattern reads ${typeof path === 'string' ? relative(REPO, resolve(TF_ROOT, path)) : show(path)}, expected ${relative(REPO, expected)}`);
          }
        }
        const state = await evaluate(rule.body.state, scope);
        if (state !== entry.state) problems.push(`${where}: state is ${show(state)}, the catalogue says ${entry.state}`);
        const bus = await evaluate(rule.body.event_bus_name, scope);
        if (entry.bus === 'default' && bus !== null && bus !== 'default') problems.push(`${where}: on bus ${show(bus)}, the catalogue says the default bus`);
        if (entry.bus !== 'default' && (bus === null || bus === 'default')) problems.push(`${where}: on the default bus, the catalogue says ${entry.bus}`);
      }
    }
    for (const entry of catalogue.rules) if (!seen.has(entry.name)) problems.push(`catalogue rule ${entry.name} has no aws_cloudwatch_event_rule in terraform/modules/rules`);
    expect(problems).toEqual([]);
  });

  it('no event pattern anywhere is written inline (jsonencode, heredoc or string): each comes from a file in events/', async () => {
    const problems: string[] = [];
    for (const dir of moduleDirs()) {
      const mod = await loadModule(dir);
      for (const rule of resourcesOf(mod, 'aws_cloudwatch_event_rule')) {
        if (!('event_pattern' in rule.body)) continue;
        const text = textOf(rule.body.event_pattern);
        if (text.includes('jsonencode(') || !text.includes('file(')) problems.push(`${rule.file} ${rule.address}: inline event_pattern ${text.slice(0, 80)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every rule has a Lambda target with a retry policy and a dead-letter queue', async () => {
    const instance = await rulesInstance();
    const targets = resourcesOf(instance.module, 'aws_cloudwatch_event_target');
    const problems: string[] = [];
    if (targets.length === 0) problems.push('terraform/modules/rules has no aws_cloudwatch_event_target');
    const covered = new Set<string>();
    for (const target of targets) {
      if (!/aws_cloudwatch_event_rule\.\w+/.test(textOf(target.body.rule))) continue;
      const where = `${target.file} ${target.address}`;
      const dlq = nestedBlocks(target.body, 'dead_letter_config');
      if (dlq.length === 0 || !dlq.every((d) => d.body.arn !== undefined)) problems.push(`${where}: no dead_letter_config { arn }`);
      else if (!dlq.every((d) => references(d.body.arn, 'var.dlq_arn'))) problems.push(`${where}: dead_letter_config.arn is not var.dlq_arn (${dlq.map((d) => textOf(d.body.arn)).join()})`);
      const retry = nestedBlocks(target.body, 'retry_policy');
      if (retry.length === 0) problems.push(`${where}: no retry_policy`);
      for (const r of retry) {
        if (r.body.maximum_retry_attempts === undefined || r.body.maximum_event_age_in_seconds === undefined) {
          problems.push(`${where}: retry_policy should set maximum_retry_attempts and maximum_event_age_in_seconds`);
        }
      }
      const entries = (await forEachEntries(target.body.for_each, instance.scope)) ?? [];
      for (const [key, value] of entries) covered.add(isObject(value) && typeof value.name === 'string' ? value.name : String(key));
    }
    for (const entry of catalogue.rules) if (targets.length > 0 && !covered.has(entry.name)) problems.push(`catalogue rule ${entry.name} has no aws_cloudwatch_event_target`);
    expect(problems).toEqual([]);
  });

  it('EventBridge may invoke the targets (aws_lambda_permission) and write to the DLQ (aws_sqs_queue_policy)', async () => {
    const rules = (await rulesInstance()).module;
    const problems: string[] = [];
    const permissions = resourcesOf(rules, 'aws_lambda_permission');
    if (permissions.length === 0) problems.push('terraform/modules/rules has no aws_lambda_permission');
    for (const p of permissions) {
      const where = `${p.file} ${p.address}`;
      if (p.body.action !== 'lambda:InvokeFunction') problems.push(`${where}: action is ${textOf(p.body.action)}`);
      if (!['events.amazonaws.com', 'scheduler.amazonaws.com'].includes(String(p.body.principal))) problems.push(`${where}: principal is ${textOf(p.body.principal)}`);
      if (p.body.principal === 'events.amazonaws.com' && !/aws_cloudwatch_event_rule\.\w+/.test(textOf(p.body.source_arn))) {
        problems.push(`${where}: source_arn is not the rule's ARN (${textOf(p.body.source_arn)}): any rule could invoke the function`);
      }
    }
    const queuePolicies = resourcesOf(rules, 'aws_sqs_queue_policy');
    if (queuePolicies.length === 0) problems.push('terraform/modules/rules has no aws_sqs_queue_policy for the rules DLQ');
    for (const q of queuePolicies) if (!references(q.body.queue_url, 'var.dlq_url')) problems.push(`${q.file} ${q.address}: queue_url is not var.dlq_url (${textOf(q.body.queue_url)})`);
    expect(problems).toEqual([]);
  });
});

describe('Terraform wiring: schedules', () => {
  it('the check fails when a scheduled function has no schedule', () => {
    const fns = [{ name: 'sweep' }, { name: 'judge' }, { name: 'reconcile' }, { name: 'x', scheduled: true }];
    expect(scheduledFunctions(fns)).toEqual(['sweep', 'judge', 'x']);
    expect(missingSchedules(['sweep', 'judge', 'x'], { sweep: { function: 'sweep', expression: 'rate(1 hour)' }, judging: { function: 'judge' } })).toEqual(['x']);
    expect(missingSchedules(['sweep'], {})).toEqual(['sweep']);
  });

  it('every scheduled function has an entry in module "rules" schedules', async () => {
    const call = (await calls()).find((c) => c.name === 'rules');
    const scheduled = scheduledFunctions(FUNCTIONS);
    expect(scheduled).toContain('sweep');
    expect(missingSchedules(scheduled, call?.body.schedules).map((n) => `function ${n} is scheduled but terraform/main.tf module "rules" schedules has no entry for it`)).toEqual([]);
  });

  it('the rules module turns each schedule into an EventBridge Scheduler schedule with a retry policy and a DLQ', async () => {
    const rules = await moduleNamed('rules');
    const schedules = resourcesOf(rules, 'aws_scheduler_schedule');
    const problems: string[] = [];
    if (schedules.length === 0) problems.push('terraform/modules/rules has no aws_scheduler_schedule');
    for (const s of schedules) {
      const where = `${s.file} ${s.address}`;
      if (!references(s.body.for_each, 'var.schedules')) problems.push(`${where}: for_each is not var.schedules (${textOf(s.body.for_each)})`);
      for (const target of nestedBlocks(s.body, 'target')) {
        if (nestedBlocks(target.body, 'retry_policy').length === 0) problems.push(`${where}: target has no retry_policy`);
        if (nestedBlocks(target.body, 'dead_letter_config').length === 0) problems.push(`${where}: target has no dead_letter_config`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('Terraform wiring: modules, variables, outputs', () => {
  const rootCallNames = () => calls();

  it('every module the root calls exists under terraform/modules', async () => {
    const problems = (await rootCallNames())
      .filter((c) => !c.dir || !existsSync(join(c.dir, 'main.tf')))
      .map((c) => `${c.file} module "${c.name}": ${textOf(c.body.source)} has no main.tf`);
    expect(problems).toEqual([]);
  });

  it('every module call passes only variables the module declares, and every variable without a default', async () => {
    const problems: string[] = [];
    for (const call of await rootCallNames()) {
      if (!call.dir) continue;
      const mod = await loadModule(call.dir);
      if (Object.keys(mod.texts).length === 0) {
        problems.push(`${call.file} module "${call.name}": ${relative(REPO, call.dir)} has no .tf files`);
        continue;
      }
      const args = Object.keys(call.body).filter((k) => !META_ARGUMENTS.has(k));
      for (const arg of args) if (!mod.variables.has(arg)) problems.push(`${call.file} module "${call.name}" passes ${arg}, which ${mod.rel} does not declare`);
      for (const [name, v] of mod.variables) {
        if (!('default' in v.body) && !args.includes(name)) problems.push(`${call.file} module "${call.name}" does not pass ${name}, which ${v.file} requires (no default)`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every module.<name>.<output> the root reads is an output of that module', async () => {
    const r = await root();
    const problems: string[] = [];
    const byName = new Map((await rootCallNames()).map((c) => [c.name, c]));
    for (const [file, text] of Object.entries(r.texts).map(([f, t]) => [f, withoutComments(t)] as const)) {
      for (const m of text.matchAll(/\bmodule\.([a-z0-9_]+)(?:\[[^\]]*\])?\.([a-z0-9_]+)/g)) {
        const [, name = '', output = ''] = m;
        const call = byName.get(name);
        if (!call) {
          problems.push(`${file}: module.${name}.${output} refers to no module call`);
          continue;
        }
        if (!call.dir) continue;
        const mod = await loadModule(call.dir);
        if (!mod.outputs.has(output)) problems.push(`${file}: module.${name}.${output} is not an output of ${mod.rel}`);
      }
      // `for k, f in module.functions : ... f.role_arn`: outputs read from the instances of a for_each module.
      for (const m of text.matchAll(/for\s+\w+\s*,\s*(\w+)\s+in\s+module\.([a-z0-9_]+)\s*:[^}\]]*/g)) {
        const [body = '', variable = '', name = ''] = m;
        const call = byName.get(name);
        if (!call?.dir) continue;
        const mod = await loadModule(call.dir);
        for (const ref of body.matchAll(new RegExp(`\\b${variable}\\.([a-z0-9_]+)`, 'g'))) {
          if (ref[1] && !mod.outputs.has(ref[1])) problems.push(`${file}: ${variable}.${ref[1]} (an instance of module.${name}) is not an output of ${mod.rel}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(moduleDirs().map((d) => [relative(REPO, d), d]))('%s: every variable has a description and a type, every output a description', async (_rel, dir) => {
    const mod = await loadModule(dir);
    const problems: string[] = [];
    for (const v of mod.variables.values()) {
      if (typeof v.body.description !== 'string' || v.body.description.trim() === '') problems.push(`${v.file} variable "${v.name}" has no description`);
      if (v.body.type === undefined) problems.push(`${v.file} variable "${v.name}" has no type`);
    }
    for (const o of mod.outputs.values()) {
      if (typeof o.body.description !== 'string' || o.body.description.trim() === '') problems.push(`${o.file} output "${o.name}" has no description`);
    }
    expect(problems).toEqual([]);
  });

  it.each(moduleDirs().slice(1).map((d) => [relative(REPO, d), d]))('%s has README.md, main.tf, variables.tf, outputs.tf and versions.tf (aws ~> 6.0)', async (_rel, dir) => {
    const problems = ['README.md', 'main.tf', 'variables.tf', 'outputs.tf', 'versions.tf'].filter((f) => !existsSync(join(dir, f))).map((f) => `missing ${f}`);
    const mod = await loadModule(dir);
    const versions = Object.entries(mod.texts).find(([f]) => f.endsWith('/versions.tf'));
    if (versions) {
      const json = await parseHcl(versions[0], versions[1]);
      const aws = asBodies(json.terraform)
        .flatMap((t) => asBodies(t.required_providers))
        .map((p) => asRecord(p.aws))
        .find((p) => p.source !== undefined);
      if (!aws) problems.push('versions.tf does not declare required_providers aws');
      else if (aws.source !== 'hashicorp/aws' || aws.version !== '~> 6.0') problems.push(`versions.tf: aws is ${textOf(aws.source)} ${textOf(aws.version)}, expected hashicorp/aws ~> 6.0`);
    }
    expect(problems).toEqual([]);
  });

  it('every module under terraform/modules is called by the root (no dead module)', async () => {
    const called = new Set((await rootCallNames()).map((c) => c.dir));
    expect(moduleDirs().slice(1).filter((d) => !called.has(d)).map((d) => `${relative(REPO, d)} is called by no module block`)).toEqual([]);
  });

  it('every var.<x> and local.<x> a module reads is declared in that module', async () => {
    // Catches a typo like `var.sweep_shedule` or a local read from the wrong module, which only `terraform validate` would.
    const r = await root();
    const problems: string[] = [];
    for (const [file, text] of Object.entries(r.texts).map(([f, t]) => [f, withoutComments(t)] as const)) {
      for (const m of text.matchAll(/\bvar\.([a-z0-9_]+)/g)) if (m[1] && !r.variables.has(m[1])) problems.push(`${file}: var.${m[1]} is not declared`);
      for (const m of text.matchAll(/\blocal\.([a-z0-9_]+)/g)) if (m[1] && !r.locals.has(m[1])) problems.push(`${file}: local.${m[1]} is not declared`);
    }
    for (const dir of moduleDirs().slice(1)) {
      const mod = await loadModule(dir);
      for (const [file, text] of Object.entries(mod.texts).map(([f, t]) => [f, withoutComments(t)] as const)) {
        for (const m of text.matchAll(/\bvar\.([a-z0-9_]+)/g)) if (m[1] && !mod.variables.has(m[1])) problems.push(`${file}: var.${m[1]} is not declared`);
        for (const m of text.matchAll(/\blocal\.([a-z0-9_]+)/g)) if (m[1] && !mod.locals.has(m[1])) problems.push(`${file}: local.${m[1]} is not declared`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});
