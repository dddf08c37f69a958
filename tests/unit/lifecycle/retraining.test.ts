/** Retraining starts: single-flight, cooldown after each run, weekly budget; each refusal says why and until when. */
import { parsePolicy } from '../../../shared/lifecycle/policy';
import { decideRetraining, type RetrainingHistory } from '../../../shared/lifecycle/retraining';

const NOW = '2026-11-28T12:00:00.000Z';
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();
const retrain = (overrides: object = {}) => parsePolicy({ retrain: overrides }).retrain;

describe('decideRetraining', () => {
  it.each<[string, RetrainingHistory, object, Record<string, unknown>]>([
    ['first run ever', { starts: [] }, {}, { start: true, reason: 'retraining run 1 of 2 this week' }],
    ['a run just asked for (its ARN not yet recorded) folds the signal into it', { inFlight: { startedAt: hoursAgo(0) }, starts: [hoursAgo(0)] }, {}, { start: false, skip: 'in-flight' }],
    ['a run in flight folds the signal into it', { inFlight: { executionArn: 'arn:x', startedAt: hoursAgo(1) }, starts: [hoursAgo(1)] }, {}, { start: false, skip: 'in-flight', executionArn: 'arn:x' }],
    ['inside the 24 h cooldown', { lastEndedAt: hoursAgo(5), starts: [hoursAgo(6)] }, {}, { start: false, skip: 'cooldown', until: hoursAgo(-19) }],
    ['the cooldown is over', { lastEndedAt: hoursAgo(25), starts: [hoursAgo(26)] }, {}, { start: true, reason: 'retraining run 2 of 2 this week' }],
    ['weekly budget spent', { lastEndedAt: hoursAgo(30), starts: [hoursAgo(100), hoursAgo(31)] }, {}, { start: false, skip: 'weekly-budget', until: hoursAgo(100 - 168) }],
    ['runs older than a week do not count', { lastEndedAt: hoursAgo(30), starts: [hoursAgo(200), hoursAgo(31)] }, {}, { start: true }],
    ['a zero budget never retrains', { starts: [] }, { maxPerWeek: 0 }, { start: false, skip: 'weekly-budget' }],
    ['no cooldown configured', { lastEndedAt: hoursAgo(0), starts: [hoursAgo(1)] }, { cooldownHours: 0 }, { start: true }],
  ])('%s', (_name, history, overrides, expected) => {
    expect(decideRetraining(history, retrain(overrides), NOW)).toMatchObject(expected);
  });

  it('says until when the cooldown holds', () => {
    const decision = decideRetraining({ lastEndedAt: hoursAgo(5), starts: [] }, retrain(), NOW);
    expect(decision).toEqual({ start: false, skip: 'cooldown', until: '2026-11-29T07:00:00.000Z', reason: `cooldown of 24 h after the run that ended ${hoursAgo(5)}, until 2026-11-29T07:00:00.000Z` });
  });
});
