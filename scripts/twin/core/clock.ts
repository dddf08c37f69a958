/**
 * The twin's virtual clock: time stands still until `advance` moves it, and timers fire in virtual-time order, so a
 * scenario that covers days (bakes, alarm periods, pipeline steps) runs in milliseconds and the same way every time.
 */
import type { VirtualClock } from './types';

/** The {@link VirtualClock} plus what a scenario runner needs to drive it. */
export interface TwinClock extends VirtualClock {
  /** Virtual time of the earliest pending timer, or undefined when none is pending. */
  nextDueMs(): number | undefined;
  /** How many timers are pending. */
  pendingTimers(): number;
}

interface Timer {
  atMs: number;
  fn: () => void | Promise<void>;
}

/**
 * A virtual clock starting at `startIso`.
 * - `at(atMs, fn)` queues `fn`; a time already past fires on the next `advance` (time never goes backwards).
 * - `advance(ms)` fires every timer due up to `now + ms` in time order, awaiting each, with `nowMs()` set to the
 *   timer's time while it runs; timers scheduled by a timer inside the window fire in the same `advance`.
 * - A timer that throws rejects `advance` at that timer's time; later timers stay queued.
 * @example
 * const clock = makeVirtualClock('2025-03-01T09:00:00.000Z');
 * clock.at(clock.nowMs() + 60_000, () => console.log(clock.iso())); // 2025-03-01T09:01:00.000Z
 * await clock.advance(5 * 60_000);
 */
export function makeVirtualClock(startIso: string): TwinClock {
  const start = Date.parse(startIso);
  if (Number.isNaN(start)) throw new Error(`makeVirtualClock: "${startIso}" is not an ISO-8601 time`);
  let now = start;
  let advancing = false;
  // Kept sorted by time; timers due at the same instant stay in the order they were scheduled. Scenarios hold tens
  // to thousands of timers, so a sorted insert is plenty.
  const queue: Timer[] = [];

  const insert = (timer: Timer) => {
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.atMs > timer.atMs) i--;
    queue.splice(i, 0, timer);
  };

  return {
    nowMs: () => now,
    iso: () => new Date(now).toISOString(),
    at(atMs, fn) {
      if (!Number.isFinite(atMs)) throw new Error(`clock.at: ${atMs} is not a time in milliseconds`);
      insert({ atMs, fn });
    },
    async advance(ms) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`clock.advance: ${ms} is not a duration (milliseconds >= 0)`);
      // A timer that advances the clock itself would fire later timers inside an earlier one: refuse it.
      if (advancing) throw new Error('clock.advance was called from inside a timer; schedule another timer instead');
      advancing = true;
      const target = now + ms;
      try {
        while (queue.length > 0 && queue[0]!.atMs <= target) {
          const timer = queue.shift()!;
          now = Math.max(now, timer.atMs);
          await timer.fn();
        }
        now = target;
      } finally {
        advancing = false;
      }
    },
    nextDueMs: () => queue[0]?.atMs,
    pendingTimers: () => queue.length,
  };
}
