/**
 * The bench's properties with fewer replications, each against its target or an exact value with a tolerance of
 * three Monte Carlo standard errors (seeded: the same draws on every run).
 */
import { type CanaryState, judgeCanaryLook } from '../../../shared/judge/canary-look';
import { type ExperimentState, judgeExperimentLook } from '../../../shared/judge/experiment-look';
import { crossingProbabilities } from '../../../shared/judge/group-sequential';
import { type ExperimentPlanInput, experimentPlanSchema } from '../../../shared/judge/plan';
import { seededRandom } from '../../../shared/judge/random';
import { plannedDesign } from '../../../shared/judge/sequential-efficacy';
import { fixedHorizonUnits } from '../../../shared/judge/sample-size';
import { binomial } from '../../../shared/judge/simulate';

const standardError = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / n);

const empty = { assigned: 0, matured: 0, labelled: 0, defaults: 0 };
const maxUnitsOf = (plan: ExperimentPlanInput): number => judgeExperimentLook({ plan, champion: empty, challenger: empty }).sufficientStatistics.design.maxInformation;

/** One experiment, the judge called at each planned look; returns the decision, its efficacy outcome and the units. */
function runExperiment(plan: ExperimentPlanInput, seed: number, challengerRate: number, share: number): { decision: string; outcome?: string; units: number } {
  const random = seededRandom(seed);
  const maxUnits = maxUnitsOf(plan);
  const looks = experimentPlanSchema.parse(plan).efficacy.looks;
  const champion = { ...empty };
  const challenger = { ...empty };
  let state: ExperimentState | undefined;
  for (let look = 1; look <= looks; look += 1) {
    const total = Math.ceil((look / looks) * maxUnits);
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

/** E[information fraction at the decision] by numerical integration, the z having mean drift·√t and SD 1. */
function expectedFraction(design: { fractions: number[]; efficacy: number[] }, drift: number): number {
  const crossed = crossingProbabilities(design.fractions, design.efficacy, design.efficacy.map((c) => -c), drift);
  let expected = 0;
  let running = 1;
  design.fractions.forEach((t, k) => {
    const stop = k === design.fractions.length - 1 ? running : crossed.upper[k]! + crossed.lower[k]!;
    expected += t * stop;
    running -= stop;
  });
  return expected;
}

function meanAndStandardError(values: number[]): { mean: number; standardError: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return { mean, standardError: sd / Math.sqrt(values.length) };
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
    const design = plannedDesign({ alpha: 0.05, power: 0.8, looks: 10, boundary: 'hwang-shih-decani', spendingGamma: -2, futility: false });
    const { mean, standardError: se } = meanAndStandardError(units);

    expect(Math.abs(wins / runs - 0.8)).toBeLessThanOrEqual(3 * standardError(0.8, runs));
    expect(Math.abs(mean - expectedFraction(design, design.plannedDrift) * maxUnitsOf(plan))).toBeLessThanOrEqual(3 * se);
  });

  it('five Lan–DeMets O\'Brien–Fleming looks cannot reach 0.8 × N_fixed with a unit-variance z: 0.824 in theory', () => {
    const design = plannedDesign({ alpha: 0.05, power: 0.8, looks: 5, boundary: 'lan-demets-obf', futility: false });

    expect(expectedFraction(design, design.plannedDrift) * design.inflation).toBeCloseTo(0.824, 3);
  });

  describe('the default design against the issue\'s targets (10% challenger, N_fixed 38,673 from §6.5)', () => {
    const plan = { championDefaultRate: 0.05, minimumDetectableEffect: 0.01 };
    const fixedUnits = fixedHorizonUnits({ championRate: 0.05, challengerRate: 0.04, challengerShare: 0.1, alpha: 0.05, power: 0.8 });

    it('numerical integration: 0.742 × N_fixed at the planned effect, 0.491 at 1.5× it (on the arcsine scale)', () => {
      const design = plannedDesign({ alpha: 0.05, power: 0.8, looks: 10, boundary: 'hwang-shih-decani', spendingGamma: -2, futility: false });
      const ratio = maxUnitsOf(plan) / fixedUnits;

      expect(expectedFraction(design, design.plannedDrift) * ratio).toBeCloseTo(0.7420, 3);
      expect(expectedFraction(design, 1.5 * design.plannedDrift) * ratio).toBeCloseTo(0.4905, 3);
    });

    it.each([
      ['planned effect (5% → 4%)', 0.04, 0.8, 50_000],
      ['1.5× the planned effect (5% → 3.5%)', 0.035, 0.5, 60_000],
    ])('%s: mean samples to decision at most %s × N_fixed (within 3 SE)', (_, challengerRate, target, seedBase) => {
      const runs = 500;
      const units = Array.from({ length: runs }, (_, r) => runExperiment(plan, seedBase + r, challengerRate, 0.1).units);
      const { mean, standardError: se } = meanAndStandardError(units);

      expect(mean / fixedUnits).toBeLessThanOrEqual(target + (3 * se) / fixedUnits);
    });

    it('power at the planned effect is 0.8 within 3 SE', () => {
      const runs = 800;
      let wins = 0;
      for (let r = 0; r < runs; r += 1) if (runExperiment(plan, 70_000 + r, 0.04, 0.1).decision === 'challenger-wins') wins += 1;

      expect(Math.abs(wins / runs - 0.8)).toBeLessThanOrEqual(3 * standardError(0.8, runs));
    });
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
