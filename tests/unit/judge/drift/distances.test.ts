import fc from 'fast-check';
import {
  chiSquaredHomogeneity,
  jensenShannonDistance,
  linfCdf,
  linfFrequencies,
  linfRobust,
  psi,
  PSI_EPSILON,
  robustConstantForAlpha,
} from '../../../../shared/judge/drift/distances';

describe('L∞ distances', () => {
  it.each<[string, number[], number[], number]>([
    ['CDFs of shifted halves: 0.5 after the first bin', [1, 1, 0, 0], [0, 1, 1, 0], 0.5],
    ['same shares at different sizes', [10, 20, 30], [1, 2, 3], 0],
    ['all mass moved from the first to the last bin', [5, 0, 0], [0, 0, 7], 1],
    ['a quarter moved one bin on', [2, 1, 1], [1, 2, 1], 0.25],
  ])('linfCdf: %s', (_, baseline, window, expected) => {
    expect(linfCdf(baseline, window)).toBeCloseTo(expected, 12);
  });

  it.each<[string, number[], number[], number]>([
    ['largest frequency gap (|0.5 − 0.25|)', [2, 1, 1], [1, 1, 2], 0.25],
    ['a new category taking 10%', [9, 1, 0], [9, 0, 1], 0.1],
  ])('linfFrequencies: %s', (_, baseline, window, expected) => {
    expect(linfFrequencies(baseline, window)).toBeCloseTo(expected, 12);
  });

  it('linf_robust subtracts c·√((n+m)/(n·m)) and stops at 0', () => {
    // 0.3 − 1.8·√(200/10000) = 0.3 − 0.2545584
    expect(linfRobust(0.3, 100, 100)).toBeCloseTo(0.0454416, 6);
    expect(linfRobust(0.2, 100, 100)).toBe(0);
    expect(linfRobust(0.3, 0, 100)).toBe(0);
    // α = 0.05: √(−ln(0.025)/2) = 1.3581015
    expect(robustConstantForAlpha(0.05)).toBeCloseTo(1.3581015, 6);
  });
});

describe('PSI', () => {
  it('Σ (q − p)·ln(q/p): 0.25·ln 2 + 0.25·ln 1.5', () => {
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.2746531, 6);
  });

  it('an empty baseline bin counts as ε, so the PSI is large but finite', () => {
    // (0.5 − 1)·ln(0.5) + (0.5 − ε)·ln(0.5/ε)
    const expected = 0.5 * Math.log(2) + (0.5 - PSI_EPSILON) * Math.log(0.5 / PSI_EPSILON);
    expect(psi([100, 0], [50, 50])).toBeCloseTo(expected, 10);
    expect(expected).toBeCloseTo(4.6043, 3);
  });
});

describe('Jensen–Shannon distance (base 2)', () => {
  it.each<[string, number[], number[], number]>([
    ['disjoint supports: 1', [1, 0], [0, 1], 1],
    ['[0.5, 0.5] vs [1, 0]: √0.3112781', [1, 1], [1, 0], 0.5579230],
    ['identical: 0', [3, 4, 5], [6, 8, 10], 0],
  ])('%s', (_, baseline, window, expected) => {
    expect(jensenShannonDistance(baseline, window)).toBeCloseTo(expected, 6);
  });
});

describe('chi-squared test of homogeneity', () => {
  it('[[20, 30], [30, 20]]: χ² = 4, 1 degree of freedom, p = 0.0455', () => {
    const result = chiSquaredHomogeneity([20, 30], [30, 20])!;
    expect(result.statistic).toBeCloseTo(4, 10);
    expect(result.degreesOfFreedom).toBe(1);
    expect(result.pValue).toBeCloseTo(0.0455003, 6);
  });

  it('drops categories both sides lack; one category left is no evidence (p = 1)', () => {
    expect(chiSquaredHomogeneity([20, 0, 30], [30, 0, 20])!.degreesOfFreedom).toBe(1);
    expect(chiSquaredHomogeneity([5, 0], [7, 0])).toEqual({ statistic: 0, degreesOfFreedom: 0, pValue: 1 });
  });
});

describe('empty sides', () => {
  it.each([
    ['linfCdf', linfCdf],
    ['linfFrequencies', linfFrequencies],
    ['psi', psi],
    ['jensenShannonDistance', jensenShannonDistance],
    ['chiSquaredHomogeneity', chiSquaredHomogeneity],
  ] as const)('%s is null, not NaN, when either side has no values', (_, f) => {
    expect(f([0, 0], [1, 2])).toBeNull();
    expect(f([1, 2], [0, 0])).toBeNull();
  });

  it('refuses bins of different lengths', () => {
    expect(() => linfCdf([1], [1, 2])).toThrow(/bins differ/);
  });
});

describe('properties', () => {
  // Two count vectors over the same bins, each with at least one value.
  const pair = fc.integer({ min: 1, max: 12 }).chain((k) =>
    fc.tuple(fc.array(fc.nat(1000), { minLength: k, maxLength: k }), fc.array(fc.nat(1000), { minLength: k, maxLength: k })).filter(([a, b]) => a.some((x) => x > 0) && b.some((x) => x > 0)),
  );

  it('every distance of a distribution to itself (at any scale) is 0', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 1, max: 50 }), ([a], scale) => {
        const scaled = a.map((x) => x * scale);
        expect(linfCdf(a, scaled)).toBeCloseTo(0, 12);
        expect(linfFrequencies(a, scaled)).toBeCloseTo(0, 12);
        expect(psi(a, scaled)).toBeCloseTo(0, 12);
        expect(jensenShannonDistance(a, scaled)).toBeCloseTo(0, 6);
      }),
    );
  });

  it('L∞ and Jensen–Shannon are symmetric and within [0, 1]; PSI is symmetric and non-negative', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        for (const f of [linfCdf, linfFrequencies, jensenShannonDistance]) {
          const d = f(a, b)!;
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1);
          expect(f(b, a)).toBeCloseTo(d, 10);
        }
        expect(psi(a, b)).toBeGreaterThanOrEqual(0);
        expect(psi(b, a)).toBeCloseTo(psi(a, b)!, 8);
      }),
    );
  });

  it('the chi-squared p-value is a probability', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const { pValue, statistic } = chiSquaredHomogeneity(a, b)!;
        expect(Number.isFinite(statistic)).toBe(true);
        expect(pValue).toBeGreaterThanOrEqual(0);
        expect(pValue).toBeLessThanOrEqual(1);
      }),
    );
  });
});
