/** The production bias re-check: DI and DPPL per facet value against the policy's gates, small facets not judged. */
import { biasFindings, MIN_BIAS_ROWS } from '../../../shared/drift-check/drift-check';
import { parsePolicy } from '../../../shared/lifecycle/policy';

const SPEC = { attribute: 'age_group', source: 'age', values: ['18-25', '26-40', '41-60', '61+'], decisionThreshold: 0.5 };

describe('biasFindings', () => {
  it('flags a facet value whose approval rate falls below the four-fifths band, with DI and DPPL', () => {
    // 18-25: 60 of 100 approved; the rest 270 of 300 (0.9): DI 0.667, DPPL 0.3.
    const counts = { '18-25': { rows: 100, favourable: 60 }, '26-40': { rows: 100, favourable: 90 }, '41-60': { rows: 100, favourable: 90 }, '61+': { rows: 100, favourable: 90 } };
    const { figures, violations } = biasFindings(counts, SPEC, parsePolicy());
    expect(figures[0]).toMatchObject({ value: '18-25', rows: 100 });
    expect(figures[0]!.DI).toBeCloseTo(0.6667, 4);
    expect(violations).toEqual([
      { feature: 'age_group=18-25 DI', method: 'bias-di', distance: expect.closeTo(0.6667, 4), threshold: 0.8, drifted: true },
      { feature: 'age_group=18-25 DPPL', method: 'bias-dppl', distance: expect.closeTo(0.3, 10), threshold: 0.1, drifted: true },
    ]);
  });

  it('flags DI above the band against its upper bound, and honours a group policy', () => {
    const counts = { '18-25': { rows: 50, favourable: 50 }, '26-40': { rows: 50, favourable: 36 }, '41-60': { rows: 50, favourable: 36 }, '61+': { rows: 50, favourable: 36 } };
    expect(biasFindings(counts, SPEC, parsePolicy()).violations.map((v) => [v.feature, v.threshold])).toEqual([
      ['age_group=18-25 DI', 1.25],
      ['age_group=18-25 DPPL', 0.1],
    ]);
    expect(biasFindings(counts, SPEC, parsePolicy({ gates: { disparateImpact: { min: 0.5, max: 2 }, maxAbsDppl: 0.5 } })).violations).toEqual([]);
  });

  it(`judges no facet value with fewer than ${MIN_BIAS_ROWS} scored rows`, () => {
    const counts = { '18-25': { rows: MIN_BIAS_ROWS - 1, favourable: 0 }, '26-40': { rows: 100, favourable: 90 } };
    expect(biasFindings(counts, SPEC, parsePolicy()).violations.filter((v) => v.feature.startsWith('age_group=18-25'))).toEqual([]);
  });
});
