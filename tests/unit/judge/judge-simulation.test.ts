/**
 * The bench's properties with fewer replications, each against its target or an exact value with a tolerance of
 * three Monte Carlo standard errors (seeded: the same draws on every run).
 */
import { type CanaryState, judgeCanaryLook } from '../../../shared/judge/canary-look';
import { type ExperimentState, judgeExperimentLook } from '../../../shared/judge/experiment-look';
import { crossingProbabilities } from '../../../shared/judge/group-sequential';
import type { ExperimentPlanInput } from '../../../shared/judge/plan';
import { seededRandom } from '../../../shared/judge/random';
import { plannedDesign } from '../../../shared/judge/sequential-efficacy';
import { binomial } from '../../../shared/judge/simulate';

const standardError = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / n);

/** One experiment, the judge called at each planned look; returns the decision, its efficacy outcome and the units. */
function runExperiment(plan: ExperimentPlanInput, seed: number, challengerRate: number, share: number): { decision: string; outcome?: string; units: number } {
  const random = seededRandom(seed);
  const empty = { assigned: 0, matured: 0, labelled: 0, defaults: 0 };
  const maxUnits = judgeExperimentLook({ plan, champion: empty, challenger: empty }).sufficientStatistics.design.maxInformation;
  const champion = { ...empty };
  const challenger = { ...empty };
  let state: ExperimentState | undefined;
  for (let look = 1; look <= 5; look += 1) {
    const total = Math.ceil((look / 5) * maxUnits);
    const challengerTotal = Math.round(total * share);
    const addB = challengerTotal - challenger.labelled;
    const addA = total - challengerTotal - champion.labelled;
    challenger.defaults += binomial(random, addB, challengerRate);
    champion.defaults += binomial(random, addA, 0.05);
    challenger.assigned = challenger.matured = challenger.labelled = challengerTotal;
    champion.assigned = champion.matured = champion.labelled = total - challengerTotal;
    const verdict = judgeExperimentLook({ plan, champion: { ...champion }, challenger: { ...challenger }, state });
    state = verdict.state;
    if (verdict.decision !== 'continue' && verdict.decision !== 'wait') {
      return { decision: verdict.decision, outcome: verdict.sufficientStatistics.efficacy?.outcome, units: total };
    }
  }
  throw new Error('the design must end by its last look');
}

describe('Judge simulations (seeded)', () => {
  it('A/A: the efficacy test rejects "no difference" at most 5% of the time (10% challenger)', () => {
    const plan = { championDefaultRate: 0.05, minimumDetectableEffect: 0.01 };
    const runs = 800;
    let rejections = 0;
    for (let r = 0; r < runs; r += 1) {
      const { outcome } = runExperiment(plan, 10_000 + r, 0.05, 0.1);
      if (outcome === 'challenger-better' || outcome === 'challenger-worse') rejections += 1;
    }

    expect(rejections / runs).toBeLessThanOrEqual(0.05 + 3 * standardError(0.05, runs));
  });

  it('at the planned effect: power and mean samples to decision match the numerical integration (50/50 split)', () => {
    const plan = { championDefaultRate: 0.05, minimumDetectableEffect: 0.01, challengerShare: 0.5 };
    const runs = 600;
    const units: number[] = [];
    let wins = 0;
    for (let r = 0; r < runs; r += 1) {
      const run = runExperiment(plan, 20_000 + r, 0.04, 0.5);
      units.push(run.units);
      if (run.decision === 'challenger-wins') wins += 1;
    }
    const design = plannedDesign({ alpha: 0.05, power: 0.8, looks: 5, boundary: 'lan-demets-obf', futility: false });
    const crossed = crossingProbabilities(design.fractions, design.efficacy, design.efficacy.map((c) => -c), design.plannedDrift);
    let expectedFraction = 0;
    let running = 1;
    design.fractions.forEach((t, k) => {
      const stop = k === design.fractions.length - 1 ? running : crossed.upper[k]! + crossed.lower[k]!;
      expectedFraction += t * stop;
      running -= stop;
    });
    const maxUnits = judgeExperimentLook({ plan, champion: { assigned: 0, matured: 0, labelled: 0, defaults: 0 }, challenger: { assigned: 0, matured: 0, labelled: 0, defaults: 0 } }).sufficientStatistics.design.maxInformation;
    const mean = units.reduce((a, b) => a + b, 0) / runs;
    const sd = Math.sqrt(units.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1));

    expect(Math.abs(wins / runs - 0.8)).toBeLessThanOrEqual(3 * standardError(0.8, runs));
    expect(Math.abs(mean - expectedFraction * maxUnits)).toBeLessThanOrEqual(3 * (sd / Math.sqrt(runs)));
    expect(expectedFraction * design.inflation).toBeCloseTo(0.824, 3);
  });

  describe('canary (1,200 invocations a minute, weight 5% → 50% over 10 minutes, harm α 0.01)', () => {
    const weights = Array.from({ length: 10 }, (_, i) => (i + 1) * 0.05);

    function rolledBack(seed: number, championRate: number, canaryRate: number): boolean {
      const random = seededRandom(seed);
      const champion = { units: 0, events: 0 };
      const canary = { units: 0, events: 0 };
      let state: CanaryState | undefined;
      for (const weight of weights) {
        const n = Math.round(1200 * weight);
        canary.units += n;
        canary.events += binomial(random, n, canaryRate);
        champion.units += 1200 - n;
        champion.events += binomial(random, 1200 - n, championRate);
        const verdict = judgeCanaryLook({ plan: { plannedUnits: 12000 }, champion: { ...champion }, canary: { ...canary }, expectedCanaryShare: canary.units / (canary.units + champion.units), state });
        state = verdict.state;
        if (verdict.decision === 'rollback') return true;
        if (verdict.decision === 'pass') return false;
      }
      return false;
    }

    it('rolls back at most 2% of healthy canaries (0.8% errors on both)', () => {
      const runs = 1500;
      let rollbacks = 0;
      for (let r = 0; r < runs; r += 1) if (rolledBack(30_000 + r, 0.008, 0.008)) rollbacks += 1;

      expect(rollbacks / runs).toBeLessThanOrEqual(0.02 + 3 * standardError(0.02, runs));
    });

    it('catches at least 95% of 5× error-rate regressions (0.2% → 1.0%)', () => {
      const runs = 1500;
      let rollbacks = 0;
      for (let r = 0; r < runs; r += 1) if (rolledBack(40_000 + r, 0.002, 0.01)) rollbacks += 1;

      expect(rollbacks / runs).toBeGreaterThanOrEqual(0.95 - 3 * standardError(0.95, runs));
    });
  });
});
