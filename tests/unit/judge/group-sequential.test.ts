import fc from 'fast-check';
import {
  crossingProbabilities,
  efficacyBoundaries,
  equalFractions,
  futilityBoundaries,
  hwangShihDeCaniSpending,
  obrienFlemingSpending,
  planDesign,
  pocockSpending,
} from '../../../shared/judge/group-sequential';
import { normalCdf, normalQuantile } from '../../../shared/judge/distributions';

const FIVE = equalFractions(5);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('Group-sequential boundaries (recursive numerical integration)', () => {
  it('classic O\'Brien–Fleming, 5 equal looks, two-sided 0.05: 4.56, 3.23, 2.63, 2.28, 2.04', () => {
    const bounds = efficacyBoundaries(FIVE, 0.025, 'obrien-fleming');

    [4.56, 3.23, 2.63, 2.28, 2.04].forEach((expected, k) => expect(bounds[k]).toBeCloseTo(expected, 2));
  });

  it('Lan–DeMets O\'Brien–Fleming spending, 5 equal looks: 4.877, 3.357, 2.680, 2.290, 2.031 (gsDesign sfLDOF)', () => {
    const bounds = efficacyBoundaries(FIVE, 0.025, 'lan-demets-obf');

    [4.877, 3.357, 2.68, 2.29, 2.031].forEach((expected, k) => expect(bounds[k]).toBeCloseTo(expected, 3));
  });

  it('Lan–DeMets Pocock spending, 5 equal looks: nearly flat, 2.438 … 2.386', () => {
    const bounds = efficacyBoundaries(FIVE, 0.025, 'lan-demets-pocock');

    expect(bounds[0]).toBeCloseTo(2.438, 3);
    expect(bounds[4]).toBeCloseTo(2.386, 3);
  });

  it('spends α as the spending functions say', () => {
    expect(obrienFlemingSpending(0.025, 1)).toBeCloseTo(0.025, 12);
    expect(obrienFlemingSpending(0.025, 0.2)).toBeCloseTo(5.39e-7, 9);
    expect(pocockSpending(0.025, 0.5)).toBeCloseTo(0.025 * Math.log(1 + (Math.E - 1) / 2), 12);
    expect(obrienFlemingSpending(0.025, 0)).toBe(0);
  });

  it('keeps α for any look times (Lan–DeMets), with each look spending its share', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { minLength: 1, maxLength: 5 }), (interim) => {
        const fractions = [...interim.sort((a, b) => a - b), 1].filter((t, k, all) => k === 0 || t - all[k - 1]! > 0.01);
        const bounds = efficacyBoundaries(fractions, 0.025, 'lan-demets-obf');
        const crossed = crossingProbabilities(fractions, bounds, bounds.map((b) => -b), 0).upper;

        expect(sum(crossed)).toBeCloseTo(0.025, 6);
        expect(crossed[0]).toBeCloseTo(obrienFlemingSpending(0.025, fractions[0]!), 6);
      }),
      { numRuns: 15, seed: 7 },
    );
  });

  it('with one look is the fixed-horizon test', () => {
    expect(efficacyBoundaries([1], 0.025, 'lan-demets-obf')[0]).toBeCloseTo(1.959964, 5);
  });

  it('sizes the maximum sample: O\'Brien–Fleming K = 5 needs 1.028 × the fixed test for 80% power (Jennison & Turnbull)', () => {
    const design = planDesign({ fractions: FIVE, sideAlpha: 0.025, power: 0.8, family: 'obrien-fleming', futility: false });
    const power = sum(crossingProbabilities(FIVE, design.efficacy, design.efficacy.map((b) => -b), design.plannedDrift).upper);

    expect(design.inflation).toBeCloseTo(1.028, 3);
    expect(power).toBeCloseTo(0.8, 5);
  });

  it('non-binding futility: bounds below the efficacy bounds, none at the last look, and a larger maximum for the same power', () => {
    const plain = planDesign({ fractions: FIVE, sideAlpha: 0.025, power: 0.8, family: 'lan-demets-obf', futility: false });
    const withFutility = planDesign({ fractions: FIVE, sideAlpha: 0.025, power: 0.8, family: 'lan-demets-obf', futility: true });

    withFutility.futility.slice(0, 4).forEach((b, k) => expect(b).toBeLessThan(withFutility.efficacy[k]!));
    expect(withFutility.futility[4]).toBe(-Infinity);
    expect(withFutility.inflation).toBeGreaterThan(plain.inflation);
  });

  it.each([
    [-2, 0.1, 0.025 * (Math.exp(0.2) - 1) / (Math.exp(2) - 1)],
    [1, 0.5, 0.025 * (1 - Math.exp(-0.5)) / (1 - Math.exp(-1))],
    [0, 0.3, 0.025 * 0.3],
    [-2, 1, 0.025],
    [-2, 0, 0],
  ])('Hwang–Shih–DeCani spending with γ %s at t = %s is %s', (gamma, t, expected) => {
    expect(hwangShihDeCaniSpending(0.025, t, gamma)).toBeCloseTo(expected, 14);
  });

  it('Hwang–Shih–DeCani: the first bound is the normal quantile of the α spent there; the looks spend the function', () => {
    const fractions = equalFractions(10);
    const bounds = efficacyBoundaries(fractions, 0.025, 'hwang-shih-decani', -2);
    const crossed = crossingProbabilities(fractions, bounds, bounds.map((b) => -b), 0).upper;

    expect(bounds[0]).toBeCloseTo(normalQuantile(1 - hwangShihDeCaniSpending(0.025, 0.1, -2)), 6);
    expect(bounds[0]).toBeCloseTo(3.1326, 4);
    expect(bounds[9]).toBeCloseTo(2.1639, 4);
    crossed.forEach((p, k) => expect(p).toBeCloseTo(hwangShihDeCaniSpending(0.025, fractions[k]!, -2) - hwangShihDeCaniSpending(0.025, k === 0 ? 0 : fractions[k - 1]!, -2), 7));
  });

  it('γ orders the families: larger γ spends earlier, so lower first bounds and a larger maximum sample', () => {
    const design = (gamma: number) => planDesign({ fractions: equalFractions(10), sideAlpha: 0.025, power: 0.8, family: 'hwang-shih-decani', futility: false, gamma });
    const [obfLike, middle, pocockLike] = [design(-4), design(-2), design(1)];

    expect(obfLike.efficacy[0]).toBeGreaterThan(middle.efficacy[0]!);
    expect(middle.efficacy[0]).toBeGreaterThan(pocockLike.efficacy[0]!);
    expect(obfLike.inflation).toBeLessThan(middle.inflation);
    expect(middle.inflation).toBeLessThan(pocockLike.inflation);
    expect(middle.inflation).toBeCloseTo(1.0815, 3);
  });

  it('with one look, any spread σ of Z under the effect: inflation 1 and drift z_{1−α} + σ·z_{1−β}', () => {
    const design = planDesign({ fractions: [1], sideAlpha: 0.025, power: 0.8, family: 'lan-demets-obf', futility: false, alternativeSd: 0.9 });

    expect(design.inflation).toBeCloseTo(1, 5);
    expect(design.plannedDrift).toBeCloseTo(normalQuantile(0.975) + 0.9 * normalQuantile(0.8), 5);
    expect(normalCdf((design.plannedDrift - design.efficacy[0]!) / 0.9)).toBeCloseTo(0.8, 5);
  });

  it('a narrower Z under the effect (σ < 1, a pooled z) needs a larger inflation for the same power: 1.0324 at σ = 0.9185', () => {
    const design = planDesign({ fractions: FIVE, sideAlpha: 0.025, power: 0.8, family: 'lan-demets-obf', futility: false, alternativeSd: 0.9185 });
    const scaled = (xs: number[]): number[] => xs.map((x) => x / 0.9185);
    const power = sum(crossingProbabilities(FIVE, scaled(design.efficacy), scaled(design.efficacy.map((b) => -b)), design.plannedDrift / 0.9185).upper);

    expect(power).toBeCloseTo(0.8, 5);
    expect(design.inflation).toBeCloseTo(1.0324, 4);
  });

  it('futility with σ ≠ 1: the first look stops for futility with probability β(t₁) under the planned effect', () => {
    const design = planDesign({ fractions: FIVE, sideAlpha: 0.025, power: 0.8, family: 'lan-demets-obf', futility: true, alternativeSd: 0.9 });
    const bounds = futilityBoundaries(FIVE, design.efficacy, 0.2, design.plannedDrift, true, 0.9);
    const firstStop = normalCdf((bounds[0]! - design.plannedDrift * Math.sqrt(0.2)) / 0.9);

    expect(bounds).toEqual(design.futility);
    expect(firstStop).toBeCloseTo(obrienFlemingSpending(0.2, 0.2), 8);
  });

  it('refuses fractions that do not increase inside (0, 1]', () => {
    expect(() => efficacyBoundaries([0.5, 0.4, 1], 0.025, 'lan-demets-obf')).toThrow(RangeError);
    expect(() => efficacyBoundaries([0.5, 1.2], 0.025, 'lan-demets-obf')).toThrow(RangeError);
  });
});
