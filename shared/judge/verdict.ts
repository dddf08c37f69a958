/** The shape of every verdict: JSON-serialisable, it goes into the audit ledger as it is. */
import type { LabelCompletenessCheck, MinimumDataCheck, SampleRatioCheck } from './data-quality';

export interface LookSummary {
  /** 1-based count of looks taken so far, this one included. */
  index: number;
  /** Information so far as a share of the planned maximum (may exceed 1 when data overruns the plan). */
  informationFraction: number;
  samples: { champion: number; challenger: number };
  /** The statistic compared with the bound (z scale), null when no test ran (waiting). */
  statistic: number | null;
  bound: number | null;
  /** α spent so far by the test that decided (always-valid harm test: its whole α covers every look). */
  alphaSpent: number;
}

export interface DataQuality {
  sampleRatio: SampleRatioCheck;
  minimumData: MinimumDataCheck;
  labelCompleteness?: LabelCompletenessCheck;
  passed: boolean;
}

export interface Verdict<Decision extends string, Statistics, State> {
  decision: Decision;
  /** One human sentence with the figures. */
  reason: string;
  look: LookSummary;
  dataQuality: DataQuality;
  /** What it takes to recompute this verdict: counts, sums, variance components, digests. */
  sufficientStatistics: Statistics;
  /** Pass back with the next look. */
  state: State;
}
