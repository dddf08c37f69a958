/**
 * Builds the baseline `statistics.json` (Model Monitor layout, ./statistics.ts) from raw application rows: what the
 * twin's TypeScript training stores with a version. pipeline/steps/prep.py writes the same from the training split
 * (same quantile edges, same counting rule), so the drift check reads either alike.
 */
import type { ModelInputSchema } from '../../contracts/model-input';
import { quantileEdges } from './histogram';
import type { BaselineStatistics, FeatureStatistics, NumericBucket } from './statistics';

/** A raw application row; undefined or null (or a non-finite number) is a missing value. */
export type RawRow = Readonly<Record<string, number | string | null | undefined>>;

/** Model Monitor materialises 10 KLL buckets (aws-facts §2.2); ours are equal-frequency, as many at most. */
export const DEFAULT_BASELINE_BUCKETS = 10;

export function buildBaselineStatistics(
  rows: readonly RawRow[],
  schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>,
  options: { buckets?: number } = {},
): BaselineStatistics {
  const buckets = options.buckets ?? DEFAULT_BASELINE_BUCKETS;
  const numeric = schema.numeric.map((name) => numericFeature(name, rows, buckets));
  const categorical = Object.keys(schema.categorical).map((name) => stringFeature(name, rows));
  return { version: 0, dataset: { item_count: rows.length }, features: [...numeric, ...categorical] };
}

function numericFeature(name: string, rows: readonly RawRow[], buckets: number): FeatureStatistics {
  const values: number[] = [];
  for (const row of rows) {
    const v = row[name];
    if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const n = values.length;
  const sum = values.reduce((a, b) => a + b, 0);
  const mean = n > 0 ? sum / n : 0;
  // Population standard deviation, as Deequ computes it.
  const stdDev = n > 0 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n) : 0;
  return {
    name,
    inferred_type: values.every(Number.isInteger) ? 'Integral' : 'Fractional',
    numerical_statistics: {
      common: { num_present: n, num_missing: rows.length - n },
      mean,
      sum,
      std_dev: stdDev,
      min: n > 0 ? values[0]! : 0,
      max: n > 0 ? values[n - 1]! : 0,
      distribution: { kll: { buckets: bucketsOf(values, buckets) } },
    },
  };
}

/** Equal-frequency buckets over sorted values, counted with the drift check's rule (lower ≤ x < upper; last closed). */
function bucketsOf(sorted: readonly number[], buckets: number): NumericBucket[] {
  const edges = quantileEdges(sorted, buckets);
  const out: NumericBucket[] = edges.slice(0, -1).map((lower, i) => ({ lower_bound: lower, upper_bound: edges[i + 1]!, count: 0 }));
  let b = 0;
  for (const x of sorted) {
    while (b < out.length - 1 && x >= out[b]!.upper_bound) b += 1;
    out[b]!.count += 1;
  }
  return out;
}

function stringFeature(name: string, rows: readonly RawRow[]): FeatureStatistics {
  const counts = new Map<string, number>();
  let present = 0;
  for (const row of rows) {
    const v = row[name];
    if (v === undefined || v === null || v === '') continue;
    present += 1;
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    name,
    inferred_type: 'String',
    string_statistics: {
      common: { num_present: present, num_missing: rows.length - present },
      distinct_count: counts.size,
      distribution: { categorical: { buckets: [...counts].map(([value, count]) => ({ value, count })) } },
    },
  };
}
