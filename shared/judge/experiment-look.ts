/**
 * One look at an experiment between the champion and a challenger credit model: per-arm default outcomes joined as
 * labels mature, optionally paired shadow scores (both models scored every labelled application).
 * Order: the assignment split (SRM) → the always-valid harm test on the default rate (split assignment only: a
 * shadow decides nothing; on the early harm label when there is one, so it needs only that label's data) → the
 * remaining data-quality gates → group-sequential efficacy test on the pre-registered primary metric (default rate,
 * or paired ΔAUC by DeLong) at the planned information fractions.
 */
import { type ArmCounts, labelCompleteness, minimumData, type SampleRatioCheck, sampleRatioMismatch } from './data-quality';
import { type DeLongResult, pairedDeLong } from './delong';
import { digestColumns } from './digest';
import { count, fixed, percent, points, pValue } from './format';
import { harmTest, type HarmTestResult } from './mixture-sprt';
import { calibrationInTheLarge, type CalibrationInTheLarge, pairedBrier, type PairedBrierResult } from './paired-calibration';
import { type ExperimentPlan, type ExperimentPlanInput, experimentPlanSchema } from './plan';
import { rateStatisticScale, rateUnitsForDrift, rateZ } from './rate-statistic';
import { fixedHorizonUnits } from './sample-size';
import { type EfficacyLook, efficacyLook, type EfficacySettings, isPlannedLook, plannedDesign } from './sequential-efficacy';
import type { DataQuality, Verdict } from './verdict';

export type ExperimentDecision = 'continue' | 'challenger-wins' | 'keep-champion' | 'stop-harm' | 'wait';

/** One arm's cumulative counts. */
export interface ExperimentArm {
  /** Applications routed to the arm (for the SRM check). */
  assigned: number;
  /** Of those, inferences old enough for their label to have matured. */
  matured: number;
  /** Of those, inferences whose label was joined (by inference id). */
  labelled: number;
  /** Defaults among the labelled. */
  defaults: number;
}

/** Paired shadow scores: both models' predicted default probabilities for each labelled application. */
export interface ShadowScores {
  labels: number[];
  champion: number[];
  challenger: number[];
}

export interface ExperimentState {
  /** Information fractions of the efficacy looks taken so far. */
  efficacyFractions: number[];
  looks: number;
  /** Running minimum of the harm test's always-valid p-value. */
  minHarmPValue: number;
}

export interface ExperimentLookInput {
  plan: ExperimentPlanInput;
  champion: ExperimentArm;
  challenger: ExperimentArm;
  shadow?: ShadowScores;
  /** The arms on an early harm label (e.g. 30+ days past due by month 3): the harm test reads these instead. */
  earlyHarm?: { champion: ExperimentArm; challenger: ExperimentArm };
  state?: ExperimentState;
}

export interface ShadowStatistics {
  digest: string;
  delong: DeLongResult;
  brier: PairedBrierResult;
  calibration: { champion: CalibrationInTheLarge; challenger: CalibrationInTheLarge };
}

export interface ExperimentStatistics {
  champion: ExperimentArm;
  challenger: ExperimentArm;
  /** The design: fixed-horizon units (default rate; null for AUC) and maximum information (units, or defaults for AUC). */
  design: { fixedHorizonUnits: number | null; inflation: number; maxInformation: number; plannedFractions: number[] };
  harm: HarmTestResult | null;
  /** The gates of the harm test when it reads the early label (its own minimum data and label completeness). */
  earlyHarm: { champion: ExperimentArm; challenger: ExperimentArm; dataQuality: DataQuality } | null;
  efficacy: EfficacyLook | null;
  shadow: ShadowStatistics | null;
}

export type ExperimentVerdict = Verdict<ExperimentDecision, ExperimentStatistics, ExperimentState>;

function designOf(plan: ExperimentPlan): ExperimentStatistics['design'] {
  const design = plannedDesign(efficacySettings(plan));
  const base = { inflation: design.inflation, plannedFractions: design.fractions };
  // AUC: the plan states its maximum in defaults (sized by the owner of the experiment for the AUC gain wanted).
  if (plan.primaryMetric === 'auc') return { ...base, fixedHorizonUnits: null, maxInformation: plan.plannedDefaults! };
  const fixed = fixedHorizonUnits({ ...plannedRates(plan), alpha: plan.efficacy.alpha, power: plan.efficacy.power });
  const maxInformation = rateUnitsForDrift(design.plannedDrift, { ...plannedRates(plan), statistic: plan.efficacy.statistic });
  return { ...base, inflation: maxInformation / fixed, fixedHorizonUnits: fixed, maxInformation };
}

function plannedRates(plan: ExperimentPlan): { championRate: number; challengerRate: number; challengerShare: number } {
  return { championRate: plan.championDefaultRate, challengerRate: plan.championDefaultRate - plan.minimumDetectableEffect!, challengerShare: plan.challengerShare };
}

/**
 * The efficacy settings of the looks: the plan's, with the z's SD under the planned effect (default rate), so the
 * maximum sample gives the planned power for the statistic actually used.
 */
function efficacySettings(plan: ExperimentPlan): EfficacySettings {
  if (plan.primaryMetric === 'auc') return { ...plan.efficacy, alternativeSd: 1 };
  return { ...plan.efficacy, alternativeSd: rateStatisticScale({ ...plannedRates(plan), statistic: plan.efficacy.statistic }).alternativeSd };
}

function shadowStatistics(shadow: ShadowScores): ShadowStatistics {
  const { labels, champion, challenger } = shadow;
  return {
    digest: digestColumns({ labels, champion, challenger }),
    delong: pairedDeLong(champion, challenger, labels),
    brier: pairedBrier(champion, challenger, labels),
    calibration: { champion: calibrationInTheLarge(champion, labels), challenger: calibrationInTheLarge(challenger, labels) },
  };
}

export function judgeExperimentLook(input: ExperimentLookInput): ExperimentVerdict {
  const plan = experimentPlanSchema.parse(input.plan);
  const { champion, challenger, shadow } = input;
  const previous: ExperimentState = input.state ?? { efficacyFractions: [], looks: 0, minHarmPValue: 1 };
  const design = designOf(plan);
  const dq = plan.dataQuality;
  const championCounts: ArmCounts = { units: champion.labelled, events: champion.defaults };
  const challengerCounts: ArmCounts = { units: challenger.labelled, events: challenger.defaults };
  const shadowCases = shadow ? shadow.labels.reduce((sum, y) => sum + y, 0) : 0;
  const information = plan.primaryMetric === 'auc' ? shadowCases : champion.labelled + challenger.labelled;
  const informationFraction = information / design.maxInformation;
  const index = previous.looks + 1;
  const samples = { champion: champion.labelled, challenger: challenger.labelled };
  const split = plan.assignment === 'split';

  // A shadow sees `share` of the requests the champion sees: its expected part of all captured is share / (1 + share).
  const expectedShare = split ? plan.challengerShare : plan.challengerShare / (1 + plan.challengerShare);
  const sampleRatio = sampleRatioMismatch(champion.assigned, challenger.assigned, expectedShare, dq.srmPValue);
  const arms: Record<string, ArmCounts> = { champion: championCounts, challenger: challengerCounts };
  if (plan.primaryMetric === 'auc') arms['shadow-scored'] = { units: shadow?.labels.length ?? 0, events: shadowCases };
  const minimum = minimumData(arms, dq);
  const labels = labelCompleteness({ champion, challenger }, dq.minLabelCompleteness);
  const dataQuality: DataQuality = { sampleRatio, minimumData: minimum, labelCompleteness: labels, passed: sampleRatio.passed && minimum.passed && labels.passed };
  const statistics: ExperimentStatistics = { champion, challenger, design, harm: null, earlyHarm: null, efficacy: null, shadow: null };
  const waiting = (why: string): ExperimentVerdict => ({
    decision: 'wait',
    reason: `Waiting: ${why}; no statistical verdict yet.`,
    look: { index, informationFraction, samples, statistic: null, bound: null, alphaSpent: 0 },
    dataQuality,
    sufficientStatistics: statistics,
    state: { efficacyFractions: previous.efficacyFractions, looks: index, minHarmPValue: previous.minHarmPValue },
  });
  if (!sampleRatio.passed) {
    return waiting(`the assignment split is off (challenger ${percent(sampleRatio.observedShare ?? 0)} against ${percent(expectedShare)} planned, SRM p = ${pValue(sampleRatio.pValue ?? 0)} < ${dq.srmPValue})`);
  }

  // Harm: the arms it reads (the early label's, when given) must pass their own gates; SRM is common to both.
  const early = split && input.earlyHarm ? input.earlyHarm : undefined;
  const earlyGates = early ? earlyHarmGates(early, plan, sampleRatio) : undefined;
  if (early && earlyGates) statistics.earlyHarm = { ...early, dataQuality: earlyGates };
  const harmReady = split && (earlyGates ? earlyGates.passed : dataQuality.passed);
  const harmCounts = early
    ? { champion: { units: early.champion.labelled, events: early.champion.defaults }, challenger: { units: early.challenger.labelled, events: early.challenger.defaults } }
    : { champion: championCounts, challenger: challengerCounts };
  const plannedUnits = plan.primaryMetric === 'auc' ? plan.plannedDefaults! / plan.championDefaultRate : design.maxInformation;
  const harm = harmReady ? harmTest(harmCounts.champion, harmCounts.challenger, { alpha: plan.harm.alpha, margin: plan.harm.margin, tuningUnits: plan.harm.tuningFraction * plannedUnits }) : null;
  statistics.harm = harm;
  const minHarmPValue = harm ? Math.min(previous.minHarmPValue, harm.alwaysValidPValue) : previous.minHarmPValue;
  const harmLabel = early ? ' on the early harm label' : '';
  const rateOf = (arm: ArmCounts) => arm.events / arm.units;
  const harmRates = `challenger default rate${harmLabel} ${percent(rateOf(harmCounts.challenger))} against champion ${percent(rateOf(harmCounts.champion))} (${points(rateOf(harmCounts.challenger) - rateOf(harmCounts.champion))})`;

  if (harm?.harmful) {
    return {
      decision: 'stop-harm',
      reason: `Stop for harm: ${harmRates}; harm z ${fixed(harm.z)} reached the always-valid bound ${fixed(harm.zBoundary)} (p ${pValue(minHarmPValue)} < α ${plan.harm.alpha}) after ${count(harmCounts.challenger.units)} challenger and ${count(harmCounts.champion.units)} champion labelled applications.`,
      look: { index, informationFraction, samples, statistic: harm.z, bound: harm.zBoundary, alphaSpent: plan.harm.alpha },
      dataQuality,
      sufficientStatistics: statistics,
      state: { efficacyFractions: previous.efficacyFractions, looks: index, minHarmPValue },
    };
  }
  const noHarm = harm ? `no harm${harmLabel} (z ${fixed(harm.z)} below ${fixed(harm.zBoundary)})` : split ? '' : 'the shadow decides nothing, so there is no harm to test';

  if (!dataQuality.passed) {
    const why = !labels.passed
      ? `labels are incomplete (${Object.entries(labels.completeness).map(([arm, c]) => `${arm} ${percent(c, 1)}`).join(', ')} joined; needs ${percent(dq.minLabelCompleteness, 0)})`
      : `too little data (${minimum.shortfalls.join('; ')})`;
    const verdict = waiting(`${why}${harm ? `; so far ${noHarm}` : ''}`);
    return harm ? { ...verdict, look: { ...verdict.look, statistic: harm.z, bound: harm.zBoundary, alphaSpent: plan.harm.alpha }, state: { ...verdict.state, minHarmPValue } } : verdict;
  }

  const shadowStats = shadow ? shadowStatistics(shadow) : null;
  statistics.shadow = shadowStats;
  const rateA = champion.defaults / champion.labelled;
  const rateB = challenger.defaults / challenger.labelled;
  const rates = `challenger default rate ${percent(rateB)} against champion ${percent(rateA)} (${points(rateB - rateA)})`;
  const sampleText = split
    ? `${count(challenger.labelled)} challenger and ${count(champion.labelled)} champion labelled applications`
    : `${count(shadow?.labels.length ?? 0)} labelled applications scored by both`;
  const { z, metricText } = primaryStatistic(plan, championCounts, challengerCounts, shadowStats, rates);

  const notPlanned = !isPlannedLook(informationFraction, previous.efficacyFractions.length, plan.efficacy.looks);
  if (notPlanned) {
    const next = (previous.efficacyFractions.length + 1) / plan.efficacy.looks;
    return {
      decision: 'continue',
      reason: `Continue: ${plan.primaryMetric === 'auc' ? metricText : rates}; ${noHarm}; next efficacy look at ${percent(next, 0)} of the planned information, now ${percent(informationFraction, 1)}.`,
      look: { index, informationFraction, samples, statistic: harm ? harm.z : null, bound: harm ? harm.zBoundary : null, alphaSpent: harm ? plan.harm.alpha : 0 },
      dataQuality,
      sufficientStatistics: statistics,
      state: { efficacyFractions: previous.efficacyFractions, looks: index, minHarmPValue },
    };
  }

  const efficacy = efficacyLook(z, informationFraction, previous.efficacyFractions, efficacySettings(plan));
  statistics.efficacy = efficacy;
  const state: ExperimentState = {
    efficacyFractions: efficacy.final ? [...previous.efficacyFractions, 1] : [...previous.efficacyFractions, efficacy.fraction],
    looks: index,
    minHarmPValue,
  };
  const lookText = `efficacy look ${efficacy.index} of ${plan.efficacy.looks} at ${percent(efficacy.fraction, 0)} information, α spent ${fixed(efficacy.alphaSpent, 4)}`;
  const decided = (decision: ExperimentDecision, reason: string): ExperimentVerdict => ({
    decision,
    reason,
    look: { index, informationFraction, samples, statistic: z, bound: efficacy.bound, alphaSpent: efficacy.alphaSpent },
    dataQuality,
    sufficientStatistics: statistics,
    state,
  });
  switch (efficacy.outcome) {
    case 'challenger-better':
      return decided('challenger-wins', `Challenger wins: ${metricText}; z ${fixed(z)} ≥ bound ${fixed(efficacy.bound)} (${lookText}) after ${sampleText}.`);
    case 'challenger-worse':
      return decided('keep-champion', `Keep champion: the challenger is worse, ${metricText}; z ${fixed(z)} ≤ −${fixed(efficacy.bound)} (${lookText}) after ${sampleText}.`);
    case 'futility':
      return decided('keep-champion', `Keep champion: futility, ${metricText}; z ${fixed(z)} below the futility bound ${fixed(efficacy.futilityBound ?? 0)} (${lookText}) after ${sampleText}.`);
    case 'no-difference':
      return decided('keep-champion', `Keep champion: no detectable difference at the maximum sample, ${metricText}; z ${fixed(z)} below ${fixed(efficacy.bound)} (${lookText}) after ${sampleText}.`);
    case 'continue':
      return decided('continue', `Continue: ${metricText}; z ${fixed(z)} inside ±${fixed(efficacy.bound)} (${lookText}) after ${sampleText}.`);
  }
}

/** The harm test's own gates on the early label's arms: minimum data and label completeness (SRM is common). */
function earlyHarmGates(early: { champion: ExperimentArm; challenger: ExperimentArm }, plan: ExperimentPlan, sampleRatio: SampleRatioCheck): DataQuality {
  const dq = plan.dataQuality;
  const minimum = minimumData({ champion: { units: early.champion.labelled, events: early.champion.defaults }, challenger: { units: early.challenger.labelled, events: early.challenger.defaults } }, dq);
  const labels = labelCompleteness(early, dq.minLabelCompleteness);
  return { sampleRatio, minimumData: minimum, labelCompleteness: labels, passed: sampleRatio.passed && minimum.passed && labels.passed };
}

/** The efficacy z (positive: challenger better) of the primary metric, and its sentence. */
function primaryStatistic(
  plan: ExperimentPlan,
  champion: ArmCounts,
  challenger: ArmCounts,
  shadow: ShadowStatistics | null,
  rates: string,
): { z: number; metricText: string } {
  if (plan.primaryMetric === 'auc') {
    if (!shadow) throw new RangeError('an AUC experiment needs shadow scores at every look');
    const d = shadow.delong;
    return { z: d.z, metricText: `challenger AUC ${fixed(d.challengerAuc, 4)} against champion ${fixed(d.championAuc, 4)} (paired DeLong, ${count(d.cases)} defaults)` };
  }
  return { z: rateZ(champion, challenger, plan.efficacy.statistic), metricText: rates };
}

