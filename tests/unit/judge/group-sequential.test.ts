import fc from 'fast-check';
import {
  crossingProbabilities,
  efficacyBoundaries,
  equalFractions,
  obrienFlemingSpending,
  planDesign,
  pocockSpending,
} from '../../../shared/judge/group-sequential';

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

  it('refuses fractions that do not increase inside (0, 1]', () => {
    expect(() => efficacyBoundaries([0.5, 0.4, 1], 0.025, 'lan-demets-obf')).toThrow(RangeError);
    expect(() => efficacyBoundaries([0.5, 1.2], 0.025, 'lan-demets-obf')).toThrow(RangeError);
  });
});
