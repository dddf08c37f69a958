/**
 * One look at a canary: the canary (new variant) against the champion (old variant) on a metric where higher is
 * worse (errors, latency-SLO misses per invocation). Data-quality gates first, then the always-valid harm test;
 * the canary passes when it reaches its planned units (or its non-inferiority margin) with no harm detected.
 */
import { type ArmCounts, minimumData, sampleRatioMismatch } from './data-quality';
import { count, fixed, percent, points, pValue } from './format';
import { harmTest, type HarmTestResult } from './mixture-sprt';
import { type CanaryPlan, type CanaryPlanInput, canaryPlanSchema } from './plan';
import type { DataQuality, Verdict } from './verdict';

export type CanaryDecision = 'continue' | 'pass' | 'rollback' | 'wait';

/** Carried from look to look. */
export interface CanaryState {
  looks: number;
  /** Running minimum of the always-valid p-value (1 before any test). */
  minAlwaysValidPValue: number;
}

export interface CanaryLookInput {
  plan: CanaryPlanInput;
  /** Cumulative counts since the canary started. */
  champion: ArmCounts;
  canary: ArmCounts;
  /** The canary's expected share of all invocations so far (from the traffic steps); omitted: no SRM check. */
  expectedCanaryShare?: number;
  state?: CanaryState;
}

export interface CanaryStatistics {
  champion: ArmCounts;
  canary: ArmCounts;
  plannedUnits: number;
  harm: HarmTestResult | null;
}

export type CanaryVerdict = Verdict<CanaryDecision, CanaryStatistics, CanaryState>;

export function judgeCanaryLook(input: CanaryLookInput): CanaryVerdict {
  const plan: CanaryPlan = canaryPlanSchema.parse(input.plan);
  const { champion, canary } = input;
  const previous = input.state ?? { looks: 0, minAlwaysValidPValue: 1 };
  const units = champion.units + canary.units;
  const informationFraction = units / plan.plannedUnits;
  const dq = plan.dataQuality;
  const sampleRatio = sampleRatioMismatch(champion.units, canary.units, input.expectedCanaryShare, dq.srmPValue);
  const minimum = minimumData({ champion, canary }, dq);
  const dataQuality: DataQuality = { sampleRatio, minimumData: minimum, passed: sampleRatio.passed && minimum.passed };
  const samples = { champion: champion.units, challenger: canary.units };
  const index = previous.looks + 1;

  if (!dataQuality.passed) {
    const why = !sampleRatio.passed
      ? `the traffic split is off (canary share ${percent(sampleRatio.observedShare ?? 0)} against ${percent(sampleRatio.expectedShare ?? 0)} planned, SRM p = ${pValue(sampleRatio.pValue ?? 0)} < ${dq.srmPValue})`
      : `too little data (${minimum.shortfalls.join('; ')})`;
    // Past the plan with too few events: the test cannot judge; extending the canary (or the SLO breaker) must.
    const next = units >= plan.plannedUnits ? 'the planned invocations are reached, so extend the canary or rely on the SLO breaker' : 'no statistical verdict yet';
    return {
      decision: 'wait',
      reason: `Waiting: ${why}; ${next}.`,
      look: { index, informationFraction, samples, statistic: null, bound: null, alphaSpent: 0 },
      dataQuality,
      sufficientStatistics: { champion, canary, plannedUnits: plan.plannedUnits, harm: null },
      state: { looks: index, minAlwaysValidPValue: previous.minAlwaysValidPValue },
    };
  }

  const harm = harmTest(champion, canary, { alpha: plan.harm.alpha, margin: plan.harm.margin, tuningUnits: plan.harm.tuningFraction * plan.plannedUnits });
  const minP = Math.min(previous.minAlwaysValidPValue, harm.alwaysValidPValue);
  const rates = `canary ${plan.metric} rate ${percent(canary.events / canary.units)} against champion ${percent(champion.events / champion.units)} (${points(harm.difference)})`;
  const sampleText = `${count(canary.units)} canary and ${count(champion.units)} champion invocations`;
  const look = { index, informationFraction, samples, statistic: harm.z, bound: harm.zBoundary, alphaSpent: plan.harm.alpha };
  const base = { look, dataQuality, sufficientStatistics: { champion, canary, plannedUnits: plan.plannedUnits, harm }, state: { looks: index, minAlwaysValidPValue: minP } };

  if (harm.harmful) {
    return {
      decision: 'rollback',
      ...base,
      reason: `Roll back: ${rates}; harm z ${fixed(harm.z)} reached the always-valid bound ${fixed(harm.zBoundary)} (p ${pValue(minP)} < α ${plan.harm.alpha}) after ${sampleText}.`,
    };
  }
  const cs = harm.confidenceSequence;
  if (plan.nonInferiorityMargin !== undefined && cs.upper < plan.nonInferiorityMargin) {
    return {
      decision: 'pass',
      ...base,
      reason: `Pass: ${rates}; the excess is at most ${points(cs.upper)} (always-valid bound), inside the non-inferiority margin ${points(plan.nonInferiorityMargin)}, after ${sampleText}.`,
    };
  }
  if (units >= plan.plannedUnits) {
    return {
      decision: 'pass',
      ...base,
      reason: `Pass: ${rates}; no harm detected (z ${fixed(harm.z)} below the bound ${fixed(harm.zBoundary)}) at the planned ${count(plan.plannedUnits)} invocations.`,
    };
  }
  return {
    decision: 'continue',
    ...base,
    reason: `Continue: ${rates}; z ${fixed(harm.z)} below the bound ${fixed(harm.zBoundary)}, ${percent(informationFraction, 0)} of the planned ${count(plan.plannedUnits)} invocations seen.`,
  };
}

/** One guardrail metric's counts at a look: units (invocations) and events (errors, latency-SLO misses) per fleet. */
export interface CanaryMetricCounts {
  /** What counts as an event, as the reasons name it: `errors`, `latency-SLO misses`. */
  metric: string;
  champion: ArmCounts;
  canary: ArmCounts;
  state?: CanaryState;
}

export interface CanaryGuardrailsInput {
  /** The plan every metric shares; its harm α is the family's, split evenly over the metrics (Bonferroni). */
  plan: CanaryPlanInput;
  /** The guardrail metrics, primary first (its verdict decides a pass). */
  metrics: CanaryMetricCounts[];
  expectedCanaryShare?: number;
}

export interface CanaryMetricVerdict {
  metric: string;
  /** The harm test's level for this metric: the family α over the number of metrics. */
  alpha: number;
  verdict: CanaryVerdict;
}

export interface CanaryGuardrailsVerdict {
  decision: CanaryDecision;
  reason: string;
  /** Index into `metrics` of the metric whose verdict gave the decision. */
  decisive: number;
  metrics: CanaryMetricVerdict[];
}

/** Harm first, whatever the other metrics' data gates say; then any wait, then any continue; pass only when all pass. */
const PRECEDENCE: readonly CanaryDecision[] = ['rollback', 'wait', 'continue', 'pass'];

/**
 * The decision over several guardrail metrics' decisions and the index of the one that gave it (the first of that
 * decision): a rollback on any metric rolls back at once; else the canary waits while any metric waits, continues
 * while any continues, and passes only when every metric passes.
 */
export function combineCanaryDecisions(decisions: readonly CanaryDecision[]): { decision: CanaryDecision; decisive: number } {
  if (decisions.length === 0) throw new Error('combineCanaryDecisions: no metric to combine');
  for (const decision of PRECEDENCE) {
    const decisive = decisions.indexOf(decision);
    if (decisive >= 0) return { decision, decisive };
  }
  throw new Error(`combineCanaryDecisions: unknown decisions ${decisions.join(', ')}`);
}

/**
 * One look at a canary on several guardrail metrics (reference/judge.md §6.3: "Several guardrail metrics: Holm or
 * Bonferroni on α"). Each metric gets the always-valid harm test at α/m, so the chance that any healthy metric rolls
 * the canary back stays at most α; Bonferroni rather than Holm because a sequential harm test has no fixed p-values
 * to order across looks. With one metric this is `judgeCanaryLook` itself, at the whole α.
 */
export function judgeCanaryGuardrails(input: CanaryGuardrailsInput): CanaryGuardrailsVerdict {
  const plan = canaryPlanSchema.parse(input.plan);
  const alpha = plan.harm.alpha / input.metrics.length;
  const metrics = input.metrics.map((m): CanaryMetricVerdict => {
    const verdict = judgeCanaryLook({
      plan: { ...plan, metric: m.metric, harm: { ...plan.harm, alpha } },
      champion: m.champion,
      canary: m.canary,
      ...(input.expectedCanaryShare !== undefined ? { expectedCanaryShare: input.expectedCanaryShare } : {}),
      ...(m.state ? { state: m.state } : {}),
    });
    return { metric: m.metric, alpha, verdict };
  });
  const { decision, decisive } = combineCanaryDecisions(metrics.map((m) => m.verdict.decision));
  const others = metrics.filter((_, i) => i !== decisive).map((m) => `${m.metric} ${m.verdict.decision}`);
  const reason =
    metrics.length === 1
      ? metrics[0]!.verdict.reason
      : `${metrics[decisive]!.verdict.reason} Other guardrails: ${others.join(', ')} (each metric at α ${plan.harm.alpha}/${metrics.length}, Bonferroni).`;
  return { decision, reason, decisive, metrics };
}
