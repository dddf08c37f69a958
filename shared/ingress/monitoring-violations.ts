/**
 * A monitoring run's `constraint_violations.json` (aws-facts §2.2) read as drift features, the shape our own drift
 * check reports (DriftSignal features), so both sources are triaged alike:
 * - data quality `baseline_drift_check`: the feature, and the distance and threshold Model Monitor writes in the
 *   description ("Numerical distance: 0.27 exceeds numerical threshold: 0.1"; ours: "Baseline drift distance: 0.31
 *   exceeds threshold: 0.2 (linf_simple).");
 * - Clarify `bias_drift_check`: one feature per metric and facet value; the distance is how far the metric is from
 *   parity (|DI − 1|, |value| for the difference metrics, aws-facts §3.3);
 * - Clarify `feature_attribution_drift_check`: one feature per label; the distance is 1 − nDCG of the SHAP ranking,
 *   so 0 is the baseline's ranking and the nDCG threshold 0.9 becomes 0.1.
 * Other checks (completeness, data type, columns, categorical values, model quality) are data-integrity findings,
 * not distribution drift: they are counted, not turned into features. Descriptions are free text whose exact
 * wording for the prebuilt containers is only partly sourced, so a violation whose figures cannot be read is kept
 * out of the signal and named in `unreadable` rather than given made-up figures.
 *
 * Pure module: no AWS SDK, no environment, no clock.
 */
import * as z from 'zod';
import type { FeatureDrift } from '../lifecycle/drift-triage';

/** One violation of any monitor type; every field but the check type is optional (each type has its own). */
const violationSchema = z.looseObject({
  constraint_check_type: z.string().min(1),
  description: z.string().optional(),
  feature_name: z.string().optional(),
  facet: z.string().optional(),
  facet_value: z.union([z.string(), z.number()]).optional(),
  metric_name: z.string().optional(),
  label: z.string().optional(),
});

/** `constraint_violations.json`: data quality has no `version`, Clarify writes "1.0". */
export const constraintViolationsFileSchema = z.looseObject({
  version: z.union([z.string(), z.number()]).optional(),
  violations: z.array(violationSchema),
});

export type MonitoringViolation = z.infer<typeof violationSchema>;

/** What a violations file says about drift. */
export interface ViolationDrift {
  /** Drifted features, in file order, one per feature (the largest distance when a feature repeats). */
  features: FeatureDrift[];
  /** Drift violations whose figures could not be read from the description (`<check>: <description>`). */
  unreadable: string[];
  /** Violations that are not drift, counted per check type. */
  otherChecks: Record<string, number>;
}

const NUMBER = String.raw`([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)`;

/** The first number after `label` (case-insensitive, an optional colon between), when there is one. */
function numberAfter(text: string, label: string): number | undefined {
  const match = new RegExp(`${label}:?\\s*${NUMBER}`, 'i').exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}

/** Clarify metrics whose parity value is 1 (ratios); every other bias metric is a difference, at parity at 0. */
const RATIO_METRICS: ReadonlySet<string> = new Set(['DI']);

const fromParity = (metric: string, value: number) => Math.abs(value - (RATIO_METRICS.has(metric) ? 1 : 0));

type Mapped = { feature: FeatureDrift } | { unreadable: string } | undefined;

function dataQualityDrift(v: MonitoringViolation): Mapped {
  const text = v.description ?? '';
  const distance = numberAfter(text, 'distance');
  const threshold = numberAfter(text, 'threshold');
  if (!v.feature_name || distance === undefined || threshold === undefined) return { unreadable: `baseline_drift_check: ${text}` };
  // Our own check names its method in parentheses; Model Monitor's default is an L-infinity distance (aws-facts §2.4).
  const method = /\(([a-z_]+)\)\.?\s*$/i.exec(text)?.[1] ?? 'linf';
  return { feature: { feature: v.feature_name, method, distance, threshold } };
}

function biasDrift(v: MonitoringViolation): Mapped {
  const text = v.description ?? '';
  const value = numberAfter(text, 'value');
  if (!v.metric_name || value === undefined) return { unreadable: `bias_drift_check: ${text}` };
  const facet = v.facet === undefined ? '' : `[${v.facet}${v.facet_value === undefined ? '' : `=${v.facet_value}`}]`;
  // The baseline's own value is in some descriptions only ("... of baseline value 0.2"); without it the threshold is
  // 0: Clarify flags any move past the baseline, and the policy's threshold decides anyway.
  const baseline = numberAfter(text, 'baseline value');
  return {
    feature: {
      feature: `bias:${v.metric_name}${facet}`,
      // `bias-…`: a bias finding travels with drift (the same alert) but does not retrain (drift-triage.ts).
      method: `bias-clarify-${v.metric_name}`,
      distance: fromParity(v.metric_name, value),
      threshold: baseline === undefined ? 0 : fromParity(v.metric_name, baseline),
    },
  };
}

function attributionDrift(v: MonitoringViolation): Mapped {
  const text = v.description ?? '';
  const ndcg = numberAfter(text, 'drift');
  const threshold = numberAfter(text, 'threshold');
  if (ndcg === undefined || threshold === undefined) return { unreadable: `feature_attribution_drift_check: ${text}` };
  return { feature: { feature: `attribution:${v.metric_name ?? 'shap'}[${v.label ?? 'label0'}]`, method: 'attribution-ndcg', distance: 1 - ndcg, threshold: 1 - threshold } };
}

const DRIFT_CHECKS: Readonly<Record<string, (v: MonitoringViolation) => Mapped>> = {
  baseline_drift_check: dataQualityDrift,
  bias_drift_check: biasDrift,
  feature_attribution_drift_check: attributionDrift,
};

/** Reads the drift out of a violations file's violations. */
export function driftFromViolations(violations: readonly MonitoringViolation[]): ViolationDrift {
  const byFeature = new Map<string, FeatureDrift>();
  const unreadable: string[] = [];
  const otherChecks: Record<string, number> = {};
  for (const v of violations) {
    const map = Object.hasOwn(DRIFT_CHECKS, v.constraint_check_type) ? DRIFT_CHECKS[v.constraint_check_type] : undefined;
    const mapped = map?.(v);
    if (!mapped) {
      otherChecks[v.constraint_check_type] = (otherChecks[v.constraint_check_type] ?? 0) + 1;
    } else if ('unreadable' in mapped) {
      unreadable.push(mapped.unreadable);
    } else {
      const known = byFeature.get(mapped.feature.feature);
      if (!known || mapped.feature.distance > known.distance) byFeature.set(mapped.feature.feature, mapped.feature);
    }
  }
  // Rounded like our own check's figures: the descriptions print 16 digits of float noise.
  const features = [...byFeature.values()].map((f) => ({ ...f, distance: round(f.distance), threshold: round(f.threshold) }));
  return { features, unreadable, otherChecks };
}

const round = (x: number) => Number(x.toPrecision(6));
