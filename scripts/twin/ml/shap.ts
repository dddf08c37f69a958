/**
 * SHAP for the logistic model, exact in log-odds space: φ_j = β_j (x_j − baseline_j) with the training means as the
 * baseline, so the φ of a row add up to its log-odds minus the baseline's. One-hot columns are summed into their
 * raw feature (`purpose_*` → `purpose`), and the global value of a feature is the mean |φ| over the rows, as
 * Clarify's `agg_method: mean_abs`. Units are log-odds (Clarify's Kernel SHAP with `use_logit`), not probability.
 * The explainer (explainer.json) is the model itself: its fidelity is 1 by construction.
 */
import type { Explainer } from '../../../shared/contracts/explainer';
import type { LogisticModel } from './logistic';
import { LABEL, MODEL_SCHEMA, RAW_FEATURES, rawFeatureOf } from './schema';

/** Global SHAP values per raw feature and the expected value (the baseline's log-odds). */
export interface GlobalShap {
  globalShapValues: Record<string, number>;
  expectedValue: number;
}

/** Mean of each encoded column: the SHAP baseline. */
export function columnMeans(rows: readonly (readonly number[])[]): number[] {
  const width = MODEL_SCHEMA.features.length;
  const mean = new Array<number>(width).fill(0);
  for (const row of rows) for (let j = 0; j < width; j++) mean[j]! += row[j]! / rows.length;
  return mean;
}

/** φ of each raw feature for one encoded row. */
export function rowShap(model: Pick<LogisticModel, 'coefficients'>, baseline: readonly number[], row: readonly number[]): Record<string, number> {
  const phi: Record<string, number> = Object.fromEntries(RAW_FEATURES.map((f) => [f, 0]));
  MODEL_SCHEMA.features.forEach((column, j) => {
    phi[rawFeatureOf(column)]! += model.coefficients[j]! * (row[j]! - baseline[j]!);
  });
  return phi;
}

/** Mean |φ| per raw feature over `rows`, in RAW_FEATURES order. */
export function globalShap(model: Pick<LogisticModel, 'intercept' | 'coefficients'>, baseline: readonly number[], rows: readonly (readonly number[])[]): GlobalShap {
  const totals: Record<string, number> = Object.fromEntries(RAW_FEATURES.map((f) => [f, 0]));
  for (const row of rows) {
    const phi = rowShap(model, baseline, row);
    for (const f of RAW_FEATURES) totals[f]! += Math.abs(phi[f]!) / rows.length;
  }
  return {
    globalShapValues: totals,
    expectedValue: baseline.reduce((z, x, j) => z + x * model.coefficients[j]!, model.intercept),
  };
}

/** explainer.json: the model as its own linear-logit explainer. */
export function explainerOf(model: LogisticModel, baseline: readonly number[]): Explainer {
  return {
    kind: 'linear-logit',
    features: [...model.features],
    intercept: model.intercept,
    coefficients: [...model.coefficients],
    baseline: [...baseline],
    schema: { numeric: [...MODEL_SCHEMA.numeric], categorical: structuredClone(MODEL_SCHEMA.categorical) },
    fidelity: { r2: 1, rows: model.training.rows },
    label: LABEL,
  };
}
