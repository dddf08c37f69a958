import { FINAL, OVERTAKABLE, PHASES, type Phase } from '../../../shared/lifecycle/phases';

describe('Constant: phase sets', () => {
  it('keeps overtakable and final phases disjoint and within the phase list', () => {
    const known = new Set<Phase>(PHASES);

    expect([...OVERTAKABLE].filter((p) => FINAL.has(p))).toEqual([]);
    expect([...OVERTAKABLE, ...FINAL].every((p) => known.has(p))).toBe(true);
  });

  it.each<Phase>(['Approved', 'Canary', 'Live', 'Challenger'])('never overtakes a version that is %s', (phase) => {
    expect(OVERTAKABLE.has(phase)).toBe(false);
  });
});
