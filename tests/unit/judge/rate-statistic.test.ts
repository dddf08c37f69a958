import { normalQuantile } from '../../../shared/judge/distributions';
import { rateStatisticScale, rateUnitsForDrift, rateZ, unitsForDrift } from '../../../shared/judge/rate-statistic';
import { fixedHorizonUnits } from '../../../shared/judge/sample-size';

describe('Function: rateStatisticScale (5% → 4%, challenger share 10%)', () => {
  const rates = { championRate: 0.05, challengerRate: 0.04, challengerShare: 0.1 };

  it.each([
    // V₀ = 0.049·0.951·(1/0.9 + 1/0.1); V₁ = 0.05·0.95/0.9 + 0.04·0.96/0.1; arcsine: asin√0.05 − asin√0.04 over 1/3.6 + 1/0.4.
    ['pooled', 0.01, 0.5177667, 0.9184663],
    ['unpooled', 0.01, 0.4367778, 1],
    ['arcsine', 0.0241555, 2.7777778, 1],
  ] as const)('%s: effect %s, unit variance %s, SD under the effect %s', (statistic, effect, unitVariance, alternativeSd) => {
    const scale = rateStatisticScale({ ...rates, statistic });

    expect(scale.effect).toBeCloseTo(effect, 7);
    expect(scale.unitVariance).toBeCloseTo(unitVariance, 7);
    expect(scale.alternativeSd).toBeCloseTo(alternativeSd, 7);
  });

  it('pooled, one look: the units for drift z_{1−α/2} + σ·z_{1−β} are the §6.5 fixed-horizon units', () => {
    const { alternativeSd } = rateStatisticScale({ ...rates, statistic: 'pooled' });
    const drift = normalQuantile(0.975) + alternativeSd * normalQuantile(0.8);

    expect(rateUnitsForDrift(drift, { ...rates, statistic: 'pooled' })).toBe(fixedHorizonUnits({ ...rates, alpha: 0.05, power: 0.8 }));
  });

  it('arcsine: the effect at n units is the Anscombe statistic\'s second-order mean (an exact binomial sum agrees to 1e-5)', () => {
    const units = 4000;
    const exactMean = (n: number, p: number): number => {
      let mean = 0;
      // log P(X = x), stepped from P(X = 0) = (1 − p)^n by the ratio (n − x)/(x + 1)·p/(1 − p).
      let logWeight = n * Math.log1p(-p);
      for (let x = 0; x <= n; x += 1) {
        mean += Math.exp(logWeight) * Math.asin(Math.sqrt((x + 3 / 8) / (n + 3 / 4)));
        logWeight += Math.log((n - x) / (x + 1)) + Math.log(p / (1 - p));
      }
      return mean;
    };
    const exactEffect = exactMean(3600, 0.05) - exactMean(400, 0.04);

    expect(rateStatisticScale({ ...rates, statistic: 'arcsine', units }).effect).toBeCloseTo(exactEffect, 5);
    expect(rateStatisticScale({ ...rates, statistic: 'arcsine' }).effect - exactEffect).toBeGreaterThan(5e-4);
  });

  it('arcsine: the sample is the fixed point N = m²·V / effect(N)²', () => {
    const options = { ...rates, statistic: 'arcsine' } as const;
    const units = rateUnitsForDrift(2.8, options);
    const { effect, unitVariance } = rateStatisticScale({ ...options, units });

    expect(units).toBe(unitsForDrift(2.8, unitVariance, effect));
  });
});

describe('Function: rateZ', () => {
  // pooled: 0.015/√(0.0485·0.9515·(1/9000 + 1/1000)); unpooled: 0.015/√(0.05·0.95/9000 + 0.035·0.965/1000);
  // arcsine: (asin√(450.375/9000.75) − asin√(35.375/1000.75))/√(1/36000 + 1/4000).
  it.each([
    ['pooled', 2.0948],
    ['unpooled', 2.4003],
    ['arcsine', 2.1877],
  ] as const)('the %s z of 5.0%% of 9,000 against 3.5%% of 1,000 is %s', (statistic, expected) => {
    expect(rateZ({ units: 9000, events: 450 }, { units: 1000, events: 35 }, statistic)).toBeCloseTo(expected, 4);
  });

  it('is 0 when the pooled or unpooled variance is 0 (no defaults yet), and antisymmetric in the arms', () => {
    expect(rateZ({ units: 500, events: 0 }, { units: 100, events: 0 }, 'pooled')).toBe(0);
    expect(rateZ({ units: 500, events: 0 }, { units: 100, events: 0 }, 'unpooled')).toBe(0);
    const a = { units: 900, events: 45 };
    const b = { units: 100, events: 9 };
    expect(rateZ(a, b, 'arcsine')).toBeCloseTo(-rateZ(b, a, 'arcsine'), 12);
  });
});
