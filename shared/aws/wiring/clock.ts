/**
 * Wall-clock time for the functions. The local twin points `timeSource` at its virtual clock (the way it answers
 * beneath the SDK clients), so handlers stamp decisions with the scenario's time; in Lambda it is `Date.now`.
 */
export const timeSource: { nowMs: () => number } = { nowMs: () => Date.now() };

export const systemClock = { now: (): string => new Date(timeSource.nowMs()).toISOString() };
