/**
 * The distribution functions the judge needs, from jstat (accurate to ~1e-9, see reference/toolchain.md §6), behind
 * names that say what they return so the statistics read like their formulas.
 */
import jStat from 'jstat';

/** Φ(x): standard normal cumulative distribution. */
export function normalCdf(x: number): number {
  return jStat.normal.cdf(x, 0, 1);
}

/** 1 − Φ(x), computed as Φ(−x) so far tails keep their precision. */
export function normalSurvival(x: number): number {
  return jStat.normal.cdf(-x, 0, 1);
}

/** Φ⁻¹(p): standard normal quantile. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1, got ${p}`);
  return jStat.normal.inv(p, 0, 1);
}

/** φ(x): standard normal density (a formula, cheaper than a library call in the boundary recursion). */
export function normalDensity(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** P(χ²_dof ≥ x): the p-value of a chi-square statistic. */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (x <= 0) return 1;
  return 1 - jStat.chisquare.cdf(x, degreesOfFreedom);
}
