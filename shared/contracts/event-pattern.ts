/**
 * EventBridge event patterns with EventBridge's matching semantics: exact values (strings, numbers, booleans, `null`,
 * the empty string), `prefix` and `suffix` (each optionally `{ "equals-ignore-case": … }`), `equals-ignore-case`,
 * `wildcard`, `anything-but` (a value, a list, or `prefix` / `suffix` / `equals-ignore-case` / `wildcard`),
 * `numeric` (`=`, or a lower and/or an upper bound), `cidr` (IPv4 and IPv6), `exists` (leaf fields only), `$or` at
 * any level, nested objects, and arrays in events (a field matches when any element does; objects in an array are
 * matched element by element, so two fields never match from different elements).
 *
 * A pattern is compiled once and refused loudly (EventPatternError) when it uses anything else, so a check never
 * passes by accident. `matchesEventPattern` is the full matcher (the local twin's buses). `matchesPattern` keeps the
 * operator set the catalogue's rules use (exact values, `prefix`, `wildcard`, `exists`, `anything-but` with values),
 * so `mlops replay` and the contract tests flag a rule that starts using another operator.
 *
 * Semantics: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
export type Json = Record<string, unknown>;

/** A pattern EventBridge would refuse, or one using an operator this matcher does not implement. */
export class EventPatternError extends Error {
  override readonly name = 'EventPatternError';
}

type Leaf = string | number | boolean | null;
/** Tests the leaf values found at one path (empty when the field is absent or is an object). */
type LeafTest = (leaves: Leaf[]) => boolean;

/**
 * Which operators a compiled pattern may use: `eventbridge`, all of them; `catalogue`, those of the rules in
 * `events/rules` (exact values, `prefix` and `wildcard` with a string, `exists`, `anything-but` with values).
 */
export type PatternDialect = 'eventbridge' | 'catalogue';

const CATALOGUE_OPERATORS = new Set(['prefix', 'wildcard', 'exists', 'anything-but']);

interface ObjectMatcher {
  leaves: { key: string; test: LeafTest }[];
  nested: { key: string; matcher: ObjectMatcher }[];
  /** Each group is one `$or`: at least one of its alternatives must match the same object. */
  or: ObjectMatcher[][];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLeaf = (v: unknown): v is Leaf => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const show = (v: unknown) => JSON.stringify(v);
const fail = (message: string): never => {
  throw new EventPatternError(message);
};
const unsupported = (matcher: unknown): never => fail(`Unsupported EventBridge pattern operator ${show(matcher)}`);

/** Arrays in events are flattened at any depth: `[["a"], "b"]` holds the values `a` and `b`. */
function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

const strings = (leaves: Leaf[]) => leaves.filter((l): l is string => typeof l === 'string');

// --- string operators ---------------------------------------------------------------------------------------------

/** `*` is any run of characters; `\*` a literal asterisk and `\\` a backslash (nothing else may be escaped). */
function wildcardRegExp(pattern: string): RegExp {
  if (pattern.includes('**')) fail(`Consecutive wildcard characters are not allowed in ${show(pattern)}`);
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[++i];
      if (next !== '*' && next !== '\\') fail(`Invalid escape in wildcard ${show(pattern)}: only \\* and \\\\ may be escaped`);
      source += `\\${next}`;
    } else source += c === '*' ? '.*' : c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** A string predicate for `prefix` / `suffix` / `equals-ignore-case` / `wildcard` and its operand. */
function stringPredicate(op: string, operand: unknown): (s: string) => boolean {
  const needString = (v: unknown): string => (typeof v === 'string' ? v : fail(`${op} takes a string, got ${show(v)}`));
  if (op === 'prefix' || op === 'suffix') {
    const ignoreCase = isObject(operand);
    if (ignoreCase && (Object.keys(operand).length !== 1 || !('equals-ignore-case' in operand))) unsupported({ [op]: operand });
    const text = needString(ignoreCase ? operand['equals-ignore-case'] : operand);
    const norm = (s: string) => (ignoreCase ? s.toLowerCase() : s);
    return op === 'prefix' ? (s) => norm(s).startsWith(norm(text)) : (s) => norm(s).endsWith(norm(text));
  }
  if (op === 'equals-ignore-case') {
    const text = needString(operand).toLowerCase();
    return (s) => s.toLowerCase() === text;
  }
  if (op === 'wildcard') {
    const re = wildcardRegExp(needString(operand));
    return (s) => re.test(s);
  }
  return unsupported({ [op]: operand });
}

// --- numeric and cidr -----------------------------------------------------------------------------------------------

/** EventBridge compares numbers within ±5.0e9 (event-ruler's range); outside it a pattern is refused. */
const NUMERIC_LIMIT = 5e9;

function numericTest(spec: unknown): LeafTest {
  if (!Array.isArray(spec) || (spec.length !== 2 && spec.length !== 4)) fail(`numeric takes [op, n] or [op, n, op, n], got ${show(spec)}`);
  const pairs: [string, number][] = [];
  for (let i = 0; i < (spec as unknown[]).length; i += 2) {
    const [op, n] = [(spec as unknown[])[i], (spec as unknown[])[i + 1]];
    if (typeof op !== 'string' || !['=', '<', '<=', '>', '>='].includes(op)) fail(`Unknown numeric operator ${show(op)}`);
    if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > NUMERIC_LIMIT) fail(`numeric operand ${show(n)} is not a number within ±5e9`);
    pairs.push([op as string, n as number]);
  }
  const lower = pairs.filter(([op]) => op === '>' || op === '>=');
  const upper = pairs.filter(([op]) => op === '<' || op === '<=');
  if (pairs.some(([op]) => op === '=') ? pairs.length !== 1 : lower.length > 1 || upper.length > 1) fail(`Invalid numeric range ${show(spec)}`);
  const holds = (v: number) =>
    pairs.every(([op, n]) => (op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : v >= n));
  return (leaves) => leaves.some((l) => typeof l === 'number' && holds(l));
}

/** An IPv4 or IPv6 address as [bits, value], or undefined when `s` is neither. */
function parseIp(s: string): [32 | 128, bigint] | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((p) => p <= 255) ? [32, parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n)] : undefined;
  }
  if (!/^[0-9a-fA-F:]+$/.test(s) || s.split('::').length > 2) return undefined;
  const [head = '', tail] = s.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const missing = 8 - h.length - t.length;
  if ((tail === undefined && missing !== 0) || missing < 0 || [...h, ...t].some((g) => g.length === 0 || g.length > 4)) return undefined;
  const all = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  return [128, all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)];
}

function cidrTest(spec: unknown): LeafTest {
  const [address = '', bitsText] = typeof spec === 'string' ? spec.split('/') : [];
  const net = parseIp(address);
  const prefix = Number(bitsText);
  if (!net || bitsText === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > net[0]) fail(`cidr takes a CIDR block, got ${show(spec)}`);
  const [width, base] = net as [32 | 128, bigint];
  const shift = BigInt(width - prefix);
  return (leaves) =>
    strings(leaves).some((s) => {
      const ip = parseIp(s);
      return ip !== undefined && ip[0] === width && ip[1] >> shift === base >> shift;
    });
}

// --- anything-but and the leaf matchers -----------------------------------------------------------------------------

function anythingButTest(spec: unknown): LeafTest {
  if (isObject(spec)) {
    const [op, operand] = Object.entries(spec)[0] ?? [];
    if (Object.keys(spec).length !== 1 || !op || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(op)) unsupported({ 'anything-but': spec });
    const predicates = (Array.isArray(operand) ? operand : [operand]).map((o) => stringPredicate(op as string, o));
    // A value matches when it is not a string the inner operator accepts (numbers are never "prefixed").
    return (leaves) => leaves.some((l) => typeof l !== 'string' || !predicates.some((p) => p(l)));
  }
  const excluded = Array.isArray(spec) ? spec : [spec];
  const allStrings = excluded.every((e) => typeof e === 'string');
  const allNumbers = excluded.every((e) => typeof e === 'number');
  if (excluded.length === 0 || !(allStrings || allNumbers)) fail(`anything-but takes a string, a number or a list of only strings or only numbers, got ${show(spec)}`);
  return (leaves) => leaves.some((l) => !excluded.includes(l));
}

function leafTest(matcher: unknown, dialect: PatternDialect): LeafTest {
  if (isLeaf(matcher)) return (leaves) => leaves.some((l) => l === matcher);
  if (!isObject(matcher) || Object.keys(matcher).length !== 1) return unsupported(matcher);
  const [op, spec] = Object.entries(matcher)[0] as [string, unknown];
  // The catalogue dialect takes its operators with plain operands only (no ignore-case or nested forms).
  if (dialect === 'catalogue' && (!CATALOGUE_OPERATORS.has(op) || isObject(spec))) return unsupported(matcher);
  switch (op) {
    case 'exists':
      if (typeof spec !== 'boolean') fail(`exists takes true or false, got ${show(spec)}`);
      // Only leaves count: a field holding an object "does not exist" (EventBridge: exists works on leaf nodes only).
      return (leaves) => leaves.length > 0 === spec;
    case 'numeric':
      return numericTest(spec);
    case 'cidr':
      return cidrTest(spec);
    case 'anything-but':
      return anythingButTest(spec);
    default: {
      const predicate = stringPredicate(op, spec);
      return (leaves) => strings(leaves).some(predicate);
    }
  }
}

// --- objects, $or and compilation -----------------------------------------------------------------------------------

function compileObject(pattern: Json, dialect: PatternDialect, path: string): ObjectMatcher {
  const compiled: ObjectMatcher = { leaves: [], nested: [], or: [] };
  for (const [key, value] of Object.entries(pattern)) {
    const where = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (dialect === 'catalogue') unsupported({ $or: value });
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) fail(`"$or" at ${where} must be an array of at least two patterns`);
      compiled.or.push((value as Json[]).map((alternative) => compileObject(alternative, dialect, where)));
    } else if (isObject(value)) {
      compiled.nested.push({ key, matcher: compileObject(value, dialect, where) });
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail(`Pattern value of "${where}" must not be an empty array`);
      const tests = value.map((m) => leafTest(m, dialect));
      compiled.leaves.push({ key, test: (leaves) => tests.some((t) => t(leaves)) });
    } else {
      fail(`Pattern value of "${key}" must be an array or an object`);
    }
  }
  return compiled;
}

function matchObject(matcher: ObjectMatcher, value: Json): boolean {
  return (
    matcher.leaves.every(({ key, test }) => test(flatten(value[key]).filter(isLeaf))) &&
    matcher.nested.every(({ key, matcher: inner }) => {
      const objects = flatten(value[key]).filter(isObject);
      // No object there: only conditions that hold on absent fields (exists: false) can match, as on `{}`.
      return (objects.length > 0 ? objects : [{}]).some((o) => matchObject(inner, o));
    }) &&
    matcher.or.every((alternatives) => alternatives.some((alternative) => matchObject(alternative, value)))
  );
}

/** A compiled pattern: refuses bad patterns once, then matches any number of events. */
export type CompiledPattern = (event: Json) => boolean;

/**
 * Compiles an EventBridge pattern (the full semantics unless `dialect` is `catalogue`).
 * @throws EventPatternError when the pattern is not valid or uses an operator outside its dialect.
 * @example
 * const isAlarm = compileEventPattern({ detail: { state: { value: [{ 'anything-but': 'OK' }] } } });
 * isAlarm(event);
 */
export function compileEventPattern(pattern: Json, dialect: PatternDialect = 'eventbridge'): CompiledPattern {
  if (!isObject(pattern)) fail(`An event pattern must be a JSON object, got ${show(pattern)}`);
  const matcher = compileObject(pattern, dialect, '');
  return (event) => matchObject(matcher, event);
}

/** Whether an EventBridge pattern matches an event, with the full semantics (see the module's TSDoc). */
export function matchesEventPattern(pattern: Json, event: Json): boolean {
  return compileEventPattern(pattern)(event);
}

/**
 * Whether an EventBridge pattern matches an event, for patterns limited to the catalogue's operators (exact
 * values, `prefix`, `wildcard`, `exists`, `anything-but` with values); anything else throws.
 */
export function matchesPattern(pattern: Json, event: Json): boolean {
  return compileEventPattern(pattern, 'catalogue')(event);
}
