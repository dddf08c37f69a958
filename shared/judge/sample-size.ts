/**
 * Fixed-horizon sample size of a two-proportion z-test (reference/judge.md §6.5): the baseline the group-sequential
 * design is measured against and sized from.
 */
import { normalQuantile } from './distributions';

/**
 * Total labelled units N (both arms) for a two-sided level-α test with the given power, the challenger taking share
 * f: N = [z_{1−α/2}·√(p̄(1−p̄)(1/(1−f) + 1/f)) + z_{1−β}·√(p_A(1−p_A)/(1−f) + p_B(1−p_B)/f)]² / Δ².
 */
export function fixedHorizonUnits(options: { championRate: number; challengerRate: number; challengerShare: number; alpha: number; power: number }): number {
  const { championRate: pA, challengerRate: pB, challengerShare: f, alpha, power } = options;
  const delta = pB - pA;
  if (delta === 0) throw new RangeError('the planned effect must not be zero');
  const pBar = (1 - f) * pA + f * pB;
  const nullPart = normalQuantile(1 - alpha / 2) * Math.sqrt(pBar * (1 - pBar) * (1 / (1 - f) + 1 / f));
  const alternativePart = normalQuantile(power) * Math.sqrt((pA * (1 - pA)) / (1 - f) + (pB * (1 - pB)) / f);
  return Math.ceil((nullPart + alternativePart) ** 2 / delta ** 2);
}
