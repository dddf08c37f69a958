/** Comparing statuses: equal content compares equal whatever order its keys were built in. */

/** JSON with sorted keys and no undefined members, so equal statuses compare equal whatever built them. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
