/**
 * The drift report: per feature the baseline's and the window's histograms on the same bins (shares, so the two
 * compare whatever the sizes), beside the distances. What the HTML report draws and the evidence store keeps.
 */
import type { FeatureDrift } from './feature-drift';
import { isNumericFeature, type BaselineStatistics, type FeatureStatistics } from './statistics';
import type { WindowSummary } from './window';

export interface HistogramBin {
  label: string;
  /** Numeric bins only; ±Infinity for the underflow and overflow bins is written as null. */
  lower?: number | null;
  upper?: number | null;
  baseline: number;
  current: number;
}

export interface FeatureReport {
  feature: string;
  kind: 'numeric' | 'categorical';
  bins: HistogramBin[];
  /** The window's mean, standard deviation, min and max (numerics with values). */
  current?: { mean: number; stdDev: number; min: number; max: number };
  baseline?: { mean: number; stdDev: number; min: number; max: number };
  drift: FeatureDrift;
}

export interface DriftReport {
  window: Pick<WindowSummary, 'records' | 'unparsedRecords' | 'rows' | 'malformedRows'>;
  features: FeatureReport[];
}

const shares = (counts: readonly number[]) => {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (n > 0 ? c / n : 0));
};

export function driftReport(baseline: BaselineStatistics, window: WindowSummary, drift: readonly FeatureDrift[]): DriftReport {
  const { records, unparsedRecords, rows, malformedRows } = window;
  return { window: { records, unparsedRecords, rows, malformedRows }, features: baseline.features.map((stats, i) => featureReport(stats, window, drift[i]!)) };
}

function featureReport(stats: FeatureStatistics, window: WindowSummary, drift: FeatureDrift): FeatureReport {
  const w = window.features[stats.name];
  if (isNumericFeature(stats)) {
    const s = stats.numerical_statistics;
    const buckets = s.distribution.kll.buckets;
    const first = buckets[0];
    const last = buckets[buckets.length - 1];
    const bins: HistogramBin[] = [];
    const base = shares([0, ...buckets.map((b) => b.count), 0]);
    const current = shares(w?.kind === 'numeric' && w.edges.length > 0 ? w.bins : base.map(() => 0));
    if (first && last) {
      bins.push({ label: `< ${first.lower_bound}`, lower: null, upper: first.lower_bound, baseline: base[0]!, current: current[0]! });
      buckets.forEach((b, j) => bins.push({ label: `[${b.lower_bound}, ${b.upper_bound}${j === buckets.length - 1 ? ']' : ')'}`, lower: b.lower_bound, upper: b.upper_bound, baseline: base[j + 1]!, current: current[j + 1]! }));
      bins.push({ label: `> ${last.upper_bound}`, lower: last.upper_bound, upper: null, baseline: base[base.length - 1]!, current: current[current.length - 1]! });
    }
    const summary = w?.kind === 'numeric' && w.present > 0 ? { mean: w.mean, stdDev: Math.sqrt(w.m2 / w.present), min: w.min, max: w.max } : undefined;
    return { feature: stats.name, kind: 'numeric', bins, baseline: { mean: s.mean, stdDev: s.std_dev, min: s.min, max: s.max }, ...(summary ? { current: summary } : {}), drift };
  }
  const buckets = stats.string_statistics.distribution.categorical.buckets;
  const counts = w?.kind === 'categorical' ? w : undefined;
  const outside = counts ? Object.entries(counts.outOfDomain) : [];
  const base = shares([...buckets.map((b) => b.count), ...outside.map(() => 0)]);
  const current = shares([...buckets.map((b) => counts?.counts[b.value] ?? 0), ...outside.map(([, c]) => c)]);
  const labels = [...buckets.map((b) => b.value), ...outside.map(([v]) => `${v} (out of domain)`)];
  return { feature: stats.name, kind: 'categorical', bins: labels.map((label, j) => ({ label, baseline: base[j]!, current: current[j]! })), drift };
}
