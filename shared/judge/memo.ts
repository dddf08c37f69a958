/**
 * A bounded memo for the boundary computations: they are pure but take tens of milliseconds, and a judge (or a
 * simulation) asks for the same schedule again and again. Caching is invisible to callers: same input, same output.
 */
export function memoise<A extends unknown[], R>(compute: (...args: A) => R, capacity = 256): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A): R => {
    const key = JSON.stringify(args);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = compute(...args);
    if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
    return value;
  };
}
