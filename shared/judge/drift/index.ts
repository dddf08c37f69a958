/** The drift check's pure core: baseline statistics, the streaming window, distances, the verdict. */
export { buildBaselineStatistics, DEFAULT_BASELINE_BUCKETS, type RawRow } from './baseline';
export { captureInputRows, captureLine, captureRecordSchema, type CaptureRecord } from './capture';
export { checkDrift, type DriftCheck, type DriftMethod, type FeatureDrift, type SkipReason } from './check';
export * from './distances';
export { featureImportance } from './importance';
export type { DriftReport, FeatureReport, HistogramBin } from './report';
export { baselineStatisticsSchema, parseBaselineStatistics, type BaselineStatistics, type FeatureStatistics } from './statistics';
export { DEFAULT_DRIFT_THRESHOLDS, type CategoricalDriftMethod, type ComparisonMethod, type DriftThresholds } from './thresholds';
export type { ConstraintCheckType, ConstraintViolation, ConstraintViolations } from './violations';
export { WindowAccumulator, type FeatureWindow, type WindowSummary } from './window';
export { BiasWindow, type BiasSpec } from './bias-window';
