import { chiSquareSurvival, normalCdf, normalDensity, normalQuantile, normalSurvival } from '../../../shared/judge/distributions';

describe('Distribution functions (jstat)', () => {
  it.each([
    ['Φ(1.96)', normalCdf(1.96), 0.9750021049],
    ['Φ(−2.5758)', normalCdf(-2.5758293), 0.005],
    ['1 − Φ(4.8769)', normalSurvival(4.8769), 5.386e-7],
    ['Φ⁻¹(0.975)', normalQuantile(0.975), 1.959963985],
    ['Φ⁻¹(0.8)', normalQuantile(0.8), 0.8416212336],
    ['φ(0)', normalDensity(0), 0.3989422804],
    ['P(χ²₁ ≥ 3.8414588)', chiSquareSurvival(3.8414588, 1), 0.05],
    ['P(χ²₁ ≥ 10.827566)', chiSquareSurvival(10.827566, 1), 0.001],
  ])('%s', (_, actual, expected) => {
    expect(actual).toBeCloseTo(expected, expected < 1e-5 ? 9 : 6);
  });

  it('refuses quantiles outside (0, 1) and gives p = 1 for a zero statistic', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(chiSquareSurvival(0, 1)).toBe(1);
  });
});
