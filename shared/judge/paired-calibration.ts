/**
 * Calibration comparisons on paired shadow scores (scores as predicted default probabilities): the paired Brier
 * difference and calibration-in-the-large per model (reference/judge.md §6.4).
 */

export interface PairedBrierResult {
  count: number;
  championBrier: number;
  challengerBrier: number;
  /** mean of d_i = (y − p_B)² − (y − p_A)²: negative means the challenger predicts defaults better. */
  meanDifference: number;
  /** Sample variance of d_i. */
  varianceOfDifference: number;
  /** meanDifference / √(variance/n). */
  z: number;
}

export function pairedBrier(champion: ArrayLike<number>, challenger: ArrayLike<number>, labels: ArrayLike<number>): PairedBrierResult {
  const n = labels.length;
  if (n < 2) throw new RangeError('a paired Brier comparison needs at least two labelled applications');
  let sumA = 0;
  let sumB = 0;
  let sumD = 0;
  let sumD2 = 0;
  for (let i = 0; i < n; i += 1) {
    const y = labels[i]!;
    const lossA = (y - champion[i]!) ** 2;
    const lossB = (y - challenger[i]!) ** 2;
    sumA += lossA;
    sumB += lossB;
    sumD += lossB - lossA;
    sumD2 += (lossB - lossA) ** 2;
  }
  const meanDifference = sumD / n;
  const varianceOfDifference = Math.max((sumD2 - n * meanDifference ** 2) / (n - 1), 0);
  return {
    count: n,
    championBrier: sumA / n,
    challengerBrier: sumB / n,
    meanDifference,
    varianceOfDifference,
    z: varianceOfDifference > 0 ? meanDifference / Math.sqrt(varianceOfDifference / n) : 0,
  };
}

export interface CalibrationInTheLarge {
  observed: number;
  expected: number;
  /** observed / expected defaults: 1 is calibrated, above 1 the model under-predicts risk; null with no expected defaults. */
  ratio: number | null;
  /** (O − E)/√Σp(1 − p): Poisson-binomial normal approximation. */
  z: number;
}

/** Observed against expected defaults for one model's predicted probabilities. */
export function calibrationInTheLarge(scores: ArrayLike<number>, labels: ArrayLike<number>): CalibrationInTheLarge {
  let observed = 0;
  let expected = 0;
  let variance = 0;
  for (let i = 0; i < labels.length; i += 1) {
    observed += labels[i]!;
    expected += scores[i]!;
    variance += scores[i]! * (1 - scores[i]!);
  }
  return { observed, expected, ratio: expected > 0 ? observed / expected : null, z: variance > 0 ? (observed - expected) / Math.sqrt(variance) : 0 };
}
