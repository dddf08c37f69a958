/**
 * The draws the drift tests and the bench make, on the judge's seeded generator (../random.ts), so every
 * synthetic window is reproducible. Not for anything that must be unpredictable.
 */
import { seededRandom } from '../random';

export interface SeededDraws {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** One of `items`, with the given weights (need not sum to 1). */
  pick<T>(items: readonly T[], weights?: readonly number[]): T;
}

export function seededDraws(seed: number): SeededDraws {
  const next = seededRandom(seed);
  return {
    next,
    normal: () => {
      const u = 1 - next(); // (0, 1]: log(0) would be -Infinity
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    pick: <T>(items: readonly T[], weights?: readonly number[]): T => {
      const w = weights ?? items.map(() => 1);
      let r = next() * w.reduce((a, b) => a + b, 0);
      for (let i = 0; i < items.length; i += 1) {
        r -= w[i]!;
        if (r < 0) return items[i]!;
      }
      return items[items.length - 1]!;
    },
  };
}
