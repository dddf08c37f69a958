/**
 * Canonical JSON: keys sorted by code unit, no whitespace, undefined members dropped (RFC 8785's ordering).
 * One implementation for the audit ledger's stored bytes and for comparing lifecycle statuses.
 */

/** Canonical JSON text of a JSON value (RFC 8785); throws on what JSON cannot hold (NaN, functions, bigint). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Not a JSON number: ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    // Written by hand, not through an object: JS iterates integer-like keys ("9", "10") first, whatever the order.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`Not a JSON value: ${typeof value}`);
}
