/**
 * How the drift check decides, in Model Monitor's terms (constraints.json `monitoring_config`, aws-facts §2.2):
 * the same keys, the same defaults, plus the tolerances Model Monitor leaves undocumented, chosen here.
 */
export type ComparisonMethod = 'linf_simple' | 'linf_robust';
export type CategoricalDriftMethod = 'LInfinity' | 'ChiSquared';

export interface DriftThresholds {
  /** `distribution_constraints.comparison_method`, for numerics and (as L∞ over frequencies) categoricals. */
  comparisonMethod: ComparisonMethod;
  /** `comparison_threshold`: a distance above it is drift. */
  comparisonThreshold: number;
  /** `categorical_drift_method`. */
  categoricalMethod: CategoricalDriftMethod;
  /**
   * `categorical_comparison_threshold` (defaults to comparisonThreshold). With ChiSquared the distance is
   * 1 − p-value, so a threshold of 0.99 is a test at α = 0.01.
   */
  categoricalComparisonThreshold?: number;
  /** c of linf_robust (1.8, Deequ's default; robustConstantForAlpha gives it for an α). */
  robustConstant: number;
  /** `domain_content_threshold`: share of out-of-domain categories above which categorical_values_check fails. */
  domainContentThreshold: number;
  /** `datatype_check_threshold`: share of non-numeric cells above which data_type_check fails. */
  datatypeCheckThreshold: number;
  /** Our choice: a rise of the missing rate over the baseline's by more than this fails completeness_check. */
  completenessTolerance: number;
  /** Our choice: fewer present values than this and a feature is not judged (too little to say anything). */
  minRows: number;
  /** Per-feature comparison thresholds overriding the two above. */
  perFeature?: Readonly<Record<string, number>>;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = {
  comparisonMethod: 'linf_robust',
  comparisonThreshold: 0.1,
  categoricalMethod: 'LInfinity',
  robustConstant: 1.8,
  domainContentThreshold: 0.1,
  datatypeCheckThreshold: 0.1,
  completenessTolerance: 0.05,
  minRows: 1,
};
