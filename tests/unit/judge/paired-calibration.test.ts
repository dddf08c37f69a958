import { calibrationInTheLarge, pairedBrier } from '../../../shared/judge/paired-calibration';

describe('Paired calibration', () => {
  const labels = [1, 0, 0, 1];
  const champion = [0.6, 0.2, 0.4, 0.5];
  const challenger = [0.8, 0.1, 0.3, 0.5];

  it('computes the paired Brier difference by hand', () => {
    // losses A: 0.16, 0.04, 0.16, 0.25; B: 0.04, 0.01, 0.09, 0.25 → d = −0.12, −0.03, −0.07, 0.
    const result = pairedBrier(champion, challenger, labels);
    const d = [-0.12, -0.03, -0.07, 0];
    const mean = -0.055;
    const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / 3;

    expect(result.championBrier).toBeCloseTo(0.1525, 12);
    expect(result.challengerBrier).toBeCloseTo(0.0975, 12);
    expect(result.meanDifference).toBeCloseTo(mean, 12);
    expect(result.varianceOfDifference).toBeCloseTo(variance, 12);
    expect(result.z).toBeCloseTo(mean / Math.sqrt(variance / 4), 10);
  });

  it('computes calibration-in-the-large: observed against expected defaults', () => {
    const result = calibrationInTheLarge(champion, labels);

    expect(result.observed).toBe(2);
    expect(result.expected).toBeCloseTo(1.7, 12);
    expect(result.ratio).toBeCloseTo(2 / 1.7, 12);
    expect(result.z).toBeCloseTo(0.3 / Math.sqrt(0.24 + 0.16 + 0.24 + 0.25), 12);
    expect(calibrationInTheLarge([0, 0], [0, 1]).ratio).toBeNull();
  });

  it('needs two applications for a variance', () => {
    expect(() => pairedBrier([0.5], [0.5], [1])).toThrow(RangeError);
  });
});
