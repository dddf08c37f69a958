/**
 * The CLI's pure formatting: tables, times and the status summary the commands build on.
 */
import { age, formatTime, lastKnownGood, needsAttention, summarise, table, truncate } from '../../../scripts/mlops/format';
import { groupStatus, NOW, superseded, version } from './fakes';

describe('Function: table', () => {
  it('pads every column to its widest cell and leaves no trailing blanks', () => {
    const out = table(['A', 'LONGER'], [['wide cell', 'x'], ['y', '']]);

    expect(out.split('\n')).toEqual(['A          LONGER', 'wide cell  x', 'y']);
  });
});

describe('Function: truncate', () => {
  it('keeps short text, flattens whitespace and cuts long text with an ellipsis', () => {
    expect(truncate('a\n  b', 10)).toBe('a b');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
  });
});

describe('Function: age / formatTime', () => {
  it.each([
    ['2026-11-28T11:59:30.000Z', 'just now'],
    ['2026-11-28T11:15:00.000Z', '45m ago'],
    ['2026-11-27T12:00:00.000Z', '24h ago'],
    ['2026-11-20T12:00:00.000Z', '8d ago'],
    ['2026-11-28T12:20:00.000Z', 'in 20m'],
    ['2026-11-29T13:00:00.000Z', 'in 25h'],
    ['2027-02-26T12:00:00.000Z', 'in 90d'],
    ['not a time', '?'],
  ])('says %s was %s', (iso, expected) => {
    expect(age(iso, NOW)).toBe(expected);
  });

  it('prints minutes in UTC with the age, `-` when absent, and an unparseable value as is', () => {
    expect(formatTime('2026-11-28T10:04:41.123Z', NOW)).toBe('2026-11-28 10:04Z (1h ago)');
    expect(formatTime(undefined, NOW)).toBe('-');
    expect(formatTime('yesterday', NOW)).toBe('yesterday');
  });
});

describe('Function: lastKnownGood', () => {
  it('is the newest Superseded version that served production', () => {
    const status = groupStatus([superseded(2), superseded(3), version(4, 'Superseded'), version(5, 'Live'), version(6, 'RolledBack', { liveSince: NOW })]);

    expect(lastKnownGood(status)?.version).toBe(3);
  });

  it('is undefined when no version served production before', () => {
    expect(lastKnownGood(groupStatus([version(1, 'Live')]))).toBeUndefined();
  });
});

describe('Function: needsAttention / summarise', () => {
  const condition = (type: string, status: 'True' | 'False' | 'Unknown') => ({ type, status, reason: 'R', message: 'm', lastTransitionTime: NOW });

  it('flags negative conditions when True, positive ones when False, and any Unknown', () => {
    expect(needsAttention(condition('RollbackBlocked', 'True'))).toBe(true);
    expect(needsAttention(condition('RollbackBlocked', 'False'))).toBe(false);
    expect(needsAttention(condition('GatesPassed', 'False'))).toBe(true);
    expect(needsAttention(condition('GatesPassed', 'True'))).toBe(false);
    expect(needsAttention(condition('Degraded', 'Unknown'))).toBe(true);
  });

  it('collects what is in flight (newest first) and what needs attention, leaving final versions out', () => {
    const status = groupStatus(
      [
        version(3, 'Rejected', { conditions: [condition('GatesPassed', 'False')] }),
        version(4, 'Live', { conditions: [condition('Degraded', 'True')] }),
        version(5, 'Canary'),
        version(6, 'Registered'),
      ],
      { conditions: [condition('RollbackBlocked', 'False')] },
    );

    const s = summarise(status);

    expect(s.live?.version).toBe(4);
    expect(s.inFlight.map((v) => v.version)).toEqual([6, 5]);
    expect(s.attention.map((a) => [a.version, a.condition.type])).toEqual([[4, 'Degraded']]);
  });
});
