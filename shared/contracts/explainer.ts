/**
 * The explainer stored with every model version (`explainer.json`), from which reason codes are computed for one
 * scored application. A logistic model on the encoded features (pipeline/steps/config.json's `features`): for the
 * twin's logistic-regression model it is the model itself (fidelity 1); for a tree model it is a global surrogate
 * fitted to the model's log-odds, with its fidelity recorded so a reader knows how far to trust it.
 * SHAP values of a linear model in log-odds space are exact: φ_j = coefficient_j × (x_j − baseline_j).
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

/** CustomerMetadataProperties key on the model package holding the explainer's S3 URI. */
export const EXPLAINER_METADATA_KEY = 'explainer:uri';

export const explainerSchema = z
  .object({
    kind: z.literal('linear-logit'),
    /** Encoded feature names, in model input order (one-hot columns named `<feature>_<category>`). */
    features: z.array(z.string().min(1)).min(1),
    intercept: z.number(),
    /** Log-odds of the positive class (default) per unit of each encoded feature. */
    coefficients: z.array(z.number()),
    /** Mean of each encoded feature on the training data: the SHAP reference point. */
    baseline: z.array(z.number()),
    /** How the raw application maps to encoded features. */
    schema: z.object({
      numeric: z.array(z.string()),
      categorical: z.record(z.string(), z.array(z.string())),
    }),
    /** R² of the surrogate's log-odds against the model's (1 when the explainer is the model). */
    fidelity: z.object({ r2: z.number().min(-1).max(1), rows: z.number().int().nonnegative() }),
    /** What the positive class means, e.g. `default_90d`. */
    label: z.string(),
  })
  .refine((e) => e.coefficients.length === e.features.length && e.baseline.length === e.features.length, {
    message: 'coefficients and baseline must have one entry per feature',
  });

export type Explainer = z.infer<typeof explainerSchema>;
