/**
 * The efficacy statistic of a default-rate experiment: the z the looks compare with their bounds, and how its mean
 * and spread grow with units under the planned effect (which sizes the group-sequential maximum).
 */
import type { ArmCounts } from './data-quality';

/** The default-rate efficacy z: Anscombe arcsine, or the difference of rates over a pooled or unpooled SE (see `rateZ`). */
export type RateStatistic = 'pooled' | 'unpooled' | 'arcsine';

/**
 * How the efficacy z of a default-rate experiment scales with units (both arms, challenger share f): N units give
 * the z a mean of effect·√(N / unitVariance) under the planned effect, with SD `alternativeSd` there.
 * - pooled: effect Δ = p_A − p_B over √V₀ per unit, V₀ = p̄(1−p̄)(1/(1−f) + 1/f) as a pooled estimate sees it; its SD
 *   under the effect is √(V₁/V₀), V₁ = p_A(1−p_A)/(1−f) + p_B(1−p_B)/f.
 * - unpooled (Wald): Δ over √V₁, SD 1.
 * - arcsine: effect asin√p_A − asin√p_B over √(1/(4(1−f)) + 1/(4f)), SD 1 (the transform stabilises the variance).
 *   Given `units`, the effect is the mean the Anscombe statistic has at that sample: to second order (delta method)
 *   E[asin√((x + 3/8)/(n + 3/4))] = asin√p + (1 − 2p)/(16·n·√(p(1−p))), which pulls the smaller arm up and the effect
 *   down a little while arms are small.
 */
export function rateStatisticScale(options: { championRate: number; challengerRate: number; challengerShare: number; statistic: RateStatistic; units?: number }): {
  effect: number;
  unitVariance: number;
  alternativeSd: number;
} {
  const { championRate: pA, challengerRate: pB, challengerShare: f } = options;
  if (options.statistic === 'arcsine') {
    const units = options.units;
    const mean = (p: number, share: number): number => Math.asin(Math.sqrt(p)) + (units === undefined ? 0 : (1 - 2 * p) / (16 * units * share * Math.sqrt(p * (1 - p))));
    const effect = mean(pA, 1 - f) - mean(pB, f);
    return { effect, unitVariance: 1 / (4 * (1 - f)) + 1 / (4 * f), alternativeSd: 1 };
  }
  const pBar = (1 - f) * pA + f * pB;
  const nullVariance = pBar * (1 - pBar) * (1 / (1 - f) + 1 / f);
  const alternativeVariance = (pA * (1 - pA)) / (1 - f) + (pB * (1 - pB)) / f;
  if (options.statistic === 'unpooled') return { effect: pA - pB, unitVariance: alternativeVariance, alternativeSd: 1 };
  return { effect: pA - pB, unitVariance: nullVariance, alternativeSd: Math.sqrt(alternativeVariance / nullVariance) };
}

/** Units (both arms) at which the z's mean under the planned effect reaches `drift`: N = drift²·V / effect². */
export function unitsForDrift(drift: number, unitVariance: number, effect: number): number {
  return Math.ceil((drift * drift * unitVariance) / (effect * effect));
}

/**
 * Units at which the default-rate z's mean reaches `drift` under the planned rates, with the effect taken at that
 * sample (the arcsine statistic's effect depends on it): a fixed point, reached in a few steps.
 */
export function rateUnitsForDrift(drift: number, options: { championRate: number; challengerRate: number; challengerShare: number; statistic: RateStatistic }): number {
  const asymptotic = rateStatisticScale(options);
  let units = unitsForDrift(drift, asymptotic.unitVariance, asymptotic.effect);
  for (let step = 0; step < 5; step += 1) {
    const scale = rateStatisticScale({ ...options, units });
    const next = unitsForDrift(drift, scale.unitVariance, scale.effect);
    if (next === units) break;
    units = next;
  }
  return units;
}

/**
 * The default-rate efficacy z, positive when the challenger defaults less: (p̂_champion − p̂_challenger)/SE with the
 * SE pooled under the null or each arm's own (Wald), or the difference of Anscombe arcsine transforms
 * asin√((x + 3/8)/(n + 3/4)) over √(1/(4n_A) + 1/(4n_B)), whose null distribution stays nearly symmetric while an arm
 * has few defaults. 0 when there is no variance.
 */
export function rateZ(champion: ArmCounts, challenger: ArmCounts, statistic: RateStatistic): number {
  if (statistic === 'arcsine') {
    const transform = (arm: ArmCounts): number => Math.asin(Math.sqrt((arm.events + 3 / 8) / (arm.units + 3 / 4)));
    return (transform(champion) - transform(challenger)) / Math.sqrt(1 / (4 * champion.units) + 1 / (4 * challenger.units));
  }
  const pA = champion.events / champion.units;
  const pB = challenger.events / challenger.units;
  const pooled = (champion.events + challenger.events) / (champion.units + challenger.units);
  const v = statistic === 'pooled' ? pooled * (1 - pooled) * (1 / champion.units + 1 / challenger.units) : (pA * (1 - pA)) / champion.units + (pB * (1 - pB)) / challenger.units;
  return v > 0 ? (pA - pB) / Math.sqrt(v) : 0;
}
