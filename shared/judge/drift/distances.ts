/**
 * Distances between a baseline and a window, both given as counts over the same bins (numeric: underflow, the
 * baseline's buckets, overflow; categorical: one bin per category). Each returns null when either side is empty,
 * never NaN.
 *
 * - L∞ (Model Monitor's `linf_simple`): numerics, the largest gap between the two empirical CDFs at the bin
 *   edges; categoricals, the largest gap between two categories' frequencies.
 * - `linf_robust`: max(0, L∞ − c·√((n+m)/(n·m))), the small-sample correction of Deequ's KS-style comparison
 *   (aws-facts §2.4), c = 1.8 by default.
 * - PSI: Σ (q − p)·ln(q/p); an empty bin's share is raised to PSI_EPSILON first, else one empty bin makes it infinite.
 * - Jensen–Shannon distance: √JSD with base-2 logarithms, so it lies in [0, 1].
 * - Chi-squared: the two-sample test of homogeneity on the 2 × k table of counts (categories both sides lack are
 *   dropped), p-value from jstat.
 */
import jStat from 'jstat';

/** Share given to an empty bin in PSI (the usual 0.0001; a larger ε shrinks the PSI of sparse bins). */
export const PSI_EPSILON = 1e-4;

/** c in linf_robust's correction when no α is given (Deequ's default). */
export const DEFAULT_ROBUST_CONSTANT = 1.8;

const total = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);

function shares(baseline: readonly number[], window: readonly number[]): [number[], number[]] | null {
  if (baseline.length !== window.length) throw new Error(`bins differ: ${baseline.length} baseline, ${window.length} window`);
  const n = total(baseline);
  const m = total(window);
  if (n <= 0 || m <= 0) return null;
  return [baseline.map((c) => c / n), window.map((c) => c / m)];
}

/** L∞ between the two CDFs over ordered bins (`linf_simple`). */
export function linfCdf(baseline: readonly number[], window: readonly number[]): number | null {
  const s = shares(baseline, window);
  if (!s) return null;
  let cp = 0;
  let cq = 0;
  let max = 0;
  for (let i = 0; i < s[0].length; i += 1) {
    cp += s[0][i]!;
    cq += s[1][i]!;
    max = Math.max(max, Math.abs(cp - cq));
  }
  return Math.min(1, max);
}

/** L∞ between category frequencies (Model Monitor's default for categoricals). */
export function linfFrequencies(baseline: readonly number[], window: readonly number[]): number | null {
  const s = shares(baseline, window);
  if (!s) return null;
  return s[0].reduce((max, p, i) => Math.max(max, Math.abs(p - s[1][i]!)), 0);
}

/** `linf_robust` from `linf_simple` and the two sample sizes. */
export function linfRobust(simple: number, n: number, m: number, c = DEFAULT_ROBUST_CONSTANT): number {
  if (n <= 0 || m <= 0) return 0;
  return Math.max(0, simple - c * Math.sqrt((n + m) / (n * m)));
}

/** c for a significance level α: √(−ln(α/2)/2) (Deequ). */
export function robustConstantForAlpha(alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2);
}

export function psi(baseline: readonly number[], window: readonly number[], epsilon = PSI_EPSILON): number | null {
  const s = shares(baseline, window);
  if (!s) return null;
  return s[0].reduce((sum, p0, i) => {
    const p = Math.max(p0, epsilon);
    const q = Math.max(s[1][i]!, epsilon);
    return sum + (q - p) * Math.log(q / p);
  }, 0);
}

export function jensenShannonDistance(baseline: readonly number[], window: readonly number[]): number | null {
  const s = shares(baseline, window);
  if (!s) return null;
  let divergence = 0;
  s[0].forEach((p, i) => {
    const q = s[1][i]!;
    const mid = (p + q) / 2;
    if (p > 0) divergence += 0.5 * p * Math.log2(p / mid);
    if (q > 0) divergence += 0.5 * q * Math.log2(q / mid);
  });
  // Rounding can leave a hair below 0 or above 1.
  return Math.min(1, Math.sqrt(Math.max(0, divergence)));
}

export interface ChiSquared {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/** Two-sample chi-squared test of homogeneity (no continuity correction). */
export function chiSquaredHomogeneity(baseline: readonly number[], window: readonly number[]): ChiSquared | null {
  const n = total(baseline);
  const m = total(window);
  if (n <= 0 || m <= 0) return null;
  let statistic = 0;
  let kept = 0;
  baseline.forEach((b, i) => {
    const w = window[i]!;
    const column = b + w;
    if (column === 0) return;
    kept += 1;
    const eb = (column * n) / (n + m);
    const ew = (column * m) / (n + m);
    statistic += (b - eb) ** 2 / eb + (w - ew) ** 2 / ew;
  });
  const degreesOfFreedom = kept - 1;
  const pValue = degreesOfFreedom <= 0 ? 1 : Math.min(1, Math.max(0, 1 - jStat.chisquare.cdf(statistic, degreesOfFreedom)));
  return { statistic, degreesOfFreedom, pValue };
}
