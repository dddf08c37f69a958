import { fixedHorizonUnits } from '../../../shared/judge/sample-size';

describe('Function: fixedHorizonUnits (α 0.05 two-sided, power 0.8)', () => {
  // reference/judge.md §6.5; the function rounds up, the table rounds to nearest.
  it.each([
    [0.05, 0.04, 0.5, 13490],
    [0.05, 0.06, 0.5, 16315],
    [0.1, 0.09, 0.5, 26990],
    [0.05, 0.045, 0.5, 56816],
    [0.05, 0.04, 0.1, 38672],
    [0.05, 0.06, 0.1, 44027],
    [0.1, 0.09, 0.1, 76068],
    [0.05, 0.045, 0.1, 160279],
  ])('%s → %s with challenger share %s: %s units', (championRate, challengerRate, challengerShare, expected) => {
    const units = fixedHorizonUnits({ championRate, challengerRate, challengerShare, alpha: 0.05, power: 0.8 });

    expect(units - expected).toBeGreaterThanOrEqual(0);
    expect(units - expected).toBeLessThanOrEqual(1);
  });

  it('refuses a zero effect', () => {
    expect(() => fixedHorizonUnits({ championRate: 0.05, challengerRate: 0.05, challengerShare: 0.1, alpha: 0.05, power: 0.8 })).toThrow(RangeError);
  });
});
