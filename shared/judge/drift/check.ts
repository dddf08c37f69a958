/**
 * checkDrift: a window of captured inputs against the baseline statistics of the live model version. Pure: the
 * shell reads the capture files into a WindowAccumulator, calls this, and writes what it returns
 * (constraint_violations.json, the report) and the DriftDetected event built from `features`.
 */
import { chiSquaredHomogeneity, jensenShannonDistance, linfCdf, linfFrequencies, linfRobust, psi } from './distances';
import type { DriftMethod, FeatureDrift, SkipReason } from './feature-drift';
import { driftReport, type DriftReport } from './report';
import { isNumericFeature, type BaselineStatistics, type FeatureStatistics } from './statistics';
import { DEFAULT_DRIFT_THRESHOLDS, type DriftThresholds } from './thresholds';
import { constraintViolations, type ConstraintViolations } from './violations';
import type { CategoricalWindow, FeatureWindow, NumericWindow, WindowSummary } from './window';

export type { DriftMethod, FeatureDrift, SkipReason } from './feature-drift';

export interface DriftCheck {
  features: FeatureDrift[];
  /** True when any feature drifted. */
  drifted: boolean;
  violations: ConstraintViolations;
  report: DriftReport;
}

export function checkDrift(
  baseline: BaselineStatistics,
  window: WindowSummary,
  thresholds: Partial<DriftThresholds> = {},
  importance: Readonly<Record<string, number>> = {},
): DriftCheck {
  const t: DriftThresholds = { ...DEFAULT_DRIFT_THRESHOLDS, ...thresholds };
  const features = baseline.features.map((stats) => featureDrift(stats, window.features[stats.name], window.rows, t, importance[stats.name] ?? null));
  return {
    features,
    drifted: features.some((f) => f.drifted),
    violations: constraintViolations(features, t),
    report: driftReport(baseline, window, features),
  };
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

function featureDrift(stats: FeatureStatistics, w: FeatureWindow | undefined, rows: number, t: DriftThresholds, importance: number | null): FeatureDrift {
  const common = isNumericFeature(stats) ? stats.numerical_statistics.common : stats.string_statistics.common;
  const kind = isNumericFeature(stats) ? 'numeric' : 'categorical';
  // With ChiSquared the distance is 1 − p: the L∞ threshold would mean nothing, so α = 0.01 unless told.
  const categoricalThreshold = t.categoricalComparisonThreshold ?? (t.categoricalMethod === 'ChiSquared' ? 0.99 : t.comparisonThreshold);
  const method: DriftMethod = kind === 'categorical' && t.categoricalMethod === 'ChiSquared' ? 'chi_squared' : t.comparisonMethod;
  const threshold = t.perFeature?.[stats.name] ?? (kind === 'numeric' ? t.comparisonThreshold : categoricalThreshold);
  const base = {
    feature: stats.name,
    kind,
    method,
    threshold,
    importance,
    missingRate: { baseline: rate(common.num_missing, common.num_missing + common.num_present), window: w ? rate(w.missing, rows) : 0 },
  } as const;
  const none = { linfSimple: null, linfRobust: null, psi: null, jensenShannon: null };
  if (!w || w.kind !== (kind === 'numeric' ? 'numeric' : 'categorical')) {
    return { ...base, distance: null, drifted: false, skipped: 'not-in-window', metrics: none, counts: { baseline: common.num_present, window: 0 } };
  }
  const [b, c] = w.kind === 'numeric' ? numericBins(stats, w) : categoricalBins(stats, w);
  const n = b.reduce((x, y) => x + y, 0);
  const m = c.reduce((x, y) => x + y, 0);
  const extra = w.kind === 'numeric' ? { typeMismatch: w.typeMismatch } : { outOfDomain: outOfDomain(w) };
  const skipped: SkipReason | undefined = n === 0 ? 'empty-baseline' : m < Math.max(1, t.minRows) ? 'too-few-rows' : undefined;
  if (skipped) return { ...base, ...extra, distance: null, drifted: false, skipped, metrics: none, counts: { baseline: n, window: m } };

  const simple = (w.kind === 'numeric' ? linfCdf(b, c) : linfFrequencies(b, c))!;
  const metrics = {
    linfSimple: simple,
    linfRobust: linfRobust(simple, n, m, t.robustConstant),
    psi: psi(b, c),
    jensenShannon: jensenShannonDistance(b, c),
    ...(kind === 'categorical' ? { chiSquared: chiSquaredHomogeneity(b, c) } : {}),
  };
  const distance = method === 'chi_squared' ? 1 - metrics.chiSquared!.pValue : method === 'linf_robust' ? metrics.linfRobust : simple;
  return { ...base, ...extra, distance, drifted: distance > threshold, metrics, counts: { baseline: n, window: m } };
}

/** Baseline bucket counts padded with empty under/overflow bins, against the window's bins. */
function numericBins(stats: FeatureStatistics, w: NumericWindow): [number[], number[]] {
  if (!isNumericFeature(stats)) throw new Error(`${stats.name} is not numeric`);
  const buckets = stats.numerical_statistics.distribution.kll.buckets;
  return [[0, ...buckets.map((x) => x.count), 0], w.edges.length > 0 ? w.bins : [0, 0]];
}

/** One bin per baseline category, then one for all out-of-domain values (empty in the baseline by definition). */
function categoricalBins(stats: FeatureStatistics, w: CategoricalWindow): [number[], number[]] {
  if (isNumericFeature(stats)) throw new Error(`${stats.name} is not categorical`);
  const buckets = stats.string_statistics.distribution.categorical.buckets;
  const ood = Object.values(w.outOfDomain).reduce((a, b) => a + b, 0);
  return [
    [...buckets.map((x) => x.count), 0],
    [...buckets.map((x) => w.counts[x.value] ?? 0), ood],
  ];
}

function outOfDomain(w: CategoricalWindow): { count: number; rate: number; values: string[] } {
  const count = Object.values(w.outOfDomain).reduce((a, b) => a + b, 0);
  return { count, rate: rate(count, w.present), values: Object.keys(w.outOfDomain).sort() };
}
