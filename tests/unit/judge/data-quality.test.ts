import { labelCompleteness, minimumData, sampleRatioMismatch } from '../../../shared/judge/data-quality';

describe('Data-quality gates', () => {
  it('flags a sample-ratio mismatch: 900 challenger of 10,000 against a planned 10%', () => {
    // χ² = 100²/1000 + 100²/9000 = 11.11, p = 0.00086.
    const check = sampleRatioMismatch(9100, 900, 0.1, 0.001);

    expect(check.chiSquare).toBeCloseTo(11.1111, 4);
    expect(check.pValue).toBeCloseTo(0.000858, 6);
    expect(check.passed).toBe(false);
  });

  it('accepts a split within chance, and skips the check without a planned share', () => {
    expect(sampleRatioMismatch(9030, 970, 0.1, 0.001).passed).toBe(true);
    expect(sampleRatioMismatch(9100, 900, undefined, 0.001)).toEqual({ checked: false, threshold: 0.001, passed: true });
  });

  it('lists every shortfall of every arm', () => {
    const check = minimumData({ champion: { units: 5000, events: 12 }, canary: { units: 90, events: 3 } }, { minUnits: 100, minEvents: 10, minNonEvents: 10 });

    expect(check.passed).toBe(false);
    expect(check.shortfalls).toEqual(['canary has 90 units (needs 100)', 'canary has 3 events (needs 10)']);
  });

  it('counts non-events too (an arm where everything failed)', () => {
    expect(minimumData({ canary: { units: 200, events: 195 } }, { minUnits: 100, minEvents: 10, minNonEvents: 10 }).shortfalls).toEqual(['canary has 5 non-events (needs 10)']);
  });

  it('measures label-join completeness per arm', () => {
    const check = labelCompleteness({ champion: { matured: 1000, labelled: 990 }, challenger: { matured: 100, labelled: 90 } }, 0.95);

    expect(check.completeness).toEqual({ champion: 0.99, challenger: 0.9 });
    expect(check.passed).toBe(false);
    expect(labelCompleteness({ challenger: { matured: 0, labelled: 0 } }, 0.95).passed).toBe(true);
  });
});
