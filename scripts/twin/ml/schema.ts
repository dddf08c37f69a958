/**
 * The data set and model-input schema the twin's training uses: the training pipeline's own (scripts/pipeline/
 * definition.ts), so the twin's model, the control plane's encoding (shared/contracts/model-input.ts) and the real
 * step scripts cannot disagree.
 */
import type { ModelInputSchema } from '../../../shared/contracts/model-input';
import { DATA, DECISION_THRESHOLD, encodedFeatures } from '../../pipeline/definition';

/** Numeric columns, categorical vocabularies and the encoded feature names, in model input order. */
export const MODEL_SCHEMA: ModelInputSchema = {
  numeric: [...DATA.numeric],
  categorical: Object.fromEntries(Object.entries(DATA.categorical).map(([name, values]) => [name, [...values]])),
  features: encodedFeatures(),
};

/** The label column (1 = a default within 90 days). */
export const LABEL = DATA.label;
/** The protected attribute: measured for fairness, never a model input. */
export const PROTECTED_ATTRIBUTE = DATA.protectedAttribute;
export const PROTECTED_VALUES: readonly string[] = DATA.protectedValues;
/** Train / validation / test fractions and the split's seed. */
export const SPLIT = DATA.split;
/** A score above this predicts a default (Clarify's `probability_threshold`). */
export { DECISION_THRESHOLD };

/** The raw feature an encoded column belongs to (`purpose_car` → `purpose`). */
export function rawFeatureOf(column: string): string {
  if (MODEL_SCHEMA.numeric.includes(column)) return column;
  const owner = Object.entries(MODEL_SCHEMA.categorical).find(([name, values]) => values.some((v) => `${name}_${v}` === column));
  if (!owner) throw new Error(`${column} is not an encoded feature of the model schema`);
  return owner[0];
}

/** Raw model features (numeric, then categorical), the unit SHAP importances are reported in. */
export const RAW_FEATURES: readonly string[] = [...MODEL_SCHEMA.numeric, ...Object.keys(MODEL_SCHEMA.categorical)];
