/**
 * The per-arm counts of an A/B test from captured decisions and matured outcomes, joined by inference id. Pure: the
 * adapter streams the captures of both variants and loads the outcomes of the experiment's approved inference ids
 * (a Set bounded by the enrolment window), and this folds them into four counts per arm.
 */
import type { ExperimentArm } from '../judge/experiment-look';

/** One scored application as Data Capture recorded it, with the variant that served it. */
export interface CapturedDecision {
  inferenceId: string;
  variant: string;
  /** When it was scored (capture time). */
  at: string;
  /** Scored at or below the decision threshold: the application was approved, so its outcome will be observed. */
  approved: boolean;
}

export interface ArmWindow {
  championVariant: string;
  challengerVariant: string;
  from: string;
  until: string;
  labelMaturityDays: number;
}

const DAY_MS = 86_400_000;

const emptyArm = (): ExperimentArm => ({ assigned: 0, matured: 0, labelled: 0, defaults: 0 });

/** Folds decisions into per-arm counts; `outcomes` maps an inference id to its label (1: default). */
export function countArms(decisions: Iterable<CapturedDecision>, outcomes: ReadonlyMap<string, number>, window: ArmWindow): { champion: ExperimentArm; challenger: ExperimentArm } {
  const arms = { champion: emptyArm(), challenger: emptyArm() };
  const from = Date.parse(window.from);
  const until = Date.parse(window.until);
  const maturedBefore = until - window.labelMaturityDays * DAY_MS;
  for (const d of decisions) {
    const arm = d.variant === window.championVariant ? arms.champion : d.variant === window.challengerVariant ? arms.challenger : undefined;
    const at = Date.parse(d.at);
    if (!arm || at < from || at >= until) continue;
    arm.assigned += 1;
    // Only approved applications have an outcome; a declined one never defaults on a loan it did not get.
    if (!d.approved || at > maturedBefore) continue;
    arm.matured += 1;
    const label = outcomes.get(d.inferenceId);
    if (label === undefined) continue;
    arm.labelled += 1;
    arm.defaults += label === 1 ? 1 : 0;
  }
  return arms;
}
