/**
 * The model's global importance of each raw feature, from its explainer (shared/contracts/explainer.ts: a linear
 * model on the encoded features in log-odds) and the baseline statistics: the mean |SHAP| of the feature over the
 * baseline population, as a share of the sum over all features, so the drift triage can weigh a drifted feature.
 *
 * - numeric x with coefficient c: SHAP = c·(x − x̄), so mean |SHAP| = |c|·E|x − x̄|, E taken over the baseline
 *   histogram with each bucket at its midpoint (the buckets are all the statistics keep);
 * - categorical with one-hot coefficients c_v and baseline shares p_v: a row of category v has SHAP
 *   c_v − Σ_u c_u·x̄_u, so mean |SHAP| = Σ_v p_v·|c_v − Σ_u c_u·x̄_u| exactly.
 */
import type { Explainer } from '../../contracts/explainer';
import { isNumericFeature, type BaselineStatistics } from './statistics';

export function featureImportance(explainer: Explainer, baseline: BaselineStatistics): Record<string, number> {
  const column = new Map(explainer.features.map((name, i) => [name, i]));
  const raw: Record<string, number> = {};
  for (const stats of baseline.features) {
    if (isNumericFeature(stats)) {
      const j = column.get(stats.name);
      if (j === undefined) continue;
      const centre = explainer.baseline[j]!;
      const buckets = stats.numerical_statistics.distribution.kll.buckets;
      const n = buckets.reduce((a, b) => a + b.count, 0);
      const meanAbs = n > 0 ? buckets.reduce((a, b) => a + b.count * Math.abs((b.lower_bound + b.upper_bound) / 2 - centre), 0) / n : 0;
      raw[stats.name] = Math.abs(explainer.coefficients[j]!) * meanAbs;
    } else {
      const buckets = stats.string_statistics.distribution.categorical.buckets;
      const n = buckets.reduce((a, b) => a + b.count, 0);
      const values = explainer.schema.categorical[stats.name] ?? [];
      const coefficient = (v: string) => {
        const j = column.get(`${stats.name}_${v}`);
        return j === undefined ? 0 : explainer.coefficients[j]!;
      };
      const centre = values.reduce((a, v) => {
        const j = column.get(`${stats.name}_${v}`);
        return j === undefined ? a : a + coefficient(v) * explainer.baseline[j]!;
      }, 0);
      raw[stats.name] = n > 0 ? buckets.reduce((a, b) => a + (b.count / n) * Math.abs(coefficient(b.value) - centre), 0) : 0;
    }
  }
  const total = Object.values(raw).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(raw).map(([name, v]) => [name, total > 0 ? v / total : 0]));
}
