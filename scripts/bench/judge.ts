/**
 * `npm run bench:judge`: seeded simulations of the judge's decisions, written to bench-results/judge.json with a
 * short table. Every figure is a Monte Carlo estimate with its replications and standard error; the same seeds give
 * the same figures on every machine.
 *
 * Experiment (A/B): champion default rate 5%, planned effect 5% → 4%, challenger share 10%, two-sided α 0.05,
 * power 0.8 (reference/judge.md §6.2 table); the default design (10 Hwang–Shih–DeCani γ −2 looks on the arcsine z)
 * and the alternatives the plan can select. The judge is called every 2% of the maximum sample, as a scheduled job
 * would; its efficacy looks happen at the planned fractions.
 * Canary: 1,200 invocations a minute, canary weight 5% → 50% in 5% steps of one minute (reference §6.3), a look
 * every minute, harm α 0.01.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CanaryState, judgeCanaryLook } from '../../shared/judge/canary-look';
import { normalQuantile } from '../../shared/judge/distributions';
import { type ExperimentState, judgeExperimentLook } from '../../shared/judge/experiment-look';
import { equalFractions, planDesign } from '../../shared/judge/group-sequential';
import { mixtureTuningConstant, mixtureZBoundary } from '../../shared/judge/mixture-sprt';
import { type CanaryPlanInput, type ExperimentPlanInput, experimentPlanSchema } from '../../shared/judge/plan';
import { planOf } from '../../shared/experiment-judge/experiment-judge';
import { DEFAULT_POLICY } from '../../shared/lifecycle/policy';
import { seededRandom } from '../../shared/judge/random';
import { rateUnitsForDrift } from '../../shared/judge/rate-statistic';
import { fixedHorizonUnits } from '../../shared/judge/sample-size';
import { binomial, binormalPairedScores, standardNormal } from '../../shared/judge/simulate';

const root = resolve(__dirname, '../..');
const replications = Number(process.env['JUDGE_BENCH_REPLICATIONS'] ?? 10000);
/** DeLong runs sort thousands of scores per look: fewer replications (the reference used 300–600). */
const aucReplications = Math.max(50, Math.round(replications / 25));

interface Rate {
  rate: number;
  standardError: number;
  replications: number;
}

function rate(hits: number, n: number): Rate {
  const p = hits / n;
  return { rate: p, standardError: Math.sqrt((p * (1 - p)) / n), replications: n };
}

// ---- Experiment --------------------------------------------------------------------------------------------------

const experimentPlan: ExperimentPlanInput = { championDefaultRate: 0.05, minimumDetectableEffect: 0.01, challengerShare: 0.1 };
const CALL_EVERY = 0.02;

interface ExperimentRun {
  /** The decision, with the efficacy outcome behind a keep-champion (worse, futility, no-difference). */
  decision: string;
  units: number;
}

function runExperiment(plan: ExperimentPlanInput, seed: number, challengerRate: number, maxUnits: number): ExperimentRun {
  const random = seededRandom(seed);
  const champion = { assigned: 0, matured: 0, labelled: 0, defaults: 0 };
  const challenger = { assigned: 0, matured: 0, labelled: 0, defaults: 0 };
  let state: ExperimentState | undefined;
  for (let call = 1; ; call += 1) {
    // Labelled units at this call; the split is deterministic (reference Appendix A), outcomes are drawn.
    const total = Math.ceil(Math.min(call * CALL_EVERY, 1) * maxUnits);
    const challengerTotal = Math.round(total * 0.1);
    const newChallenger = challengerTotal - challenger.labelled;
    const newChampion = total - challengerTotal - champion.labelled;
    challenger.defaults += binomial(random, newChallenger, challengerRate);
    champion.defaults += binomial(random, newChampion, 0.05);
    for (const [arm, added] of [[challenger, newChallenger], [champion, newChampion]] as const) {
      arm.assigned += added;
      arm.matured += added;
      arm.labelled += added;
    }
    const verdict = judgeExperimentLook({ plan, champion: { ...champion }, challenger: { ...challenger }, state });
    state = verdict.state;
    if (verdict.decision === 'keep-champion') return { decision: `keep-champion (${verdict.sufficientStatistics.efficacy?.outcome})`, units: total };
    if (verdict.decision !== 'continue' && verdict.decision !== 'wait') return { decision: verdict.decision, units: total };
    if (total >= maxUnits) return { decision: verdict.decision, units: total };
  }
}

function experimentScenario(plan: ExperimentPlanInput, name: string, challengerRate: number, seedBase: number, fixedUnits: number) {
  const maxUnits = maxSample(plan);
  const counts: Record<string, number> = {};
  let unitsSum = 0;
  let unitsSquares = 0;
  for (let r = 0; r < replications; r += 1) {
    const run = runExperiment(plan, seedBase + r, challengerRate, maxUnits);
    counts[run.decision] = (counts[run.decision] ?? 0) + 1;
    unitsSum += run.units;
    unitsSquares += run.units ** 2;
  }
  const meanUnits = unitsSum / replications;
  const sdUnits = Math.sqrt(Math.max(unitsSquares / replications - meanUnits ** 2, 0));
  const falsePositives = (counts['challenger-wins'] ?? 0) + (counts['keep-champion (challenger-worse)'] ?? 0);
  return {
    name,
    boundary: plan.efficacy?.boundary ?? 'hwang-shih-decani',
    challengerRate,
    replications,
    /** Either efficacy crossing ("a difference exists"): the false-positive rate when there is none. */
    efficacyRejection: rate(falsePositives, replications),
    /** The switch side alone (challenger-wins): its level is α/2 = 0.025; under an effect, the power. */
    challengerWins: rate(counts['challenger-wins'] ?? 0, replications),
    decisions: counts,
    meanSamplesToDecision: meanUnits,
    samplesToDecisionRatio: meanUnits / fixedUnits,
    samplesToDecisionRatioStandardError: sdUnits / Math.sqrt(replications) / fixedUnits,
  };
}

// ---- AUC inside the group-sequential design -----------------------------------------------------------------------

/** reference §6.4: AUC 0.75 against 0.77, 5% defaults, score correlation 0.8, ~600 defaults (n ≈ 12,000), K = 5. */
const AUC_DEFAULTS = 600;
const aucPlan: ExperimentPlanInput = { primaryMetric: 'auc', plannedDefaults: AUC_DEFAULTS, championDefaultRate: 0.05, efficacy: { looks: 5 } };

/**
 * The plan a shadow test runs under, as the control plane builds it (decide rule 7 records it, the experiment judge
 * reads it): every request mirrored, the policy's defaults (600 planned defaults, 10 looks).
 */
const shadowPlan = planOf({
  version: 2,
  championVersion: 1,
  mode: 'shadow',
  sharePercent: 100,
  startedAt: '2026-11-01T00:00:00.000Z',
  endpointConfigName: 'bench',
  plan: { challengerShare: 1, championDefaultRate: 0.05, minimumDetectableEffect: DEFAULT_POLICY.experiment.minimumDetectableEffect, plannedDefaults: DEFAULT_POLICY.experiment.plannedDefaults },
});

/**
 * A shadow test pairs only applications both models would approve (shared/experiment-judge/arm-counts.ts): here a
 * score at or below 1 (default probability ≤ 0.12 on the scale below), which approves ~84 % of non-defaulters.
 */
const JOINT_APPROVAL_SCORE = 1;

/** The pool's applications that both models would approve, in order. */
function jointlyApproved(pool: { labels: number[]; champion: number[]; challenger: number[] }) {
  const keep = pool.labels.map((_, i) => i).filter((i) => pool.champion[i]! <= JOINT_APPROVAL_SCORE && pool.challenger[i]! <= JOINT_APPROVAL_SCORE);
  return { labels: keep.map((i) => pool.labels[i]!), champion: keep.map((i) => pool.champion[i]!), challenger: keep.map((i) => pool.challenger[i]!) };
}

function runAucExperiment(seed: number, challengerAuc: number, plan: ExperimentPlanInput, looks: number): { outcome: string; applications: number } {
  const random = seededRandom(seed);
  const shadowTest = plan.assignment === 'shadow';
  const drawn = binormalPairedScores(random, { size: shadowTest ? 60000 : 16000, defaultRate: 0.05, championAuc: 0.75, challengerAuc, correlation: 0.8 });
  const pool = shadowTest ? jointlyApproved(drawn) : drawn;
  // Scores as default probabilities (a monotone map: ranks, hence AUCs, unchanged).
  const probability = (s: number): number => 1 / (1 + Math.exp(-(s - 3)));
  const shadow = plan.assignment === 'shadow';
  let state: ExperimentState | undefined;
  let cases = 0;
  let end = 0;
  for (let look = 1; look <= looks; look += 1) {
    const target = Math.ceil((look / looks) * plan.plannedDefaults!);
    while (cases < target && end < pool.labels.length) cases += pool.labels[end++]!;
    const labels = pool.labels.slice(0, end);
    // Split: a 10 % challenger arm decides its applications; shadow: both score every one.
    const challengerUnits = shadow ? end : Math.round(end * 0.1);
    const challengerDefaults = shadow ? cases : labels.slice(0, challengerUnits).reduce((a, b) => a + b, 0);
    const arm = (units: number, defaults: number) => ({ assigned: units, matured: units, labelled: units, defaults });
    const verdict = judgeExperimentLook({
      plan,
      champion: shadow ? arm(end, cases) : arm(end - challengerUnits, cases - challengerDefaults),
      challenger: arm(challengerUnits, challengerDefaults),
      shadow: { labels, champion: pool.champion.slice(0, end).map(probability), challenger: pool.challenger.slice(0, end).map(probability) },
      state,
    });
    state = verdict.state;
    if (verdict.decision !== 'continue' && verdict.decision !== 'wait') return { outcome: verdict.sufficientStatistics.efficacy?.outcome ?? verdict.decision, applications: end };
  }
  return { outcome: 'undecided', applications: end };
}

function aucScenario(name: string, challengerAuc: number, seedBase: number, plan: ExperimentPlanInput = aucPlan, looks = 5) {
  const counts: Record<string, number> = {};
  let applications = 0;
  for (let r = 0; r < aucReplications; r += 1) {
    const run = runAucExperiment(seedBase + r, challengerAuc, plan, looks);
    counts[run.outcome] = (counts[run.outcome] ?? 0) + 1;
    applications += run.applications;
  }
  const rejections = (counts['challenger-better'] ?? 0) + (counts['challenger-worse'] ?? 0);
  return { name, challengerAuc, outcomes: counts, efficacyRejection: rate(rejections, aucReplications), meanApplicationsToDecision: applications / aucReplications };
}

/** The design's maximum labelled units, as the judge computes it (read from a first, empty look). */
function maxSample(plan: ExperimentPlanInput): number {
  const empty = { assigned: 0, matured: 0, labelled: 0, defaults: 0 };
  return judgeExperimentLook({ plan, champion: empty, challenger: empty }).sufficientStatistics.design.maxInformation;
}

// ---- Efficacy designs compared ----------------------------------------------------------------------------------

/** The designs measured beside the default: each is a plan option (plan.ts), with the reason it is not the default. */
const ALTERNATIVES: { name: string; efficacy: NonNullable<ExperimentPlanInput['efficacy']>; note: string }[] = [
  { name: 'previous default: pooled z, Lan–DeMets O\'Brien–Fleming, 5 looks', efficacy: { statistic: 'pooled', boundary: 'lan-demets-obf', looks: 5 }, note: 'smallest maximum, but slow: OBF spends almost nothing early' },
  { name: 'pooled z, Lan–DeMets Pocock, 5 looks', efficacy: { statistic: 'pooled', boundary: 'lan-demets-pocock', looks: 5 }, note: 'fast on large effects, 24% larger maximum, misses 0.8 at the planned effect' },
  { name: 'pooled z, Hwang–Shih–DeCani γ −1.5, 25 looks', efficacy: { statistic: 'pooled', boundary: 'hwang-shih-decani', spendingGamma: -1.5, looks: 25 }, note: 'the best pooled design: meets the targets by a hair with 25 looks and a 14% larger maximum; its null rejections lean to the challenger-worse side (skew of the small arm)' },
  { name: 'arcsine z, Lan–DeMets O\'Brien–Fleming, 5 looks', efficacy: { statistic: 'arcsine', boundary: 'lan-demets-obf', looks: 5 }, note: 'the statistic alone: 0.8 at the planned effect, not 0.5 at 1.5×' },
  { name: 'unpooled (Wald) z, Lan–DeMets O\'Brien–Fleming, 5 looks', efficacy: { statistic: 'unpooled', boundary: 'lan-demets-obf', looks: 5 }, note: 'the reference\'s statistic: about 0.033 on the switch side (0.025 planned) and power 0.79, from the small arm\'s variance estimate' },
];

function designComparison(name: string, efficacy: NonNullable<ExperimentPlanInput['efficacy']>, note: string, seedBase: number, fixedUnits: number) {
  const plan: ExperimentPlanInput = { ...experimentPlan, efficacy };
  const [aa, mde, large] = [
    experimentScenario(plan, 'null (5% vs 5%)', 0.05, seedBase, fixedUnits),
    experimentScenario(plan, 'planned effect (5% → 4%)', 0.04, seedBase + 1_000_000, fixedUnits),
    experimentScenario(plan, '1.5× planned effect (5% → 3.5%)', 0.035, seedBase + 2_000_000, fixedUnits),
  ];
  const maxUnits = maxSample(plan);
  return { name, note, plan, maxSampleN: maxUnits, summary: designSummary(aa, mde, large, maxUnits / fixedUnits), meetsAllTargets: meetsAllTargets(aa, mde, large), scenarios: [aa, mde, large] };
}

/** A design's figures from its three scenarios (no effect, the planned effect, 1.5× it). */
function designSummary(aa: Scenario, mde: Scenario, large: Scenario, maxOverFixed: number) {
  return {
    samplesToDecisionRatio: mde.samplesToDecisionRatio,
    samplesToDecisionRatioLargeEffect: large.samplesToDecisionRatio,
    aaFalsePositiveRate: aa.efficacyRejection.rate,
    aaSwitchRate: aa.challengerWins.rate,
    power: mde.challengerWins.rate,
    nullSamplesRatio: aa.samplesToDecisionRatio,
    maxOverFixed,
  };
}

/**
 * The issue's targets for one design: the sample ratios at or below 0.8 and 0.5 as measured; the A/A rate at most
 * 0.05 and the power at least 0.8 within three standard errors (a design exactly at its nominal α and power lands on
 * either side of them by chance).
 */
function meetsAllTargets(aa: Scenario, mde: Scenario, large: Scenario): boolean {
  return (
    mde.samplesToDecisionRatio <= 0.8 &&
    large.samplesToDecisionRatio <= 0.5 &&
    aa.efficacyRejection.rate <= 0.05 + 3 * aa.efficacyRejection.standardError &&
    mde.challengerWins.rate >= 0.8 - 3 * mde.challengerWins.standardError
  );
}

/**
 * The hybrid the issue suggested, in the unit-variance model (Z(t) = W(t)/√t + drift·√t, checked every 2% of N_max):
 * a two-sided mixture SPRT at α₁ (tuned at a fraction of N_fixed) beside Hwang–Shih–DeCani γ −2 looks at α − α₁,
 * N_max sized for power 0.8. Not a plan option: it loses to the group-sequential test alone at the planned effect.
 */
function hybridMixtureSprt(sprtAlpha: number, tuningFraction: number, runs: number, seedBase: number) {
  const looks = 10;
  const design = planDesign({ fractions: equalFractions(looks), sideAlpha: (0.05 - sprtAlpha) / 2, power: 0.8, family: 'hwang-shih-decani', gamma: -2, futility: false });
  const inflation = (design.plannedDrift / (normalQuantile(0.975) + normalQuantile(0.8))) ** 2;
  const step = 0.02;
  const run = (random: () => number, drift: number): { fraction: number; switched: boolean; rejected: boolean } => {
    let path = 0;
    let look = 0;
    for (let i = 1; i <= 1 / step + 1e-9; i += 1) {
      const t = i * step;
      path += Math.sqrt(step) * standardNormal(random);
      const z = path / Math.sqrt(t) + drift * Math.sqrt(t);
      const sprtBound = sprtAlpha > 0 ? mixtureZBoundary(sprtAlpha, (mixtureTuningConstant(sprtAlpha) * t * inflation) / tuningFraction) : Infinity;
      const lookBound = look < looks && t >= design.fractions[look]! - 1e-9 ? design.efficacy[look++]! : Infinity;
      if (Math.abs(z) >= Math.min(sprtBound, lookBound)) return { fraction: t, switched: z > 0, rejected: true };
    }
    return { fraction: 1, switched: false, rejected: false };
  };
  const scenario = (name: string, multiple: number, seed: number) => {
    const random = seededRandom(seed);
    let fractions = 0;
    let switches = 0;
    let rejections = 0;
    for (let r = 0; r < runs; r += 1) {
      const result = run(random, multiple * design.plannedDrift);
      fractions += result.fraction;
      if (result.switched) switches += 1;
      if (result.rejected) rejections += 1;
    }
    return { name, samplesToDecisionRatio: (fractions / runs) * inflation, challengerWins: rate(switches, runs), efficacyRejection: rate(rejections, runs) };
  };
  return {
    name:
      sprtAlpha > 0
        ? `mixture SPRT α ${sprtAlpha} (tuned at ${tuningFraction}·N_fixed) + HSD γ −2, 10 looks at α ${(0.05 - sprtAlpha).toFixed(2)}`
        : 'no mixture SPRT: HSD γ −2, 10 looks at α 0.05',
    model: 'unit-variance Brownian motion (not the judge)',
    maxOverFixed: inflation,
    scenarios: [scenario('null', 0, seedBase), scenario('planned effect', 1, seedBase + 1), scenario('1.5× planned effect', 1.5, seedBase + 2)],
  };
}

// ---- Canary ------------------------------------------------------------------------------------------------------

const PER_MINUTE = 1200;
const WEIGHTS = Array.from({ length: 10 }, (_, i) => (i + 1) * 0.05);
const canaryPlan: CanaryPlanInput = { metric: 'errors', plannedUnits: PER_MINUTE * WEIGHTS.length };

function runCanary(seed: number, championRate: number, canaryRate: number): { decision: string; minute: number } {
  const random = seededRandom(seed);
  const champion = { units: 0, events: 0 };
  const canary = { units: 0, events: 0 };
  let state: CanaryState | undefined;
  let last = 'continue';
  for (const [minute, weight] of WEIGHTS.entries()) {
    const canaryUnits = Math.round(PER_MINUTE * weight);
    canary.units += canaryUnits;
    canary.events += binomial(random, canaryUnits, canaryRate);
    champion.units += PER_MINUTE - canaryUnits;
    champion.events += binomial(random, PER_MINUTE - canaryUnits, championRate);
    const expectedCanaryShare = canary.units / (canary.units + champion.units);
    const verdict = judgeCanaryLook({ plan: canaryPlan, champion: { ...champion }, canary: { ...canary }, expectedCanaryShare, state });
    state = verdict.state;
    last = verdict.decision;
    if (verdict.decision === 'rollback' || verdict.decision === 'pass') return { decision: verdict.decision, minute: minute + 1 };
  }
  return { decision: last, minute: WEIGHTS.length };
}

function canaryScenario(name: string, championRate: number, canaryRate: number, seedBase: number, runs: number) {
  const counts: Record<string, number> = {};
  const rollbackMinutes: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const run = runCanary(seedBase + r, championRate, canaryRate);
    counts[run.decision] = (counts[run.decision] ?? 0) + 1;
    if (run.decision === 'rollback') rollbackMinutes.push(run.minute);
  }
  rollbackMinutes.sort((a, b) => a - b);
  return {
    name,
    championRate,
    canaryRate,
    decisions: counts,
    rollback: rate(counts['rollback'] ?? 0, runs),
    medianRollbackMinute: rollbackMinutes.length ? rollbackMinutes[Math.floor(rollbackMinutes.length / 2)]! : null,
  };
}

// ---- Report --------------------------------------------------------------------------------------------------------

interface Target {
  value: number;
  standardError: number;
  target: string;
  met: boolean;
  /** Met within three Monte Carlo standard errors (what the unit tests check). */
  metWithin3StandardErrors: boolean;
  replications: number;
}

function atMost(value: number, se: number, limit: number, n: number): Target {
  return { value, standardError: se, target: `≤ ${limit}`, met: value <= limit, metWithin3StandardErrors: value <= limit + 3 * se, replications: n };
}

function atLeast(value: number, se: number, limit: number, n: number): Target {
  return { value, standardError: se, target: `≥ ${limit}`, met: value >= limit, metWithin3StandardErrors: value >= limit - 3 * se, replications: n };
}

type Scenario = ReturnType<typeof experimentScenario>;

function targets(s: { aa: Scenario; mde: Scenario; large: Scenario; falseRollback: Rate; harm: Rate }): Record<string, Target> {
  return {
    samplesToDecisionRatio: atMost(s.mde.samplesToDecisionRatio, s.mde.samplesToDecisionRatioStandardError, 0.8, s.mde.replications),
    samplesToDecisionRatioLargeEffect: atMost(s.large.samplesToDecisionRatio, s.large.samplesToDecisionRatioStandardError, 0.5, s.large.replications),
    aaFalsePositiveRate: atMost(s.aa.efficacyRejection.rate, s.aa.efficacyRejection.standardError, 0.05, s.aa.replications),
    falseRollbackRate: atMost(s.falseRollback.rate, s.falseRollback.standardError, 0.02, s.falseRollback.replications),
    harmDetectionRate: atLeast(s.harm.rate, s.harm.standardError, 0.95, s.harm.replications),
  };
}

function printTable(
  all: Record<string, Target>,
  designs: ReturnType<typeof designComparison>[],
  hybrids: ReturnType<typeof hybridMixtureSprt>[],
  futility: Scenario[],
  auc: ReturnType<typeof aucScenario>[],
  seconds: number,
): void {
  const rows = Object.entries(all).map(([name, t]) => ({
    figure: name,
    value: t.value.toFixed(4),
    '± SE': t.standardError.toFixed(4),
    target: t.target,
    met: t.met ? 'yes' : t.metWithin3StandardErrors ? 'within 3 SE' : 'NO',
    replications: t.replications,
  }));
  console.log('Judge bench (default plan: arcsine z, Hwang–Shih–DeCani γ −2, 10 looks; harm α 0.01)');
  console.table(rows);
  console.log('Efficacy designs (N/N_fixed at the planned effect and 1.5× it, A/A both sides and switch side, power, N_max/N_fixed):');
  console.table(
    designs.map((d) => ({
      design: d.name,
      'E[N] MDE': d.summary.samplesToDecisionRatio.toFixed(3),
      'E[N] 1.5×': d.summary.samplesToDecisionRatioLargeEffect.toFixed(3),
      'A/A': d.summary.aaFalsePositiveRate.toFixed(4),
      'A/A switch': d.summary.aaSwitchRate.toFixed(4),
      power: d.summary.power.toFixed(3),
      'N_max': d.summary.maxOverFixed.toFixed(3),
      'all met': d.meetsAllTargets ? 'yes' : 'no',
    })),
  );
  console.log(
    `Hybrid mixture SPRT + group-sequential (unit-variance model, E[N]/N_fixed at the planned effect, 1.5×): ${hybrids
      .map((h) => `${h.name}: ${h.scenarios[1]!.samplesToDecisionRatio.toFixed(3)}, ${h.scenarios[2]!.samplesToDecisionRatio.toFixed(3)}`)
      .join('; ')}.`,
  );
  console.log(
    `Futility option: samples to decision ${futility.map((s) => `${s.name} ${s.samplesToDecisionRatio.toFixed(3)}`).join(', ')}; ` +
      `efficacy rejections under the null ${futility[0]!.efficacyRejection.rate.toFixed(4)}, power ${futility[1]!.efficacyRejection.rate.toFixed(3)}.`,
  );
  console.log(`Paired DeLong in the design (${auc[0]!.efficacyRejection.replications} replications): ${auc.map((s) => `${s.name}: rejects ${s.efficacyRejection.rate.toFixed(3)}, ${Math.round(s.meanApplicationsToDecision)} applications`).join('; ')}.`);
  console.log(`Wrote bench-results/judge.json in ${seconds.toFixed(1)} s.`);
}

// ---- Main --------------------------------------------------------------------------------------------------------

function main(): void {
  const started = Date.now();
  const fixedUnits = fixedHorizonUnits({ championRate: 0.05, challengerRate: 0.04, challengerShare: 0.1, alpha: 0.05, power: 0.8 });
  const maxUnits = maxSample(experimentPlan);
  const aa = experimentScenario(experimentPlan, 'null (5% vs 5%)', 0.05, 1_000_000, fixedUnits);
  const mde = experimentScenario(experimentPlan, 'planned effect (5% → 4%)', 0.04, 2_000_000, fixedUnits);
  const large = experimentScenario(experimentPlan, '1.5× planned effect (5% → 3.5%)', 0.035, 3_000_000, fixedUnits);
  // The arcsine test's own fixed horizon (one look, same α and power): the sequential saving net of the statistic's.
  const arcsineFixedUnits = rateUnitsForDrift(normalQuantile(0.975) + normalQuantile(0.8), { championRate: 0.05, challengerRate: 0.04, challengerShare: 0.1, statistic: 'arcsine' });
  const defaultDesign = {
    name: 'default: arcsine z, Hwang–Shih–DeCani γ −2, 10 looks',
    note: 'meets every target',
    plan: experimentPlan,
    maxSampleN: maxUnits,
    summary: designSummary(aa, mde, large, maxUnits / fixedUnits),
    meetsAllTargets: meetsAllTargets(aa, mde, large),
    scenarios: [aa, mde, large],
  };
  const alternatives = ALTERNATIVES.map((a, i) => designComparison(a.name, a.efficacy, a.note, 40_000_000 + i * 3_000_000, fixedUnits));
  const pocock = alternatives[1]!;

  // Non-binding futility (β-spending): ends null experiments early at the price of a larger maximum.
  const futilityPlan: ExperimentPlanInput = { ...experimentPlan, efficacy: { futility: true } };
  const futility = [
    experimentScenario(futilityPlan, 'null (5% vs 5%)', 0.05, 7_000_000, fixedUnits),
    experimentScenario(futilityPlan, 'planned effect (5% → 4%)', 0.04, 8_000_000, fixedUnits),
  ];
  const hybrids = [hybridMixtureSprt(0, 1, replications * 2, 50_000_000), hybridMixtureSprt(0.01, 0.25, replications * 2, 51_000_000), hybridMixtureSprt(0.01, 0.5, replications * 2, 52_000_000)];
  const auc = [aucScenario('AUC 0.75 vs 0.75 (null)', 0.75, 30_000_000), aucScenario('AUC 0.75 vs 0.77', 0.77, 31_000_000)];
  const shadowLooks = experimentPlanSchema.parse(shadowPlan).efficacy.looks;
  const shadowAuc = [
    aucScenario('shadow plan: AUC 0.75 vs 0.75 (null)', 0.75, 32_000_000, shadowPlan, shadowLooks),
    aucScenario('shadow plan: AUC 0.75 vs 0.77', 0.77, 33_000_000, shadowPlan, shadowLooks),
    aucScenario('shadow plan: AUC 0.75 vs 0.73 (worse)', 0.73, 34_000_000, shadowPlan, shadowLooks),
  ];

  const canaryRuns = replications * 2;
  const healthy = [0.002, 0.005, 0.008].map((p, i) => canaryScenario(`healthy canary ${(p * 100).toFixed(1)}%`, p, p, 10_000_000 + i * 1_000_000, canaryRuns));
  const harm = canaryScenario('5× regression 0.2% → 1.0%', 0.002, 0.01, 20_000_000, canaryRuns);
  const harmHigher = canaryScenario('5× regression 0.5% → 2.5%', 0.005, 0.025, 21_000_000, canaryRuns);
  const worstHealthy = healthy.reduce((worst, s) => (s.rollback.rate > worst.rollback.rate ? s : worst));

  const results = {
    generatedBy: 'npm run bench:judge',
    seeds: 'fixed (see scripts/bench/judge.ts)',
    fixedHorizonN: fixedUnits,
    maxSampleN: maxUnits,
    samplesToDecisionRatio: mde.samplesToDecisionRatio,
    samplesToDecisionRatioReplications: mde.replications,
    samplesToDecisionRatioLargeEffect: large.samplesToDecisionRatio,
    samplesToDecisionRatioLargeEffectReplications: large.replications,
    aaFalsePositiveRate: aa.efficacyRejection.rate,
    aaFalsePositiveRateReplications: aa.replications,
    falseRollbackRate: worstHealthy.rollback.rate,
    falseRollbackRateReplications: worstHealthy.rollback.replications,
    harmDetectionRate: harm.rollback.rate,
    harmDetectionRateReplications: harm.rollback.replications,
    targets: targets({ aa, mde, large, falseRollback: worstHealthy.rollback, harm: harm.rollback }),
    experiment: {
      plan: experimentPlan,
      design: 'arcsine z (Anscombe), Hwang–Shih–DeCani γ −2 spending, 10 looks, maximum sized for power 0.8 on the arcsine scale',
      scenarios: [aa, mde, large],
      /** E[N] over the arcsine test's own fixed horizon: the saving from the sequential design alone. */
      arcsineFixedHorizonN: arcsineFixedUnits,
      samplesToDecisionRatioOwnFixed: mde.meanSamplesToDecision / arcsineFixedUnits,
      samplesToDecisionRatioLargeEffectOwnFixed: large.meanSamplesToDecision / arcsineFixedUnits,
      designs: [defaultDesign, ...alternatives],
      pocockSpending: { plan: pocock.plan, maxSampleN: pocock.maxSampleN, scenarios: pocock.scenarios },
      futility: { plan: futilityPlan, maxSampleN: maxSample(futilityPlan), scenarios: futility },
      hybridMixtureSprt: hybrids,
    },
    pairedAuc: { plan: aucPlan, applicationsPlanned: AUC_DEFAULTS / 0.05, scenarios: auc },
    /** The shadow test's plan as the control plane runs it (policy defaults): size, power and the worse-challenger stop. */
    shadowTest: { plan: shadowPlan, scenarios: shadowAuc },
    canary: { plan: canaryPlan, requestsPerMinute: PER_MINUTE, weights: WEIGHTS, scenarios: [...healthy, harm, harmHigher] },
    wallSeconds: (Date.now() - started) / 1000,
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'judge.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results.targets, [defaultDesign, ...alternatives], hybrids, futility, [...auc, ...shadowAuc], results.wallSeconds);
}

main();
