/** What the experiment judge reads and writes through, beyond the state store, the bus, the queue and the clock. */
import type { ExperimentState as JudgeState, ShadowScores } from '../judge/experiment-look';
import type { Arms } from './arm-counts';
import type { Clock, EventBus, ReconcileQueue, StateStore } from '../reconcile/ports';

/** The arms of one A/B test and the window of its look. */
export interface ArmQuery {
  group: string;
  endpointName: string;
  championVariant: string;
  challengerVariant: string;
  /** The experiment's start and the look's minute: decisions in [from, until) count. */
  from: string;
  until: string;
  /** `ab`: each variant decides its applications; `shadow`: the challenger scores mirrored copies (paired scores). */
  mode: 'ab' | 'shadow';
  /** The outcome label (policy `experiment.label`) and the days it takes to mature. */
  label: string;
  labelMaturityDays: number;
  /** The early harm label and its maturity (policy `experiment.earlyHarmLabel`), when the harm test reads one. */
  earlyHarmLabel?: { label: string; maturityDays: number };
  /** Scores above it were declined (policy `experiment.decisionThreshold`). */
  decisionThreshold: number;
}

/** What one look judges: the arms on the label, on the early harm label when asked, and a shadow test's pairs. */
export interface ExperimentData extends Arms {
  earlyHarm?: Arms;
  shadow?: ShadowScores;
}

/**
 * Per-arm cumulative counts: captured decisions per variant (assigned), approved ones whose label has matured
 * (matured), those joined to an outcome by inference id (labelled) and the defaults among them; in a shadow test
 * also both models' scores of every labelled application.
 */
export interface ExperimentOutcomes {
  armCounts(query: ArmQuery): Promise<ExperimentData>;
  /** Forgets what is kept between looks for groups not in `groups` (their experiments ended). */
  retain?(groups: readonly string[]): void;
}

/** Which data-quality problems of an experiment have been told to on-call (each once), and since when labels lag. */
export interface AlertBook {
  alerted?: ExperimentAlert[];
  /** The first look of the current run of looks whose label completeness failed. */
  labelsIncompleteSince?: string;
}

export type ExperimentAlert = 'sample-ratio-mismatch' | 'labels-incomplete';

/** The judge's state between looks: the look's (efficacy looks taken, running harm p-value) and its alert book. */
export type JudgeLookState = JudgeState & AlertBook;

/** The judge's running state between looks, by experiment. */
export interface ExperimentLooks {
  last(group: string, version: number): Promise<{ lookAt: string; state: JudgeLookState } | undefined>;
  save(group: string, version: number, lookAt: string, state: JudgeLookState): Promise<void>;
}

export interface ExperimentJudgeDeps {
  state: Pick<StateStore, 'listGroups' | 'policyOverrides' | 'load' | 'recordExperimentVerdict'>;
  looks: ExperimentLooks;
  outcomes: ExperimentOutcomes;
  bus: EventBus;
  queue: ReconcileQueue;
  clock: Clock;
}
