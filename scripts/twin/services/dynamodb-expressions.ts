/**
 * DynamoDB expressions for the DynamoDB twin: a tokenizer, a recursive-descent parser and an evaluator for the
 * subset the project's callers send (shared/aws/dynamodb-*.ts and Powertools' idempotency persistence layer).
 *
 * Grammar (keywords case-insensitive, function names case-sensitive, as in DynamoDB):
 *
 *   condition   := conjunction ( OR conjunction )*
 *   conjunction := negation ( AND negation )*
 *   negation    := NOT negation | primary
 *   primary     := '(' condition ')'
 *                | attribute_exists '(' path ')' | attribute_not_exists '(' path ')'
 *                | begins_with '(' path ',' operand ')'
 *                | operand ( '=' | '<>' | '<' | '<=' | '>' | '>=' ) operand
 *                | operand BETWEEN operand AND operand
 *   operand     := path | ':value'
 *   path        := name | '#name'                         (top-level attributes only)
 *
 *   update      := ( SET action ( ',' action )* | REMOVE path ( ',' path )* )+   (each clause at most once)
 *   action      := path '=' term ( ( '+' | '-' ) term )?
 *   term        := path | ':value' | if_not_exists '(' path ',' term ')'
 *
 * Key conditions are conditions of the shape `hash = :v [AND range-condition]`, where the range condition is a
 * comparison (not `<>`), BETWEEN or begins_with on the sort key.
 *
 * What DynamoDB accepts but the twin does not (IN, contains, size, attribute_type, list_append, ADD, DELETE, nested
 * paths `a.b` / `a[0]`) throws a plain Error naming it; what DynamoDB itself refuses (syntax errors, undefined or
 * unused placeholders, reserved words as bare names) throws the ValidationException DynamoDB would.
 */
import { addNumbers, compareOrdered, typeOf, validationError, valuesEqual, type AttributeValue, type Item } from './dynamodb-values';

/** The request parameter an expression came from (DynamoDB names it in its messages). */
export type ExpressionKind = 'ConditionExpression' | 'KeyConditionExpression' | 'UpdateExpression';

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** An attribute name (resolved from `#name`) or a value (resolved from `:value`). */
export type Operand = { kind: 'path'; name: string } | { kind: 'value'; value: AttributeValue };

/** A parsed condition. */
export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'exists' | 'not_exists'; path: string }
  | { kind: 'begins_with'; path: string; prefix: Operand };

/** The right-hand side of a SET action. */
export type Term = Operand | { kind: 'if_not_exists'; path: string; fallback: Term } | { kind: 'arith'; op: '+' | '-'; left: Term; right: Term };

/** A parsed update expression. */
export interface Update {
  set: { path: string; value: Term }[];
  remove: string[];
}

/**
 * The `ExpressionAttributeNames`/`Values` of one request (or one transaction item): resolves `#name`/`:value`
 * and remembers which were used, because DynamoDB refuses undefined ones and unused ones alike.
 */
export class Placeholders {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    private readonly names: Record<string, string> | undefined,
    private readonly values: Record<string, AttributeValue> | undefined,
  ) {}

  name(ref: string, kind: ExpressionKind): string {
    if (!this.names || !Object.hasOwn(this.names, ref)) {
      throw validationError(`Invalid ${kind}: An expression attribute name used in the document path is not defined; attribute name: ${ref}`);
    }
    this.usedNames.add(ref);
    return this.names[ref]!;
  }

  value(ref: string, kind: ExpressionKind): AttributeValue {
    if (!this.values || !Object.hasOwn(this.values, ref)) {
      throw validationError(`Invalid ${kind}: An expression attribute value used in expression is not defined; attribute value: ${ref}`);
    }
    this.usedValues.add(ref);
    return this.values[ref]!;
  }

  /** Call once every expression of the request is parsed: refuses names or values no expression used. */
  checkAllUsed(anyExpression: boolean): void {
    for (const [label, given, used] of [
      ['ExpressionAttributeNames', this.names, this.usedNames],
      ['ExpressionAttributeValues', this.values, this.usedValues],
    ] as const) {
      if (!given) continue;
      if (!anyExpression) throw validationError(`${label} can only be specified when using expressions`);
      const unused = Object.keys(given).filter((key) => !used.has(key));
      if (unused.length > 0) throw validationError(`Value provided in ${label} unused in expressions: keys: {${unused.join(', ')}}`);
    }
  }
}

// ---- tokens ----

type TokenKind = 'ident' | 'nameRef' | 'valueRef' | 'number' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const TOKEN = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(<>|<=|>=|[=<>(),.[\]+-]))/y;

function tokenize(source: string, kind: ExpressionKind): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (/\S/.test(source.slice(pos))) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(source);
    if (!m) throw syntaxError(kind, source, source.slice(pos).trimStart()[0] ?? '', pos);
    const text = m[0].trim();
    const tokenKind: TokenKind = m[1] ? 'nameRef' : m[2] ? 'valueRef' : m[3] ? 'ident' : m[4] ? 'number' : 'punct';
    tokens.push({ kind: tokenKind, text, pos: m.index + m[0].length - text.length });
    pos = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: '<EOF>', pos: source.length });
  return tokens;
}

function syntaxError(kind: ExpressionKind, source: string, token: string, pos: number) {
  const near = source.slice(Math.max(0, pos - 10), pos + 10);
  return validationError(`Invalid ${kind}: Syntax error; token: "${token}", near: "${near}"`);
}

/** Syntax DynamoDB accepts that the twin does not implement: a loud Error, not an AWS error. */
function unsupported(what: string, kind: ExpressionKind, source: string): Error {
  return new Error(`The DynamoDB twin does not support ${what} (${kind} "${source}"); extend scripts/twin/services/dynamodb-expressions.ts`);
}

/**
 * DynamoDB reserved words that attribute names commonly collide with (a subset of DynamoDB's ~570): as bare names
 * DynamoDB refuses them, so the twin does too. Use `#name` placeholders.
 */
const RESERVED = new Set(
  (
    'ACTION ALL AND AS BETWEEN BY CASE COLUMN COMMENT COUNT DATA DATE DAY DELETE DESC DOMAIN END ERROR EXISTS FILE ' +
    'FIRST FOR FROM GROUP HASH HOUR IN INDEX ITEM ITEMS KEY KEYS LAST LEVEL LIMIT LIST MAP MINUTE MONTH NAME NOT NULL ' +
    'NUMBER OR ORDER OWNER PATH POSITION RANGE REPLACE RETURN ROLE SECOND SET SIZE SOURCE STATE STATUS STRING TABLE ' +
    'TIME TIMESTAMP TO TTL TYPE USER VALUE VALUES YEAR'
  ).split(' '),
);

// ---- parser ----

class Parser {
  private i = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly source: string,
    private readonly kind: ExpressionKind,
    private readonly refs: Placeholders,
  ) {
    if (source.trim() === '') throw validationError(`Invalid ${kind}: The expression can not be empty;`);
    this.tokens = tokenize(source, kind);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.i++;
    return token;
  }

  private fail(token = this.peek()): never {
    throw syntaxError(this.kind, this.source, token.text, token.pos);
  }

  private unsupported(what: string): never {
    throw unsupported(what, this.kind, this.source);
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.i++;
    return true;
  }

  private isPunct(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punct' && token.text === text;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail();
    this.i++;
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') this.fail();
  }

  /** A function call ahead: an identifier followed by `(`. */
  private isCall(): boolean {
    return this.peek().kind === 'ident' && this.isPunct('(', 1);
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.negation() };
    return this.primary();
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    if (this.isCall()) return this.conditionFunction();
    const left = this.operand();
    const token = this.peek();
    if (token.kind === 'punct' && ['=', '<>', '<', '<=', '>', '>='].includes(token.text)) {
      this.i++;
      return { kind: 'compare', op: token.text as Comparator, left, right: this.operand() };
    }
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.operand();
      if (!this.acceptKeyword('AND')) this.fail();
      return { kind: 'between', subject: left, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) this.unsupported('the IN operator');
    return this.fail();
  }

  private conditionFunction(): Condition {
    const name = this.take().text;
    this.expectPunct('(');
    let result: Condition;
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        result = { kind: name === 'attribute_exists' ? 'exists' : 'not_exists', path: this.path() };
        break;
      case 'begins_with': {
        const path = this.path();
        this.expectPunct(',');
        result = { kind: 'begins_with', path, prefix: this.operand() };
        break;
      }
      case 'contains':
      case 'attribute_type':
      case 'size':
        return this.unsupported(`the function ${name}()`);
      default:
        throw validationError(`Invalid ${this.kind}: Invalid function name; function: ${name}`);
    }
    this.expectPunct(')');
    return result;
  }

  private operand(): Operand {
    const token = this.peek();
    if (token.kind === 'valueRef') {
      this.i++;
      return { kind: 'value', value: this.refs.value(token.text, this.kind) };
    }
    if (this.isCall()) {
      if (token.text === 'size') this.unsupported('the function size()');
      throw validationError(`Invalid ${this.kind}: The function is not allowed to be used this way in an expression; function: ${token.text}`);
    }
    return { kind: 'path', name: this.path() };
  }

  /** A top-level attribute name, bare or `#placeholder`. */
  path(): string {
    const token = this.take();
    let name: string;
    if (token.kind === 'nameRef') name = this.refs.name(token.text, this.kind);
    else if (token.kind === 'ident') {
      if (RESERVED.has(token.text.toUpperCase())) {
        throw validationError(`Invalid ${this.kind}: Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
      }
      name = token.text;
    } else return this.fail(token);
    if (this.isPunct('.') || this.isPunct('[')) this.unsupported('nested attribute paths (a.b, a[0])');
    return name;
  }

  update(): Update {
    const result: Update = { set: [], remove: [] };
    const seen = new Set<string>();
    do {
      const clause = this.peek().kind === 'ident' ? this.peek().text.toUpperCase() : '';
      if (clause === 'ADD' || clause === 'DELETE') this.unsupported(`the ${clause} clause`);
      if (clause !== 'SET' && clause !== 'REMOVE') this.fail();
      if (seen.has(clause)) throw validationError(`Invalid UpdateExpression: The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      this.i++;
      do {
        if (clause === 'SET') {
          const path = this.path();
          this.expectPunct('=');
          result.set.push({ path, value: this.setValue() });
        } else result.remove.push(this.path());
      } while (this.isPunct(',') && this.take());
    } while (this.peek().kind !== 'end');
    const paths = [...result.set.map((a) => a.path), ...result.remove];
    const twice = paths.find((p, i) => paths.indexOf(p) !== i);
    if (twice !== undefined) {
      throw validationError(
        `Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${twice}], path two: [${twice}]`,
      );
    }
    return result;
  }

  private setValue(): Term {
    const left = this.term();
    const token = this.peek();
    if (token.kind === 'punct' && (token.text === '+' || token.text === '-')) {
      this.i++;
      return { kind: 'arith', op: token.text, left, right: this.term() };
    }
    return left;
  }

  private term(): Term {
    if (!this.isCall()) return this.operand();
    const name = this.take().text;
    if (name === 'list_append') this.unsupported('the function list_append()');
    if (name !== 'if_not_exists') throw validationError(`Invalid UpdateExpression: Invalid function name; function: ${name}`);
    this.expectPunct('(');
    const path = this.path();
    this.expectPunct(',');
    const fallback = this.term();
    this.expectPunct(')');
    return { kind: 'if_not_exists', path, fallback };
  }
}

/** Parses a ConditionExpression (or a KeyConditionExpression, before {@link keyCondition} checks its shape). */
export function parseCondition(source: string, kind: ExpressionKind, refs: Placeholders): Condition {
  const parser = new Parser(source, kind, refs);
  const condition = parser.condition();
  parser.expectEnd();
  return condition;
}

/** Parses an UpdateExpression. */
export function parseUpdate(source: string, refs: Placeholders): Update {
  return new Parser(source, 'UpdateExpression', refs).update();
}

// ---- key conditions ----

/** The sort-key part of a key condition. */
export type RangeCondition =
  | { op: '=' | '<' | '<=' | '>' | '>='; value: AttributeValue }
  | { op: 'between'; low: AttributeValue; high: AttributeValue }
  | { op: 'begins_with'; prefix: AttributeValue };

/** A Query's key condition: the partition key's value and, optionally, a sort-key condition. */
export interface KeyCondition {
  hash: AttributeValue;
  range?: RangeCondition;
}

/**
 * The key condition a parsed KeyConditionExpression states for a table keyed by `hashName` (and `rangeName`), or
 * the ValidationException DynamoDB gives for a shape it refuses (OR, NOT, a non-key attribute, no partition key).
 */
export function keyCondition(condition: Condition, hashName: string, rangeName: string | undefined): KeyCondition {
  const parts: Condition[] = [];
  const flatten = (c: Condition): void => {
    if (c.kind === 'and') {
      flatten(c.left);
      flatten(c.right);
    } else parts.push(c);
  };
  flatten(condition);
  let hash: AttributeValue | undefined;
  let range: RangeCondition | undefined;
  for (const part of parts) {
    if (part.kind === 'or' || part.kind === 'not') throw validationError(`Invalid operator used in KeyConditionExpression: ${part.kind.toUpperCase()}`);
    const { attribute, condition: rc } = rangePart(part);
    if (attribute === hashName && rc.op === '=') {
      if (hash) throw validationError('KeyConditionExpressions must only contain one condition per key');
      hash = rc.value;
    } else if (attribute === rangeName && attribute !== undefined) {
      if (range) throw validationError('KeyConditionExpressions must only contain one condition per key');
      range = rc;
    } else throw validationError('Query key condition not supported');
  }
  if (!hash) throw validationError(`Query condition missed key schema element: ${hashName}`);
  return range ? { hash, range } : { hash };
}

function rangePart(part: Condition): { attribute: string; condition: RangeCondition } {
  const literal = (operand: Operand): AttributeValue => {
    if (operand.kind !== 'value') throw validationError('Invalid KeyConditionExpression: a key condition compares a key attribute with a :value');
    return operand.value;
  };
  switch (part.kind) {
    case 'compare':
      if (part.left.kind !== 'path') throw validationError('Invalid KeyConditionExpression: the key attribute comes first in a key condition');
      if (part.op === '<>') throw validationError('Unsupported operator on KeyConditionExpression: operator: <>');
      return { attribute: part.left.name, condition: { op: part.op, value: literal(part.right) } };
    case 'between':
      if (part.subject.kind !== 'path') throw validationError('Invalid KeyConditionExpression: the key attribute comes first in a key condition');
      return { attribute: part.subject.name, condition: { op: 'between', low: literal(part.low), high: literal(part.high) } };
    case 'begins_with':
      return { attribute: part.path, condition: { op: 'begins_with', prefix: literal(part.prefix) } };
    default:
      throw validationError(`Invalid operator used in KeyConditionExpression: ${part.kind}`);
  }
}

/** Whether a sort-key value satisfies the range condition. */
export function matchesRange(value: AttributeValue, range: RangeCondition): boolean {
  switch (range.op) {
    case 'between':
      return inBetween(value, range.low, range.high);
    case 'begins_with':
      return beginsWith(value, range.prefix);
    default:
      return compares(range.op, value, range.value);
  }
}

// ---- evaluation ----

const ORDERED_TYPES = new Set(['S', 'N', 'B']);

function resolve(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  return operand.kind === 'value' ? operand.value : item?.[operand.name];
}

/** A literal of a type that cannot be ordered is refused, as DynamoDB does; an attribute of such a type is just false. */
function checkOrderedLiteral(op: string, operand: Operand): void {
  if (operand.kind === 'value' && !ORDERED_TYPES.has(typeOf(operand.value))) throw incorrectOperand(`operator: ${op}`, operand.value);
}

const incorrectOperand = (what: string, value: AttributeValue) =>
  validationError(`Invalid ConditionExpression: Incorrect operand type for operator or function; ${what}, operand type: ${typeOf(value)}`);

function compares(op: Comparator, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (op === '=') return left !== undefined && right !== undefined && valuesEqual(left, right);
  // A missing attribute is not equal to anything: `#a <> :v` holds when #a is absent.
  if (op === '<>') return left === undefined || right === undefined ? left !== right : !valuesEqual(left, right);
  if (left === undefined || right === undefined) return false;
  const c = compareOrdered(left, right);
  if (c === undefined) return false;
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

function inBetween(value: AttributeValue | undefined, low: AttributeValue | undefined, high: AttributeValue | undefined): boolean {
  if (value === undefined || low === undefined || high === undefined) return false;
  const bounds = compareOrdered(low, high);
  if (bounds !== undefined && bounds > 0) {
    throw validationError('Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound');
  }
  const a = compareOrdered(value, low);
  const b = compareOrdered(value, high);
  return a !== undefined && b !== undefined && a >= 0 && b <= 0;
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if (value.S !== undefined && prefix.S !== undefined) return value.S.startsWith(prefix.S);
  if (value.B !== undefined && prefix.B !== undefined) return Buffer.from(value.B).subarray(0, prefix.B.byteLength).equals(Buffer.from(prefix.B));
  return false;
}

/** Whether `item` (undefined: no such item) satisfies `condition`. */
export function evaluate(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.operand, item);
    case 'exists':
      return item?.[condition.path] !== undefined;
    case 'not_exists':
      return item?.[condition.path] === undefined;
    case 'compare':
      if (condition.op !== '=' && condition.op !== '<>') [condition.left, condition.right].forEach((o) => checkOrderedLiteral(condition.op, o));
      return compares(condition.op, resolve(condition.left, item), resolve(condition.right, item));
    case 'between':
      [condition.subject, condition.low, condition.high].forEach((o) => checkOrderedLiteral('BETWEEN', o));
      return inBetween(resolve(condition.subject, item), resolve(condition.low, item), resolve(condition.high, item));
    case 'begins_with': {
      const prefix = resolve(condition.prefix, item);
      if (condition.prefix.kind === 'value' && prefix?.S === undefined && prefix?.B === undefined) {
        throw incorrectOperand('operator or function: begins_with', condition.prefix.value);
      }
      return beginsWith(item?.[condition.path], prefix);
    }
  }
}

function termValue(term: Term, item: Item): AttributeValue {
  switch (term.kind) {
    case 'value':
      return term.value;
    case 'path': {
      const value = item[term.name];
      if (value === undefined) throw validationError('The provided expression refers to an attribute that does not exist in the item');
      return value;
    }
    case 'if_not_exists':
      return item[term.path] ?? termValue(term.fallback, item);
    case 'arith': {
      const left = termValue(term.left, item);
      const right = termValue(term.right, item);
      if (left.N === undefined || right.N === undefined) throw validationError('An operand in the update expression has an incorrect data type');
      return { N: addNumbers(left.N, right.N, term.op) };
    }
  }
}

/**
 * `item` after `update` (a new object; `item` is untouched). Every right-hand side reads the item as it was before
 * the update, as in DynamoDB.
 */
export function applyUpdate(update: Update, item: Item): Item {
  const values = update.set.map((action) => [action.path, termValue(action.value, item)] as const);
  const next: Item = { ...item };
  for (const [path, value] of values) next[path] = value;
  for (const path of update.remove) delete next[path];
  return next;
}
