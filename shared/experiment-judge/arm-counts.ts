/**
 * The per-arm counts of an experiment from captured decisions and matured outcomes, joined by inference id. Pure:
 * the adapter streams the captures of both variants and loads the outcomes of the experiment's approved inference
 * ids (a Set bounded by the enrolment window), and this folds them into four counts per arm, and in a shadow test
 * into the paired scores of both models on the same labelled applications.
 */
import type { ExperimentArm, ShadowScores } from '../judge/experiment-look';

/** One scored application as Data Capture recorded it, with the variant that scored it. */
export interface CapturedDecision {
  inferenceId: string;
  variant: string;
  /** When it was scored (capture time). */
  at: string;
  /** The predicted default probability. */
  score: number;
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

export interface Arms {
  champion: ExperimentArm;
  challenger: ExperimentArm;
}

const DAY_MS = 86_400_000;

const emptyArm = (): ExperimentArm => ({ assigned: 0, matured: 0, labelled: 0, defaults: 0 });

/** Where a decision stands in the window: outside it, enrolled (its label still maturing), or matured. */
function standing(window: ArmWindow): (at: string) => 'outside' | 'enrolled' | 'matured' {
  const from = Date.parse(window.from);
  const until = Date.parse(window.until);
  const maturedBefore = until - window.labelMaturityDays * DAY_MS;
  return (iso) => {
    const at = Date.parse(iso);
    if (at < from || at >= until) return 'outside';
    return at > maturedBefore ? 'enrolled' : 'matured';
  };
}

/** Folds decisions into per-arm counts; `outcomes` maps an inference id to its label (1: default). */
export function countArms(decisions: Iterable<CapturedDecision>, outcomes: ReadonlyMap<string, number>, window: ArmWindow): Arms {
  const arms = { champion: emptyArm(), challenger: emptyArm() };
  const standingOf = standing(window);
  for (const d of decisions) {
    const arm = d.variant === window.championVariant ? arms.champion : d.variant === window.challengerVariant ? arms.challenger : undefined;
    const stands = standingOf(d.at);
    if (!arm || stands === 'outside') continue;
    arm.assigned += 1;
    // Only approved applications have an outcome; a declined one never defaults on a loan it did not get.
    if (!d.approved || stands !== 'matured') continue;
    arm.matured += 1;
    const label = outcomes.get(d.inferenceId);
    if (label === undefined) continue;
    arm.labelled += 1;
    arm.defaults += label === 1 ? 1 : 0;
  }
  return arms;
}

/**
 * A shadow test's arms and paired scores. The champion decided every application, so a mirrored copy is approved
 * (and gets an outcome) when the champion approved it: the shadow arm counts the champion's decisions on the
 * mirrored requests. Pairs (both models' scores, one label) are taken only where both models would approve (both
 * scores at or below the threshold): outcomes exist only for the champion's approvals, and a cut on the champion's
 * score alone lowers its AUC on what is left more than the challenger's, so an equally good challenger would "win"
 * (reference/judge.md §6.4: compare on the jointly approved set). The AUCs are those of the jointly approved.
 */
export function pairShadowScores(decisions: Iterable<CapturedDecision>, outcomes: ReadonlyMap<string, number>, window: ArmWindow): Arms & { shadow: ShadowScores } {
  const champion = new Map<string, CapturedDecision>();
  const mirrored: CapturedDecision[] = [];
  for (const d of decisions) {
    if (d.variant === window.championVariant) champion.set(d.inferenceId, d);
    else if (d.variant === window.challengerVariant) mirrored.push(d);
  }
  // A copy without its original (lost capture) is counted as assigned but never paired.
  const asDecided = mirrored.map((d) => ({ ...d, approved: champion.get(d.inferenceId)?.approved ?? false, challengerApproves: d.approved }));
  const arms = countArms([...champion.values(), ...asDecided], outcomes, window);
  const shadow: ShadowScores = { labels: [], champion: [], challenger: [] };
  const standingOf = standing(window);
  for (const d of asDecided) {
    const label = outcomes.get(d.inferenceId);
    if (!d.approved || !d.challengerApproves || standingOf(d.at) !== 'matured' || label === undefined) continue;
    shadow.labels.push(label);
    shadow.champion.push(champion.get(d.inferenceId)!.score);
    shadow.challenger.push(d.score);
  }
  return { ...arms, shadow };
}
