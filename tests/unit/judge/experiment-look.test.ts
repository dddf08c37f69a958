import { type ExperimentArm, judgeExperimentLook } from '../../../shared/judge/experiment-look';
import { equalFractions, obrienFlemingSpending, planDesign } from '../../../shared/judge/group-sequential';
import { experimentPlanSchema } from '../../../shared/judge/plan';
import { seededRandom } from '../../../shared/judge/random';
import { binormalPairedScores } from '../../../shared/judge/simulate';

const defaultPlan = { championDefaultRate: 0.05, minimumDetectableEffect: 0.01 };
/** The five-look O'Brien–Fleming option with the pooled z: the bounds below are gsDesign's sfLDOF values. */
const plan = { ...defaultPlan, efficacy: { boundary: 'lan-demets-obf', looks: 5, statistic: 'pooled' } } as const;

/** A fully matured, fully joined arm. */
const arm = (labelled: number, defaults: number): ExperimentArm => ({ assigned: labelled, matured: labelled, labelled, defaults });

describe('Function: judgeExperimentLook', () => {
  it('fills the plan defaults: efficacy two-sided 0.05 (0.025 per side), 10 Hwang–Shih–DeCani (γ −2) looks on the arcsine z, harm α 0.01', () => {
    expect(experimentPlanSchema.parse(defaultPlan)).toMatchObject({
      primaryMetric: 'default-rate',
      challengerShare: 0.1,
      efficacy: { alpha: 0.05, power: 0.8, looks: 10, boundary: 'hwang-shih-decani', spendingGamma: -2, statistic: 'arcsine', futility: false },
      harm: { alpha: 0.01, margin: 0, tuningFraction: 0.5 },
      dataQuality: { minUnits: 100, minEvents: 10, minNonEvents: 10, srmPValue: 0.001, minLabelCompleteness: 0.95 },
    });
    expect(() => experimentPlanSchema.parse({ ...plan, primaryMetric: 'auc' })).toThrow(/plannedDefaults/);
    expect(() => experimentPlanSchema.parse({ championDefaultRate: 0.05 })).toThrow(/minimum detectable effect/);
    expect(experimentPlanSchema.parse({ championDefaultRate: 0.05, primaryMetric: 'auc', plannedDefaults: 600 }).plannedDefaults).toBe(600);
  });

  it('sizes the default design on the arcsine scale: the drift of 10 γ = −2 looks, N = m²·(1/(4·0.9) + 1/(4·0.1))/effect²', () => {
    const verdict = judgeExperimentLook({ plan: defaultPlan, champion: arm(0, 0), challenger: arm(0, 0) });
    const drift = planDesign({ fractions: equalFractions(10), sideAlpha: 0.025, power: 0.8, family: 'hwang-shih-decani', gamma: -2, futility: false }).plannedDrift;
    const units = verdict.sufficientStatistics.design.maxInformation;
    // The effect the Anscombe statistic has at that sample (second-order mean), arm by arm.
    const mean = (p: number, n: number): number => Math.asin(Math.sqrt(p)) + (1 - 2 * p) / (16 * n * Math.sqrt(p * (1 - p)));
    const effect = mean(0.05, 0.9 * units) - mean(0.04, 0.1 * units);

    expect(verdict.sufficientStatistics.design).toMatchObject({ fixedHorizonUnits: 38673, plannedFractions: equalFractions(10) });
    expect(units).toBe(Math.ceil((drift ** 2 * (1 / 3.6 + 1 / 0.4)) / effect ** 2));
    expect(units).toBe(40630);
    expect(verdict.sufficientStatistics.design.inflation).toBeCloseTo(40630 / 38673, 12);
  });

  it('sizes the pooled five-look O\'Brien–Fleming option for the pooled z\'s spread under the effect: 38,673 × 1.0324', () => {
    const verdict = judgeExperimentLook({ plan, champion: arm(0, 0), challenger: arm(0, 0) });

    expect(verdict.sufficientStatistics.design).toMatchObject({ fixedHorizonUnits: 38673, inflation: expect.closeTo(1.0324, 4), plannedFractions: [0.2, 0.4, 0.6, 0.8, 1] });
    expect(verdict.sufficientStatistics.design.maxInformation).toBe(39927);
    // With a unit-variance z the same boundaries need 1.0247 (the textbook figure); σ = 0.918 asks for more.
    expect(planDesign({ fractions: equalFractions(5), sideAlpha: 0.025, power: 0.8, family: 'lan-demets-obf', futility: false }).inflation).toBeCloseTo(1.0247, 4);
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
    // At 40% (16,000 of 39,927 units): 5.0% against 3.0% gives z ≈ 3.55 ≥ 3.357.
    const first = judgeExperimentLook({ plan, champion: arm(7200, 360), challenger: arm(800, 30) });
    const second = judgeExperimentLook({ plan, champion: arm(14400, 720), challenger: arm(1600, 48), state: first.state });

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
    const verdict = judgeExperimentLook({ plan, champion: arm(35940, 1797), challenger: arm(3994, 197), state });

    expect(verdict.decision).toBe('keep-champion');
    expect(verdict.reason).toContain('no detectable difference at the maximum sample');
    expect(verdict.look.bound).toBeCloseTo(2.031, 2);
    expect(verdict.look.alphaSpent).toBeCloseTo(0.05, 6);
  });

  it('keeps the champion for futility (when the plan asks for it) when the challenger is no better at an interim look', () => {
    const state = { efficacyFractions: [0.2, 0.4], looks: 2, minHarmPValue: 1 };
    const futilityPlan = { ...plan, efficacy: { ...plan.efficacy, futility: true } };
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

  describe('shadow assignment: the champion decides all, the challenger scores a mirrored copy', () => {
    const shadow = binormalPairedScores(seededRandom(21), { size: 6000, defaultRate: 0.05, championAuc: 0.75, challengerAuc: 0.8, correlation: 0.8 });
    const defaults = shadow.labels.reduce((s, y) => s + y, 0);
    const probabilities = (scores: number[]): number[] => scores.map((s) => 1 / (1 + Math.exp(-(s - 3))));
    const scores = { labels: shadow.labels, champion: probabilities(shadow.champion), challenger: probabilities(shadow.challenger) };
    const shadowPlan = { championDefaultRate: 0.05, primaryMetric: 'auc', plannedDefaults: defaults, assignment: 'shadow', challengerShare: 1 } as const;

    it('accepts mirroring every request, and only with the paired AUC', () => {
      expect(experimentPlanSchema.parse(shadowPlan).challengerShare).toBe(1);
      expect(() => experimentPlanSchema.parse({ ...defaultPlan, challengerShare: 1 })).toThrow(/challengerShare below 1/);
      expect(() => experimentPlanSchema.parse({ ...defaultPlan, assignment: 'shadow' })).toThrow(/paired AUC/);
    });

    it('tests no harm (the shadow decides nothing) even when its arm defaults more, and judges the paired AUC', () => {
      // The challenger arm's counts are the champion's decisions on the mirrored requests: never a harm signal.
      const verdict = judgeExperimentLook({ plan: shadowPlan, champion: arm(6000, defaults), challenger: arm(6000, defaults + 200), shadow: scores });

      expect(verdict.sufficientStatistics.harm).toBeNull();
      expect(verdict.decision).toBe('challenger-wins');
      expect(verdict.reason).toMatch(/after 6,000 labelled applications scored by both\.$/);
    });

    it('checks the mirror rate: share / (1 + share) of all captured requests are the shadow\'s', () => {
      const half = { ...shadowPlan, challengerShare: 0.5 };
      const onPlan = judgeExperimentLook({ plan: half, champion: { ...arm(6000, defaults), assigned: 10000 }, challenger: { ...arm(6000, defaults), assigned: 5000 }, shadow: scores });
      const offPlan = judgeExperimentLook({ plan: half, champion: { ...arm(6000, defaults), assigned: 10000 }, challenger: { ...arm(6000, defaults), assigned: 4000 }, shadow: scores });

      expect(onPlan.dataQuality.sampleRatio).toMatchObject({ passed: true, expectedShare: 1 / 3 });
      expect(offPlan.decision).toBe('wait');
      expect(offPlan.reason).toMatch(/^Waiting: the assignment split is off \(challenger 28\.57% against 33\.33% planned/);
    });

    it('says between efficacy looks that there is no harm to test', () => {
      const early = judgeExperimentLook({ plan: { ...shadowPlan, plannedDefaults: defaults * 20 }, champion: arm(6000, defaults), challenger: arm(6000, defaults), shadow: scores });

      expect(early.decision).toBe('continue');
      expect(early.reason).toMatch(/^Continue: challenger AUC 0\.\d{4} against champion 0\.\d{4} .*; the shadow decides nothing, so there is no harm to test; next efficacy look at 10%/);
      expect(early.look).toMatchObject({ statistic: null, bound: null, alphaSpent: 0 });
    });
  });

  describe('early harm label: the harm test reads it, efficacy waits for the maturing label', () => {
    const young = (assigned: number): ExperimentArm => ({ assigned, matured: 0, labelled: 0, defaults: 0 });

    it('stops for harm on the early label before any maturing label is in', () => {
      const verdict = judgeExperimentLook({ plan, champion: young(9000), challenger: young(1000), earlyHarm: { champion: arm(9000, 450), challenger: arm(1000, 95) } });

      expect(verdict.decision).toBe('stop-harm');
      expect(verdict.reason).toMatch(/^Stop for harm: challenger default rate on the early harm label 9\.50% against champion 5\.00% \(\+4\.50 pp\)/);
      expect(verdict.sufficientStatistics.earlyHarm?.dataQuality.passed).toBe(true);
      expect(verdict.dataQuality.passed).toBe(false);
    });

    it('waits for the maturing label with the early harm test\'s figures when there is no harm', () => {
      const verdict = judgeExperimentLook({ plan, champion: young(9000), challenger: young(1000), earlyHarm: { champion: arm(9000, 450), challenger: arm(1000, 50) } });

      expect(verdict.decision).toBe('wait');
      expect(verdict.reason).toMatch(/^Waiting: too little data \(.*\); so far no harm on the early harm label \(z -?\d\.\d\d below \d\.\d\d\); no statistical verdict yet\.$/);
      expect(verdict.look.statistic).toBe(verdict.sufficientStatistics.harm!.z);
      expect(verdict.state.minHarmPValue).toBe(verdict.sufficientStatistics.harm!.alwaysValidPValue);
    });

    it('holds the harm test until the early label has its own minimum data and completeness', () => {
      const thin = judgeExperimentLook({ plan, champion: young(9000), challenger: young(1000), earlyHarm: { champion: arm(900, 45), challenger: arm(50, 9) } });
      const incomplete = judgeExperimentLook({ plan, champion: young(9000), challenger: young(1000), earlyHarm: { champion: arm(9000, 450), challenger: { assigned: 1000, matured: 1000, labelled: 800, defaults: 95 } } });

      expect(thin.sufficientStatistics.harm).toBeNull();
      expect(thin.sufficientStatistics.earlyHarm?.dataQuality.minimumData.passed).toBe(false);
      expect(incomplete.sufficientStatistics.harm).toBeNull();
      expect(incomplete.sufficientStatistics.earlyHarm?.dataQuality.labelCompleteness?.passed).toBe(false);
      expect([thin.decision, incomplete.decision]).toEqual(['wait', 'wait']);
    });

    it('judges efficacy on the maturing label once it is in, harm still on the early one', () => {
      const verdict = judgeExperimentLook({ plan, champion: arm(7200, 360), challenger: arm(800, 30), earlyHarm: { champion: arm(9000, 700), challenger: arm(1000, 60) } });

      expect(verdict.decision).toBe('continue');
      expect(verdict.sufficientStatistics.efficacy?.index).toBe(1);
      expect(verdict.sufficientStatistics.harm?.difference).toBeCloseTo(0.06 - 700 / 9000, 12);
    });
  });
});

