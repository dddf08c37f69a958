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

/**
 * One applicant of the seed's drift case (issue 7), raw: before the drift, annual income log-normal around 450,000
 * and employment years normal; after it, income around 520,000 and employment years bimodal, the other features
 * unchanged. What the drift tests and the bench stream through the check.
 */
export function seedCaseApplication(
  random: SeededDraws,
  drifted: boolean,
  categorical: { home_ownership: readonly string[]; purpose: readonly string[] },
): Record<string, string | number> {
  const income = Math.exp(Math.log(drifted ? 520_000 : 450_000) + 0.15 * random.normal());
  const years = drifted ? (random.next() < 0.5 ? 2 + random.normal() : 14 + 2 * random.normal()) : 8 + 3 * random.normal();
  return {
    annual_income: Math.round(income),
    employment_years: Math.max(0, Math.round(years * 10) / 10),
    age: Math.round(Math.min(90, Math.max(18, 42 + 11 * random.normal()))),
    debt_to_income: Math.round(Math.max(0, 0.35 + 0.12 * random.normal()) * 1000) / 1000,
    credit_lines: Math.max(0, Math.round(6 + 3 * random.normal())),
    delinquencies: random.pick([0, 1, 2, 3], [80, 12, 5, 3]),
    loan_amount: Math.round(Math.exp(Math.log(90_000) + 0.5 * random.normal())),
    home_ownership: random.pick(categorical.home_ownership, [40, 35, 20, 5]),
    purpose: random.pick(categorical.purpose),
  };
}
