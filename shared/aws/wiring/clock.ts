/** Wall-clock time for production; tests and the twin pass their own clocks. */
export const systemClock = { now: (): string => new Date().toISOString() };
