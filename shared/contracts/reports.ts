/**
 * Reports the training pipeline registers with a model package (ModelMetrics S3 URIs), as the gates read them.
 * Layouts: SageMaker model-quality statistics for the evaluation, SageMaker Clarify `analysis.json` for bias and
 * explainability (aws-facts §2.2, §3.2). Only what the gates rely on is strict; the rest passes through.
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

/** A metric as SageMaker writes it: `{ value, standard_deviation }`; Clarify may write null for undefined metrics. */
const metricValueSchema = z.looseObject({ value: z.number().nullable() });

/** Model-quality statistics (`evaluation.json`) with the binary-classification block the pipeline writes. */
export const evaluationReportSchema = z.looseObject({
  binary_classification_metrics: z.looseObject({
    auc: metricValueSchema,
    /** Kolmogorov–Smirnov separation; not a Model Monitor key, the pipeline adds it. */
    ks: metricValueSchema.optional(),
  }),
});

const clarifyMetricSchema = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  value: z.number().nullable(),
});

const clarifyFacetValueSchema = z.looseObject({
  value_or_threshold: z.union([z.string(), z.number()]).transform(String),
  metrics: z.array(clarifyMetricSchema),
});

const clarifyBiasSchema = z.looseObject({
  label: z.string().optional(),
  label_value_or_threshold: z.union([z.string(), z.number()]).optional(),
  facets: z.record(z.string(), z.array(clarifyFacetValueSchema)),
});

/** Clarify `analysis.json`: bias blocks and/or SHAP explanations, depending on the job. */
export const clarifyAnalysisSchema = z.looseObject({
  pre_training_bias_metrics: clarifyBiasSchema.optional(),
  post_training_bias_metrics: clarifyBiasSchema.optional(),
  explanations: z
    .looseObject({
      kernel_shap: z
        .record(
          z.string(),
          z.looseObject({
            global_shap_values: z.record(z.string(), z.number()),
            expected_value: z.number().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

export type EvaluationReport = z.infer<typeof evaluationReportSchema>;
export type ClarifyAnalysis = z.infer<typeof clarifyAnalysisSchema>;
export type ClarifyBias = z.infer<typeof clarifyBiasSchema>;
