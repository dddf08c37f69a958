/**
 * Status conditions, as Kubernetes controllers report progress: one entry per type, whose transition time moves
 * only when its status changes, so "since when" survives repeated reconciles.
 */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  /** CamelCase machine reason, e.g. `GatesFailed`. */
  reason: string;
  /** What a human should read. */
  message: string;
  lastTransitionTime: string;
}

/** Returns `conditions` with `next` set; keeps the old transition time when the status did not change. */
export function setCondition(conditions: readonly Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const current = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = current && current.status === next.status ? current.lastTransitionTime : now;
  return [...conditions.filter((c) => c.type !== next.type), { ...next, lastTransitionTime }];
}

/** The condition of a type, if set. */
export function getCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}
