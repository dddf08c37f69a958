/**
 * EventBridge pattern matching for the operators the rules in `events/rules` use: exact values, `prefix`,
 * `wildcard` (`*` matches any run of characters), `exists`, `anything-but`, nested objects and array-valued event
 * fields (a match if any element matches). Anything else throws rather than guess, so a check never passes by
 * accident. One implementation for the tests and the `mlops replay` CLI; the local twin's bus needs the full
 * semantics (numeric, suffix, `$or`, …) and will extend this one.
 */
export type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `*` is any run of characters; everything else is literal. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function matchesValue(matcher: unknown, present: boolean, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  if (!isObject(matcher)) return present && values.some((v) => v === matcher);
  if ('exists' in matcher) return matcher.exists === present;
  if (!present) return false;
  if ('prefix' in matcher) return values.some((v) => typeof v === 'string' && v.startsWith(String(matcher.prefix)));
  if ('wildcard' in matcher) return values.some((v) => typeof v === 'string' && wildcard(String(matcher.wildcard)).test(v));
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    const excluded: unknown[] = Array.isArray(but) ? but : [but];
    return values.every((v) => !excluded.includes(v));
  }
  throw new Error(`Unsupported EventBridge pattern operator ${JSON.stringify(matcher)}`);
}

/** Whether an EventBridge pattern matches an event. */
export function matchesPattern(pattern: Json, event: Json): boolean {
  return Object.entries(pattern).every(([key, matcher]) => {
    const value = event[key];
    if (isObject(matcher)) return isObject(value) && matchesPattern(matcher, value);
    if (!Array.isArray(matcher)) throw new Error(`Pattern value of "${key}" must be an array or an object`);
    return matcher.some((m) => matchesValue(m, Object.hasOwn(event, key), value));
  });
}
