/**
 * Data-quality gates: while any fails, the judge gives no statistical verdict (`wait`). A sample-ratio mismatch
 * means the split itself is broken, so any comparison would be biased; too few events make the normal
 * approximation (and the variance estimate) unreliable; incomplete label joins bias default rates downwards.
 */
import { chiSquareSurvival } from './distributions';

/** Counts of one arm: units (invocations, labelled applications) and events among them (errors, defaults). */
export interface ArmCounts {
  units: number;
  events: number;
}

export interface SampleRatioCheck {
  checked: boolean;
  expectedShare?: number;
  observedShare?: number;
  chiSquare?: number;
  pValue?: number;
  threshold: number;
  passed: boolean;
}

/**
 * Chi-square goodness of fit (1 degree of freedom) of the challenger's share of assignments against the planned
 * share. Fails when p < threshold (0.001 by default: with thousands of looks a stricter level keeps false alarms rare).
 */
export function sampleRatioMismatch(championUnits: number, challengerUnits: number, expectedShare: number | undefined, threshold: number): SampleRatioCheck {
  const total = championUnits + challengerUnits;
  if (expectedShare === undefined || total === 0) return { checked: false, threshold, passed: true };
  const expectedChallenger = total * expectedShare;
  const expectedChampion = total - expectedChallenger;
  const chiSquare = (challengerUnits - expectedChallenger) ** 2 / expectedChallenger + (championUnits - expectedChampion) ** 2 / expectedChampion;
  const pValue = chiSquareSurvival(chiSquare, 1);
  return { checked: true, expectedShare, observedShare: challengerUnits / total, chiSquare, pValue, threshold, passed: pValue >= threshold };
}

export interface MinimumDataCheck {
  minUnits: number;
  minEvents: number;
  minNonEvents: number;
  /** Arms that fall short, with what they lack. */
  shortfalls: string[];
  passed: boolean;
}

/** Each arm needs ≥ minUnits units, ≥ minEvents events and ≥ minNonEvents non-events before any verdict. */
export function minimumData(
  arms: Record<string, ArmCounts>,
  minimum: { minUnits: number; minEvents: number; minNonEvents: number },
): MinimumDataCheck {
  const shortfalls: string[] = [];
  for (const [name, arm] of Object.entries(arms)) {
    if (arm.units < minimum.minUnits) shortfalls.push(`${name} has ${arm.units} units (needs ${minimum.minUnits})`);
    if (arm.events < minimum.minEvents) shortfalls.push(`${name} has ${arm.events} events (needs ${minimum.minEvents})`);
    if (arm.units - arm.events < minimum.minNonEvents) shortfalls.push(`${name} has ${arm.units - arm.events} non-events (needs ${minimum.minNonEvents})`);
  }
  return { ...minimum, shortfalls, passed: shortfalls.length === 0 };
}

export interface LabelCompletenessCheck {
  /** Per arm: labels joined / inferences old enough to have one. */
  completeness: Record<string, number>;
  minimum: number;
  passed: boolean;
}

/**
 * Label-join completeness per arm: of the inferences whose label should have matured, the share whose label was
 * joined (by inference id). Missing labels are rarely missing at random (a defaulted loan may be reported later).
 */
export function labelCompleteness(arms: Record<string, { matured: number; labelled: number }>, minimum: number): LabelCompletenessCheck {
  const completeness: Record<string, number> = {};
  for (const [name, arm] of Object.entries(arms)) completeness[name] = arm.matured === 0 ? 1 : arm.labelled / arm.matured;
  return { completeness, minimum, passed: Object.values(completeness).every((c) => c >= minimum) };
}
