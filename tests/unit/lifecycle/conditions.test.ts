import { type Condition, getCondition, setCondition } from '../../../shared/lifecycle/conditions';

const EARLIER = '2026-11-02T08:00:00.000Z';
const NOW = '2026-11-02T10:00:00.000Z';

const gatesPassed: Condition = { type: 'GatesPassed', status: 'True', reason: 'AllGatesPassed', message: '8 gate(s) passed', lastTransitionTime: EARLIER };
const degraded: Condition = { type: 'Degraded', status: 'False', reason: 'Healthy', message: 'Serving', lastTransitionTime: EARLIER };

describe('Function: setCondition', () => {
  it.each<[string, Condition[], Omit<Condition, 'lastTransitionTime'>, string]>([
    ['adds a condition of a new type, transitioned now', [degraded], { type: 'GatesPassed', status: 'True', reason: 'AllGatesPassed', message: '8 gate(s) passed' }, NOW],
    ['keeps the transition time when the status did not change', [gatesPassed], { type: 'GatesPassed', status: 'True', reason: 'AllGatesPassed', message: 'Re-evaluated: 8 gate(s) passed' }, EARLIER],
    ['moves the transition time when the status changed', [gatesPassed], { type: 'GatesPassed', status: 'False', reason: 'GatesFailed', message: 'AUC 0.79 is below the minimum 0.85' }, NOW],
  ])('%s', (_, conditions, next, lastTransitionTime) => {
    const result = setCondition(conditions, next, NOW);

    expect(getCondition(result, next.type)).toEqual({ ...next, lastTransitionTime });
    expect(result.filter((c) => c.type === next.type)).toHaveLength(1);
  });

  it('leaves other types and the input list untouched', () => {
    const conditions = [gatesPassed, degraded];

    const result = setCondition(conditions, { type: 'GatesPassed', status: 'False', reason: 'GatesFailed', message: 'x' }, NOW);

    expect(getCondition(result, 'Degraded')).toBe(degraded);
    expect(conditions).toEqual([gatesPassed, degraded]);
  });
});

describe('Function: getCondition', () => {
  it('finds a condition by type, or nothing', () => {
    expect(getCondition([gatesPassed, degraded], 'Degraded')).toBe(degraded);
    expect(getCondition([gatesPassed], 'RollbackBlocked')).toBeUndefined();
  });
});
