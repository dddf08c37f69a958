/**
 * Reading the Terraform configuration without a Terraform binary: every `.tf` file parsed with @cdktf/hcl2json,
 * merged per module directory, and a small static evaluator for the expressions the checks need to see through
 * (literals, `var.`, `local.`, `each.`, `jsonencode`, `merge`, `concat`, `for`, conditionals with a known
 * condition). Anything it cannot evaluate stays an `Unresolved` with its source text, so a check can say so.
 */
import { getExpressionAst, parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The repository root. `TERRAFORM_CHECKS_REPO` points the checks at a copy (with `terraform/`, `events/` and
 * `functions/`), to see them fail on a deliberately broken configuration.
 */
export const REPO = process.env.TERRAFORM_CHECKS_REPO ? resolve(process.env.TERRAFORM_CHECKS_REPO) : resolve(__dirname, '..', '..');
/** The root module. */
export const TF_ROOT = join(REPO, 'terraform');
/** The internal modules' parent directory. */
export const TF_MODULES = join(TF_ROOT, 'modules');

/** A parsed block body as hcl2json gives it: attributes, and nested blocks as arrays of bodies. */
export type Body = Record<string, unknown>;

/** A top-level block of a module: `resource "type" "name"`, `data`, `variable`, `output`, `module`. */
export interface Block {
  /** The file, relative to the repository root. */
  file: string;
  /** `aws_s3_bucket.this`, `data.aws_iam_policy_document.x`, `var.name`, `output.x`, `module.x`. */
  address: string;
  type: string;
  name: string;
  body: Body;
}

/** One module directory, every file merged. */
export interface TfModule {
  /** Absolute path. */
  dir: string;
  /** Path relative to the repository root, e.g. `terraform/modules/rules`. */
  rel: string;
  /** Raw text per file (relative path). */
  texts: Record<string, string>;
  resources: Block[];
  data: Block[];
  variables: Map<string, Block>;
  outputs: Map<string, Block>;
  modules: Map<string, Block>;
  locals: Map<string, { file: string; value: unknown }>;
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

const parsed = new Map<string, Promise<Record<string, unknown>>>();

/** hcl2json of one file's text (cached by name and content). */
export function parseHcl(file: string, text: string): Promise<Record<string, unknown>> {
  const key = `${file}\0${text}`;
  let result = parsed.get(key);
  if (!result) {
    result = parse(file, text) as Promise<Record<string, unknown>>;
    parsed.set(key, result);
  }
  return result;
}

/** Module directories that exist: the root and each `terraform/modules/<name>`. */
export function moduleDirs(): string[] {
  const modules = existsDir(TF_MODULES)
    ? readdirSync(TF_MODULES)
        .map((name) => join(TF_MODULES, name))
        .filter((path) => statSync(path).isDirectory())
        .sort()
    : [];
  return [TF_ROOT, ...modules];
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const loaded = new Map<string, Promise<TfModule>>();

/** Every `.tf` file of `dir` (not its subdirectories), parsed and merged into one module. */
export function loadModule(dir: string): Promise<TfModule> {
  const abs = resolve(dir);
  let result = loaded.get(abs);
  if (!result) {
    const files: Record<string, string> = {};
    if (existsDir(abs)) {
      for (const name of readdirSync(abs).sort()) {
        if (name.endsWith('.tf')) files[relative(REPO, join(abs, name))] = readFileSync(join(abs, name), 'utf8');
      }
    }
    result = loadModuleFromText(relative(REPO, abs), files, abs);
    loaded.set(abs, result);
  }
  return result;
}

/** A module from in-memory files (`{ 'x/main.tf': '...' }`): for the checks' own tests. */
export async function loadModuleFromText(rel: string, texts: Record<string, string>, dir = join(REPO, rel)): Promise<TfModule> {
  const mod: TfModule = {
    dir,
    rel,
    texts,
    resources: [],
    data: [],
    variables: new Map(),
    outputs: new Map(),
    modules: new Map(),
    locals: new Map(),
  };
  for (const [file, text] of Object.entries(texts)) {
    const json = await parseHcl(file, text);
    for (const [type, byName] of Object.entries(asRecord(json.resource))) {
      for (const [name, bodies] of Object.entries(asRecord(byName))) {
        for (const body of asBodies(bodies)) mod.resources.push({ file, address: `${type}.${name}`, type, name, body });
      }
    }
    for (const [type, byName] of Object.entries(asRecord(json.data))) {
      for (const [name, bodies] of Object.entries(asRecord(byName))) {
        for (const body of asBodies(bodies)) mod.data.push({ file, address: `data.${type}.${name}`, type, name, body });
      }
    }
    const named = (key: string, into: Map<string, Block>, prefix: string) => {
      for (const [name, bodies] of Object.entries(asRecord(json[key]))) {
        for (const body of asBodies(bodies)) into.set(name, { file, address: `${prefix}.${name}`, type: key, name, body });
      }
    };
    named('variable', mod.variables, 'var');
    named('output', mod.outputs, 'output');
    named('module', mod.modules, 'module');
    for (const body of asBodies(json.locals)) {
      for (const [name, value] of Object.entries(body)) mod.locals.set(name, { file, value });
    }
  }
  return mod;
}

/** The module a `module` block's `source` points to (local sources only). */
export function moduleSourceDir(caller: TfModule, call: Block): string | undefined {
  const source = call.body.source;
  return typeof source === 'string' && source.startsWith('.') ? resolve(caller.dir, source) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Walking bodies

/** The value as a record, or `{}`. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The value as a list of block bodies (hcl2json makes every block an array). */
export function asBodies(value: unknown): Body[] {
  if (Array.isArray(value)) return value.filter((v): v is Body => v !== null && typeof v === 'object' && !Array.isArray(v));
  return value !== null && typeof value === 'object' ? [value as Body] : [];
}

/** Nested blocks named `name` of `body`: the literal ones and, flagged, the content of `dynamic "name"` blocks. */
export function nestedBlocks(body: Body, name: string): { body: Body; dynamic?: Body }[] {
  const literal = asBodies(body[name]).map((b) => ({ body: b }));
  const dynamic = asBodies(asRecord(body.dynamic)[name]).flatMap((d) => asBodies(d.content).map((content) => ({ body: content, dynamic: d })));
  return [...literal, ...dynamic];
}

/** Resources of a type. */
export function resourcesOf(mod: TfModule, type: string): Block[] {
  return mod.resources.filter((r) => r.type === type);
}

/** Data sources of a type. */
export function dataOf(mod: TfModule, type: string): Block[] {
  return mod.data.filter((d) => d.type === type);
}

/** The source-ish text of a hcl2json value, for textual searches (`${...}` kept). */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** Does the value's text reference `address` (e.g. `aws_s3_bucket.this`) as a whole traversal? */
export function references(value: unknown, address: string): boolean {
  const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_.])${escaped}(?![A-Za-z0-9_])`).test(textOf(value));
}

/** HCL text without comments (hash, double-slash and block comments), strings left alone. */
export function withoutComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"' || c === '\n') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Static evaluation

/** An expression the evaluator could not reduce to a value; `text` is its source. */
export class Unresolved {
  /**
   * @param text the expression's source, or for a template (`template` true) the template with what did evaluate
   *   filled in and the rest left as `${...}`: `arn:${local.partition}:s3:::creditai-dev-data/*`.
   */
  constructor(
    readonly text: string,
    readonly template = false,
  ) {}
  toString(): string {
    return this.template ? this.text : `\${${this.text}}`;
  }
}

export type Value = null | boolean | number | string | Unresolved | Value[] | { [key: string]: Value };

/** Parts of a `merge()` that could not be evaluated (the known keys are still there). */
export const UNRESOLVED_PARTS = Symbol('unresolved parts');

export const isUnresolved = (v: unknown): v is Unresolved => v instanceof Unresolved;
export const isObject = (v: unknown): v is { [key: string]: Value } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unresolved);

type Ast = {
  type: string;
  meta?: Record<string, unknown> & { value?: string };
  children?: Ast[];
};

/**
 * Where names are looked up: the module (for `local.` and variable defaults), the variables passed by the caller
 * (evaluated in the caller's scope), and bindings (`each`, a `for` expression's variables, a dynamic block's iterator).
 */
export class Scope {
  private readonly localCache = new Map<string, Promise<Value>>();
  constructor(
    readonly module: TfModule,
    readonly options: {
      /** Values of the module's variables as the caller passes them; undefined: not passed. */
      vars?: (name: string) => Promise<Value | undefined>;
      bindings?: Record<string, Value>;
      parent?: Scope;
    } = {},
  ) {}

  /** The same module and variables with more bindings. */
  with(bindings: Record<string, Value>): Scope {
    return new Scope(this.module, { ...this.options, bindings: { ...this.options.bindings, ...bindings }, parent: this.root() });
  }

  /** The scope locals are evaluated in (no bindings). */
  root(): Scope {
    return this.options.parent ?? this;
  }

  async variable(name: string): Promise<Value | undefined> {
    const passed = await this.options.vars?.(name);
    if (passed !== undefined) return passed;
    const declared = this.module.variables.get(name);
    if (declared && 'default' in declared.body) return evaluate(declared.body.default, new Scope(this.module));
    return undefined;
  }

  local(name: string): Promise<Value> | undefined {
    const root = this.root();
    if (root !== this) return root.local(name);
    const entry = this.module.locals.get(name);
    if (!entry) return undefined;
    let value = this.localCache.get(name);
    if (!value) {
      value = evaluate(entry.value, this);
      this.localCache.set(name, value);
    }
    return value;
  }

  async lookup(segments: string[], text: string): Promise<Value> {
    const [head, ...rest] = segments;
    if (head === undefined) return new Unresolved(text);
    const bindings = this.options.bindings ?? {};
    let value: Value | undefined;
    let path = rest;
    if (head in bindings) value = bindings[head];
    else if (head === 'local' && rest[0] !== undefined) {
      value = await this.local(rest[0]);
      path = rest.slice(1);
    } else if (head === 'var' && rest[0] !== undefined) {
      value = await this.variable(rest[0]);
      path = rest.slice(1);
    } else if (head === 'path' && rest[0] !== undefined) {
      // Terraform runs in the root module: path.root and path.cwd are the root, path.module this module.
      value = rest[0] === 'module' ? this.module.dir : rest[0] === 'root' || rest[0] === 'cwd' ? TF_ROOT : undefined;
      path = rest.slice(1);
    }
    if (value === undefined) return new Unresolved(text);
    return walk(value, path, text);
  }
}

function walk(value: Value, path: string[], text: string): Value {
  let current: Value = value;
  for (const raw of path) {
    const segment = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (isObject(current) && segment in current) current = current[segment] as Value;
    // An attribute an object does not have: null, as Terraform makes an optional() attribute nobody set.
    else if (isObject(current) && !(UNRESOLVED_PARTS in current)) current = null;
    else if (Array.isArray(current) && /^\d+$/.test(segment) && Number(segment) < current.length) current = current[Number(segment)] as Value;
    else return new Unresolved(text);
  }
  return current;
}

/** Is `s` exactly one `${...}` interpolation (not `${a}-${b}`)? */
export function isSingleInterpolation(s: string): boolean {
  if (!s.startsWith('${') || !s.endsWith('}')) return false;
  return matchingBrace(s, 1) === s.length - 1;
}

/** Index of the `}` closing the `{` at `open`, skipping strings. */
function matchingBrace(s: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      else if (c === '$' && s[i + 1] === '{') {
        // An interpolation inside a string: skip to its end.
        i = matchingBrace(s, i + 1);
        if (i < 0) return -1;
      }
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The expression inside a `${...}` value, or undefined for a plain string. */
export function expressionOf(value: unknown): string | undefined {
  return typeof value === 'string' && isSingleInterpolation(value) ? value.slice(2, -1) : undefined;
}

/** Evaluates a hcl2json value (literal JSON, `${...}` strings, nested blocks) in `scope`. */
export async function evaluate(raw: unknown, scope: Scope, depth = 0): Promise<Value> {
  if (depth > 40) return new Unresolved(textOf(raw));
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'boolean' || typeof raw === 'number') return raw;
  if (Array.isArray(raw)) return Promise.all(raw.map((v) => evaluate(v, scope, depth + 1)));
  if (typeof raw === 'object') {
    const out: { [key: string]: Value } = {};
    for (const [k, v] of Object.entries(raw)) out[k] = await evaluate(v, scope, depth + 1);
    return out;
  }
  const s = String(raw);
  if (!s.includes('${') && !s.includes('%{')) return s;
  const inner = expressionOf(s);
  if (inner !== undefined) return evaluateExpression(inner, scope, depth + 1);
  // A template with text around its interpolations: parse it as a quoted HCL string.
  const quoted = JSON.stringify(s);
  const value = await evaluateExpression(quoted, scope, depth + 1);
  return isUnresolved(value) && value.text === quoted ? new Unresolved(s, true) : value;
}

/** A function call expression's name and argument source texts, or undefined when `text` is not a call. */
export async function functionCall(text: string): Promise<{ name: string; args: string[] } | undefined> {
  const ast = (await getExpressionAst('expression.tf', text).catch(() => null)) as Ast | null;
  if (!ast || ast.type !== 'function') return undefined;
  return { name: String(ast.meta?.name), args: (ast.children ?? []).map((c) => nodeText(c, '')) };
}

/** Evaluates HCL expression source text (no `${ }` around it). */
export async function evaluateExpression(text: string, scope: Scope, depth = 0): Promise<Value> {
  let ast: Ast | null;
  try {
    ast = (await getExpressionAst('expression.tf', text)) as Ast | null;
  } catch {
    return new Unresolved(text);
  }
  if (!ast) return new Unresolved(text);
  return evalNode(ast, text, scope, depth + 1);
}

const unquote = (key: string): string => {
  if (key.startsWith('"') && key.endsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  return key;
};

function nodeText(node: Ast, fallback: string): string {
  return typeof node.meta?.value === 'string' ? node.meta.value : fallback;
}

function isPrimitive(v: Value): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

async function evalNode(node: Ast, source: string, scope: Scope, depth: number): Promise<Value> {
  const text = nodeText(node, source);
  const children = node.children ?? [];
  const meta = node.meta ?? {};
  const child = (i: number) => {
    const c = children[i];
    return c ? evalNode(c, text, scope, depth + 1) : Promise.resolve<Value>(new Unresolved(text));
  };
  if (depth > 60) return new Unresolved(text);
  switch (node.type) {
    case 'literalValue': {
      if (meta.type === 'number') return Number(meta.value);
      if (meta.type === 'bool') return meta.value === 'true';
      if (meta.value === 'null' && meta.type !== 'string') return null;
      return String(meta.value ?? '');
    }
    case 'templateWrap':
      return child(0);
    case 'template': {
      if (children.length === 1 && children[0]?.type !== 'literalValue') return child(0);
      const parts = await Promise.all(children.map((_, i) => child(i)));
      if (parts.every(isPrimitive)) return parts.map(String).join('');
      return new Unresolved(parts.map((p) => (isPrimitive(p) ? String(p) : isUnresolved(p) ? (p.template ? p.text : p.toString()) : `\${${show(p)}}`)).join(''), true);
    }
    case 'tuple':
      return Promise.all(children.map((_, i) => child(i)));
    case 'object': {
      const out: { [key: string]: Value } = {};
      for (const [k, v] of Object.entries(asRecord(meta.items))) out[unquote(k)] = await evaluateExpression(String(v), scope, depth + 1);
      return out;
    }
    case 'scopeTraversal': {
      const traversal = (meta.traversal as { segment: string }[] | undefined) ?? [];
      return scope.lookup(
        traversal.map((t) => t.segment),
        text,
      );
    }
    case 'relativeTraversal': {
      const source = await child(0);
      const traversal = (meta.traversal as { segment: string }[] | undefined) ?? [];
      return walk(
        source,
        traversal.map((t) => t.segment),
        text,
      );
    }
    case 'index': {
      const [collection, key] = await Promise.all([child(0), child(1)]);
      if (!isPrimitive(key)) return new Unresolved(text);
      return walk(collection, [String(key)], text);
    }
    case 'conditional': {
      const condition = await child(0);
      if (typeof condition === 'boolean') return child(condition ? 1 : 2);
      return new Unresolved(text);
    }
    case 'binaryOp':
      return binary(String(meta.operator), await child(0), await child(1), text);
    case 'unaryOp': {
      const v = await child(0);
      if (meta.operator === 'negate' && typeof v === 'number') return -v;
      if (meta.operator === 'logicalNot' && typeof v === 'boolean') return !v;
      return new Unresolved(text);
    }
    case '':
      return children.length === 1 ? child(0) : new Unresolved(text);
    case 'function':
      return callFunction(String(meta.name), children, text, scope, depth, meta.expandedFinalArgument === true);
    case 'for':
      return forExpression(meta, text, scope, depth);
    default:
      return new Unresolved(text);
  }
}

function binary(op: string, a: Value, b: Value, text: string): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case 'add':
        return a + b;
      case 'subtract':
        return a - b;
      case 'multiply':
        return a * b;
      case 'divide':
        return a / b;
      case 'modulo':
        return a % b;
      case 'greaterThan':
        return a > b;
      case 'greaterThanOrEqual':
        return a >= b;
      case 'lessThan':
        return a < b;
      case 'lessThanOrEqual':
        return a <= b;
    }
  }
  if (isPrimitive(a) && isPrimitive(b) || a === null || b === null) {
    if (op === 'equal') return a === b;
    if (op === 'notEqual') return a !== b;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (op === 'logicalAnd') return a && b;
    if (op === 'logicalOr') return a || b;
  }
  return new Unresolved(text);
}

async function callFunction(name: string, args: Ast[], text: string, scope: Scope, depth: number, expandLast: boolean): Promise<Value> {
  const arg = (i: number) => {
    const a = args[i];
    return a ? evalNode(a, text, scope, depth + 1) : Promise.resolve<Value>(new Unresolved(text));
  };
  // `f(a, list...)`: the list's elements are the last arguments.
  const all = async (): Promise<Value[]> => {
    const values = await Promise.all(args.map((_, i) => arg(i)));
    const last = values[values.length - 1];
    return expandLast && Array.isArray(last) ? [...values.slice(0, -1), ...last] : values;
  };
  switch (name) {
    // The policy checks want the structure, not its JSON text.
    case 'jsonencode':
    case 'tolist':
    case 'toset':
    case 'tomap':
    case 'sensitive':
    case 'nonsensitive':
      return arg(0);
    case 'merge': {
      const out: { [key: string]: Value } = {};
      const unresolved: string[] = [];
      for (const v of await all()) {
        if (isObject(v)) {
          Object.assign(out, v);
          unresolved.push(...((v as { [UNRESOLVED_PARTS]?: string[] })[UNRESOLVED_PARTS] ?? []));
        } else if (v !== null) unresolved.push(textOf(v));
      }
      if (unresolved.length > 0) Object.defineProperty(out, UNRESOLVED_PARTS, { value: unresolved, enumerable: false });
      return out;
    }
    case 'concat':
      return (await all()).flatMap((v) => (Array.isArray(v) ? v : [v]));
    case 'flatten': {
      const flat = (v: Value): Value[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
      return flat(await arg(0));
    }
    case 'distinct': {
      const v = await arg(0);
      return Array.isArray(v) ? [...new Map(v.map((x) => [JSON.stringify(x), x])).values()] : v;
    }
    case 'keys': {
      const v = await arg(0);
      return isObject(v) ? Object.keys(v) : new Unresolved(text);
    }
    case 'values': {
      const v = await arg(0);
      return isObject(v) ? Object.values(v) : new Unresolved(text);
    }
    case 'file': {
      const path = await arg(0);
      if (typeof path !== 'string') return new Unresolved(text);
      try {
        return readFileSync(resolve(TF_ROOT, path), 'utf8');
      } catch {
        return new Unresolved(text);
      }
    }
    case 'jsondecode': {
      const json = await arg(0);
      if (typeof json !== 'string') return new Unresolved(text);
      try {
        return JSON.parse(json) as Value;
      } catch {
        return new Unresolved(text);
      }
    }
    case 'startswith':
    case 'endswith': {
      const [v, affix] = await all();
      if (typeof v !== 'string' || typeof affix !== 'string') return new Unresolved(text);
      return name === 'startswith' ? v.startsWith(affix) : v.endsWith(affix);
    }
    case 'compact': {
      const v = await arg(0);
      return Array.isArray(v) ? v.filter((x) => x !== null && x !== '') : new Unresolved(text);
    }
    case 'split': {
      const [sep, v] = await all();
      return typeof sep === 'string' && typeof v === 'string' ? v.split(sep) : new Unresolved(text);
    }
    case 'sort': {
      const v = await arg(0);
      return Array.isArray(v) && v.every(isPrimitive) ? [...v].map(String).sort() : new Unresolved(text);
    }
    case 'chunklist': {
      const [v, size] = await all();
      if (!Array.isArray(v) || typeof size !== 'number' || size <= 0) return new Unresolved(text);
      const chunks: Value[] = [];
      for (let i = 0; i < v.length; i += size) chunks.push(v.slice(i, i + size));
      return chunks;
    }
    case 'lower':
    case 'upper': {
      const v = await arg(0);
      if (typeof v !== 'string') return new Unresolved(text);
      return name === 'lower' ? v.toLowerCase() : v.toUpperCase();
    }
    case 'join': {
      const [sep, v] = await all();
      return typeof sep === 'string' && Array.isArray(v) && v.every(isPrimitive) ? v.map(String).join(sep) : new Unresolved(text);
    }
    case 'contains': {
      const [v, x] = await all();
      return Array.isArray(v) && isPrimitive(x as Value) && v.every(isPrimitive) ? v.includes(x as string) : new Unresolved(text);
    }
    case 'length': {
      const v = await arg(0);
      if (Array.isArray(v) || typeof v === 'string') return v.length;
      return isObject(v) ? Object.keys(v).length : new Unresolved(text);
    }
    case 'coalesce': {
      for (const v of await all()) if (v !== null && v !== '') return v;
      return new Unresolved(text);
    }
    case 'try': {
      for (const v of await all()) if (!isUnresolved(v)) return v;
      return new Unresolved(text);
    }
    case 'tostring':
    case 'tonumber': {
      const v = await arg(0);
      if (!isPrimitive(v)) return v === null ? null : new Unresolved(text);
      return name === 'tostring' ? String(v) : Number(v);
    }
    case 'min':
    case 'max': {
      const v = await all();
      if (!v.every((x) => typeof x === 'number')) return new Unresolved(text);
      return name === 'min' ? Math.min(...(v as number[])) : Math.max(...(v as number[]));
    }
    case 'lookup': {
      const [map, key, fallback] = await all();
      if (isObject(map) && isPrimitive(key as Value)) return String(key) in map ? (map[String(key)] as Value) : (fallback ?? new Unresolved(text));
      return new Unresolved(text);
    }
    default:
      return new Unresolved(text);
  }
}

async function forExpression(meta: Record<string, unknown>, text: string, scope: Scope, depth: number): Promise<Value> {
  const collection = await evaluateExpression(String(meta.collectionExpression), scope, depth + 1);
  const entries: [Value, Value][] = Array.isArray(collection)
    ? collection.map((v, i) => [i, v])
    : isObject(collection)
      ? Object.entries(collection)
      : [];
  if (!Array.isArray(collection) && !isObject(collection)) return new Unresolved(text);
  const keyVar = String(meta.keyVar ?? '');
  const valVar = String(meta.valVar ?? '');
  const isMap = typeof meta.keyExpression === 'string' && meta.keyExpression !== '';
  const list: Value[] = [];
  const map: { [key: string]: Value } = {};
  for (const [k, v] of entries) {
    const inner = scope.with({ ...(keyVar ? { [keyVar]: k } : {}), [valVar]: v });
    if (typeof meta.conditionalExpression === 'string' && meta.conditionalExpression !== '') {
      const keep = await evaluateExpression(meta.conditionalExpression, inner, depth + 1);
      if (keep === false) continue;
      if (keep !== true) return new Unresolved(text);
    }
    const value = await evaluateExpression(String(meta.valueExpression), inner, depth + 1);
    if (isMap) {
      const key = await evaluateExpression(String(meta.keyExpression), inner, depth + 1);
      if (!isPrimitive(key)) return new Unresolved(text);
      map[String(key)] = value;
    } else list.push(value);
  }
  return isMap ? map : list;
}

// ---------------------------------------------------------------------------------------------------------------
// Module instances: a module evaluated with the arguments its caller passes

/** One call of a module (one `for_each` key per instance), with the scope its variables resolve in. */
export interface Instance {
  module: TfModule;
  /** `root`, `module.rules`, `module.functions["sweep"]`. */
  label: string;
  scope: Scope;
}

/** The environments with a variable file `terraform/envs/<env>.tfvars`. */
export function environments(): string[] {
  const dir = join(TF_ROOT, 'envs');
  return existsDir(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.tfvars'))
        .map((f) => f.slice(0, -'.tfvars'.length))
        .sort()
    : [];
}

/** The root variables an environment's `.tfvars` sets (evaluated; they are literals). */
export async function tfvars(env: string): Promise<Record<string, Value>> {
  const file = join(TF_ROOT, 'envs', `${env}.tfvars`);
  const json = await parseHcl(relative(REPO, file), readFileSync(file, 'utf8'));
  const root = await loadModule(TF_ROOT);
  const out: Record<string, Value> = {};
  for (const [name, raw] of Object.entries(json)) out[name] = await evaluate(raw, new Scope(root));
  return out;
}

const instanceCache = new Map<string, Promise<Instance[]>>();

/**
 * The root module and every module it calls (for_each expanded when its collection evaluates), with the root
 * variables of `terraform/envs/<env>.tfvars` (or only the defaults when `env` is undefined).
 */
export function instances(env?: string): Promise<Instance[]> {
  const key = env ?? '';
  let result = instanceCache.get(key);
  if (!result) {
    result = buildInstances(env);
    instanceCache.set(key, result);
  }
  return result;
}

async function buildInstances(env?: string): Promise<Instance[]> {
  const root = await loadModule(TF_ROOT);
  const values = env ? await tfvars(env) : {};
  const rootScope = new Scope(root, { vars: async (name) => values[name] });
  const out: Instance[] = [{ module: root, label: 'root', scope: rootScope }];
  const called = new Set<string>();
  for (const call of root.modules.values()) {
    const dir = moduleSourceDir(root, call);
    if (!dir) continue;
    called.add(dir);
    const mod = await loadModule(dir);
    const forEach = 'for_each' in call.body ? await evaluate(call.body.for_each, rootScope) : undefined;
    const keys: [Value, Value][] | undefined = isObject(forEach)
      ? Object.entries(forEach)
      : Array.isArray(forEach)
        ? forEach.map((v) => [v, v])
        : undefined;
    const make = (label: string, callerScope: Scope): Instance => ({
      module: mod,
      label,
      scope: new Scope(mod, {
        vars: async (name) => (name in call.body ? evaluate(call.body[name], callerScope) : undefined),
      }),
    });
    if (keys) for (const [k, v] of keys) out.push(make(`module.${call.name}[${JSON.stringify(k)}]`, rootScope.with({ each: { key: k, value: v } })));
    else out.push(make(`module.${call.name}`, rootScope.with({ each: { key: new Unresolved('each.key'), value: new Unresolved('each.value') } })));
  }
  // Modules nobody calls yet are still checked, with their variables' defaults.
  for (const dir of moduleDirs().slice(1)) {
    if (!called.has(dir)) out.push({ module: await loadModule(dir), label: relative(REPO, dir), scope: new Scope(await loadModule(dir)) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// IAM policy statements

/** Where a policy applies: a KMS key or secret policy's `Resource "*"` means "this key/secret". */
export type PolicyKind = 'identity' | 'resource' | 'kms-key' | 'secret';

/** One IAM statement, normalised from `aws_iam_policy_document` or `jsonencode`. */
export interface Statement {
  /** Where it was found, for failure messages. */
  origin: string;
  kind: PolicyKind;
  effect: Value;
  actions: Value[];
  notActions: Value[];
  /** Undefined when the statement names no resources (e.g. a trust policy). */
  resources: Value[] | undefined;
  notResources: Value[];
  /** Principal identifiers (`*` for a public principal); empty for identity policies. */
  principals: Value[];
  conditions: { test: Value; variable: Value; values: Value[] }[];
}

const list = (v: Value | undefined): Value[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The kind of policy a data document or resource attribute feeds, from the resources that use it. */
function kindOfUser(resourceType: string): PolicyKind {
  if (resourceType === 'aws_kms_key' || resourceType === 'aws_kms_key_policy') return 'kms-key';
  if (resourceType === 'aws_secretsmanager_secret_policy' || resourceType === 'aws_secretsmanager_secret') return 'secret';
  if (/^aws_iam_(role_policy|policy|user_policy|group_policy)$/.test(resourceType)) return 'identity';
  return 'resource';
}

/** Entries of a `for_each` collection, or undefined when it does not evaluate. */
export async function forEachEntries(forEach: unknown, scope: Scope): Promise<[Value, Value][] | undefined> {
  const collection = await evaluate(forEach, scope);
  if (collection === null) return [];
  if (isObject(collection)) return Object.entries(collection);
  // A set of strings is keyed by its values; a list (dynamic blocks accept one) by its indexes.
  if (Array.isArray(collection)) return collection.map((v, i) => [isPrimitive(v) ? v : i, v]);
  return undefined;
}

/**
 * The nested blocks `name` of `body`, each with the scope its expressions evaluate in: literal blocks in `scope`,
 * `dynamic` blocks once per element of their for_each (the iterator bound), or once unexpanded when it does not
 * evaluate (then `expanded` is false).
 */
export async function expandBlocks(body: Body, name: string, scope: Scope): Promise<{ body: Body; scope: Scope; label: string; expanded: boolean }[]> {
  const out: { body: Body; scope: Scope; label: string; expanded: boolean }[] = [];
  asBodies(body[name]).forEach((b, i) => out.push({ body: b, scope, label: `${name}[${i}]`, expanded: true }));
  for (const [i, dyn] of asBodies(asRecord(body.dynamic)[name]).entries()) {
    const iterator = typeof dyn.iterator === 'string' ? dyn.iterator : name;
    const entries = await forEachEntries(dyn.for_each, scope);
    for (const content of asBodies(dyn.content)) {
      if (!entries) out.push({ body: content, scope, label: `dynamic ${name}[${i}] (for_each ${textOf(dyn.for_each)} not evaluated)`, expanded: false });
      else for (const [k, v] of entries) out.push({ body: content, scope: scope.with({ [iterator]: { key: k, value: v } }), label: `dynamic ${name}[${i}][${JSON.stringify(k)}]`, expanded: true });
    }
  }
  return out;
}

/** A block's instances: once per for_each entry (with `each` bound) or once. */
export async function blockInstances(block: Block, scope: Scope): Promise<{ scope: Scope; label: string }[]> {
  if (!('for_each' in block.body)) return [{ scope, label: block.address }];
  const entries = await forEachEntries(block.body.for_each, scope);
  if (!entries) return [{ scope: scope.with({ each: { key: new Unresolved('each.key'), value: new Unresolved('each.value') } }), label: `${block.address}[*]` }];
  return entries.map(([k, v]) => ({ scope: scope.with({ each: { key: k, value: v } }), label: `${block.address}[${JSON.stringify(k)}]` }));
}

/**
 * The kind of policy a document is, from the resources that end up using it: directly, through another document's
 * `source_policy_documents`, or through locals. A KMS key policy wins (its `"*"` means "this key").
 */
export function policyKind(mod: TfModule, address: string): PolicyKind {
  const types = new Set<string>();
  const seen = new Set<string>([address]);
  const queue = [address];
  while (queue.length > 0) {
    const target = queue.shift() as string;
    for (const block of [...mod.resources, ...mod.data]) {
      if (seen.has(block.address) || !Object.values(block.body).some((v) => references(v, target))) continue;
      if (block.address.startsWith('data.')) {
        seen.add(block.address);
        queue.push(block.address);
      } else types.add(block.type);
    }
    for (const [name, local] of mod.locals) {
      const localAddress = `local.${name}`;
      if (!seen.has(localAddress) && references(local.value, target)) {
        seen.add(localAddress);
        queue.push(localAddress);
      }
    }
  }
  const kinds = [...types].map(kindOfUser);
  if (kinds.includes('kms-key')) return 'kms-key';
  if (kinds.includes('secret')) return 'secret';
  if (kinds.includes('resource')) return 'resource';
  return 'identity';
}

/** The statements of an `aws_iam_policy_document` body, dynamic statements expanded when their for_each evaluates. */
export async function documentStatements(doc: Block, scope: Scope, origin: string, kind: PolicyKind): Promise<Statement[]> {
  const out: Statement[] = [];
  for (const statement of await expandBlocks(doc.body, 'statement', scope)) {
    const sidValue = await evaluate(statement.body.sid, statement.scope);
    const sid = sidValue === null ? '' : ` (${show(sidValue)})`;
    out.push(await blockStatement(statement.body, statement.scope, `${origin} ${statement.label}${sid}`, kind));
  }
  return out;
}

async function blockStatement(body: Body, scope: Scope, origin: string, kind: PolicyKind): Promise<Statement> {
  const ev = (k: string) => (k in body ? evaluate(body[k], scope) : Promise.resolve(undefined));
  const principals: Value[] = [];
  for (const name of ['principals', 'not_principals']) {
    for (const p of await expandBlocks(body, name, scope)) principals.push(...list(await evaluate(p.body.identifiers, p.scope)));
  }
  const conditions: Statement['conditions'] = [];
  for (const c of await expandBlocks(body, 'condition', scope)) {
    conditions.push({ test: await evaluate(c.body.test, c.scope), variable: await evaluate(c.body.variable, c.scope), values: list(await evaluate(c.body.values, c.scope)) });
  }
  const resources = await ev('resources');
  return {
    origin,
    kind: principals.length > 0 && kind === 'identity' ? 'resource' : kind,
    effect: (await ev('effect')) ?? 'Allow',
    actions: list(await ev('actions')),
    notActions: list(await ev('not_actions')),
    resources: resources === undefined ? undefined : list(resources),
    notResources: list(await ev('not_resources')),
    principals,
    conditions,
  };
}

/** Statements of an evaluated JSON policy (`{ Statement = [...] }`), wherever they are inside `value`. */
export function jsonStatements(value: Value, origin: string, kind: PolicyKind): Statement[] {
  const out: Statement[] = [];
  const visit = (v: Value, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (isObject(v)) {
      if ('Statement' in v) {
        list(v.Statement).forEach((s, i) => {
          if (!isObject(s)) return;
          const principal = s.Principal ?? s.NotPrincipal;
          const principals = principal === '*' ? ['*'] : isObject(principal) ? Object.values(principal).flatMap((p) => list(p)) : list(principal);
          const conditions: Statement['conditions'] = [];
          for (const [test, vars] of Object.entries(isObject(s.Condition) ? s.Condition : {})) {
            for (const [variable, values] of Object.entries(isObject(vars) ? vars : {})) conditions.push({ test, variable, values: list(values) });
          }
          out.push({
            origin: `${origin}${path} Statement[${i}]${typeof s.Sid === 'string' ? ` (${s.Sid})` : ''}`,
            kind: principals.length > 0 && kind === 'identity' ? 'resource' : kind,
            effect: s.Effect ?? new Unresolved('Effect missing'),
            actions: list(s.Action),
            notActions: list(s.NotAction),
            resources: 'Resource' in s ? list(s.Resource) : undefined,
            notResources: list(s.NotResource),
            principals,
            conditions,
          });
        });
      } else for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`);
    }
  };
  visit(value, '');
  return out;
}

/** Objects shaped like a statement (`actions` + `resources`) in a value: e.g. the typed policy maps passed to modules. */
export function statementLikeObjects(value: Value, origin: string): Statement[] {
  const out: Statement[] = [];
  const visit = (v: Value, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (isObject(v)) {
      if ('actions' in v && ('resources' in v || 'effect' in v || 'sid' in v)) {
        out.push({
          origin: `${origin}${path}`,
          kind: 'identity',
          effect: v.effect ?? 'Allow',
          actions: list(v.actions),
          notActions: list(v.not_actions),
          resources: 'resources' in v ? list(v.resources) : undefined,
          notResources: list(v.not_resources),
          principals: [],
          conditions: [],
        });
      }
      for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`);
    }
  };
  visit(value, '');
  return out;
}

/** Does a raw hcl2json value contain a `jsonencode(` call anywhere? */
function jsonencodedStrings(value: unknown, path: string): { path: string; value: string }[] {
  if (typeof value === 'string') return value.includes('jsonencode(') ? [{ path, value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonencodedStrings(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => jsonencodedStrings(v, `${path}.${k}`));
  return [];
}

/**
 * Every IAM statement of one module instance: its policy documents (kind from the resource that uses each one),
 * the `jsonencode` policies in its resources, data sources and locals, and statement-shaped objects in its locals
 * and module arguments (policy maps handed to a module).
 */
export async function instanceStatements(instance: Instance): Promise<Statement[]> {
  const { module: mod, scope, label } = instance;
  const out: Statement[] = [];
  for (const doc of dataOf(mod, 'aws_iam_policy_document')) {
    const kind = policyKind(mod, doc.address);
    for (const each of await blockInstances(doc, scope)) out.push(...(await documentStatements(doc, each.scope, `${label} ${doc.file} ${each.label}`, kind)));
  }
  for (const block of [...mod.resources, ...mod.data]) {
    const found = jsonencodedStrings(block.body, '');
    if (found.length === 0) continue;
    for (const each of await blockInstances(block, scope)) {
      for (const f of found) {
        const value = await evaluate(f.value, each.scope);
        out.push(...jsonStatements(value, `${label} ${block.file} ${each.label}${f.path}`, kindOfUser(block.type)));
      }
    }
  }
  for (const [name, local] of mod.locals) {
    const value = await evaluate(local.value, scope);
    const origin = `${label} ${local.file} local.${name}`;
    if (jsonencodedStrings(local.value, '').length > 0) out.push(...jsonStatements(value, origin, 'identity'));
    out.push(...statementLikeObjects(value, origin));
  }
  for (const call of mod.modules.values()) {
    for (const [arg, raw] of Object.entries(call.body)) {
      if (['source', 'version', 'for_each', 'count', 'depends_on', 'providers'].includes(arg)) continue;
      out.push(...statementLikeObjects(await evaluate(raw, scope), `${label} ${call.file} ${call.address}.${arg}`));
    }
  }
  return out;
}

/** `arn:partition:service:region:account:resource` split on colons outside `${...}`. */
export function arnParts(arn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < arn.length; i++) {
    if (arn[i] === '$' && arn[i + 1] === '{') {
      const end = matchingBrace(arn, i + 1);
      const stop = end < 0 ? arn.length - 1 : end;
      current += arn.slice(i, stop + 1);
      i = stop;
    } else if (arn[i] === ':') {
      parts.push(current);
      current = '';
    } else current += arn[i];
  }
  parts.push(current);
  return parts;
}

/** Is a resource `*`, or an ARN whose resource part is only `*` (`arn:aws:s3:::*`, `arn:aws:sagemaker:r:a:*`)? */
export function isWildcardResource(resource: Value): boolean {
  const text = isUnresolved(resource) ? (resource.template ? resource.text : '') : typeof resource === 'string' ? resource : '';
  if (text.trim() === '*') return true;
  const parts = arnParts(text);
  return parts[0] === 'arn' && parts.length >= 6 && parts.slice(5).join(':') === '*';
}

/**
 * Is a resource every resource of one type in the account (`...:key/*`, `...:pipeline/*`, `...:log-group:*`)? S3
 * ARNs are excluded: their first path segment is a bucket name, not a type.
 */
export function isTypeWideResource(resource: Value): boolean {
  const text = isUnresolved(resource) ? (resource.template ? resource.text : '') : typeof resource === 'string' ? resource : '';
  const parts = arnParts(text);
  if (parts[0] !== 'arn' || parts.length < 6 || parts[2] === 's3') return false;
  return /^[A-Za-z0-9-]+[/:]\*$/.test(parts.slice(5).join(':'));
}

/** A value as display text. */
export function show(v: Value | undefined): string {
  if (v === undefined) return 'undefined';
  if (isUnresolved(v)) return v.toString();
  return typeof v === 'string' ? v : JSON.stringify(v, (_, x) => (x instanceof Unresolved ? x.toString() : x));
}
