/** What the drift check says about one feature (shared by the check, its violations and its report). */
import type { ChiSquared } from './distances';

export type DriftMethod = 'linf_simple' | 'linf_robust' | 'chi_squared';

/** Why a feature was not judged. */
export type SkipReason = 'empty-baseline' | 'too-few-rows' | 'not-in-window';

export interface FeatureDrift {
  feature: string;
  kind: 'numeric' | 'categorical';
  /** The method `distance` comes from. */
  method: DriftMethod;
  /** The judged distance; null when the feature was not judged (`skipped` says why). */
  distance: number | null;
  threshold: number;
  drifted: boolean;
  /** The model's global importance of the feature (share of mean |SHAP|), when known. */
  importance: number | null;
  skipped?: SkipReason;
  /** Every distance, whichever is judged: for the report and for recomputing the decision. */
  metrics: { linfSimple: number | null; linfRobust: number | null; psi: number | null; jensenShannon: number | null; chiSquared?: ChiSquared | null };
  counts: { baseline: number; window: number };
  missingRate: { baseline: number; window: number };
  /** Numeric cells that were not numbers. */
  typeMismatch?: number;
  /** Categories the baseline never saw: their count, share of present values and the values. */
  outOfDomain?: { count: number; rate: number; values: string[] };
}
