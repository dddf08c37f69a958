import { bandOf, classImbalance, differenceInPositivePredictedLabels, differenceInProportionsOfLabels, disparateImpact, facetBias, predictedBiasFromCounts } from '../../../shared/judge/fairness';

const T = true;
const F = false;

describe('Function: classImbalance', () => {
  it.each<[boolean[], number | null]>([
    [[T, F, F, F], 0.5],
    [[T, T, F, F], 0],
    [[T, T, T, F], -0.5],
    [[F, F], 1],
    [[], null],
  ])('facet membership %j gives %p', (inFacet, expected) => {
    expect(classImbalance(inFacet)).toBe(expected);
  });
});

describe('Functions: DPL, DI, DPPL', () => {
  // Facet d = rows 0–3, rest a = rows 4–9.
  const inFacet = [T, T, T, T, F, F, F, F, F, F];
  // Observed favourable labels: d 2/4, a 5/6.
  const labels = [T, F, T, F, T, T, T, T, T, F];
  // Predicted favourable: d 3/4, a 4/6.
  const predicted = [T, T, T, F, T, T, F, T, T, F];

  it('DPL = q_a − q_d = 5/6 − 1/2', () => {
    expect(differenceInProportionsOfLabels(inFacet, labels)).toBeCloseTo(5 / 6 - 1 / 2, 12);
  });

  it('DI = q′_d / q′_a = (3/4) / (4/6)', () => {
    expect(disparateImpact(inFacet, predicted)).toBeCloseTo(0.75 / (4 / 6), 12);
  });

  it('DPPL = q′_a − q′_d = 4/6 − 3/4', () => {
    expect(differenceInPositivePredictedLabels(inFacet, predicted)).toBeCloseTo(4 / 6 - 0.75, 12);
  });

  it.each<[string, boolean[], boolean[], number | null, number | null]>([
    ['an empty facet leaves DI and DPPL undefined', [F, F, F], [T, F, T], null, null],
    ['a rest that is never favoured makes DI undefined (division by zero), DPPL still defined', [T, F, F], [T, F, F], null, -1],
    ['parity', [T, T, F, F], [T, F, T, F], 1, 0],
    ['a facet never favoured', [T, T, F, F], [F, F, T, T], 0, 1],
  ])('%s', (_, facet, outcome, di, dppl) => {
    expect(disparateImpact(facet, outcome)).toBe(di);
    expect(differenceInPositivePredictedLabels(facet, outcome)).toBe(dppl);
  });

  it('refuses inputs of different lengths', () => {
    expect(() => disparateImpact([T], [T, F])).toThrow('differ in length');
  });
});

describe('Function: facetBias', () => {
  it('computes every metric per facet value against every other value', () => {
    const facets = ['young', 'young', 'old', 'old', 'old', 'mid'];
    const labels = [F, T, T, T, F, T];
    const predicted = [F, F, T, T, T, T];

    const [young, old] = facetBias(facets, ['young', 'old'], labels, predicted);

    // young: n_d 2, n_a 4; q_d 1/2, q_a 3/4; q′_d 0, q′_a 1.
    expect(young).toEqual({ value: 'young', CI: (4 - 2) / 6, DPL: 0.25, DI: 0, DPPL: 1 });
    // old: n_d 3, n_a 3; q_d 2/3, q_a 2/3; q′_d 1, q′_a 1/3.
    expect(old!.CI).toBe(0);
    expect(old!.DPL).toBeCloseTo(0, 12);
    expect(old!.DI).toBeCloseTo(3, 12);
    expect(old!.DPPL).toBeCloseTo(1 / 3 - 1, 12);
  });
});

describe('production bias re-check from counts', () => {
  it.each([
    [17, undefined],
    [18, '18-25'],
    [25, '18-25'],
    [25.5, '26-40'],
    [40, '26-40'],
    [60, '41-60'],
    [61, '61+'],
    [99, '61+'],
    [Number.NaN, undefined],
  ])('age %d is in band %s', (age, band) => {
    expect(bandOf(['18-25', '26-40', '41-60', '61+'], age)).toBe(band);
  });

  it('gives the same DI and DPPL as the row-level functions', () => {
    // 4 young (1 approved), 6 others (5 approved): DI = 0.25 / 0.8333, DPPL = 0.8333 − 0.25.
    const facets = ['y', 'y', 'y', 'y', 'o', 'o', 'o', 'o', 'o', 'o'];
    const approved = [true, false, false, false, true, true, true, true, true, false];
    const fromRows = facetBias(facets, ['y', 'o'], approved, approved);
    const fromCounts = predictedBiasFromCounts({ y: { rows: 4, favourable: 1 }, o: { rows: 6, favourable: 5 } }, ['y', 'o']);
    expect(fromCounts.map((b) => [b.value, b.rows, b.DI, b.DPPL])).toEqual(fromRows.map((b, i) => [b.value, [4, 6][i], b.DI, b.DPPL]));
    expect(fromCounts[0]!.DI).toBeCloseTo(0.3, 10);
  });

  it('has no DI for an empty facet or an all-facet window', () => {
    expect(predictedBiasFromCounts({ y: { rows: 5, favourable: 2 } }, ['y', 'o']).map((b) => [b.DI, b.DPPL])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});
