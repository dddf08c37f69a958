/**
 * The always-valid harm test: a one-sided normal-mixture SPRT on the difference of two proportions
 * θ = p_challenger − p_champion (reference/judge.md §6.2). Its likelihood ratio Λ exceeds 1/α with probability at
 * most α however often it is evaluated (Ville's inequality), so the canary can be judged after every batch.
 */
import type { ArmCounts } from './data-quality';

/** g(α) = −2 ln α + ln(1 − 2 ln α): τ² = g/I* makes the confidence sequence tightest at information I*. */
export function mixtureTuningConstant(alpha: number): number {
  return -2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha));
}

/** Λ = (1 + r)^(−½)·exp(r·z² / (2(1 + r))), with r = τ²·I. */
export function mixtureLikelihoodRatio(z: number, r: number): number {
  return Math.exp(mixtureLogLikelihoodRatio(z, r));
}

function mixtureLogLikelihoodRatio(z: number, r: number): number {
  return -0.5 * Math.log1p(r) + (r * z * z) / (2 * (1 + r));
}

/** The |z| at which Λ reaches 1/α: the test's boundary on the z scale at this information. */
export function mixtureZBoundary(alpha: number, r: number): number {
  return Math.sqrt(((1 + r) / r) * (2 * Math.log(1 / alpha) + Math.log1p(r)));
}

export interface HarmTestResult {
  /** θ̂ = p̂_challenger − p̂_champion. */
  difference: number;
  margin: number;
  /** p̄(1 − p̄)(1/n_A + 1/n_B): variance under the null, used by the test. */
  pooledVariance: number;
  /** (θ̂ − margin)/√pooledVariance. */
  z: number;
  /** r = τ²·I: how far the information is past the tuning point (g at I*). */
  mixtureRatio: number;
  /** The z boundary at this look. */
  zBoundary: number;
  likelihoodRatio: number;
  /** min(1, 1/Λ) at this look (the caller keeps the running minimum). */
  alwaysValidPValue: number;
  /** Confidence sequence for θ at level α from the unpooled variance (for display). */
  confidenceSequence: { lower: number; upper: number };
  harmful: boolean;
}

/**
 * Evaluates the harm test. The mixture is tuned on the standardised scale: r = g(α)·n / n*, with n the units so far
 * (both arms) and n* = tuning units, so τ needs no guess of the baseline rate and the bound is tightest at n*.
 */
export function harmTest(champion: ArmCounts, challenger: ArmCounts, options: { alpha: number; margin: number; tuningUnits: number }): HarmTestResult {
  const { alpha, margin, tuningUnits } = options;
  const pA = champion.events / champion.units;
  const pB = challenger.events / challenger.units;
  const difference = pB - pA;
  const pooled = (champion.events + challenger.events) / (champion.units + challenger.units);
  const pooledVariance = Math.max(pooled * (1 - pooled), 1e-12) * (1 / champion.units + 1 / challenger.units);
  const z = (difference - margin) / Math.sqrt(pooledVariance);
  const mixtureRatio = (mixtureTuningConstant(alpha) * (champion.units + challenger.units)) / tuningUnits;
  const zBoundary = mixtureZBoundary(alpha, mixtureRatio);
  const logLambda = mixtureLogLikelihoodRatio(z, mixtureRatio);
  const unpooledVariance = Math.max((pA * (1 - pA)) / champion.units + (pB * (1 - pB)) / challenger.units, 1e-12);
  const radius = Math.sqrt(unpooledVariance) * zBoundary;
  return {
    difference,
    margin,
    pooledVariance,
    z,
    mixtureRatio,
    zBoundary,
    likelihoodRatio: Math.exp(logLambda),
    alwaysValidPValue: Math.min(1, Math.exp(-logLambda)),
    confidenceSequence: { lower: difference - radius, upper: difference + radius },
    // One-sided: only an excess above the margin counts as harm.
    harmful: z > 0 && logLambda >= Math.log(1 / alpha),
  };
}
