/**
 * One look of the group-sequential efficacy test: boundaries at the information fractions actually reached (so
 * late or skipped looks keep α), the decision at this look, and the α spent so far.
 */
import { memoise } from './memo';
import { type BoundaryFamily, crossingProbabilities, efficacyBoundaries, equalFractions, futilityBoundaries, type GroupSequentialDesign, planDesign } from './group-sequential';

export interface EfficacySettings {
  alpha: number;
  power: number;
  looks: number;
  boundary: BoundaryFamily;
  /** Hwang–Shih–DeCani γ (read only by that family; default −2). */
  spendingGamma?: number;
  futility: boolean;
  /** SD of the efficacy z under the planned effect (default 1; see planDesign). */
  alternativeSd?: number;
}

/** The design at the planned equal fractions (memoised: it takes tens to hundreds of milliseconds). */
export const plannedDesign = memoise(
  (settings: EfficacySettings): GroupSequentialDesign =>
    planDesign({
      fractions: equalFractions(settings.looks),
      sideAlpha: settings.alpha / 2,
      power: settings.power,
      family: settings.boundary,
      futility: settings.futility,
      gamma: settings.spendingGamma,
      alternativeSd: settings.alternativeSd,
    }),
);

const boundariesAt = memoise((fractions: number[], final: boolean, settings: EfficacySettings, plannedDrift: number) => {
  const sideAlpha = settings.alpha / 2;
  let efficacy: number[];
  if (settings.boundary === 'obrien-fleming') {
    // The classic shape keeps the constant solved for the planned schedule: c/√t at the fractions reached.
    const constant = plannedDesign(settings).efficacy.at(-1)!;
    efficacy = fractions.map((t) => constant / Math.sqrt(t));
  } else {
    efficacy = efficacyBoundaries(fractions, sideAlpha, settings.boundary, settings.spendingGamma);
  }
  const futility = settings.futility
    ? futilityBoundaries(fractions, efficacy, 1 - settings.power, plannedDrift, final, settings.alternativeSd)
    : fractions.map(() => -Infinity);
  const spentPerSide = crossingProbabilities(fractions, efficacy, efficacy.map((c) => -c), 0).upper.reduce((sum, p) => sum + p, 0);
  return { efficacy, futility, alphaSpent: 2 * spentPerSide };
});

export type EfficacyOutcome = 'challenger-better' | 'challenger-worse' | 'futility' | 'no-difference' | 'continue';

export interface EfficacyLook {
  /** 1-based index among the efficacy looks. */
  index: number;
  fraction: number;
  final: boolean;
  /** Positive: the challenger is better. */
  z: number;
  bound: number;
  futilityBound: number | null;
  /** Two-sided α spent up to and including this look. */
  alphaSpent: number;
  outcome: EfficacyOutcome;
}

/** True when `fraction` has reached the next planned look (k/K) or the maximum. */
export function isPlannedLook(fraction: number, previousLooks: number, looks: number): boolean {
  return previousLooks < looks && fraction >= (previousLooks + 1) / looks - 1e-9;
}

/**
 * Evaluates an efficacy look at `fraction` (capped at 1: the final look spends what is left) after looks at
 * `previousFractions`.
 */
export function efficacyLook(z: number, fraction: number, previousFractions: readonly number[], settings: EfficacySettings): EfficacyLook {
  const t = Math.min(fraction, 1);
  const final = t >= 1 - 1e-9 || previousFractions.length + 1 >= settings.looks;
  const fractions = [...previousFractions, final ? 1 : t];
  const design = plannedDesign(settings);
  const { efficacy, futility, alphaSpent } = boundariesAt(fractions, final, settings, design.plannedDrift);
  const k = fractions.length - 1;
  const bound = efficacy[k]!;
  const futilityBound = futility[k]! === -Infinity ? null : futility[k]!;
  let outcome: EfficacyOutcome = 'continue';
  if (z >= bound) outcome = 'challenger-better';
  else if (z <= -bound) outcome = 'challenger-worse';
  else if (final) outcome = 'no-difference';
  else if (futilityBound !== null && z < futilityBound) outcome = 'futility';
  return { index: fractions.length, fraction: t, final, z, bound, futilityBound, alphaSpent, outcome };
}
