/**
 * countArms: assigned, matured, labelled and defaults per arm, from captured decisions and outcomes joined by
 * inference id; pairShadowScores: a shadow test's arms as the champion decided them, and the pairs of scores.
 */
import { countArms, pairShadowScores, type CapturedDecision } from '../../../shared/experiment-judge/arm-counts';
import { pairedDeLong } from '../../../shared/judge/delong';
import { seededRandom } from '../../../shared/judge/random';
import { standardNormal } from '../../../shared/judge/simulate';

const WINDOW = { championVariant: 'AllTraffic', challengerVariant: 'Challenger', from: '2026-11-01T00:00:00.000Z', until: '2026-11-03T00:00:00.000Z', labelMaturityDays: 1 };

const d = (inferenceId: string, variant: string, at: string, approved = true, score = approved ? 0.1 : 0.9): CapturedDecision => ({ inferenceId, variant, at, score, approved });

describe('Function: countArms', () => {
  it('counts each arm: every decision assigned, approved and old enough matured, joined labelled, label 1 a default', () => {
    const decisions = [
      d('a1', 'AllTraffic', '2026-11-01T01:00:00.000Z'),
      d('a2', 'AllTraffic', '2026-11-01T02:00:00.000Z'),
      d('a3', 'AllTraffic', '2026-11-01T03:00:00.000Z', false),
      d('a4', 'AllTraffic', '2026-11-02T12:00:00.000Z'),
      d('b1', 'Challenger', '2026-11-01T01:00:00.000Z'),
      d('b2', 'Challenger', '2026-11-02T00:00:00.000Z'),
      d('x1', 'Shadow', '2026-11-01T01:00:00.000Z'),
      d('early', 'AllTraffic', '2026-10-31T23:59:59.000Z'),
      d('late', 'Challenger', '2026-11-03T00:00:00.000Z'),
    ];
    const outcomes = new Map([
      ['a1', 1],
      ['a2', 0],
      ['a3', 1],
      ['b1', 0],
      ['b2', 1],
      ['late', 1],
    ]);
    expect(countArms(decisions, outcomes, WINDOW)).toEqual({
      // a4 is too young to have matured; a3 was declined (its label, if any, is not counted).
      champion: { assigned: 4, matured: 2, labelled: 2, defaults: 1 },
      // b2 matured exactly at the look.
      challenger: { assigned: 2, matured: 2, labelled: 2, defaults: 1 },
    });
  });

  it('counts a matured decision without an outcome as matured, not labelled', () => {
    expect(countArms([d('a1', 'AllTraffic', '2026-11-01T01:00:00.000Z')], new Map(), WINDOW).champion).toEqual({ assigned: 1, matured: 1, labelled: 0, defaults: 0 });
  });
});

describe('Function: pairShadowScores', () => {
  const SHADOW = { ...WINDOW, challengerVariant: 'Challenger' };
  const at = '2026-11-01T01:00:00.000Z';

  it('counts a mirrored copy as the champion decided it, and pairs both scores where both models would approve', () => {
    const decisions = [
      d('a1', 'AllTraffic', at, true, 0.1),
      d('a1', 'Challenger', at, true, 0.4),
      d('a2', 'AllTraffic', at, true, 0.3),
      d('a2', 'Challenger', at, true, 0.2),
      d('a3', 'AllTraffic', at, false, 0.8),
      d('a3', 'Challenger', at, true, 0.05),
      d('a4', 'AllTraffic', at, true, 0.2),
      d('a5', 'AllTraffic', '2026-11-02T12:00:00.000Z', true, 0.2),
      d('a5', 'Challenger', '2026-11-02T12:00:00.000Z', true, 0.3),
      d('a6', 'AllTraffic', at, true, 0.1),
      d('a6', 'Challenger', at, false, 0.7),
      d('lost', 'Challenger', at, true, 0.4),
    ];
    const outcomes = new Map([
      ['a1', 1],
      ['a2', 0],
      ['a4', 0],
      ['a5', 1],
      ['a6', 1],
    ]);
    const result = pairShadowScores(decisions, outcomes, SHADOW);
    // a3: declined by the champion, no outcome; a4: not mirrored; a5: too young; a6: labelled, but the shadow would
    // decline it (not jointly approved); lost: a copy whose original was not captured.
    expect(result.shadow).toEqual({ labels: [1, 0], champion: [0.1, 0.3], challenger: [0.4, 0.2] });
    expect(result.champion).toEqual({ assigned: 6, matured: 4, labelled: 4, defaults: 2 });
    expect(result.challenger).toEqual({ assigned: 6, matured: 3, labelled: 3, defaults: 2 });
  });

  it('keeps the paired test at its level for two equally good models (A/A), where pairing on the champion\'s approvals alone would not', () => {
    // Two models with the same signal and independent noise; the champion decides (approves score ≤ 0.5, ~70 %).
    const random = seededRandom(2026);
    const runs = 150;
    let joint = 0;
    let championOnly = 0;
    for (let r = 0; r < runs; r += 1) {
      const decisions: CapturedDecision[] = [];
      const outcomes = new Map<string, number>();
      for (let i = 0; i < 3000; i += 1) {
        const risk = standardNormal(random);
        const label = random() < 1 / (1 + Math.exp(-(risk * 1.5 - 2.5))) ? 1 : 0;
        const score = (noise: number) => 1 / (1 + Math.exp(-(risk + noise - 0.85)));
        const [a, b] = [score(standardNormal(random)), score(standardNormal(random))];
        decisions.push(d(`r${i}`, 'AllTraffic', at, a <= 0.5, a), d(`r${i}`, 'Challenger', at, b <= 0.5, b));
        outcomes.set(`r${i}`, label);
      }
      const { shadow } = pairShadowScores(decisions, outcomes, SHADOW);
      if (pairedDeLong(shadow.champion, shadow.challenger, shadow.labels).z > 1.96) joint += 1;
      const approvedByChampion = decisions.filter((x) => x.variant === 'AllTraffic' && x.approved).map((x) => x.inferenceId);
      const byId = new Map(decisions.filter((x) => x.variant === 'Challenger').map((x) => [x.inferenceId, x.score]));
      const scoresOf = new Map(decisions.filter((x) => x.variant === 'AllTraffic').map((x) => [x.inferenceId, x.score]));
      const naive = pairedDeLong(approvedByChampion.map((id) => scoresOf.get(id)!), approvedByChampion.map((id) => byId.get(id)!), approvedByChampion.map((id) => outcomes.get(id)!));
      if (naive.z > 1.96) championOnly += 1;
    }
    const planned = 0.025;
    const threeSe = 3 * Math.sqrt((planned * (1 - planned)) / runs);
    expect(joint / runs).toBeLessThan(planned + threeSe);
    // The biased pairing this replaced: the challenger "wins" far more often than 2.5 %.
    expect(championOnly / runs).toBeGreaterThan(0.1);
  });
});
