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
export type BoundaryFamily = 'lan-demets-obf' | 'lan-demets-pocock' | 'hwang-shih-decani' | 'obrien-fleming';

/** Hwang–Shih–DeCani γ when none is given: between Pocock (γ = 1) and O'Brien–Fleming (γ ≈ −4). */
export const DEFAULT_HSD_GAMMA = -2;

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

/** P(Z at `fraction` beyond `bound`, on the side `probability` measures) over the paths still running after `previous` (all paths at the first look). */
function tail(previous: SubDensity | undefined, fraction: number, drift: number, bound: number, probability: (z: number) => number): number {
  if (!previous) return probability(bound - drift * Math.sqrt(fraction));
  const delta = fraction - previous.fraction;
  const sdDelta = Math.sqrt(delta);
  const scale = Math.sqrt(fraction);
  const prevScale = Math.sqrt(previous.fraction);
  let total = 0;
  for (let i = 0; i < previous.points.length; i += 1) {
    const mean = previous.points[i]! * prevScale + drift * delta;
    total += previous.mass[i]! * probability((bound * scale - mean) / sdDelta);
  }
  return total;
}

/** P(Z at `fraction` ≥ bound) over the paths still running after `previous`. */
const upperTail = (previous: SubDensity | undefined, fraction: number, drift: number, bound: number) => tail(previous, fraction, drift, bound, normalSurvival);

/** P(Z at `fraction` ≤ bound) over the paths still running after `previous`. */
const lowerTail = (previous: SubDensity | undefined, fraction: number, drift: number, bound: number) => tail(previous, fraction, drift, bound, normalCdf);

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

/**
 * Hwang–Shih–DeCani spending: level·(1 − e^(−γt))/(1 − e^(−γ)), level·t at γ = 0 (gsDesign `sfHSD`). γ = 1 is close
 * to Pocock, γ = −4 to O'Brien–Fleming; in between it trades early power against the maximum sample smoothly.
 */
export function hwangShihDeCaniSpending(level: number, fraction: number, gamma: number): number {
  if (fraction <= 0) return 0;
  const t = Math.min(fraction, 1);
  if (Math.abs(gamma) < 1e-12) return level * t;
  return (level * -Math.expm1(-gamma * t)) / -Math.expm1(-gamma);
}

/** Cumulative one-sided α spent by `fraction` under a Lan–DeMets family (not the classic c/√t shape). */
export function spentBy(family: Exclude<BoundaryFamily, 'obrien-fleming'>, level: number, fraction: number, gamma = DEFAULT_HSD_GAMMA): number {
  if (family === 'lan-demets-pocock') return pocockSpending(level, fraction);
  if (family === 'hwang-shih-decani') return hwangShihDeCaniSpending(level, fraction, gamma);
  return obrienFlemingSpending(level, fraction);
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
export function efficacyBoundaries(fractions: readonly number[], sideAlpha: number, family: BoundaryFamily, gamma = DEFAULT_HSD_GAMMA): number[] {
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
    const cumulative = spentBy(family, sideAlpha, fraction, gamma);
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
 * efficacy bound. `alternativeSd`: the SD of Z under the planned effect (1 unless the statistic's null variance
 * differs from its variance there, as a pooled-variance z does).
 */
export function futilityBoundaries(
  fractions: readonly number[],
  efficacy: readonly number[],
  beta: number,
  drift: number,
  lastIsFinal = true,
  alternativeSd = 1,
): number[] {
  // Work with U = Z/σ, a unit-variance process with drift/σ; bounds scale back by σ.
  const scaledEfficacy = efficacy.map((c) => c / alternativeSd);
  const scaledDrift = drift / alternativeSd;
  const bounds: number[] = [];
  let previous: SubDensity | undefined;
  let spent = 0;
  fractions.forEach((fraction, k) => {
    const last = lastIsFinal && k === fractions.length - 1;
    let bound = -Infinity;
    if (!last) {
      const target = obrienFlemingSpending(beta, fraction) - spent;
      bound = target <= 1e-15 ? -Infinity : solveIncreasing((b) => lowerTail(previous, fraction, scaledDrift, b) - target, -40, 40);
      bound = Math.min(bound, scaledEfficacy[k]!);
      if (bound !== -Infinity) spent += lowerTail(previous, fraction, scaledDrift, bound);
    }
    bounds.push(bound);
    previous = continueDensity(previous, fraction, scaledDrift, bound === -Infinity ? -scaledEfficacy[k]! : bound, scaledEfficacy[k]!);
  });
  return bounds.map((b) => b * alternativeSd);
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
  /** SD of Z under the planned effect (1 under the null by construction). */
  alternativeSd: number;
}

/** Equally spaced looks k/K. */
export function equalFractions(looks: number): number[] {
  return Array.from({ length: looks }, (_, k) => (k + 1) / looks);
}

/**
 * The design at planned fractions: efficacy boundaries, then the drift m at which the power (counting futility stops
 * as misses) is 1 − β. Z has SD `alternativeSd` (σ, default 1) under the planned effect: a pooled-variance z is
 * standardised under the null, so there its spread is √(V₁/V₀). The fixed test with the same power needs
 * m_fixed = z_{1−α_side} + σ·z_{1−β}, hence the inflation R = (m / m_fixed)².
 */
export function planDesign(options: {
  fractions: readonly number[];
  sideAlpha: number;
  power: number;
  family: BoundaryFamily;
  futility: boolean;
  gamma?: number;
  alternativeSd?: number;
}): GroupSequentialDesign {
  const { fractions, sideAlpha, power, family } = options;
  const sd = options.alternativeSd ?? 1;
  const efficacy = efficacyBoundaries(fractions, sideAlpha, family, options.gamma);
  const beta = 1 - power;
  const futilityAt = (drift: number): number[] => (options.futility ? futilityBoundaries(fractions, efficacy, beta, drift, true, sd) : fractions.map(() => -Infinity));
  const powerAt = (drift: number): number => {
    const futility = futilityAt(drift);
    const lower = futility.map((b, k) => (b === -Infinity ? -efficacy[k]! : b));
    const scale = (xs: number[]): number[] => xs.map((x) => x / sd);
    return crossingProbabilities(fractions, scale(efficacy), scale(lower), drift / sd).upper.reduce((sum, p) => sum + p, 0);
  };
  const fixedDrift = normalQuantile(1 - sideAlpha) + sd * normalQuantile(power);
  const plannedDrift = solveIncreasingCoarse((drift) => powerAt(drift) - power, fixedDrift * 0.9, fixedDrift * 1.5);
  return {
    fractions: [...fractions],
    efficacy,
    futility: futilityAt(plannedDrift),
    inflation: (plannedDrift / fixedDrift) ** 2,
    plannedDrift,
    alternativeSd: sd,
  };
}

function assertFractions(fractions: readonly number[]): void {
  fractions.forEach((t, k) => {
    if (!(t > 0 && t <= 1) || (k > 0 && t <= fractions[k - 1]!)) {
      throw new RangeError(`information fractions must increase within (0, 1], got ${fractions.join(', ')}`);
    }
  });
}
