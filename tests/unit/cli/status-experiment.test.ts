/**
 * The A/B-test formatting of `mlops status`: what a pending challenge waits for, per recorded phase, and the
 * per-arm figures of a verdict.
 */
import { armLabel, challengeWait, modeOf } from '../../../scripts/mlops/commands/status-experiment';
import type { ChallengeRequest, ExperimentState, VersionStatus } from '../../../shared/lifecycle/model';
import { groupStatus, version } from './fakes';

const REQUEST: ChallengeRequest = { version: 8, sharePercent: 10, by: 'alice', reason: 'thin files', at: '2026-11-28T11:30:00.000Z' };
const LIVE = version(5, 'Live');
const RUNNING: ExperimentState = {
  version: 7,
  championVersion: 5,
  sharePercent: 10,
  startedAt: '2026-11-28T10:00:00.000Z',
  endpointConfigName: 'c',
  plan: { challengerShare: 0.1, championDefaultRate: 0.05, minimumDetectableEffect: 0.01 },
};
const REFUSED = 'the next reconcile refuses it';

describe('challengeWait', () => {
  it.each<[string, VersionStatus[], ExperimentState | undefined, string]>([
    ['an unrecorded version', [LIVE], undefined, `v8 is not recorded: ${REFUSED}`],
    ['no Live version', [version(8, 'Approved')], undefined, `no version is Live to challenge: ${REFUSED}`],
    ['an approved version while another experiment runs', [LIVE, version(7, 'Challenger'), version(8, 'Approved')], RUNNING, 'waiting for the running experiment (v7) to end'],
    ['an approved version', [LIVE, version(8, 'Approved')], undefined, 'approved; waiting for the production slot'],
    ['a version awaiting its production approval', [LIVE, version(8, 'AwaitingApproval', { awaiting: 'production' })], undefined, 'waiting for the production approval by a human'],
    ['a version awaiting its staging approval', [LIVE, version(8, 'AwaitingApproval', { awaiting: 'staging' })], undefined, 'waiting for v8 to reach its production approval (now AwaitingApproval(staging))'],
    ['a version in staging', [LIVE, version(8, 'DeployingStaging')], undefined, 'waiting for v8 to reach its production approval (now DeployingStaging)'],
    ['a rejected version', [LIVE, version(8, 'Rejected')], undefined, `v8 is Rejected, not a candidate: ${REFUSED}`],
    ['a version in its canary', [LIVE, version(8, 'Canary')], undefined, `v8 is Canary, not a candidate: ${REFUSED}`],
  ])('for %s', (_, versions, experiment, expected) => {
    const status = groupStatus(versions, { challengeRequest: REQUEST, ...(experiment ? { experiment } : {}) });
    expect(challengeWait(status, REQUEST)).toBe(expected);
  });
});

describe('armLabel', () => {
  it.each<[number, number, string]>([
    [0, 0, 'units 0, events 0'],
    [1200, 60, 'units 1,200, events 60 (5.00 %)'],
    [3, 1, 'units 3, events 1 (33.33 %)'],
    [140, 4, 'units 140, events 4 (2.86 %)'],
  ])('%i units with %i events: %s', (units, events, expected) => {
    expect(armLabel({ units, events })).toBe(expected);
  });
});

describe('modeOf', () => {
  it.each<[ExperimentState['mode'], 'ab' | 'shadow']>([
    [undefined, 'ab'],
    ['ab', 'ab'],
    ['shadow', 'shadow'],
  ])('reads %s as %s (records from before shadow mode carry none)', (mode, expected) => {
    expect(modeOf({ ...RUNNING, ...(mode ? { mode } : {}) })).toBe(expected);
  });
});
