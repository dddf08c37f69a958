/**
 * `constraint_violations.json` in Model Monitor's data-quality format (aws-facts §2.2):
 * `{violations: [{feature_name, constraint_check_type, description}]}`, one entry per broken check.
 */
import type { FeatureDrift } from './feature-drift';
import type { DriftThresholds } from './thresholds';

export type ConstraintCheckType =
  | 'data_type_check'
  | 'completeness_check'
  | 'baseline_drift_check'
  | 'missing_column_check'
  | 'extra_column_check'
  | 'categorical_values_check';

export interface ConstraintViolation {
  feature_name: string;
  constraint_check_type: ConstraintCheckType;
  description: string;
}

export interface ConstraintViolations {
  violations: ConstraintViolation[];
}

const fmt = (x: number) => String(Number(x.toPrecision(4)));

export function constraintViolations(features: readonly FeatureDrift[], t: DriftThresholds): ConstraintViolations {
  const violations: ConstraintViolation[] = [];
  const add = (feature_name: string, constraint_check_type: ConstraintCheckType, description: string) => violations.push({ feature_name, constraint_check_type, description });
  for (const f of features) {
    if (f.skipped === 'not-in-window') {
      add(f.feature, 'missing_column_check', `Feature ${f.feature} of the baseline is not in the captured data.`);
      continue;
    }
    if (f.drifted && f.distance !== null) {
      add(f.feature, 'baseline_drift_check', `Baseline drift distance: ${fmt(f.distance)} exceeds threshold: ${fmt(f.threshold)} (${f.method}).`);
    }
    const rise = f.missingRate.window - f.missingRate.baseline;
    if (f.counts.window + f.counts.baseline > 0 && rise > t.completenessTolerance) {
      add(f.feature, 'completeness_check', `Data completeness ${fmt(1 - f.missingRate.window)} is below the baseline's ${fmt(1 - f.missingRate.baseline)} by more than ${fmt(t.completenessTolerance)}.`);
    }
    const present = f.counts.window;
    if (f.typeMismatch && present + f.typeMismatch > 0 && f.typeMismatch / (present + f.typeMismatch) > t.datatypeCheckThreshold) {
      add(f.feature, 'data_type_check', `${f.typeMismatch} value(s) (${fmt(f.typeMismatch / (present + f.typeMismatch))}) are not numbers, above datatype_check_threshold ${fmt(t.datatypeCheckThreshold)}.`);
    }
    if (f.outOfDomain && f.outOfDomain.rate > t.domainContentThreshold) {
      add(
        f.feature,
        'categorical_values_check',
        `${fmt(f.outOfDomain.rate)} of the values are outside the baseline's domain (${f.outOfDomain.values.slice(0, 10).join(', ')}), above domain_content_threshold ${fmt(t.domainContentThreshold)}.`,
      );
    }
  }
  return { violations };
}
