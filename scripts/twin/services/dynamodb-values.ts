/**
 * DynamoDB AttributeValues as the DynamoDB twin stores and compares them: numbers as exact decimals (DynamoDB keeps
 * 38 significant digits; JS numbers would round), strings and binaries ordered by their bytes, as DynamoDB orders
 * sort keys and evaluates `<`.
 */
import { TwinServiceError } from '../core/types';

/** One DynamoDB value, as the low-level API carries it (exactly one member set). */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: Uint8Array;
  SS?: string[];
  NS?: string[];
  BS?: Uint8Array[];
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

/** An item: attribute name → value. */
export type Item = Record<string, AttributeValue>;

/** The largest item DynamoDB stores (400 KB). */
export const MAX_ITEM_BYTES = 400 * 1024;
const MAX_DIGITS = 38;

/** A `ValidationException` as DynamoDB raises it. */
export const validationError = (message: string) => new TwinServiceError('ValidationException', message);

/** The type tag of a value (`S`, `N`, …). */
export function typeOf(value: AttributeValue): string {
  const tag = Object.keys(value).find((k) => (value as Record<string, unknown>)[k] !== undefined);
  if (!tag) throw validationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  return tag;
}

// ---- numbers: value = m × 10^e, exact ----

interface Decimal {
  m: bigint;
  e: number;
}

function parseDecimal(text: string): Decimal {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (!match || whole.length + fraction.length === 0) throw validationError(`A value provided cannot be converted into a number: ${JSON.stringify(text)}`);
  const m = BigInt(whole + fraction || '0') * (match[1] === '-' ? -1n : 1n);
  return normalize({ m, e: Number(match[4] ?? 0) - fraction.length });
}

/** Trailing zeros of the mantissa move into the exponent, so equal numbers have one representation. */
function normalize(d: Decimal): Decimal {
  if (d.m === 0n) return { m: 0n, e: 0 };
  let { m, e } = d;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return { m, e };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

function formatDecimal(d: Decimal): string {
  const { m, e } = normalize(d);
  const digits = (m < 0n ? -m : m).toString();
  const sign = m < 0n ? '-' : '';
  if (e >= 0) return sign + digits + '0'.repeat(e);
  const point = digits.length + e;
  return sign + (point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`);
}

/** `text` in DynamoDB's canonical form (`1.50` → `1.5`, `1e3` → `1000`); ValidationException when not a number. */
export function canonicalNumber(text: string): string {
  const d = parseDecimal(text);
  const digits = (d.m < 0n ? -d.m : d.m).toString().length;
  if (digits > MAX_DIGITS) throw validationError(`Attempting to store more than ${MAX_DIGITS} significant digits in a Number`);
  return formatDecimal(d);
}

/** -1, 0 or 1: `a` against `b`, both number strings. */
export function compareNumbers(a: string, b: string): number {
  const [x, y] = align(parseDecimal(a), parseDecimal(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `a + b` (or `a - b`) exactly, canonical. */
export function addNumbers(a: string, b: string, op: '+' | '-'): string {
  const [x, y, e] = align(parseDecimal(a), parseDecimal(b));
  return canonicalNumber(formatDecimal({ m: op === '+' ? x + y : x - y, e }));
}

// ---- comparison ----

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Math.sign(Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
}

/**
 * -1, 0 or 1 for two values of an ordered type (N numerically, S by UTF-8 bytes, B by bytes, as DynamoDB sorts),
 * undefined when they are not both of the same ordered type (DynamoDB then evaluates `<` etc. to false).
 */
export function compareOrdered(a: AttributeValue, b: AttributeValue): number | undefined {
  if (a.N !== undefined && b.N !== undefined) return compareNumbers(a.N, b.N);
  if (a.S !== undefined && b.S !== undefined) return Math.sign(Buffer.compare(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8')));
  if (a.B !== undefined && b.B !== undefined) return compareBytes(a.B, b.B);
  return undefined;
}

/** Deep equality as DynamoDB's `=`: same type and value; sets regardless of order; numbers by value. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'S':
    case 'N':
    case 'B':
      return compareOrdered(a, b) === 0;
    case 'BOOL':
      return a.BOOL === b.BOOL;
    case 'NULL':
      return true;
    case 'SS':
    case 'NS':
    case 'BS': {
      const key = (v: AttributeValue) => setMembers(v).map((m) => keyPart(m)).sort();
      return JSON.stringify(key(a)) === JSON.stringify(key(b));
    }
    case 'L':
      return a.L!.length === b.L!.length && a.L!.every((v, i) => valuesEqual(v, b.L![i]!));
    case 'M': {
      const ka = Object.keys(a.M!);
      return ka.length === Object.keys(b.M!).length && ka.every((k) => b.M![k] !== undefined && valuesEqual(a.M![k]!, b.M![k]!));
    }
    default:
      throw new Error(`The DynamoDB twin does not know the AttributeValue type ${type}`);
  }
}

const SET_KINDS: Record<string, string> = { SS: 'string', NS: 'number', BS: 'binary' };

function setMembers(value: AttributeValue): AttributeValue[] {
  if (value.SS) return value.SS.map((S) => ({ S }));
  if (value.NS) return value.NS.map((N) => ({ N }));
  return (value.BS ?? []).map((B) => ({ B }));
}

/** A string that identifies a scalar value (key attributes, set members): canonical numbers, base64 binaries. */
export function keyPart(value: AttributeValue): string {
  if (value.S !== undefined) return `S:${value.S}`;
  if (value.N !== undefined) return `N:${canonicalNumber(value.N)}`;
  if (value.B !== undefined) return `B:${Buffer.from(value.B).toString('base64')}`;
  throw new Error(`keyPart of a ${typeOf(value)} value`);
}

// ---- writes: checks, canonical form, size ----

/**
 * The value as DynamoDB stores it (numbers canonical, a copy), or a ValidationException for what DynamoDB refuses:
 * numbers that are not numbers, empty sets, duplicate set members.
 */
export function storedValue(value: AttributeValue): AttributeValue {
  const type = typeOf(value);
  switch (type) {
    case 'N':
      return { N: canonicalNumber(value.N!) };
    case 'S':
      return { S: value.S! };
    case 'B':
      return { B: Uint8Array.from(value.B!) };
    case 'BOOL':
      return { BOOL: value.BOOL! };
    case 'NULL':
      return { NULL: true };
    case 'SS':
    case 'NS':
    case 'BS': {
      const members = setMembers(value).map(storedValue);
      if (members.length === 0) throw validationError(`One or more parameter values were invalid: An ${SET_KINDS[type]} set  may not be empty`);
      const keys = members.map(keyPart);
      if (new Set(keys).size !== keys.length) throw validationError('One or more parameter values were invalid: Input collection contains duplicates');
      if (type === 'SS') return { SS: members.map((m) => m.S!) };
      if (type === 'NS') return { NS: members.map((m) => m.N!) };
      return { BS: members.map((m) => m.B!) };
    }
    case 'L':
      return { L: value.L!.map(storedValue) };
    case 'M':
      return { M: storedItem(value.M!) };
    default:
      throw new Error(`The DynamoDB twin does not know the AttributeValue type ${type}`);
  }
}

/** Every attribute of `item` as {@link storedValue}. */
export function storedItem(item: Item): Item {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, storedValue(value)]));
}

/** A deep copy (callers never share the store's objects). */
export function copyItem(item: Item): Item {
  return structuredClone(item);
}

/** The item's size as DynamoDB counts it (names plus values; numbers about one byte per two digits). */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(canonicalNumber(value.N).replace(/[-.]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS || value.NS || value.BS) return setMembers(value).reduce((sum, m) => sum + valueSize(m), 0);
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueSize(v), 0);
  return 0;
}
