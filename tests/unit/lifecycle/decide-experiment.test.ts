/**
 * decide, rule 7 (experiment): an operator's challenge request puts a human-approved candidate beside the Live
 * version as a second production variant; the judge's recorded verdict first moves all traffic to the winner's
 * variant (UpdateEndpointWeights), then deploys a clean one-variant config of the winner; the loser of a
 * keep-champion or stop-harm verdict ends Rejected.
 */
import { CHALLENGER_VARIANT, MAX_AB_SHARE_PERCENT, VARIANT_NAME } from '../../../shared/lifecycle/decide';
import type { ExperimentState, GroupStatus, Snapshot } from '../../../shared/lifecycle/model';
import { endpointConfigName, modelName } from '../../../shared/lifecycle/names';
import { DEFAULT_POLICY } from '../../../shared/lifecycle/policy';
import {
  actionsOfType,
  anAlarm,
  anEndpoint,
  aPackage,
  aSnapshot,
  aVersion,
  configOf,
  decideChecked,
  deployedSpec,
  ERRORS_ALARM,
  eventsOfType,
  eventTypes,
  GROUP,
  humanActor,
  humanApproval,
  LIVE_SINCE,
  nextSnapshot,
  NOW,
  packageArn,
  PROD_ENDPOINT,
  prodServing,
  versionOf,
} from '../../support/lifecycle-fixtures';

const REQUEST: NonNullable<GroupStatus['challengeRequest']> = { version: 5, sharePercent: 10, by: humanActor.arn, reason: 'Bureau v2 features', at: '2026-11-02T09:45:00.000Z' };

/** The experiment's config name, computed the documented way: the champion's config plus the challenger variant. */
function experimentConfig(share = 10, mode: 'ab' | 'shadow' = 'ab'): string {
  const p = DEFAULT_POLICY.production;
  const config = {
    modelName: modelName(GROUP, 4, packageArn(4)),
    variantName: VARIANT_NAME,
    instanceType: p.instanceType,
    instanceCount: p.instanceCount,
    dataCaptureSamplingPercent: p.dataCaptureSamplingPercent,
    challenger: { mode, variantName: CHALLENGER_VARIANT, modelName: modelName(GROUP, 5, packageArn(5)), modelPackageArn: packageArn(5), sharePercent: share },
  };
  return endpointConfigName(GROUP, 4, 'production', config);
}

/** v3 superseded, v4 Live, v5 waiting for its production approval (granted by a human in the registry). */
function challengeSnapshot(overrides: { v5Phase?: 'AwaitingApproval' | 'Approved' | 'Gated'; approved?: boolean; endpoint?: Snapshot['endpoints']['production']; request?: GroupStatus['challengeRequest'] } = {}): Snapshot {
  const phase = overrides.v5Phase ?? 'AwaitingApproval';
  return aSnapshot({
    versions: [aVersion(3, 'Superseded'), aVersion(4, 'Live'), aVersion(5, phase, phase === 'AwaitingApproval' ? { awaiting: 'production' } : {})],
    packages: [aPackage(3, { approval: humanApproval }), aPackage(4, { approval: humanApproval }), aPackage(5, overrides.approved === false ? {} : { approval: humanApproval })],
    endpoints: { production: overrides.endpoint ?? prodServing(4) },
    challengeRequest: overrides.request ?? REQUEST,
  });
}

const RUNNING: ExperimentState = {
  version: 5,
  championVersion: 4,
  mode: 'ab',
  sharePercent: 10,
  startedAt: '2026-11-01T13:00:00.000Z',
  servingSince: '2026-11-01T13:20:00.000Z',
  endpointConfigName: experimentConfig(),
  plan: { challengerShare: 0.1, championDefaultRate: 0.05, minimumDetectableEffect: 0.01 },
  labels: { label: 'default_90d', maturityDays: 90, decisionThreshold: 0.5 },
  deployAttempts: 1,
  // Started 2026-11-01T13:00Z: 90 days of maturity plus 180 of enrolment.
  deadline: '2027-07-29T13:00:00.000Z',
};

const SHADOW_POLICY = { ...DEFAULT_POLICY, experiment: { ...DEFAULT_POLICY.experiment, mode: 'shadow' as const } };
const SHADOW: ExperimentState = { ...RUNNING, mode: 'shadow', endpointConfigName: experimentConfig(10, 'shadow'), plan: { ...RUNNING.plan, plannedDefaults: 600 } };

const FIGURES = { champion: { units: 9000, events: 450 }, challenger: { units: 1000, events: 31 } };

/** v4 Live and v5 Challenger on the two-variant config, with the experiment recorded as given. */
function runningSnapshot(experiment: ExperimentState, parts: { endpoint?: Snapshot['endpoints']['production']; v5Approval?: 'Approved' | 'Rejected' | 'RejectedAnonymously'; alarms?: Snapshot['alarms'] } = {}): Snapshot {
  const rejected = { status: 'Rejected' as const, description: 'pulled', ...(parts.v5Approval === 'Rejected' ? { actor: humanActor } : {}) };
  return aSnapshot({
    versions: [aVersion(3, 'Superseded'), aVersion(4, 'Live'), aVersion(5, 'Challenger', { deployments: {} })],
    packages: [
      aPackage(3, { approval: humanApproval }),
      aPackage(4, { approval: humanApproval }),
      aPackage(5, { approval: parts.v5Approval?.startsWith('Rejected') ? rejected : humanApproval }),
    ],
    endpoints: { production: parts.endpoint ?? anEndpoint(PROD_ENDPOINT, 'InService', experiment.endpointConfigName) },
    alarms: parts.alarms ?? [],
    experiment,
  });
}

const verdict = (decision: 'challenger-wins' | 'keep-champion' | 'stop-harm') => ({ decision, reason: `judge said ${decision}`, lookAt: '2026-11-02T09:59:00.000Z', ...FIGURES });

describe('decide: starting an A/B test', () => {
  it('puts a human-approved candidate beside the Live version as a second variant with its share, all at once', () => {
    const decision = decideChecked(challengeSnapshot());
    const spec = deployedSpec(decision);
    expect(spec).toMatchObject({
      endpointName: PROD_ENDPOINT,
      endpointConfigName: experimentConfig(),
      modelName: modelName(GROUP, 4, packageArn(4)),
      variantName: 'AllTraffic',
      rollout: { strategy: 'all-at-once' },
      challenger: { mode: 'ab', variantName: 'Challenger', modelName: modelName(GROUP, 5, packageArn(5)), modelPackageArn: packageArn(5), sharePercent: 10 },
      tags: { 'creditai:model-version': '4', 'creditai:challenger-version': '5' },
    });
    expect(versionOf(decision, 5)).toMatchObject({ phase: 'Challenger', approval: { actor: humanActor, reason: humanApproval.description } });
    expect(versionOf(decision, 5).deployments.production).toMatchObject({ endpointConfigName: experimentConfig(), previousConfigName: configOf(4, 'production'), strategy: 'all-at-once' });
    expect(versionOf(decision, 4).phase).toBe('Live');
    expect(eventTypes(decision)).toEqual(['ModelApproved', 'ChallengerStarted']);
    expect(eventsOfType(decision, 'ChallengerStarted')[0]).toMatchObject({ version: 5, championVersion: 4, sharePercent: 10, mode: 'ab', requestedBy: humanActor.arn, label: 'default_90d', labelMaturityDays: 90 });
    expect(eventsOfType(decision, 'ChallengerStarted')[0]).not.toHaveProperty('plannedDefaults');
    expect(decision.status.challengeRequest).toBeUndefined();
    const { servingSince: _notYet, ...started } = RUNNING;
    expect(decision.status.experiment).toEqual({ ...started, startedAt: NOW, deadline: '2027-07-30T10:00:00.000Z' });
  });

  it('starts from Approved (approval by policy) without a second ModelApproved, and the plan follows the policy', () => {
    const policy = { ...DEFAULT_POLICY, experiment: { ...DEFAULT_POLICY.experiment, championDefaultRate: 0.08, minimumDetectableEffect: 0.02 } };
    const decision = decideChecked(challengeSnapshot({ v5Phase: 'Approved', request: { ...REQUEST, sharePercent: 50 } }), policy);
    expect(eventTypes(decision)).toEqual(['ChallengerStarted']);
    expect(decision.status.experiment?.plan).toEqual({ challengerShare: 0.5, championDefaultRate: 0.08, minimumDetectableEffect: 0.02 });
  });

  it('sets the deadline from the policy\'s maximum duration when it has one', () => {
    const policy = { ...DEFAULT_POLICY, experiment: { ...DEFAULT_POLICY.experiment, maxDurationDays: 100.5 } };
    expect(decideChecked(challengeSnapshot(), policy).status.experiment?.deadline).toBe('2027-02-10T22:00:00.000Z');
  });

  it('records an approval without a comment or a time as given now, with an empty reason', () => {
    const snapshot = challengeSnapshot();
    const bare = { ...snapshot, packages: snapshot.packages.map((p) => (p.version === 5 ? { ...p, approval: { status: 'Approved' as const, actor: humanActor } } : p)) };
    expect(versionOf(decideChecked(bare), 5).approval).toEqual({ actor: humanActor, at: NOW, reason: '' });
  });

  it.each([
    ['the challenger is not yet approved for production', { approved: false }],
    ['the challenger waits for staging', { v5Phase: 'Gated' as const }],
    ['production is busy', { endpoint: anEndpoint(PROD_ENDPOINT, 'Updating', configOf(4, 'production')) }],
  ])('waits, the request kept, while %s', (_, overrides) => {
    const snapshot = challengeSnapshot(overrides);
    const decision = decideChecked(snapshot);
    expect(actionsOfType(decision, 'DeployEndpoint').filter((a) => a.spec.environment === 'production')).toEqual([]);
    expect(eventsOfType(decision, 'ChallengerStarted')).toEqual([]);
    expect(decision.status.challengeRequest).toEqual(REQUEST);
    expect(decision.status.experiment).toBeUndefined();
  });

  it.each([
    ['an unknown version', { ...REQUEST, version: 9 }, 'no such version'],
    ['the Live version itself', { ...REQUEST, version: 4 }, 'it is Live, not a candidate for production'],
  ])('refuses a challenge of %s once, and drops the request', (_, request, why) => {
    const decision = decideChecked(challengeSnapshot({ request }));
    expect(eventsOfType(decision, 'ReconcileFailed')).toEqual([
      expect.objectContaining({ severity: 'warning', reason: 'ChallengeRefused', message: `Challenge of version ${request.version} by ${humanActor.arn} refused: ${why}` }),
    ]);
    expect(decision.status.challengeRequest).toBeUndefined();
  });

  it('refuses a challenge when no version is Live', () => {
    const snapshot = aSnapshot({ versions: [aVersion(5, 'Approved')], packages: [aPackage(5, { approval: humanApproval })], challengeRequest: REQUEST });
    const decision = decideChecked(snapshot);
    expect(eventsOfType(decision, 'ReconcileFailed')[0]?.message).toContain('no version is Live to challenge');
  });

  it('holds a newer approved version back while an experiment runs', () => {
    const snapshot = runningSnapshot(RUNNING);
    const withV6 = { ...snapshot, status: { ...snapshot.status, versions: [...snapshot.status.versions, aVersion(6, 'Approved')] }, packages: [...snapshot.packages, aPackage(6, { approval: humanApproval })] };
    const decision = decideChecked(withV6);
    expect(decision.actions).toEqual([]);
    expect(versionOf(decision, 6).phase).toBe('Approved');
  });
});

describe('decide: concluding an A/B test', () => {
  it('does nothing while the experiment runs without a verdict', () => {
    const snapshot = runningSnapshot(RUNNING);
    const decision = decideChecked(snapshot);
    expect(decision.actions).toEqual([]);
    expect(decision.status).toEqual(snapshot.status);
  });

  it('records when the endpoint first serves the two-variant config, once, and moves the deadline by the wait', () => {
    const { servingSince: _notYet, ...justStarted } = RUNNING;
    const decision = decideChecked(runningSnapshot(justStarted));
    expect(decision.actions).toEqual([]);
    // Started 2026-11-01T13:00Z, served from NOW (2026-11-02T10:00Z): 21 hours later.
    expect(decision.status.experiment).toEqual({ ...justStarted, servingSince: NOW, deadline: '2027-07-30T10:00:00.000Z' });
    const { deadline: _none, ...old } = justStarted;
    expect(decideChecked(runningSnapshot(old)).status.experiment).toEqual({ ...old, servingSince: NOW });
  });

  it('re-sends the two-variant config when the endpoint does not serve it (a lost action), counting the sends', () => {
    const decision = decideChecked(runningSnapshot(RUNNING, { endpoint: prodServing(4) }));
    expect(deployedSpec(decision)).toMatchObject({ endpointConfigName: experimentConfig(), challenger: { sharePercent: 10 } });
    expect(decision.status.experiment?.deployAttempts).toBe(2);
    expect(eventTypes(decision)).toEqual([]);
  });

  it('follows the config a production setting changed mid-test renames, so serving it counts', () => {
    const policy = { ...DEFAULT_POLICY, production: { ...DEFAULT_POLICY.production, instanceCount: 4 } };
    const decision = decideChecked(runningSnapshot({ ...RUNNING, servingSince: undefined }, { endpoint: prodServing(4) }), policy);
    const spec = deployedSpec(decision);
    expect(spec.instanceCount).toBe(4);
    expect(spec.endpointConfigName).not.toBe(experimentConfig());
    expect(decision.status.experiment?.endpointConfigName).toBe(spec.endpointConfigName);
  });

  it('counts the start as the first send of an experiment recorded before sends were counted', () => {
    const { deployAttempts: _none, ...old } = RUNNING;
    expect(decideChecked(runningSnapshot(old, { endpoint: prodServing(4) })).status.experiment?.deployAttempts).toBe(2);
  });

  it('sends a config SageMaker keeps reverting three times in all, then aborts', () => {
    const first = runningSnapshot({ ...RUNNING, servingSince: undefined }, { endpoint: prodServing(4) });
    const second = decideChecked(first);
    const third = decideChecked(nextSnapshot(first, second));
    const fourth = decideChecked(nextSnapshot(nextSnapshot(first, second), third));
    expect([second, third, fourth].map((d) => actionsOfType(d, 'DeployEndpoint').length)).toEqual([1, 1, 0]);
    expect([second, third].map((d) => d.status.experiment?.deployAttempts)).toEqual([2, 3]);
    expect(eventsOfType(fourth, 'ExperimentConcluded')[0]).toMatchObject({ decision: 'aborted', reason: `The experiment's config ${experimentConfig()} was not served after 3 attempts` });
  });

  it('aborts at once, the challenger Rejected, when SageMaker refused the config outright (recorded by the executor)', () => {
    const decision = decideChecked(runningSnapshot({ ...RUNNING, servingSince: undefined, deployError: 'The account-level service limit is 2 Instances' }, { endpoint: prodServing(4) }));
    expect(actionsOfType(decision, 'DeployEndpoint')).toEqual([]);
    expect(versionOf(decision, 5).phase).toBe('Rejected');
    expect(eventsOfType(decision, 'ExperimentConcluded')[0]).toMatchObject({ decision: 'aborted', reason: `SageMaker refused the experiment's config ${experimentConfig()}: The account-level service limit is 2 Instances` });
  });

  it.each([
    ['with the reason SageMaker gives', 'CapacityError: Unable to provision requested ML compute capacity', ': CapacityError: Unable to provision requested ML compute capacity'],
    ['without a reason', undefined, ''],
  ])('aborts, the challenger Rejected, after the third unserved send (%s)', (_, failureReason, why) => {
    const reverted = { ...prodServing(4), ...(failureReason ? { failureReason } : {}) };
    const decision = decideChecked(runningSnapshot({ ...RUNNING, servingSince: undefined, deployAttempts: 3 }, { endpoint: reverted }));
    expect(actionsOfType(decision, 'DeployEndpoint')).toEqual([]);
    expect(decision.status.experiment).toBeUndefined();
    expect(versionOf(decision, 5).phase).toBe('Rejected');
    expect(versionOf(decision, 4).phase).toBe('Live');
    expect(eventsOfType(decision, 'ExperimentConcluded')[0]).toMatchObject({ decision: 'aborted', winnerVersion: 4, reason: `The experiment's config ${experimentConfig()} was not served after 3 attempts${why}` });
  });

  it('challenger-wins: all traffic to the challenger first, then a clean config of it, which is promoted', () => {
    const first = runningSnapshot({ ...RUNNING, verdict: verdict('challenger-wins') });
    const shift = decideChecked(first);
    expect(actionsOfType(shift, 'UpdateEndpointWeights')).toEqual([
      { type: 'UpdateEndpointWeights', endpointName: PROD_ENDPOINT, weights: [{ variantName: 'AllTraffic', weight: 0 }, { variantName: 'Challenger', weight: 1 }] },
    ]);
    expect(shift.status.experiment?.weightsShiftedAt).toBe(NOW);
    expect(eventTypes(shift)).toEqual([]);

    const clean = decideChecked(nextSnapshot(first, shift));
    const spec = deployedSpec(clean);
    expect(spec).toMatchObject({ endpointConfigName: configOf(5, 'production'), rollout: { strategy: 'all-at-once' } });
    expect(spec.challenger).toBeUndefined();
    expect(versionOf(clean, 5).phase).toBe('Canary');
    expect(clean.status.experiment).toBeUndefined();
    expect(eventTypes(clean)).toEqual(['DeploymentStarted', 'ExperimentConcluded']);
    expect(eventsOfType(clean, 'ExperimentConcluded')[0]).toMatchObject({ version: 5, championVersion: 4, decision: 'challenger-wins', winnerVersion: 5, ...FIGURES });

    const served = { ...nextSnapshot(first, clean), endpoints: { production: prodServing(5) } };
    const promoted = decideChecked(served);
    expect(versionOf(promoted, 5).phase).toBe('Live');
    expect(versionOf(promoted, 4).phase).toBe('Superseded');
  });

  it.each(['stop-harm', 'keep-champion'] as const)('%s: all traffic back to the champion, then its clean config; the challenger is Rejected', (decisionName) => {
    const first = runningSnapshot({ ...RUNNING, verdict: verdict(decisionName) });
    const shift = decideChecked(first);
    expect(actionsOfType(shift, 'UpdateEndpointWeights')[0]?.weights).toEqual([{ variantName: 'AllTraffic', weight: 1 }, { variantName: 'Challenger', weight: 0 }]);

    const clean = decideChecked(nextSnapshot(first, shift));
    expect(deployedSpec(clean)).toMatchObject({ endpointConfigName: configOf(4, 'production'), rollout: { strategy: 'all-at-once' } });
    expect(versionOf(clean, 4).phase).toBe('Live');
    expect(versionOf(clean, 5)).toMatchObject({ phase: 'Rejected', reason: `A/B test against version 4: judge said ${decisionName}` });
    expect(actionsOfType(clean, 'RejectPackage')).toHaveLength(1);
    expect(eventTypes(clean)).toEqual(['DeploymentStarted', 'ModelRejected', 'ExperimentConcluded']);
    expect(eventsOfType(clean, 'ExperimentConcluded')[0]).toMatchObject({ decision: decisionName, winnerVersion: 4 });
  });

  it('waits for a busy endpoint before acting on a verdict', () => {
    const busy = anEndpoint(PROD_ENDPOINT, 'Updating', experimentConfig());
    expect(decideChecked(runningSnapshot({ ...RUNNING, verdict: verdict('challenger-wins') }, { endpoint: busy })).actions).toEqual([]);
  });

  it.each([
    ['Rejected', humanActor.arn],
    ['RejectedAnonymously', 'an unidentified principal'],
  ] as const)('ends the test for the champion when the challenger is %s in the registry', (v5Approval, who) => {
    const first = runningSnapshot(RUNNING, { v5Approval });
    const shift = decideChecked(first);
    expect(actionsOfType(shift, 'UpdateEndpointWeights')[0]?.weights).toEqual([{ variantName: 'AllTraffic', weight: 1 }, { variantName: 'Challenger', weight: 0 }]);
    expect(shift.status.experiment?.verdict).toMatchObject({ decision: 'keep-champion', reason: `Rejected in the registry by ${who} during the A/B test` });
    const clean = decideChecked(nextSnapshot(first, shift));
    // Already rejected there: the registry is not told again.
    expect(actionsOfType(clean, 'RejectPackage')).toEqual([]);
    expect(versionOf(clean, 5).phase).toBe('Rejected');
  });

  it.each([
    ['without a verdict', RUNNING, { units: 0, events: 0 }],
    ['with a verdict recorded', { ...RUNNING, verdict: verdict('challenger-wins') }, FIGURES.challenger],
  ])('aborts when the champion is rolled back during the test (%s)', (_, experiment, challengerFigures) => {
    const alarm = anAlarm(ERRORS_ALARM, 'ALARM', NOW);
    const snapshot = runningSnapshot(experiment, { alarms: [alarm] });
    const decision = decideChecked(snapshot);
    expect(versionOf(decision, 4).phase).toBe('RolledBack');
    expect(versionOf(decision, 3).phase).toBe('Canary');
    expect(versionOf(decision, 5).phase).toBe('Rejected');
    expect(decision.status.experiment).toBeUndefined();
    expect(eventsOfType(decision, 'ExperimentConcluded')[0]).toMatchObject({ decision: 'aborted', winnerVersion: 4, challenger: challengerFigures, reason: 'Version 4 left production (RolledBack) during the A/B test' });
    expect(actionsOfType(decision, 'UpdateEndpointWeights')).toEqual([]);
  });

  it('keeps the one-variant config names of ordinary releases unchanged', () => {
    expect(LIVE_SINCE < NOW).toBe(true);
    expect(configOf(5, 'production')).not.toBe(experimentConfig());
    expect(experimentConfig(10)).not.toBe(experimentConfig(20));
  });
});

describe('decide: a shadow test (policy experiment.mode shadow)', () => {
  it('puts the challenger beside the Live version as a shadow variant on a copy of its share, with the AUC plan', () => {
    const decision = decideChecked(challengeSnapshot(), SHADOW_POLICY);
    expect(deployedSpec(decision)).toMatchObject({ endpointConfigName: experimentConfig(10, 'shadow'), challenger: { mode: 'shadow', variantName: 'Challenger', sharePercent: 10 } });
    expect(versionOf(decision, 5)).toMatchObject({ phase: 'Challenger', reason: 'Shadow test against version 4 in shadow on a copy of 10 % of production requests (it decides nothing)' });
    expect(eventsOfType(decision, 'ChallengerStarted')[0]).toMatchObject({ mode: 'shadow', plannedDefaults: 600 });
    const { servingSince: _notYet, ...started } = SHADOW;
    expect(decision.status.experiment).toEqual({ ...started, startedAt: NOW, deadline: '2027-07-30T10:00:00.000Z' });
  });

  it('names the early harm label in an A/B test when the policy has one, and not in a shadow test; fixes it with the plan', () => {
    const early = { label: 'dpd30_m3', maturityDays: 90 };
    const ab = decideChecked(challengeSnapshot(), { ...DEFAULT_POLICY, experiment: { ...DEFAULT_POLICY.experiment, labelMaturityDays: 365, earlyHarmLabel: early } });
    expect(eventsOfType(ab, 'ChallengerStarted')[0]?.earlyHarmLabel).toEqual(early);
    expect(ab.status.experiment?.labels).toEqual({ label: 'default_90d', maturityDays: 365, decisionThreshold: 0.5, earlyHarm: early });
    const shadow = decideChecked(challengeSnapshot(), { ...SHADOW_POLICY, experiment: { ...SHADOW_POLICY.experiment, labelMaturityDays: 365, earlyHarmLabel: early } });
    expect(eventsOfType(shadow, 'ChallengerStarted')[0]).not.toHaveProperty('earlyHarmLabel');
    expect(shadow.status.experiment?.labels).toEqual({ label: 'default_90d', maturityDays: 365, decisionThreshold: 0.5 });
  });

  it.each([
    ['a shadow request once the policy says A/B', { ...REQUEST, mode: 'shadow' as const }, DEFAULT_POLICY, "it was requested as a shadow test, and the group policy's experiment.mode is now ab; request it again"],
    ['an A/B request once the policy says shadow', { ...REQUEST, mode: 'ab' as const }, SHADOW_POLICY, "it was requested as an A/B test, and the group policy's experiment.mode is now shadow; request it again"],
    ['an A/B share above half (a request made for a shadow test)', { ...REQUEST, sharePercent: 80 }, DEFAULT_POLICY, `an A/B challenger may decide at most ${MAX_AB_SHARE_PERCENT} % of production, not 80 %`],
  ])('refuses %s, once, deploying nothing', (_, request, policy, why) => {
    const decision = decideChecked(challengeSnapshot({ request }), policy);
    expect(actionsOfType(decision, 'DeployEndpoint').filter((a) => a.spec.environment === 'production')).toEqual([]);
    expect(eventsOfType(decision, 'ReconcileFailed')[0]?.message).toBe(`Challenge of version 5 by ${humanActor.arn} refused: ${why}`);
    expect(decision.status.challengeRequest).toBeUndefined();
    expect(decision.status.experiment).toBeUndefined();
  });

  it('challenger-wins: no weight shift (the shadow served nobody); the champion alone first, then the winner\'s canary from that clean config', () => {
    const first = runningSnapshot({ ...SHADOW, verdict: verdict('challenger-wins') });
    const clean = decideChecked(first, SHADOW_POLICY);
    expect(actionsOfType(clean, 'UpdateEndpointWeights')).toEqual([]);
    expect(deployedSpec(clean)).toMatchObject({ endpointConfigName: configOf(4, 'production'), rollout: { strategy: 'all-at-once' } });
    expect(deployedSpec(clean).challenger).toBeUndefined();
    expect(versionOf(clean, 5).phase).toBe('Challenger');
    expect(clean.status.experiment).toMatchObject({ verdict: verdict('challenger-wins'), shadowRemovedAt: NOW });
    expect(eventTypes(clean)).toEqual(['DeploymentStarted']);

    // The clean config is sent but not served yet (a lost action): sent again, the winner waits.
    const lost = decideChecked(nextSnapshot(first, clean), SHADOW_POLICY);
    expect(deployedSpec(lost)).toMatchObject({ endpointConfigName: configOf(4, 'production') });
    expect(versionOf(lost, 5).phase).toBe('Challenger');
    expect(eventTypes(lost)).toEqual([]);

    const served = { ...nextSnapshot(first, clean), endpoints: { production: prodServing(4) } };
    const canary = decideChecked(served, SHADOW_POLICY);
    const spec = deployedSpec(canary);
    expect(spec).toMatchObject({ endpointConfigName: configOf(5, 'production'), rollout: { strategy: 'canary' } });
    expect(spec.challenger).toBeUndefined();
    expect(versionOf(canary, 5)).toMatchObject({ phase: 'Canary', deployments: { production: { previousConfigName: configOf(4, 'production') } } });
    expect(versionOf(canary, 4).phase).toBe('Live');
    expect(canary.status.experiment).toBeUndefined();
    expect(eventTypes(canary)).toEqual(['DeploymentStarted', 'CanaryStarted', 'ExperimentConcluded']);
    expect(eventsOfType(canary, 'ExperimentConcluded')[0]).toMatchObject({ decision: 'challenger-wins', winnerVersion: 5 });
  });

  it('sends the champion\'s clean config three times in all, then aborts and tells on-call the shadow config may still serve', () => {
    const reverted = { ...anEndpoint(PROD_ENDPOINT, 'InService', experimentConfig(10, 'shadow')), failureReason: 'CapacityError: no ml.m5.xlarge capacity' };
    const stuck = runningSnapshot({ ...SHADOW, verdict: verdict('challenger-wins'), shadowRemovedAt: NOW, deployAttempts: 3 }, { endpoint: reverted });
    const decision = decideChecked(stuck, SHADOW_POLICY);
    expect(actionsOfType(decision, 'DeployEndpoint')).toEqual([]);
    expect(decision.status.experiment).toBeUndefined();
    expect(versionOf(decision, 5).phase).toBe('Rejected');
    expect(eventsOfType(decision, 'ReconcileFailed')[0]).toMatchObject({
      severity: 'error',
      reason: 'ExperimentConfigStuck',
      message: `The champion's clean config ${configOf(4, 'production')} was not served on ${PROD_ENDPOINT} after 3 attempts: CapacityError: no ml.m5.xlarge capacity; production may still serve the shadow test's config: deploy version 4 alone once the cause is fixed`,
    });
    expect(eventsOfType(decision, 'ExperimentConcluded')[0]).toMatchObject({ decision: 'aborted', reason: "The champion's clean config was not served after 3 attempts: CapacityError: no ml.m5.xlarge capacity" });
    const resent = decideChecked(runningSnapshot({ ...SHADOW, verdict: verdict('challenger-wins'), shadowRemovedAt: NOW, deployAttempts: 2 }), SHADOW_POLICY);
    expect(resent.status.experiment?.deployAttempts).toBe(3);
    const silent = decideChecked(runningSnapshot({ ...SHADOW, verdict: verdict('challenger-wins'), shadowRemovedAt: NOW, deployAttempts: 3 }), SHADOW_POLICY);
    expect(eventsOfType(silent, 'ExperimentConcluded')[0]?.reason).toBe("The champion's clean config was not served after 3 attempts");
    const { deployAttempts: _uncounted, ...uncounted } = SHADOW;
    const counted = decideChecked(runningSnapshot({ ...uncounted, verdict: verdict('challenger-wins'), shadowRemovedAt: NOW }), SHADOW_POLICY);
    expect(counted.status.experiment?.deployAttempts).toBe(2);
  });

  it.each([
    ['Rejected', humanActor.arn],
    ['RejectedAnonymously', 'an unidentified principal'],
  ] as const)('keeps the champion when the winner is %s in the registry before its canary starts', (v5Approval, who) => {
    const decision = decideChecked(runningSnapshot({ ...SHADOW, verdict: verdict('challenger-wins'), shadowRemovedAt: NOW }, { endpoint: prodServing(4), v5Approval }), SHADOW_POLICY);
    expect(actionsOfType(decision, 'DeployEndpoint')).toEqual([]);
    expect(actionsOfType(decision, 'RejectPackage')).toEqual([]);
    expect(versionOf(decision, 5).phase).toBe('Rejected');
    expect(eventsOfType(decision, 'ExperimentConcluded')[0]).toMatchObject({ decision: 'keep-champion', winnerVersion: 4, reason: `Rejected in the registry by ${who} after winning the shadow test` });
  });

  it('keep-champion: a clean config of the champion at once; the challenger is Rejected', () => {
    const decision = decideChecked(runningSnapshot({ ...SHADOW, verdict: verdict('keep-champion') }), SHADOW_POLICY);
    expect(actionsOfType(decision, 'UpdateEndpointWeights')).toEqual([]);
    expect(deployedSpec(decision)).toMatchObject({ endpointConfigName: configOf(4, 'production'), rollout: { strategy: 'all-at-once' } });
    expect(versionOf(decision, 5)).toMatchObject({ phase: 'Rejected', reason: 'Shadow test against version 4: judge said keep-champion' });
    expect(eventTypes(decision)).toEqual(['DeploymentStarted', 'ModelRejected', 'ExperimentConcluded']);
  });

  it('re-sends the shadow config, not an A/B one, when it is not served', () => {
    const decision = decideChecked(runningSnapshot(SHADOW, { endpoint: prodServing(4) }), SHADOW_POLICY);
    expect(deployedSpec(decision)).toMatchObject({ endpointConfigName: experimentConfig(10, 'shadow'), challenger: { mode: 'shadow' } });
  });

  it('treats an experiment recorded before shadow mode (no mode) as an A/B test', () => {
    const { mode: _none, ...old } = RUNNING;
    const shift = decideChecked(runningSnapshot({ ...old, verdict: verdict('challenger-wins') }), SHADOW_POLICY);
    expect(actionsOfType(shift, 'UpdateEndpointWeights')).toHaveLength(1);
  });

  it('keeps the shadow and A/B configs apart', () => {
    expect(experimentConfig(10, 'shadow')).not.toBe(experimentConfig(10, 'ab'));
  });
});
