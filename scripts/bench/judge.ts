/**
 * `npm run bench:judge`: seeded simulations of the judge's decisions, written to bench-results/judge.json with a
 * short table. Every figure is a Monte Carlo estimate with its replications and standard error; the same seeds give
 * the same figures on every machine.
 *
 * Experiment (A/B): champion default rate 5%, planned effect 5% → 4%, challenger share 10%, two-sided α 0.05,
 * power 0.8, 5 looks (reference/judge.md §6.2 table). The judge is called every 2% of the maximum sample, as a
 * scheduled job would; its efficacy looks happen at the planned fractions.
 * Canary: 1,200 invocations a minute, canary weight 5% → 50% in 5% steps of one minute (reference §6.3), a look
 * every minute, harm α 0.01.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CanaryState, judgeCanaryLook } from '../../shared/judge/canary-look';
import { type ExperimentState, judgeExperimentLook } from '../../shared/judge/experiment-look';
import type { CanaryPlanInput, ExperimentPlanInput } from '../../shared/judge/plan';
import { seededRandom } from '../../shared/judge/random';
import { fixedHorizonUnits } from '../../shared/judge/sample-size';
import { binomial, binormalPairedScores } from '../../shared/judge/simulate';

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
    boundary: plan.efficacy?.boundary ?? 'lan-demets-obf',
    challengerRate,
    replications,
    /** Either efficacy crossing ("a difference exists"): the false-positive rate when there is none. */
    efficacyRejection: rate(falsePositives, replications),
    decisions: counts,
    meanSamplesToDecision: meanUnits,
    samplesToDecisionRatio: meanUnits / fixedUnits,
    samplesToDecisionRatioStandardError: sdUnits / Math.sqrt(replications) / fixedUnits,
  };
}

// ---- AUC inside the group-sequential design -----------------------------------------------------------------------

/** reference §6.4: AUC 0.75 against 0.77, 5% defaults, score correlation 0.8, ~600 defaults (n ≈ 12,000), K = 5. */
const AUC_DEFAULTS = 600;
const aucPlan: ExperimentPlanInput = { primaryMetric: 'auc', plannedDefaults: AUC_DEFAULTS, championDefaultRate: 0.05 };

function runAucExperiment(seed: number, challengerAuc: number): { outcome: string; applications: number } {
  const random = seededRandom(seed);
  const pool = binormalPairedScores(random, { size: 16000, defaultRate: 0.05, championAuc: 0.75, challengerAuc, correlation: 0.8 });
  // Scores as default probabilities (a monotone map: ranks, hence AUCs, unchanged).
  const probability = (s: number): number => 1 / (1 + Math.exp(-(s - 3)));
  let state: ExperimentState | undefined;
  let cases = 0;
  let end = 0;
  for (let look = 1; look <= 5; look += 1) {
    const target = Math.ceil((look / 5) * AUC_DEFAULTS);
    while (cases < target && end < pool.labels.length) cases += pool.labels[end++]!;
    const labels = pool.labels.slice(0, end);
    const challengerUnits = Math.round(end * 0.1);
    const challengerDefaults = labels.slice(0, challengerUnits).reduce((a, b) => a + b, 0);
    const arm = (units: number, defaults: number) => ({ assigned: units, matured: units, labelled: units, defaults });
    const verdict = judgeExperimentLook({
      plan: aucPlan,
      champion: arm(end - challengerUnits, cases - challengerDefaults),
      challenger: arm(challengerUnits, challengerDefaults),
      shadow: { labels, champion: pool.champion.slice(0, end).map(probability), challenger: pool.challenger.slice(0, end).map(probability) },
      state,
    });
    state = verdict.state;
    if (verdict.decision !== 'continue' && verdict.decision !== 'wait') return { outcome: verdict.sufficientStatistics.efficacy?.outcome ?? verdict.decision, applications: end };
  }
  return { outcome: 'undecided', applications: end };
}

function aucScenario(name: string, challengerAuc: number, seedBase: number) {
  const counts: Record<string, number> = {};
  let applications = 0;
  for (let r = 0; r < aucReplications; r += 1) {
    const run = runAucExperiment(seedBase + r, challengerAuc);
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

function printTable(all: Record<string, Target>, pocock: Scenario[], futility: Scenario[], auc: ReturnType<typeof aucScenario>[], seconds: number): void {
  const rows = Object.entries(all).map(([name, t]) => ({
    figure: name,
    value: t.value.toFixed(4),
    '± SE': t.standardError.toFixed(4),
    target: t.target,
    met: t.met ? 'yes' : t.metWithin3StandardErrors ? 'within 3 SE' : 'NO',
    replications: t.replications,
  }));
  console.log('Judge bench (default plan: Lan–DeMets O\'Brien–Fleming, 5 looks, harm α 0.01)');
  console.table(rows);
  console.log(
    `Lan–DeMets Pocock option: samples to decision ${pocock.map((s) => `${s.name} ${s.samplesToDecisionRatio.toFixed(3)}`).join(', ')}; ` +
      `efficacy rejections under the null ${pocock[0]!.efficacyRejection.rate.toFixed(4)}.`,
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
  // The same three with Lan–DeMets Pocock-type spending: the option that trades a larger maximum for speed.
  const pocockPlan: ExperimentPlanInput = { ...experimentPlan, efficacy: { boundary: 'lan-demets-pocock' } };
  const pocock = [
    experimentScenario(pocockPlan, 'null (5% vs 5%)', 0.05, 4_000_000, fixedUnits),
    experimentScenario(pocockPlan, 'planned effect (5% → 4%)', 0.04, 5_000_000, fixedUnits),
    experimentScenario(pocockPlan, '1.5× planned effect (5% → 3.5%)', 0.035, 6_000_000, fixedUnits),
  ];

  // Non-binding futility (β-spending): ends null experiments early at the price of a larger maximum.
  const futilityPlan: ExperimentPlanInput = { ...experimentPlan, efficacy: { futility: true } };
  const futility = [
    experimentScenario(futilityPlan, 'null (5% vs 5%)', 0.05, 7_000_000, fixedUnits),
    experimentScenario(futilityPlan, 'planned effect (5% → 4%)', 0.04, 8_000_000, fixedUnits),
  ];
  const auc = [aucScenario('AUC 0.75 vs 0.75 (null)', 0.75, 30_000_000), aucScenario('AUC 0.75 vs 0.77', 0.77, 31_000_000)];

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
    experiment: { plan: experimentPlan, scenarios: [aa, mde, large], pocockSpending: { plan: pocockPlan, maxSampleN: maxSample(pocockPlan), scenarios: pocock }, futility: { plan: futilityPlan, maxSampleN: maxSample(futilityPlan), scenarios: futility } },
    pairedAuc: { plan: aucPlan, applicationsPlanned: AUC_DEFAULTS / 0.05, scenarios: auc },
    canary: { plan: canaryPlan, requestsPerMinute: PER_MINUTE, weights: WEIGHTS, scenarios: [...healthy, harm, harmHigher] },
    wallSeconds: (Date.now() - started) / 1000,
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'judge.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results.targets, pocock, futility, auc, results.wallSeconds);
}

main();
