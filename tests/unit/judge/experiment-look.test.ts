import { type ExperimentArm, judgeExperimentLook } from '../../../shared/judge/experiment-look';
import { obrienFlemingSpending } from '../../../shared/judge/group-sequential';
import { experimentPlanSchema } from '../../../shared/judge/plan';
import { seededRandom } from '../../../shared/judge/random';
import { binormalPairedScores } from '../../../shared/judge/simulate';

const plan = { championDefaultRate: 0.05, minimumDetectableEffect: 0.01 };

/** A fully matured, fully joined arm. */
const arm = (labelled: number, defaults: number): ExperimentArm => ({ assigned: labelled, matured: labelled, labelled, defaults });

describe('Function: judgeExperimentLook', () => {
  it('fills the plan defaults: efficacy two-sided 0.05 (0.025 per side) with 5 looks, harm α 0.01', () => {
    expect(experimentPlanSchema.parse(plan)).toMatchObject({
      primaryMetric: 'default-rate',
      challengerShare: 0.1,
      efficacy: { alpha: 0.05, power: 0.8, looks: 5, boundary: 'lan-demets-obf', futility: false },
      harm: { alpha: 0.01, margin: 0, tuningFraction: 0.5 },
      dataQuality: { minUnits: 100, minEvents: 10, minNonEvents: 10, srmPValue: 0.001, minLabelCompleteness: 0.95 },
    });
    expect(() => experimentPlanSchema.parse({ ...plan, primaryMetric: 'auc' })).toThrow(/plannedDefaults/);
    expect(() => experimentPlanSchema.parse({ championDefaultRate: 0.05 })).toThrow(/minimum detectable effect/);
    expect(experimentPlanSchema.parse({ championDefaultRate: 0.05, primaryMetric: 'auc', plannedDefaults: 600 }).plannedDefaults).toBe(600);
  });

  it('sizes the design from the fixed-horizon test: 38,673 units, × 1.0247 for five O\'Brien–Fleming looks', () => {
    const verdict = judgeExperimentLook({ plan, champion: arm(0, 0), challenger: arm(0, 0) });

    expect(verdict.sufficientStatistics.design).toMatchObject({ fixedHorizonUnits: 38673, inflation: expect.closeTo(1.0247, 4), plannedFractions: [0.2, 0.4, 0.6, 0.8, 1] });
    expect(verdict.sufficientStatistics.design.maxInformation).toBe(Math.ceil(38673 * verdict.sufficientStatistics.design.inflation));
    expect(verdict.decision).toBe('wait');
  });

  it('waits while labels are incomplete', () => {
    const verdict = judgeExperimentLook({ plan, champion: { assigned: 9000, matured: 9000, labelled: 8000, defaults: 400 }, challenger: arm(1000, 40) });

    expect(verdict.decision).toBe('wait');
    expect(verdict.reason).toBe('Waiting: labels are incomplete (champion 88.9%, challenger 100.0% joined; needs 95%); no statistical verdict yet.');
  });

  it('stops for harm the moment the challenger defaults more, whatever the look schedule', () => {
    const verdict = judgeExperimentLook({ plan, champion: arm(9000, 450), challenger: arm(1000, 95) });

    expect(verdict.decision).toBe('stop-harm');
    expect(verdict.reason).toMatch(/^Stop for harm: challenger default rate 9\.50% against champion 5\.00% \(\+4\.50 pp\)/);
    expect(verdict.sufficientStatistics.efficacy).toBeNull();
  });

  it('continues between planned efficacy looks without an efficacy test', () => {
    const verdict = judgeExperimentLook({ plan, champion: arm(4500, 225), challenger: arm(500, 20) });

    expect(verdict.decision).toBe('continue');
    expect(verdict.reason).toContain('next efficacy look at 20% of the planned information');
    expect(verdict.state.efficacyFractions).toEqual([]);
  });

  it('declares the challenger the winner when z crosses the O\'Brien–Fleming bound, and records the look', () => {
    // At 40% (15,852 units): 5.0% against 3.0% gives z ≈ 3.9 ≥ 3.357.
    const first = judgeExperimentLook({ plan, champion: arm(7134, 357), challenger: arm(793, 30) });
    const second = judgeExperimentLook({ plan, champion: arm(14267, 713), challenger: arm(1585, 48), state: first.state });

    expect(first.decision).toBe('continue');
    expect(first.sufficientStatistics.efficacy).toMatchObject({ index: 1, bound: expect.closeTo(4.877, 2) });
    expect(second.decision).toBe('challenger-wins');
    expect(second.look).toMatchObject({ index: 2, bound: expect.closeTo(3.357, 2) });
    expect(second.look.statistic!).toBeGreaterThan(3.357);
    expect(second.look.alphaSpent).toBeCloseTo(2 * obrienFlemingSpending(0.025, second.look.informationFraction), 6);
    expect(second.state.efficacyFractions).toHaveLength(2);
    expect(second.reason).toMatch(/^Challenger wins: .*efficacy look 2 of 5 at 40% information/);
  });

  it('keeps the champion at the maximum sample when no difference shows', () => {
    const state = { efficacyFractions: [0.2, 0.4, 0.6, 0.8], looks: 4, minHarmPValue: 1 };
    const verdict = judgeExperimentLook({ plan, champion: arm(35700, 1785), challenger: arm(3967, 196), state });

    expect(verdict.decision).toBe('keep-champion');
    expect(verdict.reason).toContain('no detectable difference at the maximum sample');
    expect(verdict.look.bound).toBeCloseTo(2.031, 2);
    expect(verdict.look.alphaSpent).toBeCloseTo(0.05, 6);
  });

  it('keeps the champion for futility (when the plan asks for it) when the challenger is no better at an interim look', () => {
    const state = { efficacyFractions: [0.2, 0.4], looks: 2, minHarmPValue: 1 };
    const futilityPlan = { ...plan, efficacy: { futility: true } };
    const maxUnits = judgeExperimentLook({ plan: futilityPlan, champion: arm(0, 0), challenger: arm(0, 0) }).sufficientStatistics.design.maxInformation;
    const total = Math.ceil(0.6 * maxUnits);
    const verdict = judgeExperimentLook({ plan: futilityPlan, champion: arm(total - Math.round(total / 10), Math.round(0.9 * total * 0.05)), challenger: arm(Math.round(total / 10), Math.round(total / 10 * 0.05)), state });

    expect(verdict.decision).toBe('keep-champion');
    expect(verdict.reason).toMatch(/^Keep champion: futility, .*below the futility bound \d\.\d\d \(efficacy look 3 of 5 at 60% information/);
  });

  it('runs paired DeLong inside the design when AUC is the primary metric', () => {
    const shadow = binormalPairedScores(seededRandom(21), { size: 6000, defaultRate: 0.05, championAuc: 0.75, challengerAuc: 0.8, correlation: 0.8 });
    const defaults = shadow.labels.reduce((s, y) => s + y, 0);
    const probabilities = (scores: number[]): number[] => scores.map((s) => 1 / (1 + Math.exp(-(s - 3))));
    const verdict = judgeExperimentLook({
      plan: { championDefaultRate: 0.05, primaryMetric: 'auc', plannedDefaults: defaults },
      champion: arm(5400, 270),
      challenger: arm(600, 30),
      shadow: { labels: shadow.labels, champion: probabilities(shadow.champion), challenger: probabilities(shadow.challenger) },
    });

    expect(verdict.look.informationFraction).toBe(1);
    expect(verdict.sufficientStatistics.design).toMatchObject({ fixedHorizonUnits: null, maxInformation: defaults });
    expect(verdict.decision).toBe('challenger-wins');
    expect(verdict.sufficientStatistics.shadow?.delong.challengerAuc).toBeGreaterThan(verdict.sufficientStatistics.shadow!.delong.championAuc);
    expect(verdict.sufficientStatistics.shadow?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(verdict.reason).toMatch(/paired DeLong, \d+ defaults/);
    expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });
});
