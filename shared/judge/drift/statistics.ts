/**
 * Baseline statistics in SageMaker Model Monitor's data-quality `statistics.json` layout (aws-facts §2.2): what
 * the training pipeline stores with every model version and what the drift check compares a window against.
 * Features are the raw application's (annual_income, home_ownership, …), not the one-hot encoded columns.
 * Loose objects: statistics written by Model Monitor itself carry more than the drift check reads.
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

const count = z.number().int().nonnegative();

const commonSchema = z.looseObject({ num_present: count, num_missing: count });

export const numericBucketSchema = z.looseObject({ lower_bound: z.number(), upper_bound: z.number(), count: z.number().nonnegative() });

const numericFeatureSchema = z.looseObject({
  name: z.string().min(1),
  inferred_type: z.enum(['Fractional', 'Integral']),
  numerical_statistics: z.looseObject({
    common: commonSchema,
    mean: z.number(),
    sum: z.number(),
    std_dev: z.number().nonnegative(),
    min: z.number(),
    max: z.number(),
    distribution: z.looseObject({
      kll: z.looseObject({
        // Ordered, contiguous; the drift check counts the window on these edges.
        buckets: z.array(numericBucketSchema),
        sketch: z.looseObject({}).optional(),
      }),
    }),
  }),
});

const stringFeatureSchema = z.looseObject({
  name: z.string().min(1),
  inferred_type: z.literal('String'),
  string_statistics: z.looseObject({
    common: commonSchema,
    distinct_count: z.number().nonnegative(),
    distribution: z.looseObject({
      categorical: z.looseObject({ buckets: z.array(z.looseObject({ value: z.string(), count: z.number().nonnegative() })) }),
    }),
  }),
});

export const baselineStatisticsSchema = z
  .looseObject({
    version: z.number(),
    dataset: z.looseObject({ item_count: count }),
    features: z.array(z.union([numericFeatureSchema, stringFeatureSchema])),
  })
  .superRefine((stats, ctx) => {
    stats.features.forEach((feature, i) => {
      if (!isNumericFeature(feature)) return;
      const buckets = feature.numerical_statistics.distribution.kll.buckets;
      buckets.forEach((b, j) => {
        const previous = buckets[j - 1];
        if (b.upper_bound < b.lower_bound || (previous && b.lower_bound < previous.upper_bound)) {
          ctx.addIssue({ code: 'custom', path: ['features', i, 'numerical_statistics', 'distribution', 'kll', 'buckets', j], message: 'buckets must be ordered and not overlap' });
        }
      });
    });
  });

export type BaselineStatistics = z.infer<typeof baselineStatisticsSchema>;
export type FeatureStatistics = BaselineStatistics['features'][number];
export type NumericFeatureStatistics = z.infer<typeof numericFeatureSchema>;
export type StringFeatureStatistics = z.infer<typeof stringFeatureSchema>;
export type NumericBucket = z.infer<typeof numericBucketSchema>;

export function isNumericFeature(feature: NumericFeatureStatistics | StringFeatureStatistics): feature is NumericFeatureStatistics {
  return feature.inferred_type !== 'String';
}

/** Parses statistics.json (ours, the pipeline's or Model Monitor's); throws a ZodError naming the bad path. */
export function parseBaselineStatistics(value: unknown): BaselineStatistics {
  return baselineStatisticsSchema.parse(value);
}
