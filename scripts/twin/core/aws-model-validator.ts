/**
 * Validates AWS SDK v3 command inputs against the official AWS API models (the botocore subset extracted into
 * `aws-models/` by `scripts/aws-models/extract.ts`), so a request AWS would refuse fails in tests and the twin too.
 * It lives with the twin, which needs it at run time; tests import it through `tests/support/aws-model-validator.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface MemberRef {
  shape: string;
  idempotencyToken?: boolean;
  /** On a member (S3 PutObject Body): the SDK also accepts a stream. */
  streaming?: boolean;
}
interface Shape {
  type: string;
  required?: string[];
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  union?: boolean;
  sensitive?: boolean;
}
interface Model {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

/** An SDK v3 command as far as validation needs it (any `new XxxCommand(input)`). */
export interface SdkCommand {
  constructor: { name: string };
  input: unknown;
}

/** Options of {@link validateInput}. */
export interface ValidateOptions {
  /**
   * DynamoDB DocumentClient (lib-dynamodb) input: AttributeValue positions hold native JS values, which the
   * DocumentClient marshalls before sending, so they are not checked against the AttributeValue shape.
   */
  documentValues?: boolean;
}

/** lib-dynamodb command names (without `Command`) whose operation name differs; others (Query, Scan) match. */
export const DOCUMENT_CLIENT_OPERATIONS: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

const MODELS_DIR = join(__dirname, '..', '..', '..', 'aws-models');
const models = new Map<string, Model>();

function modelOf(service: string): Model {
  const cached = models.get(service);
  if (cached) return cached;
  const file = join(MODELS_DIR, `${service}.json`);
  if (!/^[a-z0-9-]+$/.test(service) || !existsSync(file)) {
    throw new Error(
      `Unknown service "${service}": it is not in the extracted AWS models (no aws-models/${service}.json); ` +
        'add it to scripts/aws-models/operations.json and re-run the extract (if its model is in the source at all)',
    );
  }
  const model = JSON.parse(readFileSync(file, 'utf8')) as Model;
  models.set(service, model);
  return model;
}

/**
 * Problems of `input` as the input of `service:operation` (empty = valid), each as `Operation.Path: problem`,
 * e.g. `CreateEndpointConfig.ProductionVariants[0].VariantName: required member missing`.
 * @param service folder name of the model (`sagemaker`, `dynamodb`, ...), i.e. `aws-models/<service>.json`
 * @param operation API operation name (`CreateEndpointConfig`)
 * @throws Error when the service or operation is not in the extracted models
 */
export function validateInput(service: string, operation: string, input: unknown, options: ValidateOptions = {}): string[] {
  const model = modelOf(service);
  const op = model.operations[operation];
  if (!op) {
    throw new Error(
      `Operation ${service}:${operation} is not in the extracted AWS models; add it to scripts/aws-models/operations.json and re-run the extract`,
    );
  }
  const problems: string[] = [];
  const ctx: Ctx = {
    model,
    service,
    documentValues: options.documentValues ?? false,
    report: (path, message) => problems.push(`${operation}${path}: ${message}`),
  };
  if (op.input) check(ctx, op.input, input ?? {}, '');
  else if (input !== undefined && (!isPlainObject(input) || Object.keys(input).length > 0)) ctx.report('', 'operation takes no input');
  return problems;
}

/**
 * Validates an SDK v3 command (client or lib-dynamodb DocumentClient) against its operation's input shape.
 * The operation is the class name without `Command` (`CreateEndpointConfigCommand` → `CreateEndpointConfig`;
 * for DynamoDB `PutCommand` → `PutItem` etc.).
 */
export function validateCommand(command: SdkCommand, service: string): string[] {
  const name = command.constructor.name.replace(/Command$/, '');
  // lib-dynamodb commands carry `inputKeyNodes` (where they marshall); QueryCommand exists in both packages.
  const isDocument = service === 'dynamodb' && ('inputKeyNodes' in command || Object.hasOwn(DOCUMENT_CLIENT_OPERATIONS, name));
  const operation = isDocument && Object.hasOwn(DOCUMENT_CLIENT_OPERATIONS, name) ? DOCUMENT_CLIENT_OPERATIONS[name]! : name;
  return validateInput(service, operation, command.input, { documentValues: isDocument });
}

/** For jest: throws, listing every problem, when `command` would be refused by AWS. */
export function expectValidAwsInput(service: string, command: SdkCommand): void {
  const problems = validateCommand(command, service);
  if (problems.length > 0) {
    throw new Error(`${command.constructor.name} does not match the AWS model of ${service}:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * The commands an aws-sdk-client-mock `AwsStub` received, in order (`mock.calls().map(c => c.args[0])`),
 * so an adapter test can validate every call it made.
 */
export function recordedCallsOf(mock: { calls(): ReadonlyArray<{ args: readonly unknown[] }> }): SdkCommand[] {
  return mock.calls().map((call) => call.args[0] as SdkCommand);
}

interface Ctx {
  model: Model;
  service: string;
  documentValues: boolean;
  report(path: string, message: string): void;
}

function check(ctx: Ctx, ref: MemberRef, value: unknown, path: string): void {
  const shapeName = ref.shape;
  const shape = ctx.model.shapes[shapeName];
  if (!shape) throw new Error(`shape ${shapeName} missing from the extracted model (re-run the extract)`);
  if (ctx.documentValues && shapeName === 'AttributeValue') return; // native value, marshalled by the DocumentClient
  const problem = (message: string) => ctx.report(path, message);
  switch (shape.type) {
    case 'structure':
      if (!isPlainObject(value)) return problem(`expected an object, got ${kind(value)}`);
      return checkStructure(ctx, shape, isUnion(ctx, shapeName, shape), value, path);
    case 'list':
      if (!Array.isArray(value)) return problem(`expected an array, got ${kind(value)}`);
      checkSize(shape, value.length, 'items', problem);
      return value.forEach((item, i) => checkPresent(ctx, shape.member!, item, `${path}[${i}]`));
    case 'map':
      if (!isPlainObject(value)) return problem(`expected an object (map), got ${kind(value)}`);
      checkSize(shape, Object.keys(value).length, 'entries', problem);
      for (const [k, v] of Object.entries(value)) {
        check(ctx, shape.key!, k, `${path} key ${JSON.stringify(k)}`);
        checkPresent(ctx, shape.value!, v, `${path}[${JSON.stringify(k)}]`);
      }
      return;
    case 'string':
      return typeof value === 'string' ? checkString(shape, shapeName, value, problem) : problem(`expected a string, got ${kind(value)}`);
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return problem(`expected an integer, got ${kind(value)}`);
      return checkRange(shape, value, problem);
    case 'float':
    case 'double':
      if (typeof value !== 'number' || Number.isNaN(value)) return problem(`expected a number, got ${kind(value)}`);
      return checkRange(shape, value, problem);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : problem(`expected a boolean, got ${kind(value)}`);
    case 'timestamp':
      return isTimestamp(value) ? undefined : problem(`expected a timestamp (Date, ISO string or epoch number), got ${kind(value)}`);
    case 'blob': {
      const bytes = byteLength(value, ref.streaming ?? false);
      if (bytes === undefined) return problem(`expected a blob (Uint8Array, Buffer or string${ref.streaming ? ' or stream' : ''}), got ${kind(value)}`);
      if (bytes >= 0) checkSize(shape, bytes, 'bytes', problem);
      return;
    }
    default:
      return problem(`shape ${shapeName} has type ${shape.type}, which this validator does not know`);
  }
}

/** List items and map values: `null`/`undefined` are problems there (a dropped or sent-as-null entry). */
function checkPresent(ctx: Ctx, ref: MemberRef, value: unknown, path: string): void {
  if (value === null || value === undefined) ctx.report(path, `must not be ${value}`);
  else check(ctx, ref, value, path);
}

/** botocore does not flag DynamoDB's AttributeValue as a union, but DynamoDB refuses zero or several types. */
function isUnion(ctx: Ctx, shapeName: string, shape: Shape): boolean {
  return shape.union === true || (ctx.service === 'dynamodb' && shapeName === 'AttributeValue');
}

function checkStructure(ctx: Ctx, shape: Shape, union: boolean, value: Record<string, unknown>, path: string): void {
  const members = shape.members ?? {};
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(members, name)) ctx.report(`${path}.${name}`, 'unknown member (not in the AWS model)');
  }
  for (const name of shape.required ?? []) {
    // The SDK fills idempotency tokens (e.g. StartPipelineExecution.ClientRequestToken) when they are left out.
    if (value[name] == null && !members[name]?.idempotencyToken) ctx.report(`${path}.${name}`, 'required member missing');
  }
  const set = Object.entries(value).filter(([name, v]) => Object.hasOwn(members, name) && v != null);
  // The SDK drops members that are undefined or null, so they count as absent.
  for (const [name, v] of set) check(ctx, members[name]!, v, `${path}.${name}`);
  if (union && set.length !== 1) ctx.report(path, `exactly one member of this union must be set, got ${set.length}`);
}

function checkString(shape: Shape, shapeName: string, value: string, problem: (m: string) => void): void {
  const shown = shape.sensitive ? '(sensitive value)' : JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (shape.enum && !shape.enum.includes(value)) {
    const allowed = shape.enum.length <= 12 ? shape.enum.join(', ') : `the ${shape.enum.length} values of ${shapeName}`;
    problem(`${shown} is not one of ${allowed}`);
  }
  checkSize(shape, [...value].length, 'characters', problem); // length in code points, as AWS counts it
  const regex = shape.pattern === undefined ? null : compilePattern(shape.pattern);
  if (regex && !regex.test(value)) problem(`${shown} does not match pattern ${shape.pattern}`);
}

/** `min`/`max` of strings, lists, maps and blobs are sizes. */
function checkSize(shape: Shape, size: number, unit: string, problem: (m: string) => void): void {
  if (shape.min !== undefined && size < shape.min) problem(`${size} ${unit}, fewer than min ${shape.min}`);
  if (shape.max !== undefined && size > shape.max) problem(`${size} ${unit}, more than max ${shape.max}`);
}

/** `min`/`max` of numbers are bounds of the value. */
function checkRange(shape: Shape, value: number, problem: (m: string) => void): void {
  if (shape.min !== undefined && value < shape.min) problem(`${value} is less than min ${shape.min}`);
  if (shape.max !== undefined && value > shape.max) problem(`${value} is greater than max ${shape.max}`);
}

const patterns = new Map<string, RegExp | null>();

/**
 * A botocore (Java) pattern as a whole-string JS RegExp, or null when it cannot be compiled (the check is then
 * skipped). AWS matches patterns against the whole value, so unanchored patterns are anchored.
 */
export function compilePattern(pattern: string): RegExp | null {
  if (patterns.has(pattern)) return patterns.get(pattern)!;
  let regex: RegExp | null;
  try {
    const js = fromJavaRegex(pattern);
    const anchored = js.startsWith('^') && /(^|[^\\])(\\\\)*\$$/.test(js);
    regex = new RegExp(anchored ? js : `^(?:${js})$`, 'u');
  } catch {
    regex = null;
  }
  patterns.set(pattern, regex);
  return regex;
}

/** Java POSIX classes (ASCII, as in java.util.regex) as JS class bodies. */
const POSIX: Record<string, string> = {
  Print: '\\x20-\\x7E',
  Graph: '\\x21-\\x7E',
  Alpha: 'a-zA-Z',
  Alnum: 'a-zA-Z0-9',
  Digit: '0-9',
  Upper: 'A-Z',
  Lower: 'a-z',
  Punct: '!-\\/:-@\\[-`{-~',
  Space: ' \\t\\n\\x0B\\f\\r',
};

/**
 * Rewrites the Java-only constructs found in botocore patterns: `\A`, `\z`, `\Z` (→ `^`, `$`), POSIX classes
 * such as `\p{Print}`, and a quantified `$` (`...${1,128}`: Java repeats the zero-width anchor, JS refuses it).
 */
function fromJavaRegex(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      const posix = /^\\p\{(\w+)\}/.exec(pattern.slice(i));
      const body = posix ? POSIX[posix[1]!] : undefined;
      if (posix && body) {
        out += inClass ? body : `[${body}]`;
        i += posix[0].length - 1;
      } else {
        out += !inClass && next === 'A' ? '^' : !inClass && (next === 'z' || next === 'Z') ? '$' : c + next;
        i++;
      }
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
    if (c === '$' && !inClass) i += /^\{\d+(,\d*)?\}/.exec(pattern.slice(i + 1))?.[0].length ?? 0;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isTimestamp(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value === 'string') return !Number.isNaN(Date.parse(value));
  return typeof value === 'number' && Number.isFinite(value);
}

/** Size in bytes of a blob value; -1 for a stream (size unknown); undefined when not a blob at all. */
function byteLength(value: unknown, streaming: boolean): number | undefined {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof Blob) return value.size;
  const isStream = typeof value === 'object' && value !== null && ('pipe' in value || 'getReader' in value);
  return streaming && isStream ? -1 : undefined;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return `${typeof value} ${typeof value === 'string' ? '' : String(value)}`.trim();
}
