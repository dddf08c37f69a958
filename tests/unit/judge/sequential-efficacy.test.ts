import { hwangShihDeCaniSpending, obrienFlemingSpending } from '../../../shared/judge/group-sequential';
import { normalQuantile } from '../../../shared/judge/distributions';
import { efficacyLook, type EfficacySettings, isPlannedLook } from '../../../shared/judge/sequential-efficacy';

const settings: EfficacySettings = { alpha: 0.05, power: 0.8, looks: 5, boundary: 'lan-demets-obf', futility: false };

describe('Function: efficacyLook', () => {
  it.each<[string, number, number, number[], EfficacySettings, string]>([
    ['crosses for the challenger', 3.5, 0.4, [0.2], settings, 'challenger-better'],
    ['crosses against the challenger', -3.5, 0.4, [0.2], settings, 'challenger-worse'],
    ['continues inside the bounds', 2.0, 0.4, [0.2], settings, 'continue'],
    ['stops for futility below the futility bound', -0.5, 0.6, [0.2, 0.4], { ...settings, futility: true }, 'futility'],
    ['ends with no difference at the last look', 1.9, 1, [0.2, 0.4, 0.6, 0.8], settings, 'no-difference'],
    ['ends at the maximum even before the planned last look', 1.9, 1.07, [0.2, 0.4], settings, 'no-difference'],
  ])('%s', (_, z, fraction, previous, chosen, outcome) => {
    expect(efficacyLook(z, fraction, previous, chosen).outcome).toBe(outcome);
  });

  it('spends the whole α at the final look, and only part of it before', () => {
    expect(efficacyLook(0, 1, [0.2, 0.4, 0.6, 0.8], settings).alphaSpent).toBeCloseTo(0.05, 6);
    expect(efficacyLook(0, 0.6, [0.2, 0.4], settings).alphaSpent).toBeCloseTo(2 * obrienFlemingSpending(0.025, 0.6), 6);
  });

  it('moves the bound with the information actually reached (Lan–DeMets), or keeps c/√t (classic)', () => {
    const late = efficacyLook(0, 0.5, [0.2], settings).bound;
    const onTime = efficacyLook(0, 0.4, [0.2], settings).bound;
    const classic = efficacyLook(0, 0.5, [0.2], { ...settings, boundary: 'obrien-fleming' }).bound;

    expect(late).toBeLessThan(onTime);
    expect(classic).toBeCloseTo(2.0401 * Math.sqrt(1 / 0.5), 3);
  });

  it('gives futility bounds only at interim looks, below the efficacy bound', () => {
    const interim = efficacyLook(0, 0.6, [0.2, 0.4], { ...settings, futility: true });
    const last = efficacyLook(0, 1, [0.2, 0.4, 0.6, 0.8], { ...settings, futility: true });

    expect(interim.futilityBound).not.toBeNull();
    expect(interim.futilityBound!).toBeLessThan(interim.bound);
    expect(last.futilityBound).toBeNull();
  });
});

describe('Function: efficacyLook with the default Hwang–Shih–DeCani spending (γ −2, 10 looks)', () => {
  const hsd: EfficacySettings = { alpha: 0.05, power: 0.8, looks: 10, boundary: 'hwang-shih-decani', spendingGamma: -2, futility: false };

  it('spends 2 × α/2·(1 − e^(2t))/(1 − e²) by each look, the first bound being its normal quantile', () => {
    const first = efficacyLook(0, 0.1, [], hsd);
    const fourth = efficacyLook(0, 0.4, [0.1, 0.2, 0.3], hsd);

    expect(first.bound).toBeCloseTo(normalQuantile(1 - hwangShihDeCaniSpending(0.025, 0.1, -2)), 6);
    expect(first.alphaSpent).toBeCloseTo(2 * hwangShihDeCaniSpending(0.025, 0.1, -2), 7);
    expect(fourth.alphaSpent).toBeCloseTo(2 * hwangShihDeCaniSpending(0.025, 0.4, -2), 6);
    expect(efficacyLook(0, 1, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], hsd).alphaSpent).toBeCloseTo(0.05, 6);
  });

  it('γ matters: a γ nearer Pocock (1) gives a lower first bound than one nearer O\'Brien–Fleming (−4)', () => {
    expect(efficacyLook(0, 0.1, [], { ...hsd, spendingGamma: 1 }).bound).toBeLessThan(efficacyLook(0, 0.1, [], { ...hsd, spendingGamma: -4 }).bound);
  });

  it('a late look (12% for the planned 10%) spends what the function gives at 12%', () => {
    expect(efficacyLook(0, 0.12, [], hsd).alphaSpent).toBeCloseTo(2 * hwangShihDeCaniSpending(0.025, 0.12, -2), 7);
  });
});

describe('Function: isPlannedLook', () => {
  it.each([
    [0.19, 0, false],
    [0.2, 0, true],
    [0.55, 1, true],
    [0.55, 2, false],
    [1.2, 5, false],
  ])('fraction %s after %s looks: %s', (fraction, previous, expected) => {
    expect(isPlannedLook(fraction, previous, 5)).toBe(expected);
  });
});
