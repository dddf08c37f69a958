import { seededRandom } from '../../../shared/judge/random';
import { binomial, binormalPairedScores, standardNormal } from '../../../shared/judge/simulate';

describe('Seeded simulation utilities', () => {
  it('repeats a sequence for a seed and differs across seeds', () => {
    const draw = (seed: number): number[] => Array.from({ length: 5 }, seededRandom(seed));

    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    draw(1).forEach((u) => expect(u >= 0 && u < 1).toBe(true));
  });

  it('draws uniforms with mean ½ and variance 1/12', () => {
    const random = seededRandom(3);
    const n = 100000;
    const values = Array.from({ length: n }, random);
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;

    expect(Math.abs(mean - 0.5)).toBeLessThan(3 * Math.sqrt(1 / 12 / n));
    expect(variance).toBeCloseTo(1 / 12, 3);
  });

  it.each([
    [1000, 0.002],
    [500, 0.3],
    [50, 0.9],
  ])('draws Binomial(%s, %s) with its mean and variance', (n, p) => {
    const random = seededRandom(9);
    const draws = Array.from({ length: 20000 }, () => binomial(random, n, p));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;

    expect(Math.abs(mean - n * p)).toBeLessThan(3 * Math.sqrt((n * p * (1 - p)) / draws.length));
    expect(variance / (n * p * (1 - p))).toBeCloseTo(1, 1);
    draws.forEach((x) => expect(x >= 0 && x <= n).toBe(true));
  });

  it('draws standard normals', () => {
    const random = seededRandom(5);
    const draws = Array.from({ length: 50000 }, () => standardNormal(random));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;

    expect(Math.abs(mean)).toBeLessThan(3 / Math.sqrt(draws.length));
    expect(draws.filter((x) => x > 1.96).length / draws.length).toBeCloseTo(0.025, 2);
  });

  it('makes binormal paired scores with the asked correlation and default rate', () => {
    const sample = binormalPairedScores(seededRandom(8), { size: 20000, defaultRate: 0.1, championAuc: 0.75, challengerAuc: 0.8, correlation: 0.8 });
    const controls = sample.labels.map((y, i) => [y, i] as const).filter(([y]) => y === 0).map(([, i]) => i);
    const a = controls.map((i) => sample.champion[i]!);
    const b = controls.map((i) => sample.challenger[i]!);
    const cov = a.reduce((s, x, k) => s + x * b[k]!, 0) / a.length;

    expect(sample.labels.reduce((s, y) => s + y, 0) / 20000).toBeCloseTo(0.1, 2);
    expect(cov).toBeCloseTo(0.8, 1);
  });
});
