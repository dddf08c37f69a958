/**
 * Group-sequential boundaries on the z scale, by the recursive numerical integration of Armitage, McPherson and Rowe
 * (Jennison & Turnbull, ch. 19): the score statistic S(t) = Z(t)·√t has independent normal increments, so the
 * density of Z at look k, restricted to the paths that have not stopped, follows from look k−1 by one convolution.
 *
 * Information is measured as a fraction t ∈ (0, 1] of the maximum; `drift` is the mean of Z at t = 1, so
 * Z(t) ~ N(drift·√t, 1) on a continuing path.
 */
import { normalCdf, normalDensity, normalQuantile, normalSurvival } from './distributions';

/** How α is spread over the looks. */
export type BoundaryFamily = 'lan-demets-obf' | 'lan-demets-pocock' | 'obrien-fleming';

/** Grid points on each look's continuation interval (odd, for Simpson's rule): boundaries agree with a 401-point grid to 1e-6. */
const GRID_POINTS = 121;
/** Where a one-sided continuation interval is cut: beyond 10 SD of the mean no path matters. */
const TAIL = 10;

interface SubDensity {
  points: Float64Array;
  /** density × Simpson weight, so a sum over points is an integral. */
  mass: Float64Array;
  fraction: number;
}

function simpsonGrid(lower: number, upper: number): { points: Float64Array; weights: Float64Array } {
  const points = new Float64Array(GRID_POINTS);
  const weights = new Float64Array(GRID_POINTS);
  const step = (upper - lower) / (GRID_POINTS - 1);
  for (let i = 0; i < GRID_POINTS; i += 1) {
    points[i] = lower + i * step;
    const simpson = i === 0 || i === GRID_POINTS - 1 ? 1 : i % 2 === 1 ? 4 : 2;
    weights[i] = (simpson * step) / 3;
  }
  return { points, weights };
}

/** P(Z at `fraction` ≥ bound) over the paths still running after `previous` (all paths at the first look). */
function upperTail(previous: SubDensity | undefined, fraction: number, drift: number, bound: number): number {
  if (!previous) return normalSurvival(bound - drift * Math.sqrt(fraction));
  const delta = fraction - previous.fraction;
  const sdDelta = Math.sqrt(delta);
  const scale = Math.sqrt(fraction);
  const prevScale = Math.sqrt(previous.fraction);
  let total = 0;
  for (let i = 0; i < previous.points.length; i += 1) {
    const mean = previous.points[i]! * prevScale + drift * delta;
    total += previous.mass[i]! * normalSurvival((bound * scale - mean) / sdDelta);
  }
  return total;
}

/** P(Z at `fraction` ≤ bound) over the paths still running after `previous`. */
function lowerTail(previous: SubDensity | undefined, fraction: number, drift: number, bound: number): number {
  if (!previous) return normalCdf(bound - drift * Math.sqrt(fraction));
  const delta = fraction - previous.fraction;
  const sdDelta = Math.sqrt(delta);
  const scale = Math.sqrt(fraction);
  const prevScale = Math.sqrt(previous.fraction);
  let total = 0;
  for (let i = 0; i < previous.points.length; i += 1) {
    const mean = previous.points[i]! * prevScale + drift * delta;
    total += previous.mass[i]! * normalCdf((bound * scale - mean) / sdDelta);
  }
  return total;
}

/** The density of Z at `fraction` on the continuation interval (lower, upper), for paths still running. */
function continueDensity(previous: SubDensity | undefined, fraction: number, drift: number, lower: number, upper: number): SubDensity {
  const centre = drift * Math.sqrt(fraction);
  const from = Math.max(lower, centre - TAIL);
  const to = Math.min(upper, centre + TAIL);
  const { points, weights } = simpsonGrid(from, Math.max(to, from));
  const mass = new Float64Array(points.length);
  if (!previous) {
    for (let i = 0; i < points.length; i += 1) mass[i] = weights[i]! * normalDensity(points[i]! - centre);
    return { points, mass, fraction };
  }
  const delta = fraction - previous.fraction;
  const sdDelta = Math.sqrt(delta);
  const scale = Math.sqrt(fraction);
  const prevScale = Math.sqrt(previous.fraction);
  for (let j = 0; j < points.length; j += 1) {
    const target = points[j]! * scale - drift * delta;
    let density = 0;
    for (let i = 0; i < previous.points.length; i += 1) {
      density += previous.mass[i]! * normalDensity((target - previous.points[i]! * prevScale) / sdDelta);
    }
    mass[j] = (weights[j]! * density * scale) / sdDelta;
  }
  return { points, mass, fraction };
}

/** Bisection for an increasing function: the x in [low, high] where f(x) = 0. */
function solveIncreasing(f: (x: number) => number, low: number, high: number): number {
  let a = low;
  let b = high;
  for (let i = 0; i < 60 && b - a > 1e-9; i += 1) {
    const mid = (a + b) / 2;
    if (f(mid) < 0) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

/** Bisection to 1e-6: enough for a drift (its inflation to ~1e-6) at a fraction of the cost. */
function solveIncreasingCoarse(f: (x: number) => number, low: number, high: number): number {
  let a = low;
  let b = high;
  while (b - a > 1e-6) {
    const mid = (a + b) / 2;
    if (f(mid) < 0) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

/** Lan–DeMets O'Brien–Fleming-type spending for a one-sided level: 2 − 2Φ(z_{1−level/2}/√t) (gsDesign `sfLDOF`). */
export function obrienFlemingSpending(level: number, fraction: number): number {
  if (fraction <= 0) return 0;
  const t = Math.min(fraction, 1);
  return 2 * normalSurvival(normalQuantile(1 - level / 2) / Math.sqrt(t));
}

/** Lan–DeMets Pocock-type spending: level·ln(1 + (e − 1)t) (gsDesign `sfLDPocock`): spends more early. */
export function pocockSpending(level: number, fraction: number): number {
  if (fraction <= 0) return 0;
  return level * Math.log(1 + (Math.E - 1) * Math.min(fraction, 1));
}

/** Probabilities of stopping at each look, for given boundaries (lower −Infinity: none) and drift. */
export function crossingProbabilities(
  fractions: readonly number[],
  upper: readonly number[],
  lower: readonly number[],
  drift: number,
): { upper: number[]; lower: number[] } {
  const up: number[] = [];
  const down: number[] = [];
  let previous: SubDensity | undefined;
  fractions.forEach((fraction, k) => {
    up.push(upperTail(previous, fraction, drift, upper[k]!));
    down.push(lower[k]! === -Infinity ? 0 : lowerTail(previous, fraction, drift, lower[k]!));
    previous = continueDensity(previous, fraction, drift, lower[k]!, upper[k]!);
  });
  return { upper: up, lower: down };
}

/**
 * Symmetric two-sided efficacy boundaries (|Z| ≥ c_k) at the given information fractions, each side at level
 * `sideAlpha`. Lan–DeMets spending works at any fractions, so irregular looks keep α; the classic O'Brien–Fleming
 * shape c/√t solves one constant for the whole schedule.
 */
export function efficacyBoundaries(fractions: readonly number[], sideAlpha: number, family: BoundaryFamily): number[] {
  assertFractions(fractions);
  if (family === 'obrien-fleming') {
    const total = (c: number): number => {
      const bounds = fractions.map((t) => c / Math.sqrt(t));
      const crossed = crossingProbabilities(fractions, bounds, bounds.map((b) => -b), 0).upper;
      return crossed.reduce((sum, p) => sum + p, 0);
    };
    const constant = solveIncreasing((c) => sideAlpha - total(c), 0.5, 10);
    return fractions.map((t) => constant / Math.sqrt(t));
  }
  const bounds: number[] = [];
  let previous: SubDensity | undefined;
  let spent = 0;
  fractions.forEach((fraction) => {
    const cumulative = family === 'lan-demets-pocock' ? pocockSpending(sideAlpha, fraction) : obrienFlemingSpending(sideAlpha, fraction);
    const target = cumulative - spent;
    // A look that spends (almost) nothing gets an effectively unreachable bound.
    const bound = target <= 1e-15 ? 12 : solveIncreasing((c) => target - upperTail(previous, fraction, 0, c), -2, 40);
    spent += upperTail(previous, fraction, 0, bound);
    bounds.push(bound);
    previous = continueDensity(previous, fraction, 0, -bound, bound);
  });
  return bounds;
}

/**
 * Non-binding futility bounds by β-spending (O'Brien–Fleming shape) under the planned drift: at each interim look
 * the chance, under the planned effect, of stopping for futility there is β(t_k) − β(t_{k−1}). Non-binding: the
 * efficacy boundaries ignore them, so ignoring a futility stop never inflates α. The final look has none (there the
 * efficacy bound decides); `lastIsFinal` false when the fractions end at an interim look. Bounds never exceed the
 * efficacy bound.
 */
export function futilityBoundaries(fractions: readonly number[], efficacy: readonly number[], beta: number, drift: number, lastIsFinal = true): number[] {
  const bounds: number[] = [];
  let previous: SubDensity | undefined;
  let spent = 0;
  fractions.forEach((fraction, k) => {
    const last = lastIsFinal && k === fractions.length - 1;
    let bound = -Infinity;
    if (!last) {
      const target = obrienFlemingSpending(beta, fraction) - spent;
      bound = target <= 1e-15 ? -Infinity : solveIncreasing((b) => lowerTail(previous, fraction, drift, b) - target, -40, 40);
      bound = Math.min(bound, efficacy[k]!);
      if (bound !== -Infinity) spent += lowerTail(previous, fraction, drift, bound);
    }
    bounds.push(bound);
    previous = continueDensity(previous, fraction, drift, bound === -Infinity ? -efficacy[k]! : bound, efficacy[k]!);
  });
  return bounds;
}

/** A planned design: boundaries at the planned fractions and how much the maximum sample exceeds a fixed test. */
export interface GroupSequentialDesign {
  fractions: number[];
  efficacy: number[];
  futility: number[];
  /** N_max / N_fixed: the maximum sample that gives the planned power with these boundaries. */
  inflation: number;
  /** Mean of Z at t = 1 under the planned effect. */
  plannedDrift: number;
}

/** Equally spaced looks k/K. */
export function equalFractions(looks: number): number[] {
  return Array.from({ length: looks }, (_, k) => (k + 1) / looks);
}

/**
 * The design at planned fractions: efficacy boundaries, then the drift at which the power (counting futility stops
 * as misses) is 1 − β, hence the inflation R = (drift / (z_{1−α_side} + z_{1−β}))².
 */
export function planDesign(options: { fractions: readonly number[]; sideAlpha: number; power: number; family: BoundaryFamily; futility: boolean }): GroupSequentialDesign {
  const { fractions, sideAlpha, power, family } = options;
  const efficacy = efficacyBoundaries(fractions, sideAlpha, family);
  const beta = 1 - power;
  const futilityAt = (drift: number): number[] => (options.futility ? futilityBoundaries(fractions, efficacy, beta, drift) : fractions.map(() => -Infinity));
  const powerAt = (drift: number): number => {
    const futility = futilityAt(drift);
    const lower = futility.map((b, k) => (b === -Infinity ? -efficacy[k]! : b));
    return crossingProbabilities(fractions, efficacy, lower, drift).upper.reduce((sum, p) => sum + p, 0);
  };
  const fixedDrift = normalQuantile(1 - sideAlpha) + normalQuantile(power);
  const plannedDrift = solveIncreasingCoarse((drift) => powerAt(drift) - power, fixedDrift * 0.9, fixedDrift * 1.3);
  return {
    fractions: [...fractions],
    efficacy,
    futility: futilityAt(plannedDrift),
    inflation: (plannedDrift / fixedDrift) ** 2,
    plannedDrift,
  };
}

function assertFractions(fractions: readonly number[]): void {
  fractions.forEach((t, k) => {
    if (!(t > 0 && t <= 1) || (k > 0 && t <= fractions[k - 1]!)) {
      throw new RangeError(`information fractions must increase within (0, 1], got ${fractions.join(', ')}`);
    }
  });
}
