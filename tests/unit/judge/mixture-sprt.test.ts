import { harmTest, mixtureLikelihoodRatio, mixtureTuningConstant, mixtureZBoundary } from '../../../shared/judge/mixture-sprt';
import { seededRandom } from '../../../shared/judge/random';
import { binomial } from '../../../shared/judge/simulate';

describe('Mixture SPRT', () => {
  it.each([
    [0.05, 7.94],
    [0.01, 11.5],
  ])('tuning constant g(%s) ≈ %s', (alpha, expected) => {
    expect(mixtureTuningConstant(alpha)).toBeCloseTo(expected, 1);
  });

  it('puts the boundary at z ≈ 3.03 at the tuning point for α = 0.05 (against 1.96 for one look)', () => {
    // √((1 + g)/g · (2 ln 20 + ln(1 + g))) with g = 7.9385.
    expect(mixtureZBoundary(0.05, mixtureTuningConstant(0.05))).toBeCloseTo(3.035, 2);
  });

  it('reaches 1/α exactly at its boundary', () => {
    const r = 4;
    expect(mixtureLikelihoodRatio(mixtureZBoundary(0.01, r), r)).toBeCloseTo(100, 8);
    expect(mixtureLikelihoodRatio(0, r)).toBeCloseTo(1 / Math.sqrt(5), 12);
  });

  it('tests with the pooled variance and shows the unpooled confidence sequence', () => {
    const result = harmTest({ units: 9000, events: 18 }, { units: 3000, events: 30 }, { alpha: 0.01, margin: 0, tuningUnits: 3000 });
    const pooled = 48 / 12000;

    expect(result.difference).toBeCloseTo(0.01 - 0.002, 12);
    expect(result.pooledVariance).toBeCloseTo(pooled * (1 - pooled) * (1 / 9000 + 1 / 3000), 15);
    expect(result.z).toBeCloseTo(0.008 / Math.sqrt(result.pooledVariance), 10);
    expect(result.mixtureRatio).toBeCloseTo(mixtureTuningConstant(0.01) * 4, 10);
    expect(result.harmful).toBe(true);
    expect(result.confidenceSequence.lower).toBeGreaterThan(0);
    expect(result.alwaysValidPValue).toBeLessThan(0.01);
  });

  it('is one-sided: a canary better than the champion is never harmful', () => {
    expect(harmTest({ units: 3000, events: 30 }, { units: 9000, events: 18 }, { alpha: 0.01, margin: 0, tuningUnits: 3000 }).harmful).toBe(false);
  });

  it('lets a margin absorb a small excess', () => {
    // 0.50% against 0.85%: z = 4.27 against a bound of 3.13 at r = 4g; a 0.2 pp margin leaves z = 1.83.
    const counts = [{ units: 20000, events: 100 }, { units: 20000, events: 170 }] as const;

    expect(harmTest(counts[0], counts[1], { alpha: 0.05, margin: 0, tuningUnits: 10000 }).harmful).toBe(true);
    expect(harmTest(counts[0], counts[1], { alpha: 0.05, margin: 0.002, tuningUnits: 10000 }).harmful).toBe(false);
  });

  it('keeps the false-alarm rate below α however often it is evaluated (A/A, 50 looks)', () => {
    const replications = 1500;
    let alarms = 0;
    for (let r = 0; r < replications; r += 1) {
      const random = seededRandom(5000 + r);
      const a = { units: 0, events: 0 };
      const b = { units: 0, events: 0 };
      for (let look = 0; look < 50; look += 1) {
        a.units += 900;
        a.events += binomial(random, 900, 0.05);
        b.units += 100;
        b.events += binomial(random, 100, 0.05);
        if (a.events < 10 || b.events < 10) continue;
        if (harmTest(a, b, { alpha: 0.05, margin: 0, tuningUnits: 25000 }).harmful) {
          alarms += 1;
          break;
        }
      }
    }

    expect(alarms / replications).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / replications));
  });
});
