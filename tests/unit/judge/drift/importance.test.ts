import type { Explainer } from '../../../../shared/contracts/explainer';
import { buildBaselineStatistics } from '../../../../shared/judge/drift/baseline';
import { featureImportance } from '../../../../shared/judge/drift/importance';

describe('Function: featureImportance', () => {
  const schema = { numeric: ['x'], categorical: { c: ['a', 'b'] } };
  // x: 0, 0, 4, 4 in 2 equal-frequency buckets: edges 0, 2, 4.
  const baseline = buildBaselineStatistics(
    [
      { x: 0, c: 'a' },
      { x: 0, c: 'a' },
      { x: 4, c: 'a' },
      { x: 4, c: 'b' },
    ],
    schema,
    { buckets: 2 },
  );
  const explainer: Explainer = {
    kind: 'linear-logit',
    features: ['x', 'c_a', 'c_b'],
    intercept: 0,
    coefficients: [0.5, 1, -1],
    baseline: [2, 0.75, 0.25],
    schema,
    fidelity: { r2: 1, rows: 4 },
    label: 'default_90d',
  };

  it('mean |SHAP| per raw feature, as shares: x from bucket midpoints, c exactly', () => {
    // x: buckets [0, 2) (2 rows, midpoint 1) and [2, 4] (2 rows, midpoint 3): 0.5 · mean(|1 − 2|, |3 − 2|) = 0.5.
    // c: centre 1·0.75 − 1·0.25 = 0.5; a: |1 − 0.5|, b: |−1 − 0.5| → 0.75·0.5 + 0.25·1.5 = 0.75.
    const importance = featureImportance(explainer, baseline);
    expect(importance.x).toBeCloseTo(0.5 / 1.25, 12);
    expect(importance.c).toBeCloseTo(0.75 / 1.25, 12);
  });

  it('a model that ignores every feature gives 0, not NaN', () => {
    expect(featureImportance({ ...explainer, coefficients: [0, 0, 0] }, baseline)).toEqual({ x: 0, c: 0 });
  });
});
