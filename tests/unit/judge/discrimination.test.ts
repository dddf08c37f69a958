import fc from 'fast-check';
import { auc, ks, midranks } from '../../../shared/judge/discrimination';

describe('Function: midranks', () => {
  it.each<[number[], number[]]>([
    [[0.1, 0.4, 0.4, 0.9], [1, 2.5, 2.5, 4]],
    [[3, 1, 2], [3, 1, 2]],
    [[5, 5, 5], [2, 2, 2]],
    [[2, 1, 2, 1], [3.5, 1.5, 3.5, 1.5]],
  ])('ranks %j as %j', (scores, expected) => {
    expect(midranks(scores)).toEqual(expected);
  });
});

describe('Function: auc', () => {
  // Each expected value is counted by hand over the positive × negative pairs (a tie counts ½).
  it.each<[string, number[], number[], number]>([
    ['perfect separation', [0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], 1],
    ['perfectly inverted', [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1], 0],
    ['3 of 4 pairs ordered', [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.75],
    ['every score tied', [0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1], 0.5],
    ['one tie among 6 pairs: (5 + 0.5) / 6', [0.2, 0.5, 0.5, 0.9, 0.1], [0, 0, 1, 1, 0], 5.5 / 6],
    ['one positive, three negatives, two above it', [0.6, 0.7, 0.3, 0.5], [0, 0, 0, 1], 1 / 3],
  ])('%s', (_, scores, labels, expected) => {
    expect(auc(scores, labels)).toBeCloseTo(expected, 12);
  });

  it('refuses a single class, mismatched lengths, labels other than 0/1 and non-finite scores', () => {
    expect(() => auc([0.1, 0.2], [1, 1])).toThrow('at least one positive and one negative');
    expect(() => auc([0.1], [0, 1])).toThrow('differ in length');
    expect(() => auc([0.1, 0.2], [0, 2])).toThrow('neither 0 nor 1');
    expect(() => auc([Number.NaN, 0.2], [0, 1])).toThrow('not a finite number');
  });

  it('equals the pair count with ties as ½ on random data, and is 1 − AUC with the labels swapped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 40 }).filter((rows) => new Set(rows.map((r) => r[1])).size === 2),
        (rows) => {
          const scores = rows.map((r) => r[0]);
          const labels = rows.map((r) => r[1]);
          let wins = 0;
          let pairs = 0;
          rows.forEach(([sp, lp]) => rows.forEach(([sn, ln]) => {
            if (lp !== 1 || ln !== 0) return;
            pairs++;
            wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
          }));
          expect(auc(scores, labels)).toBeCloseTo(wins / pairs, 12);
          expect(auc(scores, labels.map((l) => 1 - l))).toBeCloseTo(1 - wins / pairs, 12);
        },
      ),
    );
  });
});

describe('Function: ks', () => {
  it.each<[string, number[], number[], number]>([
    ['perfect separation', [0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], 1],
    ['half the positives above every negative', [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.5],
    ['every score tied', [0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1], 0],
    // Thresholds: ≥0.9 → TPR ½, FPR 0; ≥0.5 → TPR 1, FPR ⅓ (the tie moves both); ≥0.2 → 1, ⅔; ≥0.1 → 1, 1.
    ['a tie between classes moves both rates at once', [0.2, 0.5, 0.5, 0.9, 0.1], [0, 0, 1, 1, 0], 2 / 3],
    ['inverted scores still separate (absolute gap)', [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1], 1],
  ])('%s', (_, scores, labels, expected) => {
    expect(ks(scores, labels)).toBeCloseTo(expected, 12);
  });

  it('refuses a single class', () => {
    expect(() => ks([0.1, 0.2], [0, 0])).toThrow('at least one positive and one negative');
  });
});
