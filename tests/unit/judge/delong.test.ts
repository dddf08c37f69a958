import fc from 'fast-check';
import { midranks, pairedDeLong, placements } from '../../../shared/judge/delong';
import { normalSurvival } from '../../../shared/judge/distributions';
import { seededRandom } from '../../../shared/judge/random';
import { binormalPairedScores } from '../../../shared/judge/simulate';

/** Placements by definition, O(m·n): the reference the midrank shortcut must match. */
function bruteForcePlacements(scores: number[], labels: number[]): { cases: number[]; controls: number[] } {
  const cases = scores.filter((_, i) => labels[i] === 1);
  const controls = scores.filter((_, i) => labels[i] === 0);
  const beats = (a: number, b: number): number => (a > b ? 1 : a === b ? 0.5 : 0);
  return {
    cases: cases.map((c) => controls.reduce((s, x) => s + beats(c, x), 0) / controls.length),
    controls: controls.map((x) => cases.reduce((s, c) => s + beats(c, x), 0) / cases.length),
  };
}

describe('Function: midranks', () => {
  it('gives tied values the mean of their ranks, in input order', () => {
    expect([...midranks([0.3, 0.1, 0.3, 0.7, 0.1, 0.3])]).toEqual([4, 1.5, 4, 6, 1.5, 4]);
  });
});

describe('Function: pairedDeLong', () => {
  // Worked by hand: 2 defaults, 3 non-defaults, a tie in model A (0.4 vs 0.4).
  // A: case placements [1, 0.5], control placements [1, 0.75, 0.5] → AUC 3/4.
  // B: case placements [2/3, 1], control placements [1, 0.5, 1] → AUC 5/6.
  // Cases term (1/8 + 1/18 + 2·1/12)/2 = 25/144; controls term (1/16 + 1/12 − 0)/3 = 7/144; variance 2/9.
  const labels = [1, 1, 0, 0, 0];
  const champion = [0.8, 0.4, 0.2, 0.4, 0.6];
  const challenger = [0.7, 0.9, 0.1, 0.8, 0.3];

  it('matches the hand-computed small case', () => {
    const result = pairedDeLong(champion, challenger, labels);

    expect(result.championAuc).toBeCloseTo(0.75, 12);
    expect(result.challengerAuc).toBeCloseTo(5 / 6, 12);
    expect(result.components.cases).toEqual({ champion: expect.closeTo(1 / 8, 12), challenger: expect.closeTo(1 / 18, 12), covariance: expect.closeTo(-1 / 12, 12) });
    expect(result.components.controls.covariance).toBeCloseTo(0, 12);
    expect(result.variance).toBeCloseTo(2 / 9, 12);
    expect(result.z).toBeCloseTo(1 / (4 * Math.SQRT2), 12);
  });

  it('matches placements by definition on any scores, ties included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ score: fc.integer({ min: 0, max: 6 }), label: fc.constantFrom(0, 1) }), { minLength: 2, maxLength: 40 }).filter((rows) => new Set(rows.map((r) => r.label)).size === 2),
        (rows) => {
          const scores = rows.map((r) => r.score / 6);
          const labelsOf = rows.map((r) => r.label);
          const fast = placements(scores, labelsOf);
          const slow = bruteForcePlacements(scores, labelsOf);

          [...fast.cases].forEach((v, i) => expect(v).toBeCloseTo(slow.cases[i]!, 12));
          [...fast.controls].forEach((v, j) => expect(v).toBeCloseTo(slow.controls[j]!, 12));
        },
      ),
      { seed: 11 },
    );
  });

  it('finds no difference between a model and itself', () => {
    const result = pairedDeLong(champion, champion, labels);

    expect(result).toMatchObject({ difference: 0, variance: 0, z: 0 });
  });

  it('refuses unpaired inputs and a sample without both outcomes', () => {
    expect(() => pairedDeLong([0.1, 0.2], [0.1], [0, 1])).toThrow(RangeError);
    expect(() => pairedDeLong([0.1, 0.2], [0.3, 0.4], [1, 1])).toThrow(RangeError);
  });

  it('holds its level under the null and has power for a real AUC gain (binormal, correlation 0.8)', () => {
    const replications = 300;
    let nullRejections = 0;
    let rejections = 0;
    for (let r = 0; r < replications; r += 1) {
      const same = binormalPairedScores(seededRandom(100 + r), { size: 2000, defaultRate: 0.1, championAuc: 0.75, challengerAuc: 0.75, correlation: 0.8 });
      const better = binormalPairedScores(seededRandom(900 + r), { size: 2000, defaultRate: 0.1, championAuc: 0.75, challengerAuc: 0.8, correlation: 0.8 });
      if (2 * normalSurvival(Math.abs(pairedDeLong(same.champion, same.challenger, same.labels).z)) < 0.05) nullRejections += 1;
      if (2 * normalSurvival(Math.abs(pairedDeLong(better.champion, better.challenger, better.labels).z)) < 0.05) rejections += 1;
    }
    const se = Math.sqrt((0.05 * 0.95) / replications);

    expect(nullRejections / replications).toBeLessThanOrEqual(0.05 + 3 * se);
    expect(rejections / replications).toBeGreaterThan(0.8);
  });
});
