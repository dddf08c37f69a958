/**
 * The scheduled runs over every managed group (drift check, canary judge, experiment judge): one group's failure
 * does not stop the others; the run fails at the end, naming the groups that failed, so the scheduler retries.
 */

export interface GroupFailure {
  group: string;
  error: unknown;
}

/** Runs `one` for each group in turn; returns what succeeded and what failed. */
export async function eachGroup<T>(groups: readonly string[], one: (group: string) => Promise<T>): Promise<{ outcomes: T[]; failures: GroupFailure[] }> {
  const outcomes: T[] = [];
  const failures: GroupFailure[] = [];
  for (const group of groups) {
    try {
      outcomes.push(await one(group));
    } catch (error) {
      failures.push({ group, error });
    }
  }
  return { outcomes, failures };
}

/** Throws one AggregateError for the failed groups (`<what> failed for a, b (the others were <done>)`), if any. */
export function failIfAny(failures: readonly GroupFailure[], what: string, done: string): void {
  if (failures.length === 0) return;
  throw new AggregateError(failures.map((f) => f.error), `${what} failed for ${failures.map((f) => f.group).join(', ')} (the others were ${done})`);
}
