/**
 * Static checks of a pipeline definition, run by the generator before it writes anything and by the tests:
 * every `Get` resolves (declared parameter, known execution variable, existing step and a property its type
 * exposes), property files name real outputs, the step graph is acyclic, names follow SageMaker's patterns.
 * Also lists the S3 locations each step reads and writes, resolved against sample values, so the tests can hold
 * them against the execution role's policy.
 */
import {
  EXECUTION_VARIABLES,
  STEP_PROPERTIES,
  isGet,
  isJoin,
  isJsonGet,
  type ConditionStep,
  type Get,
  type JsonGet,
  type PipelineDefinition,
  type Step,
  type Value,
} from './schema';

const NAME = /^[A-Za-z0-9\-_]{1,64}$/;

/** A step and where it sits: top level, or in a branch of a Condition step. */
export interface PlacedStep {
  step: Step;
  /** The Condition step and branch holding it; undefined at the top level. */
  parent?: { condition: string; branch: 'IfSteps' | 'ElseSteps' };
}

/** Every step, nested ones included, in definition order. */
export function stepsOf(definition: PipelineDefinition): PlacedStep[] {
  const out: PlacedStep[] = [];
  const visit = (steps: Step[], parent?: PlacedStep['parent']) => {
    for (const step of steps) {
      out.push({ step, ...(parent ? { parent } : {}) });
      if (step.Type === 'Condition') {
        visit(step.Arguments.IfSteps, { condition: step.Name, branch: 'IfSteps' });
        visit(step.Arguments.ElseSteps, { condition: step.Name, branch: 'ElseSteps' });
      }
    }
  };
  visit(definition.Steps);
  return out;
}

/** The part of a step whose expressions belong to it (a Condition's branches are steps of their own). */
function ownArguments(step: Step): unknown {
  if (step.Type === 'Condition') return { Conditions: (step as ConditionStep).Arguments.Conditions };
  return { Arguments: step.Arguments };
}

/** A `Get` found in a value, with its JSON path for messages. */
export interface FoundGet {
  at: string;
  get: Get;
  /** The property file reference of a `Std:JsonGet` (its JsonPath is `jsonPath`). */
  jsonPath?: string;
}

/** Every `Get` in a value, including those of `Std:Join` values and `Std:JsonGet` property files. */
export function getsIn(value: unknown, at = ''): FoundGet[] {
  if (isGet(value)) return [{ at, get: value }];
  if (isJsonGet(value)) {
    const j = (value as JsonGet)['Std:JsonGet'];
    return [{ at, get: j.PropertyFile, jsonPath: j.Path }];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => getsIn(v, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => getsIn(v, `${at}.${k}`));
  return [];
}

/** `Steps.<name>.…` → the step name, else undefined. */
export function referencedStep(get: Get): string | undefined {
  return /^Steps\.([^.]+)\./.exec(get.Get)?.[1];
}

function propertyPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<output>', "([^']+)").replace('<file>', '([A-Za-z0-9_-]+)');
  return new RegExp(`^${escaped}$`);
}

/** Why a `Steps.<step>.<property>` reference does not resolve (undefined: it does). */
function stepPropertyProblem(target: Step, property: string, isPropertyFile: boolean): string | undefined {
  for (const pattern of STEP_PROPERTIES[target.Type]) {
    const m = propertyPattern(pattern).exec(property);
    if (!m) continue;
    if (pattern.includes('<output>') && target.Type === 'Processing') {
      const outputs = target.Arguments.ProcessingOutputConfig.Outputs.map((o) => o.OutputName);
      return outputs.includes(m[1]!) ? undefined : `${target.Name} has no output "${m[1]}" (outputs: ${outputs.join(', ')})`;
    }
    if (pattern.includes('<file>') && target.Type === 'Processing') {
      const files = (target.PropertyFiles ?? []).map((f) => f.PropertyFileName);
      if (!files.includes(m[1]!)) return `${target.Name} has no property file "${m[1]}" (files: ${files.join(', ') || 'none'})`;
      return isPropertyFile ? undefined : `property file ${m[1]} of ${target.Name} is readable only through Std:JsonGet`;
    }
    return undefined;
  }
  return `a ${target.Type} step exposes no property "${property}" (it has: ${STEP_PROPERTIES[target.Type].join(', ') || 'none'})`;
}

/** Steps each step depends on: the steps its expressions reference, its DependsOn, its Condition parent. */
export function dependencies(definition: PipelineDefinition): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  for (const { step, parent } of stepsOf(definition)) {
    const set = new Set<string>(step.DependsOn ?? []);
    for (const { get } of getsIn(ownArguments(step))) {
      const target = referencedStep(get);
      if (target && target !== step.Name) set.add(target);
    }
    if (parent) set.add(parent.condition);
    deps.set(step.Name, set);
  }
  return deps;
}

/** A cycle in the dependency graph, as step names (first repeated at the end), or undefined. */
export function findCycle(deps: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const d of deps.get(name) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of deps.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Every problem of a definition (empty: it is consistent). */
export function definitionProblems(definition: PipelineDefinition): string[] {
  const problems: string[] = [];
  if (definition.Version !== '2020-12-01') problems.push(`Version is ${String(definition.Version)}, expected 2020-12-01`);

  const params = new Map<string, PipelineDefinition['Parameters'][number]>();
  for (const p of definition.Parameters) {
    if (!NAME.test(p.Name)) problems.push(`parameter name "${p.Name}" does not match ${NAME}`);
    if (params.has(p.Name)) problems.push(`parameter ${p.Name} is declared twice`);
    params.set(p.Name, p);
    const expected = { String: 'string', Integer: 'number', Float: 'number', Boolean: 'boolean' }[p.Type];
    if (p.DefaultValue !== undefined && typeof p.DefaultValue !== expected) problems.push(`parameter ${p.Name}: default ${JSON.stringify(p.DefaultValue)} is not a ${p.Type}`);
  }

  const placed = stepsOf(definition);
  const byName = new Map<string, PlacedStep>();
  for (const p of placed) {
    if (!NAME.test(p.step.Name)) problems.push(`step name "${p.step.Name}" does not match ${NAME}`);
    if (byName.has(p.step.Name)) problems.push(`step ${p.step.Name} is defined twice`);
    byName.set(p.step.Name, p);
  }

  for (const { step, parent } of placed) {
    const where = `step ${step.Name}`;
    for (const d of step.DependsOn ?? []) if (!byName.has(d)) problems.push(`${where}: DependsOn names no step "${d}"`);
    if (step.Type === 'Processing') {
      const outputs = step.Arguments.ProcessingOutputConfig.Outputs.map((o) => o.OutputName);
      for (const f of step.PropertyFiles ?? []) {
        if (!outputs.includes(f.OutputName)) problems.push(`${where}: property file ${f.PropertyFileName} names no output "${f.OutputName}"`);
      }
      const inputs = step.Arguments.ProcessingInputs.map((i) => i.InputName);
      if (new Set(inputs).size !== inputs.length) problems.push(`${where}: duplicate input names ${inputs.join(', ')}`);
      if (new Set(outputs).size !== outputs.length) problems.push(`${where}: duplicate output names ${outputs.join(', ')}`);
      const paths = [...step.Arguments.ProcessingInputs.map((i) => i.S3Input.LocalPath), ...step.Arguments.ProcessingOutputConfig.Outputs.map((o) => o.S3Output.LocalPath)];
      for (const path of paths) if (!path.startsWith('/opt/ml/processing/')) problems.push(`${where}: local path ${path} is outside /opt/ml/processing/`);
      for (const arg of step.Arguments.AppSpecification.ContainerArguments ?? []) {
        if (typeof arg === 'string' && arg.length > 256) problems.push(`${where}: a container argument is longer than 256 characters`);
      }
    }
    if (step.Type === 'RegisterModel') {
      const props = Object.entries(step.Arguments.CustomerMetadataProperties);
      if (props.length < 1 || props.length > 50) problems.push(`${where}: ${props.length} CustomerMetadataProperties (1 to 50 allowed)`);
      for (const [key, value] of props) {
        if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key)) problems.push(`${where}: CustomerMetadataProperties key "${key}" is not 1-128 characters of [letters digits space _.:/=+-@]`);
        if (typeof value === 'string' && !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u.test(value)) {
          problems.push(`${where}: CustomerMetadataProperties["${key}"] = "${value}" is not 1-256 characters of [letters digits space _.:/=+-@]`);
        }
      }
    }

    for (const { at, get, jsonPath } of getsIn(ownArguments(step))) {
      const ref = get.Get;
      const label = `${where}${at}: {"Get": "${ref}"}`;
      if (ref.startsWith('Parameters.')) {
        if (!params.has(ref.slice('Parameters.'.length))) problems.push(`${label} names no declared parameter`);
        if (jsonPath !== undefined) problems.push(`${label}: Std:JsonGet needs a property file`);
        continue;
      }
      if (ref.startsWith('Execution.')) {
        if (!(EXECUTION_VARIABLES as readonly string[]).includes(ref.slice('Execution.'.length))) problems.push(`${label} names no execution variable`);
        continue;
      }
      const m = /^Steps\.([^.]+)\.(.+)$/.exec(ref);
      if (!m) {
        problems.push(`${label} is neither Parameters., Execution. nor Steps.`);
        continue;
      }
      const [, targetName = '', property = ''] = m;
      const target = byName.get(targetName);
      if (!target) {
        problems.push(`${label} names no step "${targetName}"`);
        continue;
      }
      if (targetName === step.Name) problems.push(`${label} references its own step`);
      // A step in a condition branch may not have run: only its own branch can read it.
      if (target.parent && (target.parent.condition !== parent?.condition || target.parent.branch !== parent?.branch)) {
        problems.push(`${label} reads ${targetName}, which runs only in ${target.parent.condition}.${target.parent.branch}`);
      }
      const problem = stepPropertyProblem(target.step, property, jsonPath !== undefined);
      if (problem) problems.push(`${label}: ${problem}`);
      if (jsonPath !== undefined && !property.startsWith('PropertyFiles.')) problems.push(`${label}: Std:JsonGet must read a property file`);
    }
  }

  const cycle = findCycle(dependencies(definition));
  if (cycle) problems.push(`the steps depend on each other in a cycle: ${cycle.join(' → ')}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Placeholders

/** `${name}` placeholders in a text (what Terraform's templatefile() interpolates). */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!))].sort();
}

// ---------------------------------------------------------------------------------------------------------------
// S3 locations

/** One S3 location a step reads or writes. */
export interface S3Access {
  step: string;
  /** JSON path of the field in the step. */
  at: string;
  access: 'read' | 'write';
  /** Resolved URI; a prefix unless it names one object (model.tar.gz, a report). */
  uri: string;
}

/** Values standing in for what only a run or Terraform knows. */
export interface SampleValues {
  /** `${name}` placeholder → value (e.g. `artifacts_bucket` → `creditai-mlops-dev-artifacts-123456789012`). */
  placeholders: Record<string, string>;
  /** Execution variables (`PipelineExecutionId` at least). */
  execution: Record<string, string>;
  /** The name SageMaker gives the training job (the model artifact sits under `<S3OutputPath>/<job>/output/`). */
  trainingJobName: string;
  /** Values of parameters passed at start (otherwise their defaults are used). */
  parameters?: Record<string, string | number | boolean>;
}

/** Resolves a string value of the definition to the text it becomes at run time (throws when it cannot). */
export function resolveValue(definition: PipelineDefinition, value: Value, sample: SampleValues): string {
  const byName = new Map(stepsOf(definition).map((p) => [p.step.Name, p.step]));
  const fill = (s: string) =>
    s.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (!(name in sample.placeholders)) throw new Error(`No sample value for placeholder ${whole}`);
      return sample.placeholders[name]!;
    });
  const resolve = (v: Value, depth: number): string => {
    if (depth > 20) throw new Error('Expressions nested too deeply');
    if (typeof v === 'string') return fill(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (isJoin(v)) return v['Std:Join'].Values.map((x) => resolve(x, depth + 1)).join(v['Std:Join'].On);
    if (isJsonGet(v)) throw new Error(`${JSON.stringify(v)} is known only at run time`);
    const ref = (v as Get).Get;
    if (ref.startsWith('Parameters.')) {
      const name = ref.slice('Parameters.'.length);
      const passed = sample.parameters?.[name];
      if (passed !== undefined) return resolve(passed, depth + 1);
      const p = definition.Parameters.find((x) => x.Name === name);
      if (p?.DefaultValue === undefined) throw new Error(`${ref} has no default value and no sample value`);
      return resolve(p.DefaultValue, depth + 1);
    }
    if (ref.startsWith('Execution.')) {
      const name = ref.slice('Execution.'.length);
      if (!(name in sample.execution)) throw new Error(`No sample value for ${ref}`);
      return sample.execution[name]!;
    }
    const out = /^Steps\.([^.]+)\.ProcessingOutputConfig\.Outputs\['([^']+)'\]\.S3Output\.S3Uri$/.exec(ref);
    if (out) {
      const step = byName.get(out[1]!);
      const o = step?.Type === 'Processing' ? step.Arguments.ProcessingOutputConfig.Outputs.find((x) => x.OutputName === out[2]) : undefined;
      if (!o) throw new Error(`${ref} names no processing output`);
      return resolve(o.S3Output.S3Uri, depth + 1);
    }
    const artifacts = /^Steps\.([^.]+)\.ModelArtifacts\.S3ModelArtifacts$/.exec(ref);
    if (artifacts) {
      const step = byName.get(artifacts[1]!);
      if (step?.Type !== 'Training') throw new Error(`${ref} names no training step`);
      return `${resolve(step.Arguments.OutputDataConfig.S3OutputPath, depth + 1).replace(/\/$/, '')}/${sample.trainingJobName}/output/model.tar.gz`;
    }
    throw new Error(`${ref} cannot be resolved to a string before a run`);
  };
  return resolve(value, 0);
}

/** Fields holding S3 locations, and whether the step writes them (everything else is read). */
const S3_FIELDS: { field: string; writes: (at: string) => boolean }[] = [
  // ProcessingOutputs' S3Output.S3Uri are written; ProcessingInputs' S3Input.S3Uri and report URIs are read.
  { field: 'S3Uri', writes: (at) => at.includes('.S3Output.') },
  { field: 'S3OutputPath', writes: () => true },
  { field: 'ModelDataUrl', writes: () => false },
];

/** Every S3 location the steps read or write, resolved with `sample`. */
export function s3Accesses(definition: PipelineDefinition, sample: SampleValues): S3Access[] {
  const out: S3Access[] = [];
  for (const { step } of stepsOf(definition)) {
    const visit = (value: unknown, at: string) => {
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${at}[${i}]`));
      else if (value !== null && typeof value === 'object' && !isGet(value) && !isJoin(value) && !isJsonGet(value)) {
        for (const [k, v] of Object.entries(value)) {
          const field = S3_FIELDS.find((f) => f.field === k);
          if (field && (typeof v === 'string' || isGet(v) || isJoin(v))) {
            const path = `${at}.${k}`;
            out.push({ step: step.Name, at: path, access: field.writes(path) ? 'write' : 'read', uri: resolveValue(definition, v as Value, sample) });
          } else visit(v, `${at}.${k}`);
        }
      }
    };
    visit(ownArguments(step), '');
  }
  return out;
}

/** `s3://bucket/key` → { bucket, key }. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`${uri} is not an s3:// URI`);
  return { bucket: m[1]!, key: m[2]! };
}
