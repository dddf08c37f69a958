import { isDeepStrictEqual } from 'node:util';
import type { DomainDetailType } from '../../../shared/contracts/domain-events';
import type { ActionType } from '../../../shared/lifecycle/actions';
import { getCondition } from '../../../shared/lifecycle/conditions';
import { CONTROL_PLANE, type Decision, howToApprove } from '../../../shared/lifecycle/decide';
import { evaluateGates, gateSummary } from '../../../shared/lifecycle/gates';
import { isBusy } from '../../../shared/lifecycle/endpoints';
import type { EndpointObservation, PackageObservation, SmokeTestResult, Snapshot, VersionStatus } from '../../../shared/lifecycle/model';
import type { Environment, Phase } from '../../../shared/lifecycle/phases';
import { DEFAULT_POLICY, type Policy, parsePolicy } from '../../../shared/lifecycle/policy';
import { judgeSmokeTest, withSmokeTest } from '../../../shared/lifecycle/smoke-test';
import {
  DEPLOY_STARTED,
  EARLIER,
  ERRORS_ALARM,
  LIVE_SINCE,
  NOW,
  P99_ALARM,
  PROD_ENDPOINT,
  STAGING_ENDPOINT,
  type SnapshotParts,
  aBiasReport,
  aDeployment,
  aPackage,
  aSnapshot,
  aVersion,
  actionsOfType,
  anAlarm,
  anEndpoint,
  anEvaluationReport,
  configOf,
  decideChecked,
  deepFreeze,
  deployedSpec,
  effectTypes,
  eventTypes,
  eventsOf,
  eventsOfType,
  humanActor,
  humanApproval,
  intendedNames,
  nextSnapshot,
  packageArn,
  pipelineActor,
  prodServing,
  stagingServing,
  versionOf,
} from '../../support/lifecycle-fixtures';

const MANUAL_STAGING = parsePolicy({ approval: { staging: 'manual' } });
const AUTO_PRODUCTION = parsePolicy({ approval: { production: 'auto' } });
const ALL_AT_ONCE = parsePolicy({ production: { strategy: 'all-at-once' } });
const PAGE_ON_ALARM = parsePolicy({ rollback: { onAlarm: 'page' } });

/** When an earlier approval (staging, or a recorded one) was given. */
const EARLIER_APPROVAL = '2026-11-02T07:55:00.000Z';

const stagingBusy = anEndpoint(STAGING_ENDPOINT, 'Updating', configOf(2, 'staging'), { pendingConfigName: configOf(3, 'staging') });
const prodBusy = anEndpoint(PROD_ENDPOINT, 'Updating', configOf(2, 'production'), { pendingConfigName: configOf(3, 'production') });

const smokeResult = (version: number, passed: boolean): SmokeTestResult => ({
  endpointConfigName: configOf(version, 'staging'),
  passed,
  checks: [
    { name: 'invocations', passed: true, message: '3 call(s) answered' },
    { name: 'latency', passed, message: passed ? 'Slowest call 84 ms (limit 200 ms)' : 'Slowest call 412 ms (limit 200 ms)' },
  ],
  at: '2026-11-02T09:20:00.000Z',
});

const rejectedByRiskOfficer: Partial<PackageObservation['approval']> = {
  status: 'Rejected',
  actor: humanActor,
  description: 'Segment shift in under_25 not explained',
};

describe('Function: decide', () => {
  // ---- 1. adopt ------------------------------------------------------------------------------------------------

  describe('rule 1: adopt', () => {
    it('adopts a new package as Registered and takes its gate step in the same call', () => {
      const decision = decideChecked(aSnapshot({ packages: [aPackage(1)] }));

      expect(versionOf(decision, 1)).toMatchObject({ arn: packageArn(1), phase: 'Gated', since: NOW, transitions: 1, deployments: {} });
      expect(eventsOfType(decision, 'ModelGated')).toEqual([expect.objectContaining({ version: 1, passed: true, eventKey: 'credit-risk-retail/v1/t0/ModelGated' })]);
    });

    it('keeps versions in version order when packages arrive out of order', () => {
      const decision = decideChecked(aSnapshot({ versions: [aVersion(5, 'Live')], packages: [aPackage(7), aPackage(5), aPackage(6)], endpoints: { production: prodServing(5) } }));

      expect(decision.status.versions.map((v) => v.version)).toEqual([5, 6, 7]);
    });

    it.each<Phase>(['Registered', 'Gated', 'AwaitingApproval', 'DeployingStaging', 'StagingVerified', 'Approved'])(
      'moves %s to Retired when its package left the registry',
      (phase) => {
        const decision = decideChecked(aSnapshot({ versions: [aVersion(3, phase)] }));

        expect(versionOf(decision, 3)).toMatchObject({ phase: 'Retired', reason: 'The model package is no longer in the registry', since: NOW, transitions: 5 });
        expect(decision.actions).toEqual([]);
      },
    );

    it.each<Phase>(['Live', 'Canary', 'Challenger', 'Superseded', 'RolledBack', 'Rejected', 'Retired'])('keeps %s when its package left the registry', (phase) => {
      const version = aVersion(3, phase);

      const decision = decideChecked(aSnapshot({ versions: [version], endpoints: { production: prodBusy } }));

      expect(versionOf(decision, 3)).toEqual(version);
      expect(decision.actions).toEqual([]);
    });
  });

  // ---- 2. overtake ---------------------------------------------------------------------------------------------

  describe('rule 2: overtake', () => {
    const world = (older: VersionStatus, newer: VersionStatus): Snapshot =>
      aSnapshot({ versions: [older, newer], packages: [aPackage(older.version), aPackage(newer.version)], endpoints: { staging: stagingBusy, production: prodBusy } });

    it.each<[Phase, Phase]>([
      ['Registered', 'Superseded'],
      ['Gated', 'Superseded'],
      ['AwaitingApproval', 'Superseded'],
      ['DeployingStaging', 'Superseded'],
      ['StagingVerified', 'Superseded'],
      ['Approved', 'Approved'],
      ['Canary', 'Canary'],
      ['Live', 'Live'],
    ])('moves an older %s version to %s when version 3 has passed its gates', (phase, expected) => {
      const decision = decideChecked(world(aVersion(2, phase), aVersion(3, 'Gated')));

      expect(versionOf(decision, 2).phase).toBe(expected);
      if (expected === 'Superseded') expect(versionOf(decision, 2).reason).toBe('Overtaken by version 3');
    });

    it('moves an older candidate to Superseded when the newer one waits for its production approval', () => {
      const decision = decideChecked(world(aVersion(2, 'AwaitingApproval', { awaiting: 'production' }), aVersion(3, 'AwaitingApproval', { awaiting: 'production' })));

      expect(versionOf(decision, 2).phase).toBe('Superseded');
    });

    it.each<[string, Phase]>([
      ['is still Registered (not past its gates)', 'Registered'],
      ['was Rejected', 'Rejected'],
    ])('keeps an older candidate when the newer version %s', (_, newer) => {
      const decision = decideChecked(world(aVersion(2, 'StagingVerified'), aVersion(3, newer, { transitions: 0 })));

      expect(versionOf(decision, 2)).toMatchObject({ phase: 'AwaitingApproval', awaiting: 'production' });
    });

    it('takes no step for a version it overtook in the same call', () => {
      const failing = aPackage(2, { reports: { evaluation: anEvaluationReport(0.61, 0.41) } });

      const decision = decideChecked(aSnapshot({ versions: [aVersion(2, 'Registered', { transitions: 0 }), aVersion(3, 'Gated')], packages: [failing, aPackage(3)], endpoints: { staging: stagingBusy } }));

      expect(versionOf(decision, 2)).toMatchObject({ phase: 'Superseded', transitions: 1 });
      expect(decision.actions).toEqual([]);
    });
  });

  // ---- 3. approvals --------------------------------------------------------------------------------------------

  describe('rule 3: unverified approvals', () => {
    interface FlagCase {
      name: string;
      policy: Policy;
      pkg: PackageObservation;
      environment: Environment;
      actorArn: string;
    }
    const flagged: FlagCase[] = [
      { name: 'a production approval made by the pipeline role', policy: DEFAULT_POLICY, pkg: aPackage(3, { approval: { status: 'Approved', actor: pipelineActor } }), environment: 'production', actorArn: pipelineActor.arn },
      { name: 'a production approval with no identity recorded', policy: DEFAULT_POLICY, pkg: aPackage(3, { approval: { status: 'Approved' } }), environment: 'production', actorArn: 'no identity recorded' },
      { name: 'a staging approval made by the pipeline role', policy: MANUAL_STAGING, pkg: aPackage(3, { stagingApproval: { actor: pipelineActor } }), environment: 'staging', actorArn: pipelineActor.arn },
      { name: 'a staging approval with no identity recorded', policy: MANUAL_STAGING, pkg: aPackage(3, { stagingApproval: { at: EARLIER_APPROVAL } }), environment: 'staging', actorArn: 'no identity recorded' },
    ];

    it.each(flagged)('flags $name with a False ApprovalVerified condition and one ApprovalUnverified event', ({ policy, pkg, environment, actorArn }) => {
      const decision = decideChecked(aSnapshot({ versions: [aVersion(3, 'Gated')], packages: [pkg], endpoints: { staging: stagingBusy } }), policy);

      expect(getCondition(versionOf(decision, 3).conditions, `ApprovalVerified/${environment}`)).toEqual({
        type: `ApprovalVerified/${environment}`,
        status: 'False',
        reason: 'NoIdentifiedHuman',
        message: expect.stringContaining(actorArn),
        lastTransitionTime: NOW,
      });
      const [event, ...others] = eventsOfType(decision, 'ApprovalUnverified');
      expect(others).toEqual([]);
      expect(event).toMatchObject({ version: 3, environment, reason: expect.stringContaining('it is not acted on') });
      expect(event?.actor?.arn ?? 'no identity recorded').toBe(actorArn);
    });

    it.each(flagged)('flags $name only once: a second decide on the resulting status emits nothing new', ({ policy, pkg }) => {
      const first = decideChecked(aSnapshot({ versions: [aVersion(3, 'Gated')], packages: [pkg], endpoints: { staging: stagingBusy } }), policy);

      const second = decideChecked(nextSnapshot(aSnapshot({ packages: [pkg], endpoints: { staging: stagingBusy } }), first), policy, '2026-11-02T10:05:00.000Z');

      expect(eventsOfType(second, 'ApprovalUnverified')).toEqual([]);
      expect(versionOf(second, 3).conditions).toEqual(versionOf(first, 3).conditions);
    });

    it.each<[string, Policy, VersionStatus, PackageObservation]>([
      ['a production approval by a human', DEFAULT_POLICY, aVersion(3, 'Gated'), aPackage(3, { approval: humanApproval })],
      ['a production approval by the pipeline when production approval is auto', AUTO_PRODUCTION, aVersion(3, 'Gated'), aPackage(3, { approval: { status: 'Approved', actor: pipelineActor } })],
      ['a staging approval by the pipeline when staging approval is auto', DEFAULT_POLICY, aVersion(3, 'Gated'), aPackage(3, { stagingApproval: { actor: pipelineActor } })],
      ['a pending production approval', DEFAULT_POLICY, aVersion(3, 'Gated'), aPackage(3)],
      [
        'a version whose approval is already recorded',
        DEFAULT_POLICY,
        aVersion(3, 'Approved', { approval: { actor: humanActor, at: EARLIER_APPROVAL, reason: 'Model card reviewed' } }),
        aPackage(3, { approval: { status: 'Approved', actor: pipelineActor } }),
      ],
      ['a final version', DEFAULT_POLICY, aVersion(3, 'Superseded'), aPackage(3, { approval: { status: 'Approved', actor: pipelineActor } })],
    ])('flags nothing for %s', (_, policy, version, pkg) => {
      const decision = decideChecked(aSnapshot({ versions: [version], packages: [pkg], endpoints: { staging: stagingBusy, production: prodBusy } }), policy);

      expect(eventsOfType(decision, 'ApprovalUnverified')).toEqual([]);
      expect(versionOf(decision, 3).conditions.filter((c) => c.type.startsWith('ApprovalVerified'))).toEqual([]);
    });

    it('keeps AwaitingApproval(production) when the only approval is unverified', () => {
      const decision = decideChecked(
        aSnapshot({
          versions: [aVersion(3, 'AwaitingApproval', { awaiting: 'production' })],
          packages: [aPackage(3, { approval: { status: 'Approved', actor: pipelineActor } })],
        }),
      );

      expect(versionOf(decision, 3)).toMatchObject({ phase: 'AwaitingApproval', awaiting: 'production', transitions: 4 });
      expect(eventTypes(decision)).toEqual(['ApprovalUnverified']);
      expect(effectTypes(decision)).toEqual([]);
    });

    it('moves Gated to AwaitingApproval(staging), not to staging, when the only staging approval is unverified', () => {
      const decision = decideChecked(aSnapshot({ versions: [aVersion(3, 'Gated')], packages: [aPackage(3, { stagingApproval: { actor: pipelineActor } })] }), MANUAL_STAGING);

      expect(versionOf(decision, 3)).toMatchObject({ phase: 'AwaitingApproval', awaiting: 'staging' });
      expect(effectTypes(decision)).toEqual([]);
    });

    // Regression (found by these tables, fixed): when both the staging and the production approval are unverified, the two ApprovalUnverified events
    // get the same eventKey (`<group>/v3/t4/ApprovalUnverified`), so a consumer that de-duplicates on eventKey
    // (the audit ledger, notify) drops one of the two flags.
    it('gives each ApprovalUnverified its own event key when both environments are unverified', () => {
      const pkg = aPackage(3, { approval: { status: 'Approved', actor: pipelineActor }, stagingApproval: { actor: pipelineActor } });

      const decision = decideChecked(aSnapshot({ versions: [aVersion(3, 'Gated')], packages: [pkg] }), MANUAL_STAGING);

      const keys = eventsOfType(decision, 'ApprovalUnverified').map((e) => e.eventKey);
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(2);
    });
  });

  // ---- 4. rollback ---------------------------------------------------------------------------------------------

  describe('rule 4: rollback', () => {
    const lastKnownGood = aVersion(1, 'Superseded', { liveSince: '2026-10-20T12:00:00.000Z', reason: 'Replaced in production by version 2' });
    const live = aVersion(2, 'Live', { liveSince: LIVE_SINCE });
    const approvedPackages = [aPackage(1, { approval: humanApproval }), aPackage(2, { approval: humanApproval })];
    const liveWorld = (parts: SnapshotParts = {}): Snapshot =>
      aSnapshot({ versions: [lastKnownGood, live], packages: approvedPackages, endpoints: { production: prodServing(2) }, ...parts });

    const operatorRequest = { by: 'arn:aws:sts::111122223333:assumed-role/PlatformOnCall/lukas.berger', reason: 'Score shift reported by underwriting', at: '2026-11-02T09:50:00.000Z' };
    const p99FiredWhileLive = anAlarm(P99_ALARM, 'ALARM', '2026-11-02T09:45:00.000Z', 'Threshold Crossed: 3 datapoints were greater than the threshold (250.0)');
    const errorsFiredWhileLive = anAlarm(ERRORS_ALARM, 'ALARM', '2026-11-02T09:46:00.000Z');
    const firingBeforeLive = anAlarm(P99_ALARM, 'ALARM', '2026-11-01T11:00:00.000Z', 'Threshold Crossed');

    it.each<[string, SnapshotParts, 'operator' | 'control-plane', string, string[]]>([
      ['an operator requested it', { rollbackRequest: operatorRequest }, 'operator', `Requested by ${operatorRequest.by}: ${operatorRequest.reason}`, []],
      [
        'a human revoked its approval in the registry',
        { packages: [approvedPackages[0]!, aPackage(2, { approval: rejectedByRiskOfficer })] },
        'control-plane',
        `Approval revoked in the registry by ${humanActor.arn}`,
        [],
      ],
      [
        'an unidentified principal revoked its approval',
        { packages: [approvedPackages[0]!, aPackage(2, { approval: { status: 'Rejected' } })] },
        'control-plane',
        'Approval revoked in the registry by an unidentified principal',
        [],
      ],
      [
        'a rollback alarm went off while it was Live',
        { alarms: [p99FiredWhileLive, anAlarm(ERRORS_ALARM, 'OK', '2026-11-02T09:00:00.000Z')] },
        'control-plane',
        `${P99_ALARM} in ALARM (Threshold Crossed: 3 datapoints were greater than the threshold (250.0))`,
        [P99_ALARM],
      ],
      [
        'two rollback alarms went off, one without a reason',
        { alarms: [p99FiredWhileLive, errorsFiredWhileLive] },
        'control-plane',
        `${P99_ALARM} in ALARM (Threshold Crossed: 3 datapoints were greater than the threshold (250.0)); ${ERRORS_ALARM} in ALARM`,
        [P99_ALARM, ERRORS_ALARM],
      ],
    ])('moves Live to RolledBack and redeploys the last-known-good when %s', (_, parts, initiator, reason, alarms) => {
      const decision = decideChecked(liveWorld(parts));

      expect(versionOf(decision, 2)).toMatchObject({ phase: 'RolledBack', reason, since: NOW });
      expect(versionOf(decision, 1)).toMatchObject({ phase: 'Canary', reason: 'Redeploying as last-known-good', since: NOW });
      expect(versionOf(decision, 1).deployments.production).toEqual({
        ...intendedNames(1, 'production'),
        endpointName: PROD_ENDPOINT,
        strategy: 'all-at-once',
        kind: 'rollback',
        previousConfigName: configOf(2, 'production'),
        startedAt: NOW,
      });
      expect(deployedSpec(decision)).toMatchObject({ environment: 'production', endpointName: PROD_ENDPOINT, endpointConfigName: configOf(1, 'production'), modelPackageArn: packageArn(1), rollout: { strategy: 'all-at-once' } });
      expect(eventsOfType(decision, 'RollbackPerformed')).toEqual([expect.objectContaining({ version: 2, toVersion: 1, endpointName: PROD_ENDPOINT, initiator, reason, alarms })]);
      expect(eventsOfType(decision, 'DeploymentStarted')).toEqual([expect.objectContaining({ version: 1, environment: 'production', strategy: 'all-at-once', kind: 'rollback' })]);
      expect(eventsOfType(decision, 'CanaryStarted')).toEqual([]);
      expect(decision.status.rollbackRequest).toBeUndefined();
      expect(getCondition(decision.status.conditions, 'RollbackBlocked')).toMatchObject({ status: 'False', reason: 'RolledBack', message: 'Rolled back to version 1' });
    });

    it.each<[string, SnapshotParts, Policy]>([
      ['the only ALARM has been firing since before the version went Live', { alarms: [firingBeforeLive] }, DEFAULT_POLICY],
      ['the alarms are OK or lack data', { alarms: [anAlarm(P99_ALARM, 'OK', NOW), anAlarm(ERRORS_ALARM, 'INSUFFICIENT_DATA', NOW)] }, DEFAULT_POLICY],
      ['the policy only pages on alarms (onAlarm: page)', { alarms: [p99FiredWhileLive] }, PAGE_ON_ALARM],
    ])('keeps Live when %s', (_, parts, policy) => {
      const decision = decideChecked(liveWorld(parts), policy);

      expect(versionOf(decision, 2)).toEqual(live);
      expect(decision.actions).toEqual([]);
    });

    it('uses the phase time as the alarm window when a Live version has no recorded liveSince', () => {
      const legacyLive = aVersion(2, 'Live', { since: LIVE_SINCE, liveSince: undefined });

      const decision = decideChecked(liveWorld({ versions: [lastKnownGood, legacyLive], alarms: [p99FiredWhileLive] }));

      expect(versionOf(decision, 2).phase).toBe('RolledBack');
    });

    it('postpones the rollback, keeping the operator request, while the production endpoint is busy', () => {
      const decision = decideChecked(liveWorld({ rollbackRequest: operatorRequest, endpoints: { production: anEndpoint(PROD_ENDPOINT, 'SystemUpdating', configOf(2, 'production')) } }));

      expect(versionOf(decision, 2).phase).toBe('Live');
      expect(decision.status.rollbackRequest).toEqual(operatorRequest);
      expect(decision.actions).toEqual([]);
    });

    it.each<[string, VersionStatus[], number]>([
      ['the newest of two last-known-good versions', [lastKnownGood, aVersion(2, 'Superseded'), aVersion(3, 'Live')], 2],
      ['a former Live version, not a newer candidate that was overtaken', [lastKnownGood, aVersion(2, 'Superseded', { liveSince: undefined, deployments: {} }), aVersion(3, 'Live')], 1],
    ])('redeploys %s', (_, versions, target) => {
      const packages = [1, 2, 3].map((n) => aPackage(n, { approval: humanApproval }));

      const decision = decideChecked(aSnapshot({ versions, packages, endpoints: { production: prodServing(3) }, rollbackRequest: operatorRequest }));

      expect(eventsOfType(decision, 'RollbackPerformed')).toEqual([expect.objectContaining({ version: 3, toVersion: target })]);
      expect(deployedSpec(decision).endpointConfigName).toBe(configOf(target, 'production'));
    });

    // Regression (found by these tables, fixed): the rollback target is the newest Superseded version that was Live, even when a human has since
    // revoked its approval in the registry (ModelApprovalStatus Rejected). A version withdrawn by model risk is
    // redeployed to production, serves credit decisions, and is only rolled back again on the next reconcile.
    it('skips a last-known-good version whose approval was revoked in the registry', () => {
      const packages = [aPackage(1, { approval: humanApproval }), aPackage(2, { approval: rejectedByRiskOfficer }), aPackage(3, { approval: humanApproval })];

      const decision = decideChecked(aSnapshot({ versions: [lastKnownGood, aVersion(2, 'Superseded'), aVersion(3, 'Live')], packages, endpoints: { production: prodServing(3) }, rollbackRequest: operatorRequest }));

      expect(eventsOfType(decision, 'RollbackPerformed')).toEqual([expect.objectContaining({ version: 3, toVersion: 1 })]);
    });

    it('skips a last-known-good version whose package left the registry', () => {
      const packages = [aPackage(2, { approval: humanApproval }), aPackage(3, { approval: humanApproval })];
      const older = aVersion(2, 'Superseded', { liveSince: '2026-09-01T12:00:00.000Z' });

      const decision = decideChecked(aSnapshot({ versions: [lastKnownGood, older, aVersion(3, 'Live')], packages, endpoints: { production: prodServing(3) }, rollbackRequest: operatorRequest }));

      expect(eventsOfType(decision, 'RollbackPerformed')).toEqual([expect.objectContaining({ version: 3, toVersion: 2 })]);
    });

    it('clears RollbackBlocked once nothing calls for a rollback, so the next incident pages again', () => {
      const world = liveWorld({ versions: [live], packages: [approvedPackages[1]!], alarms: [p99FiredWhileLive] });
      const blocked = decideChecked(world);

      const calm = decideChecked({ ...nextSnapshot(world, blocked), alarms: [anAlarm(P99_ALARM, 'OK', '2026-11-02T10:00:00.000Z')] }, DEFAULT_POLICY, '2026-11-02T10:05:00.000Z');

      expect(getCondition(calm.status.conditions, 'RollbackBlocked')).toMatchObject({ status: 'False', reason: 'NoRollbackNeeded', lastTransitionTime: '2026-11-02T10:05:00.000Z' });
      expect(calm.actions).toEqual([]);
    });

    it.each<[string, SnapshotParts, string]>([
      ['a Live version has no last-known-good', { versions: [live], packages: [approvedPackages[1]!], alarms: [p99FiredWhileLive] }, 'no last-known-good version exists'],
      ['an operator asks for a rollback and no version is Live', { versions: [lastKnownGood], packages: [approvedPackages[0]!], rollbackRequest: operatorRequest }, 'no version is Live'],
    ])('sets RollbackBlocked and emits one critical ReconcileFailed when %s', (_, parts, why) => {
      const decision = decideChecked(liveWorld(parts));

      const blocked = getCondition(decision.status.conditions, 'RollbackBlocked');
      expect(blocked).toMatchObject({ status: 'True', reason: 'NoRollbackTarget', lastTransitionTime: NOW, message: expect.stringMatching(new RegExp(`^Rollback needed \\(.+\\) but ${why}$`)) });
      expect(eventsOfType(decision, 'ReconcileFailed')).toEqual([
        { schemaVersion: 1, eventKey: 'credit-risk-retail/r7/ReconcileFailed', modelGroup: 'credit-risk-retail', occurredAt: NOW, severity: 'critical', reason: 'NoRollbackTarget', message: blocked!.message },
      ]);
      expect(effectTypes(decision)).toEqual([]);
      expect(decision.status.rollbackRequest).toBeUndefined();
      expect(decision.status.versions).toEqual(parts.versions);
    });

    it('emits the blocked rollback only once: a second decide on the resulting status emits nothing', () => {
      const world = liveWorld({ versions: [live], packages: [approvedPackages[1]!], alarms: [p99FiredWhileLive] });
      const first = decideChecked(world);

      const second = decideChecked({ ...nextSnapshot(world, first) }, DEFAULT_POLICY, '2026-11-02T10:05:00.000Z');

      expect(second.actions).toEqual([]);
      expect(getCondition(second.status.conditions, 'RollbackBlocked')?.lastTransitionTime).toBe(NOW);
    });

    it('emits ReconcileFailed again when a blocked rollback has a new cause', () => {
      const world = liveWorld({ versions: [live], packages: [approvedPackages[1]!], alarms: [p99FiredWhileLive] });
      const first = decideChecked(world);

      const second = decideChecked({ ...nextSnapshot(world, first), alarms: [p99FiredWhileLive, errorsFiredWhileLive] }, DEFAULT_POLICY, '2026-11-02T10:05:00.000Z');

      expect(eventsOfType(second, 'ReconcileFailed')).toEqual([expect.objectContaining({ eventKey: 'credit-risk-retail/r8/ReconcileFailed', message: expect.stringContaining(ERRORS_ALARM) })]);
    });
  });

  // ---- 5. step: Registered -------------------------------------------------------------------------------------

  describe('step: Registered', () => {
    const registered = aVersion(3, 'Registered', { transitions: 0 });

    it('moves Registered to Gated when every gate passes', () => {
      const decision = decideChecked(aSnapshot({ versions: [registered], packages: [aPackage(3)] }));

      const v = versionOf(decision, 3);
      expect(v).toMatchObject({ phase: 'Gated', transitions: 1, gates: { passed: true, evaluatedAt: NOW } });
      expect(getCondition(v.conditions, 'GatesPassed')).toMatchObject({ status: 'True', reason: 'AllGatesPassed', message: `${v.gates!.results.length} gate(s) passed` });
      expect(eventsOfType(decision, 'ModelGated')).toEqual([expect.objectContaining({ version: 3, passed: true, results: v.gates!.results })]);
      expect(effectTypes(decision)).toEqual([]);
    });

    it.each<[string, Parameters<typeof aPackage>[1], string]>([
      ['its AUC is below the minimum', { reports: { evaluation: anEvaluationReport(0.79, 0.41) } }, 'AUC 0.79 is below the minimum 0.85'],
      ['a protected group is outside the DI band', { reports: { bias: aBiasReport({ age_group: [['under_25', 0.71, 0.03]] }) } }, 'DI for age_group=under_25 is 0.71, outside [0.8, 1.25]'],
      ['its lineage lacks the training data hash', { lineage: { trainingDataHash: undefined } }, 'Lineage incomplete: missing training data hash'],
    ])('moves Registered to Rejected and rejects the package when %s', (_, overrides, failure) => {
      const decision = decideChecked(aSnapshot({ versions: [registered], packages: [aPackage(3, overrides)] }));

      const v = versionOf(decision, 3);
      expect(v).toMatchObject({ phase: 'Rejected', reason: failure, transitions: 1, gates: { passed: false } });
      expect(getCondition(v.conditions, 'GatesPassed')).toMatchObject({ status: 'False', reason: 'GatesFailed', message: failure });
      expect(actionsOfType(decision, 'RejectPackage')).toEqual([{ type: 'RejectPackage', version: 3, modelPackageArn: packageArn(3), reason: failure, clientToken: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
      expect(eventsOfType(decision, 'ModelGated')).toEqual([expect.objectContaining({ passed: false })]);
      expect(eventsOfType(decision, 'ModelRejected')).toEqual([expect.objectContaining({ version: 3, reasons: [failure], rejectedBy: CONTROL_PLANE })]);
    });

    it.each<[string, Partial<PackageObservation['approval']>, string, object]>([
      ['with a reason', rejectedByRiskOfficer, `Rejected in the registry by ${humanActor.arn}: Segment shift in under_25 not explained`, humanActor],
      ['with neither identity nor reason', { status: 'Rejected' }, 'Rejected in the registry by unidentified', { arn: 'unidentified', kind: 'unknown', source: 'describe' }],
    ])('moves Registered to Rejected without gating when a human rejected the package %s', (_, approval, reason, rejectedBy) => {
      const decision = decideChecked(aSnapshot({ versions: [registered], packages: [aPackage(3, { approval })] }));

      expect(versionOf(decision, 3)).toMatchObject({ phase: 'Rejected', reason });
      expect(versionOf(decision, 3).gates).toBeUndefined();
      expect(effectTypes(decision)).toEqual([]);
      expect(eventsOfType(decision, 'ModelRejected')).toEqual([expect.objectContaining({ reasons: [reason], rejectedBy })]);
    });
  });

  // ---- 5. step: Gated / AwaitingApproval / StagingVerified ----------------------------------------------------

  describe('step: Gated, AwaitingApproval and StagingVerified', () => {
    interface AwaitCase {
      name: string;
      version: VersionStatus;
      pkg: PackageObservation;
      policy?: Policy;
      staging?: EndpointObservation;
      phase: Phase;
      awaiting?: Environment;
      effects: ActionType[];
      events: DomainDetailType[];
    }
    const gated = aVersion(3, 'Gated');
    const awaitingStaging = aVersion(3, 'AwaitingApproval', { awaiting: 'staging' });
    const verified = aVersion(3, 'StagingVerified');
    const awaitingProduction = aVersion(3, 'AwaitingApproval', { awaiting: 'production' });
    const stagingApprovedByHuman = aPackage(3, { stagingApproval: { actor: humanActor, at: EARLIER_APPROVAL } });

    it.each<AwaitCase>([
      { name: 'moves Gated to DeployingStaging when staging approval is auto and staging is free', version: gated, pkg: aPackage(3), staging: stagingServing(2), phase: 'DeployingStaging', effects: ['DeployEndpoint'], events: ['DeploymentStarted'] },
      { name: 'keeps Gated while the staging endpoint is busy', version: gated, pkg: aPackage(3), staging: stagingBusy, phase: 'Gated', effects: [], events: [] },
      { name: 'moves Gated to AwaitingApproval(staging) when staging approval is manual', version: gated, pkg: aPackage(3), policy: MANUAL_STAGING, phase: 'AwaitingApproval', awaiting: 'staging', effects: [], events: ['ApprovalRequested'] },
      { name: 'keeps AwaitingApproval(staging) while no human approved staging', version: awaitingStaging, pkg: aPackage(3), policy: MANUAL_STAGING, phase: 'AwaitingApproval', awaiting: 'staging', effects: [], events: [] },
      { name: 'moves AwaitingApproval(staging) to DeployingStaging when a human approved staging', version: awaitingStaging, pkg: stagingApprovedByHuman, policy: MANUAL_STAGING, phase: 'DeployingStaging', effects: ['DeployEndpoint'], events: ['DeploymentStarted'] },
      { name: 'keeps AwaitingApproval(staging) when a human approved staging but staging is busy', version: awaitingStaging, pkg: stagingApprovedByHuman, policy: MANUAL_STAGING, staging: stagingBusy, phase: 'AwaitingApproval', awaiting: 'staging', effects: [], events: [] },
      { name: 'moves StagingVerified to AwaitingApproval(production) when production approval is manual', version: verified, pkg: aPackage(3), phase: 'AwaitingApproval', awaiting: 'production', effects: [], events: ['ApprovalRequested'] },
      { name: 'keeps AwaitingApproval(production) while nobody approved', version: awaitingProduction, pkg: aPackage(3), phase: 'AwaitingApproval', awaiting: 'production', effects: [], events: [] },
      { name: 'moves AwaitingApproval(production) to Approved when a human approved', version: awaitingProduction, pkg: aPackage(3, { approval: humanApproval }), phase: 'Approved', effects: [], events: ['ModelApproved'] },
      { name: 'moves StagingVerified straight to Approved when a human approved before staging finished', version: verified, pkg: aPackage(3, { approval: humanApproval }), phase: 'Approved', effects: [], events: ['ModelApproved'] },
      { name: 'moves StagingVerified to Approved and approves the package when production approval is auto', version: verified, pkg: aPackage(3), policy: AUTO_PRODUCTION, phase: 'Approved', effects: ['ApprovePackage'], events: ['ModelApproved'] },
      { name: 'moves StagingVerified to Approved without re-approving an Approved package (auto)', version: verified, pkg: aPackage(3, { approval: humanApproval }), policy: AUTO_PRODUCTION, phase: 'Approved', effects: [], events: ['ModelApproved'] },
      { name: 'moves Gated to Rejected when a human rejected the package', version: gated, pkg: aPackage(3, { approval: rejectedByRiskOfficer }), phase: 'Rejected', effects: [], events: ['ModelRejected'] },
      { name: 'moves AwaitingApproval to Rejected when a human rejected the package', version: awaitingStaging, pkg: aPackage(3, { approval: rejectedByRiskOfficer }), policy: MANUAL_STAGING, phase: 'Rejected', effects: [], events: ['ModelRejected'] },
      { name: 'moves StagingVerified to Rejected when a human rejected the package', version: verified, pkg: aPackage(3, { approval: rejectedByRiskOfficer }), phase: 'Rejected', effects: [], events: ['ModelRejected'] },
    ])('$name', ({ version, pkg, policy, staging, phase, awaiting, effects, events }) => {
      const decision = decideChecked(aSnapshot({ versions: [version], packages: [pkg], endpoints: staging ? { staging } : {} }), policy);

      expect(versionOf(decision, 3).phase).toBe(phase);
      expect(versionOf(decision, 3).awaiting).toBe(awaiting);
      expect(versionOf(decision, 3).transitions).toBe(phase === version.phase ? version.transitions : version.transitions + 1);
      expect(effectTypes(decision)).toEqual(effects);
      expect(eventTypes(decision)).toEqual(events);
    });

    it('deploys the staging config all-at-once and records the deployment', () => {
      const decision = decideChecked(aSnapshot({ versions: [gated], packages: [aPackage(3)], endpoints: { staging: stagingServing(2) } }));

      expect(deployedSpec(decision)).toEqual({
        environment: 'staging',
        endpointName: STAGING_ENDPOINT,
        ...intendedNames(3, 'staging'),
        modelPackageArn: packageArn(3),
        variantName: 'AllTraffic',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
        dataCaptureSamplingPercent: 0,
        rollout: { strategy: 'all-at-once' },
        tags: { 'creditai:model-group': 'credit-risk-retail', 'creditai:environment': 'staging', 'creditai:model-version': '3' },
      });
      expect(versionOf(decision, 3).deployments.staging).toEqual({ ...aDeployment(3, 'staging'), startedAt: NOW });
      expect(eventsOfType(decision, 'DeploymentStarted')).toEqual([
        expect.objectContaining({ version: 3, environment: 'staging', endpointName: STAGING_ENDPOINT, endpointConfigName: configOf(3, 'staging'), strategy: 'all-at-once', kind: 'release' }),
      ]);
    });

    it.each<[string, PackageObservation['approval'], { at: string; reason: string }]>([
      ['with its time and reason', humanApproval, { at: humanApproval.at!, reason: humanApproval.description! }],
      ['without time or reason (the time of the decision, an empty reason)', { status: 'Approved', actor: humanActor }, { at: NOW, reason: '' }],
    ])('records a human production approval %s', (_, approval, recorded) => {
      const decision = decideChecked(aSnapshot({ versions: [awaitingProduction], packages: [aPackage(3, { approval })] }));

      const v = versionOf(decision, 3);
      expect(v.approval).toEqual({ actor: humanActor, ...recorded });
      expect(v.awaiting).toBeUndefined();
      expect(getCondition(v.conditions, 'Approved')).toMatchObject({ status: 'True', reason: 'ApprovedByHuman', message: `${humanActor.arn}: ${recorded.reason}` });
      expect(eventsOfType(decision, 'ModelApproved')).toEqual([expect.objectContaining({ version: 3, environment: 'production', approver: humanActor, reason: recorded.reason })]);
    });

    describe('ApprovalRequested: the approvers are told once, when a version enters AwaitingApproval', () => {
      const gates = evaluateGates(aPackage(3), DEFAULT_POLICY, EARLIER);
      const smokeTest = smokeResult(3, true);

      it.each<{ name: string; version: VersionStatus; policy?: Policy; environment: Environment; detail: Record<string, unknown> }>([
        {
          name: 'staging: the gate summary, no smoke test',
          version: aVersion(3, 'Gated', { gates }),
          policy: MANUAL_STAGING,
          environment: 'staging',
          detail: { gates: { passed: true, summary: gateSummary(gates) } },
        },
        {
          name: 'production: the gate summary and the staging smoke test',
          version: aVersion(3, 'StagingVerified', { gates, smokeTest }),
          environment: 'production',
          detail: { gates: { passed: true, summary: gateSummary(gates) }, smokeTest: { passed: true, checks: smokeTest.checks } },
        },
        {
          name: 'production, with neither gates nor smoke test recorded',
          version: aVersion(3, 'StagingVerified'),
          environment: 'production',
          detail: { gates: { passed: false, summary: 'No gate results are recorded' } },
        },
      ])('$name', ({ version, policy, environment, detail }) => {
        const decision = decideChecked(aSnapshot({ versions: [version], packages: [aPackage(3)] }), policy);

        expect(eventsOfType(decision, 'ApprovalRequested')).toEqual([
          {
            schemaVersion: 1,
            eventKey: `credit-risk-retail/v3/t5/ApprovalRequested`,
            modelGroup: 'credit-risk-retail',
            occurredAt: NOW,
            version: 3,
            environment,
            modelPackageArn: packageArn(3),
            howToApprove: howToApprove('credit-risk-retail', 3, packageArn(3), environment),
            ...detail,
          },
        ]);
        expect(versionOf(decision, 3)).toMatchObject({ phase: 'AwaitingApproval', awaiting: environment, transitions: 5 });
      });

      it.each<[Environment, string[]]>([
        ['production', ['Update status > Approved', `npm run mlops -- approve ${packageArn(3)} --reason "<why>"`, `npm run mlops -- reject ${packageArn(3)}`]],
        ['staging', ['lifecycle stage Staging to Approved', `npm run mlops -- reject ${packageArn(3)}`]],
      ])('tells how to approve for %s: the console path and the CLI', (environment, parts) => {
        const text = howToApprove('credit-risk-retail', 3, packageArn(3), environment);

        expect(text).toContain('SageMaker Studio > Models > Registered models > credit-risk-retail > Version 3');
        for (const part of parts) expect(text).toContain(part);
      });

      it.each<[string, VersionStatus, Policy | undefined]>([
        ['staging', aVersion(3, 'Gated'), MANUAL_STAGING],
        ['production', aVersion(3, 'StagingVerified'), undefined],
      ])('is emitted once for %s, and not again while the version waits', (_, version, policy) => {
        let snapshot = aSnapshot({ versions: [version], packages: [aPackage(3)] });
        const requested: string[] = [];
        for (let i = 0; i < 3; i += 1) {
          const decision = decideChecked(snapshot, policy);
          requested.push(...eventsOfType(decision, 'ApprovalRequested').map((e) => e.eventKey));
          snapshot = nextSnapshot(snapshot, decision);
        }

        expect(requested).toEqual(['credit-risk-retail/v3/t5/ApprovalRequested']);
        expect(snapshot.status.versions[0]).toMatchObject({ phase: 'AwaitingApproval', transitions: 5 });
      });

      it('re-emits the same event key when the same decision is retried (idempotent downstream)', () => {
        const snapshot = aSnapshot({ versions: [aVersion(3, 'StagingVerified')], packages: [aPackage(3)] });

        expect(eventsOf(decideChecked(snapshot))).toEqual(eventsOf(decideChecked(snapshot)));
      });

      it('asks for production after a human-approved staging, with a new key', () => {
        let snapshot = aSnapshot({ versions: [aVersion(3, 'Gated', { gates })], packages: [aPackage(3)] });
        const keys: string[] = [];
        const step = (world: Partial<SnapshotParts>, policy?: Policy) => {
          snapshot = { ...snapshot, ...(world.packages ? { packages: world.packages } : {}), ...(world.endpoints ? { endpoints: world.endpoints } : {}) };
          const decision = decideChecked(snapshot, policy);
          keys.push(...eventsOfType(decision, 'ApprovalRequested').map((e) => `${e.environment} ${e.eventKey}`));
          snapshot = nextSnapshot(snapshot, decision);
        };
        step({}, MANUAL_STAGING);
        step({ packages: [stagingApprovedByHuman] }, MANUAL_STAGING);
        step({ endpoints: { staging: stagingServing(3) } }, MANUAL_STAGING);
        snapshot = { ...snapshot, status: { ...snapshot.status, versions: snapshot.status.versions.map((v) => ({ ...v, smokeTest: { ...smokeTest, endpointConfigName: configOf(3, 'staging') } })) } };
        step({}, MANUAL_STAGING);
        step({}, MANUAL_STAGING);

        expect(keys).toEqual(['staging credit-risk-retail/v3/t5/ApprovalRequested', 'production credit-risk-retail/v3/t8/ApprovalRequested']);
      });
    });

    it('records the policy as the approver and asks the registry to approve when production approval is auto', () => {
      const decision = decideChecked(aSnapshot({ versions: [verified], packages: [aPackage(3)] }), AUTO_PRODUCTION);

      const reason = 'Approved by policy: gates passed and staging verified';
      expect(actionsOfType(decision, 'ApprovePackage')).toEqual([{ type: 'ApprovePackage', version: 3, modelPackageArn: packageArn(3), reason, clientToken: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
      expect(versionOf(decision, 3).approval).toEqual({ actor: CONTROL_PLANE, at: NOW, reason });
      expect(getCondition(versionOf(decision, 3).conditions, 'Approved')).toMatchObject({ status: 'True', reason: 'ApprovedByPolicy' });
    });
  });

  // ---- 5. step: DeployingStaging ------------------------------------------------------------------------------

  describe('step: DeployingStaging', () => {
    const deploying = aVersion(3, 'DeployingStaging');
    const staging3 = configOf(3, 'staging');
    const staging2 = configOf(2, 'staging');
    const pullFailure = 'Failed to download model data for container "container_1" from URL "s3://creditai-models/credit-risk-retail/3/model.tar.gz"';
    const pingFailure = 'The primary container for production variant AllTraffic did not pass the ping health check.';

    it.each<[string, EndpointObservation | undefined, Partial<VersionStatus>, Phase, ActionType[], string | undefined]>([
      ['keeps DeployingStaging while the staging endpoint is busy', stagingBusy, {}, 'DeployingStaging', [], undefined],
      ['moves DeployingStaging to Rejected and deletes the endpoint when it is Failed with our config', anEndpoint(STAGING_ENDPOINT, 'Failed', staging3, { failureReason: pullFailure }), {}, 'Rejected', ['DeleteEndpoint', 'RejectPackage'], `Staging deployment failed: ${pullFailure}`],
      ['moves DeployingStaging to Rejected when the endpoint is Failed without a reason', anEndpoint(STAGING_ENDPOINT, 'Failed', staging3), {}, 'Rejected', ['DeleteEndpoint', 'RejectPackage'], 'Staging deployment failed: endpoint Failed'],
      ['moves DeployingStaging to Rejected when SageMaker reverted the update and says why', anEndpoint(STAGING_ENDPOINT, 'InService', staging2, { failureReason: pingFailure }), {}, 'Rejected', ['RejectPackage'], `Staging deployment failed: ${pingFailure}`],
      ['redeploys when the endpoint still serves the old config without a failure (deploy not visible)', anEndpoint(STAGING_ENDPOINT, 'InService', staging2), {}, 'DeployingStaging', ['DeployEndpoint'], undefined],
      ['redeploys when the staging endpoint has vanished', undefined, {}, 'DeployingStaging', ['DeployEndpoint'], undefined],
      ['requests a smoke test when the endpoint serves our config', stagingServing(3), {}, 'DeployingStaging', ['SmokeTest'], undefined],
      ['requests a new smoke test when the recorded one was for another config', stagingServing(3), { smokeTest: { ...smokeResult(3, true), endpointConfigName: staging2 } }, 'DeployingStaging', ['SmokeTest'], undefined],
      ['moves DeployingStaging to StagingVerified when the smoke test passed', stagingServing(3), { smokeTest: smokeResult(3, true) }, 'StagingVerified', [], undefined],
      ['moves DeployingStaging to Rejected when the smoke test failed', stagingServing(3), { smokeTest: smokeResult(3, false) }, 'Rejected', ['RejectPackage'], 'Smoke test latency: Slowest call 412 ms (limit 200 ms)'],
    ])('%s', (_, staging, recorded, phase, effects, reason) => {
      const decision = decideChecked(aSnapshot({ versions: [{ ...deploying, ...recorded }], packages: [aPackage(3)], endpoints: staging ? { staging } : {} }));

      expect(versionOf(decision, 3).phase).toBe(phase);
      expect(versionOf(decision, 3).reason).toBe(reason);
      expect(effectTypes(decision)).toEqual(effects);
    });

    it('moves DeployingStaging to Rejected when a human rejected the package', () => {
      const decision = decideChecked(aSnapshot({ versions: [deploying], packages: [aPackage(3, { approval: rejectedByRiskOfficer })], endpoints: { staging: stagingServing(3) } }));

      expect(versionOf(decision, 3).phase).toBe('Rejected');
      expect(eventTypes(decision)).toEqual(['ModelRejected']);
    });

    it('redeploys the recorded staging config all-at-once', () => {
      const decision = decideChecked(aSnapshot({ versions: [deploying], packages: [aPackage(3)], endpoints: { staging: stagingServing(2) } }));

      expect(deployedSpec(decision)).toMatchObject({ environment: 'staging', endpointName: STAGING_ENDPOINT, endpointConfigName: staging3, rollout: { strategy: 'all-at-once' } });
      expect(versionOf(decision, 3).deployments).toEqual(deploying.deployments);
      expect(eventsOf(decision)).toEqual([]);
    });

    // Regression (found by these tables, fixed): a redeploy re-derives the spec from the current policy; after a policy change (here a bigger staging
    // instance) it sends a config the deployment record does not name, so `serves(endpoint, recorded config)`
    // never holds and the version redeploys forever instead of converging.
    it('redeploys the config its deployment record names, even after a policy change', () => {
      const resized = parsePolicy({ staging: { instanceType: 'ml.m5.2xlarge' } });

      const decision = decideChecked(aSnapshot({ versions: [deploying], packages: [aPackage(3)] }), resized);

      expect(deployedSpec(decision).endpointConfigName).toBe(versionOf(decision, 3).deployments.staging?.endpointConfigName);
    });

    // Regression (found by these tables, fixed): a Failed staging endpoint left by an older config (an overtaken version's failed create) makes the
    // newer version fail for the older one's reason, and the Failed endpoint is never deleted. The Failed
    // endpoint accepts only DeleteEndpoint, so the right step is to delete it and deploy again.
    it('deletes a Failed staging endpoint left by another config instead of rejecting the version for it', () => {
      const leftOver = anEndpoint(STAGING_ENDPOINT, 'Failed', staging2, { failureReason: pullFailure.replace('/3/', '/2/') });

      const decision = decideChecked(aSnapshot({ versions: [deploying], packages: [aPackage(3)], endpoints: { staging: leftOver } }));

      expect(versionOf(decision, 3).phase).toBe('DeployingStaging');
      expect(actionsOfType(decision, 'DeleteEndpoint')).toEqual([{ type: 'DeleteEndpoint', endpointName: STAGING_ENDPOINT }]);
    });

    it('sends the smoke test to the recorded endpoint with the policy limits', () => {
      const decision = decideChecked(aSnapshot({ versions: [deploying], packages: [aPackage(3)], endpoints: { staging: stagingServing(3) } }));

      expect(actionsOfType(decision, 'SmokeTest')).toEqual([{ type: 'SmokeTest', version: 3, endpointName: STAGING_ENDPOINT, endpointConfigName: staging3, limits: { maxLatencyMs: 200, minScore: 0, maxScore: 1 } }]);
    });

    it('records StagingVerified with the smoke-test checks', () => {
      const decision = decideChecked(aSnapshot({ versions: [{ ...deploying, smokeTest: smokeResult(3, true) }], packages: [aPackage(3)], endpoints: { staging: stagingServing(3) } }));

      expect(getCondition(versionOf(decision, 3).conditions, 'StagingVerified')).toMatchObject({ status: 'True', reason: 'SmokeTestPassed', message: `2 check(s) passed on ${STAGING_ENDPOINT}` });
      expect(eventsOfType(decision, 'StagingVerified')).toEqual([expect.objectContaining({ version: 3, endpointName: STAGING_ENDPOINT, checks: smokeResult(3, true).checks })]);
    });

    it('rejects with every failed smoke check as a reason', () => {
      const decision = decideChecked(aSnapshot({ versions: [{ ...deploying, smokeTest: smokeResult(3, false) }], packages: [aPackage(3)], endpoints: { staging: stagingServing(3) } }));

      expect(eventsOfType(decision, 'ModelRejected')).toEqual([expect.objectContaining({ reasons: ['Smoke test latency: Slowest call 412 ms (limit 200 ms)'], rejectedBy: CONTROL_PLANE })]);
    });
  });

  // ---- 5. step: Approved --------------------------------------------------------------------------------------

  describe('step: Approved', () => {
    const approved = aVersion(3, 'Approved');
    const live = aVersion(2, 'Live');
    const world = (parts: SnapshotParts): Snapshot => aSnapshot({ versions: [live, approved], packages: [aPackage(2), aPackage(3)], endpoints: { production: prodServing(2) }, ...parts });

    it('keeps Approved while the production endpoint is busy', () => {
      const decision = decideChecked(world({ endpoints: { production: prodBusy } }));

      expect(versionOf(decision, 3)).toEqual(approved);
      expect(decision.actions).toEqual([]);
    });

    it('keeps Approved while another version is in Canary', () => {
      const stuck = aVersion(3, 'Canary', { conditions: [{ type: 'Degraded', status: 'True', reason: 'UpdateRollbackFailed', message: 'stuck', lastTransitionTime: EARLIER_APPROVAL }] });
      const next = aVersion(4, 'Approved');

      const decision = decideChecked(aSnapshot({ versions: [stuck, next], packages: [aPackage(3), aPackage(4)], endpoints: { production: anEndpoint(PROD_ENDPOINT, 'UpdateRollbackFailed', configOf(2, 'production')) } }));

      expect(versionOf(decision, 4)).toEqual(next);
      expect(decision.actions).toEqual([]);
    });

    it('moves Approved to Canary with an all-at-once create when production has no endpoint yet', () => {
      const decision = decideChecked(aSnapshot({ versions: [approved], packages: [aPackage(3)] }));

      expect(versionOf(decision, 3)).toMatchObject({ phase: 'Canary', reason: undefined });
      expect(deployedSpec(decision)).toEqual({
        environment: 'production',
        endpointName: PROD_ENDPOINT,
        ...intendedNames(3, 'production'),
        modelPackageArn: packageArn(3),
        variantName: 'AllTraffic',
        instanceType: 'ml.m5.xlarge',
        instanceCount: 2,
        dataCaptureSamplingPercent: 100,
        rollout: { strategy: 'all-at-once' },
        tags: { 'creditai:model-group': 'credit-risk-retail', 'creditai:environment': 'production', 'creditai:model-version': '3' },
      });
      expect(versionOf(decision, 3).deployments.production).toEqual({ ...aDeployment(3, 'production', { strategy: 'all-at-once', startedAt: NOW }), previousConfigName: undefined });
      expect(eventsOfType(decision, 'DeploymentStarted')).toEqual([expect.objectContaining({ environment: 'production', strategy: 'all-at-once', kind: 'release' })]);
      expect(eventsOfType(decision, 'CanaryStarted')).toEqual([]);
    });

    it('moves Approved to Canary with a guarded canary rollout when the production endpoint exists', () => {
      const decision = decideChecked(world({}));

      const rollout = { strategy: 'canary', trafficPercent: 10, bakeSeconds: 600, terminationWaitSeconds: 300, maxExecutionSeconds: 3600, rollbackAlarms: [P99_ALARM, ERRORS_ALARM, 'creditai-credit-risk-retail-prod-canary-harm'] };
      expect(deployedSpec(decision)).toMatchObject({ environment: 'production', endpointConfigName: configOf(3, 'production'), rollout });
      expect(versionOf(decision, 3).deployments.production).toEqual({ ...aDeployment(3, 'production'), startedAt: NOW });
      expect(eventsOfType(decision, 'DeploymentStarted')).toEqual([expect.objectContaining({ version: 3, strategy: 'canary', kind: 'release' })]);
      expect(eventsOfType(decision, 'CanaryStarted')).toEqual([
        expect.objectContaining({ version: 3, endpointName: PROD_ENDPOINT, endpointConfigName: configOf(3, 'production'), trafficPercent: 10, bakeSeconds: 600, rollbackAlarms: [P99_ALARM, ERRORS_ALARM, 'creditai-credit-risk-retail-prod-canary-harm'] }),
      ]);
    });

    it('moves Approved to Canary with an all-at-once update when the policy says all-at-once', () => {
      const decision = decideChecked(world({}), ALL_AT_ONCE);

      expect(deployedSpec(decision).rollout).toEqual({ strategy: 'all-at-once' });
      expect(eventTypes(decision)).toEqual(['DeploymentStarted']);
    });

    it('names the endpoint and its alarms from the policy when the policy names the production endpoint', () => {
      const decision = decideChecked(world({}), parsePolicy({ production: { endpointName: 'retail-scoring-prod' } }));

      expect(deployedSpec(decision)).toMatchObject({ endpointName: 'retail-scoring-prod', rollout: { rollbackAlarms: ['creditai-retail-scoring-prod-p99-latency', 'creditai-retail-scoring-prod-5xx-errors', 'creditai-retail-scoring-prod-canary-harm'] } });
    });

    it('moves Approved to Rejected when a human revoked the approval', () => {
      const decision = decideChecked(world({ packages: [aPackage(2), aPackage(3, { approval: rejectedByRiskOfficer })] }));

      expect(versionOf(decision, 3).phase).toBe('Rejected');
      expect(effectTypes(decision)).toEqual([]);
    });
  });

  // ---- 5. step: Canary -----------------------------------------------------------------------------------------

  describe('step: Canary', () => {
    const live = aVersion(2, 'Live');
    const canary = aVersion(3, 'Canary', { since: DEPLOY_STARTED });
    const world = (production: EndpointObservation | undefined, parts: SnapshotParts = {}): Snapshot =>
      aSnapshot({ versions: [live, canary], packages: [aPackage(2), aPackage(3)], endpoints: production ? { production } : {}, ...parts });
    const prod2 = configOf(2, 'production');
    const prod3 = configOf(3, 'production');
    const stuckMessage = `${PROD_ENDPOINT} is UpdateRollbackFailed: both the rollout and its rollback failed and the endpoint serves a mix of configs;`;

    it.each<[string, string | undefined, string]>([
      ['with a failure reason', 'Instance ml.m5.xlarge capacity unavailable', `${stuckMessage} Instance ml.m5.xlarge capacity unavailable`],
      ['without a failure reason', undefined, stuckMessage],
    ])('flags a rollout stuck in UpdateRollbackFailed (%s) as Degraded with one critical ReconcileFailed', (_, failureReason, message) => {
      const decision = decideChecked(world(anEndpoint(PROD_ENDPOINT, 'UpdateRollbackFailed', prod2, failureReason ? { failureReason } : {})));

      expect(versionOf(decision, 3)).toMatchObject({ phase: 'Canary', transitions: canary.transitions });
      expect(getCondition(versionOf(decision, 3).conditions, 'Degraded')).toMatchObject({ status: 'True', reason: 'UpdateRollbackFailed', message });
      expect(eventsOfType(decision, 'ReconcileFailed')).toEqual([expect.objectContaining({ version: 3, severity: 'critical', reason: 'UpdateRollbackFailed', message })]);
      expect(effectTypes(decision)).toEqual([]);
    });

    it('flags UpdateRollbackFailed only once: a second decide on the resulting status emits nothing', () => {
      const snapshot = world(anEndpoint(PROD_ENDPOINT, 'UpdateRollbackFailed', prod2));
      const first = decideChecked(snapshot);

      const second = decideChecked(nextSnapshot(snapshot, first), DEFAULT_POLICY, '2026-11-02T10:05:00.000Z');

      expect(second.actions).toEqual([]);
    });

    it('keeps Canary while the rollout runs', () => {
      const decision = decideChecked(world(prodBusy));

      expect(decision.status.versions).toEqual([live, canary]);
      expect(decision.actions).toEqual([]);
    });

    it('moves Canary to Live and the previous Live to Superseded when the endpoint serves the new config', () => {
      const decision = decideChecked(world(prodServing(3)));

      expect(versionOf(decision, 3)).toMatchObject({ phase: 'Live', liveSince: NOW, since: NOW });
      expect(versionOf(decision, 2)).toMatchObject({ phase: 'Superseded', reason: 'Replaced in production by version 3', liveSince: live.liveSince });
      expect(eventsOfType(decision, 'ModelPromoted')).toEqual([expect.objectContaining({ version: 3, endpointName: PROD_ENDPOINT, endpointConfigName: prod3, previousVersion: 2 })]);
      expect(effectTypes(decision)).toEqual([]);
    });

    it('moves the first release to Live with no previous version', () => {
      const first = aVersion(1, 'Canary', { deployments: { production: aDeployment(1, 'production', { strategy: 'all-at-once' }) } });

      const decision = decideChecked(aSnapshot({ versions: [first], packages: [aPackage(1)], endpoints: { production: prodServing(1) } }));

      expect(versionOf(decision, 1).phase).toBe('Live');
      expect(eventsOfType(decision, 'ModelPromoted')[0]).not.toHaveProperty('previousVersion');
    });

    it.each<[string, EndpointObservation, string, string[]]>([
      [
        'an alarm that fired since the rollout started (an older one is not blamed)',
        prodServing(2),
        `Auto-rollback on ${P99_ALARM}`,
        [P99_ALARM],
      ],
      ['a failure reason SageMaker gives', anEndpoint(PROD_ENDPOINT, 'InService', prod2, { failureReason: 'Endpoint update rolled back: alarm creditai-credit-risk-retail-prod-p99-latency' }), 'Endpoint update rolled back: alarm creditai-credit-risk-retail-prod-p99-latency', [P99_ALARM]],
    ])('moves Canary to RolledBack when SageMaker guardrails reverted the rollout, citing %s', (_, production, reason, alarms) => {
      const alarmsSeen = [anAlarm(P99_ALARM, 'ALARM', '2026-11-02T09:12:00.000Z', 'Threshold Crossed'), anAlarm(ERRORS_ALARM, 'ALARM', '2026-11-02T08:30:00.000Z')];

      const decision = decideChecked(world(production, { alarms: alarmsSeen }));

      expect(versionOf(decision, 3)).toMatchObject({ phase: 'RolledBack', reason });
      expect(versionOf(decision, 2).phase).toBe('Live');
      expect(eventsOfType(decision, 'RollbackPerformed')).toEqual([expect.objectContaining({ version: 3, endpointName: PROD_ENDPOINT, initiator: 'sagemaker-guardrails', reason, alarms })]);
      expect(effectTypes(decision)).toEqual([]);
    });

    it('moves Canary to RolledBack naming the configs when the rollout was reverted silently', () => {
      const decision = decideChecked(world(prodServing(2)));

      expect(versionOf(decision, 3)).toMatchObject({ phase: 'RolledBack', reason: `${PROD_ENDPOINT} serves ${prod2}, not ${prod3}` });
      expect(eventsOfType(decision, 'RollbackPerformed')).toEqual([expect.objectContaining({ alarms: [] })]);
    });

    it('moves a failed first create to RolledBack and deletes the Failed endpoint', () => {
      const first = aVersion(1, 'Canary', { deployments: { production: aDeployment(1, 'production', { strategy: 'all-at-once' }) } });
      const failed = anEndpoint(PROD_ENDPOINT, 'Failed', configOf(1, 'production'), { failureReason: 'Unable to provision requested ML compute capacity' });

      const decision = decideChecked(aSnapshot({ versions: [first], packages: [aPackage(1)], endpoints: { production: failed } }));

      expect(versionOf(decision, 1)).toMatchObject({ phase: 'RolledBack', reason: 'Unable to provision requested ML compute capacity' });
      expect(actionsOfType(decision, 'DeleteEndpoint')).toEqual([{ type: 'DeleteEndpoint', endpointName: PROD_ENDPOINT }]);
      expect(eventTypes(decision)).toEqual(['RollbackPerformed']);
    });

    it.each<[string, VersionStatus, EndpointObservation | undefined, string]>([
      ['redeploys the canary when the production endpoint vanished', canary, undefined, 'canary'],
      ['redeploys the canary when the endpoint serves a config nobody recorded', canary, anEndpoint(PROD_ENDPOINT, 'InService', 'credit-risk-retail-hotfix-prod'), 'canary'],
      ['redeploys a first create all-at-once when the endpoint never appeared', aVersion(3, 'Canary', { deployments: { production: aDeployment(3, 'production', { strategy: 'all-at-once', previousConfigName: undefined }) } }), undefined, 'all-at-once'],
    ])('%s', (_, version, production, strategy) => {
      const decision = decideChecked(aSnapshot({ versions: [version], packages: [aPackage(3)], endpoints: production ? { production } : {} }));

      expect(versionOf(decision, 3)).toEqual(version);
      expect(deployedSpec(decision)).toMatchObject({ environment: 'production', endpointConfigName: prod3, rollout: { strategy } });
      expect(eventsOf(decision)).toEqual([]);
    });

    it('returns the last-known-good to Live when its rollback deploy is served', () => {
      const rolledBack = aVersion(2, 'RolledBack');
      const redeployed = aVersion(1, 'Canary', { reason: 'Redeploying as last-known-good', liveSince: '2026-10-20T12:00:00.000Z', deployments: { production: aDeployment(1, 'production', { kind: 'rollback', strategy: 'all-at-once', previousConfigName: prod2 }) } });

      const decision = decideChecked(aSnapshot({ versions: [redeployed, rolledBack], packages: [aPackage(1), aPackage(2)], endpoints: { production: prodServing(1) } }));

      expect(versionOf(decision, 1)).toMatchObject({ phase: 'Live', liveSince: NOW, reason: undefined });
      expect(versionOf(decision, 2)).toEqual(rolledBack);
      expect(eventsOfType(decision, 'ModelPromoted')).toEqual([expect.not.objectContaining({ previousVersion: expect.anything() })]);
    });
  });

  // ---- determinism ---------------------------------------------------------------------------------------------

  describe('determinism', () => {
    const busyWorld = (): Snapshot =>
      aSnapshot({
        versions: [aVersion(1, 'Superseded', { liveSince: '2026-10-20T12:00:00.000Z' }), aVersion(2, 'Live'), aVersion(3, 'StagingVerified')],
        packages: [aPackage(1), aPackage(2), aPackage(3, { approval: { status: 'Approved', actor: pipelineActor } }), aPackage(4)],
        endpoints: { staging: stagingServing(3), production: prodServing(2) },
        alarms: [anAlarm(P99_ALARM, 'ALARM', '2026-11-02T09:45:00.000Z', 'Threshold Crossed')],
      });

    it('returns deep-equal decisions for the same input and never mutates the snapshot', () => {
      const snapshot = busyWorld();
      const before = structuredClone(snapshot);
      deepFreeze(snapshot);

      const first = decideChecked(snapshot);
      const second = decideChecked(snapshot);

      expect(first.actions.length).toBeGreaterThan(0);
      expect(second).toEqual(first);
      expect(snapshot).toEqual(before);
    });

    it('gives the same event keys to a retry of the same snapshot, even at a later time', () => {
      const first = decideChecked(busyWorld());

      const retry = decideChecked(busyWorld(), DEFAULT_POLICY, '2026-11-02T10:07:31.000Z');

      expect(eventsOf(retry).map((e) => e.detail.eventKey)).toEqual(eventsOf(first).map((e) => e.detail.eventKey));
    });

    describe('a drive from Registered to Live', () => {
      const minute = (i: number): string => new Date(Date.parse(NOW) + i * 60_000).toISOString();
      const samples = [{ sent: 3, latencyMs: 84, body: '0.12\n0.47\n0.08', failed: false }];

      /** The world the shell would see after executing the decision's actions. */
      function execute(snapshot: Snapshot, decision: Decision, now: string): Snapshot {
        let status = { ...decision.status, revision: decision.status.revision + 1 };
        const endpoints = { ...snapshot.endpoints };
        let packages = snapshot.packages;
        for (const action of decision.actions) {
          if (action.type === 'DeployEndpoint') {
            const current = endpoints[action.spec.environment];
            endpoints[action.spec.environment] = current
              ? { ...current, status: 'Updating', pendingConfigName: action.spec.endpointConfigName }
              : { name: action.spec.endpointName, status: 'Creating', configName: action.spec.endpointConfigName };
          } else if (action.type === 'SmokeTest') {
            status = withSmokeTest(status, action.version, judgeSmokeTest(samples, action.limits, action.endpointConfigName, now));
          } else if (action.type === 'ApprovePackage') {
            packages = packages.map((p) => (p.version === action.version ? { ...p, approval: { status: 'Approved', actor: CONTROL_PLANE, at: now } } : p));
          } else if (action.type !== 'PublishEvent') {
            throw new Error(`A clean release does not ${action.type}`);
          }
        }
        return { ...snapshot, status, endpoints, packages };
      }

      /** What happens in the world while the control plane waits: rollouts finish, the risk officer approves. */
      function elapse(snapshot: Snapshot, now: string): Snapshot {
        const endpoints = Object.fromEntries(
          Object.entries(snapshot.endpoints).map(([env, e]) => [env, isBusy(e) ? { name: e.name, status: 'InService', configName: e.pendingConfigName ?? e.configName } : e]),
        );
        const awaiting = snapshot.status.versions.filter((v) => v.phase === 'AwaitingApproval' && v.awaiting === 'production').map((v) => v.version);
        const packages = snapshot.packages.map((p) => (awaiting.includes(p.version) ? { ...p, approval: { ...humanApproval, at: now } } : p));
        return { ...snapshot, endpoints, packages };
      }

      function drive(start: Snapshot, version: number): { phases: Phase[]; decisions: Decision[]; final: Snapshot } {
        let snapshot = start;
        const phases: Phase[] = [];
        const decisions: Decision[] = [];
        for (let i = 0; i < 25 && phases.at(-1) !== 'Live'; i++) {
          const now = minute(i);
          const decision = decideChecked(snapshot, DEFAULT_POLICY, now);
          const changed = !isDeepStrictEqual(decision.status, snapshot.status);
          const waiting =
            Object.values(snapshot.endpoints).some((e) => isBusy(e)) ||
            decision.actions.some((a) => a.type === 'SmokeTest') ||
            decision.status.versions.some((v) => v.phase === 'AwaitingApproval');
          expect({ call: i, changedOrWaiting: changed || waiting }).toEqual({ call: i, changedOrWaiting: true });
          decisions.push(decision);
          if (phases.at(-1) !== versionOf(decision, version).phase) phases.push(versionOf(decision, version).phase);
          snapshot = execute(snapshot, decision, now);
          if (!changed) snapshot = elapse(snapshot, now);
        }
        return { phases, decisions, final: snapshot };
      }

      const releasePath: Phase[] = ['Gated', 'DeployingStaging', 'StagingVerified', 'AwaitingApproval', 'Approved', 'Canary', 'Live'];

      it('moves a first release from Registered to Live, changing the status or waiting on the world at every call', () => {
        const { phases, decisions, final } = drive(aSnapshot({ packages: [aPackage(1)] }), 1);

        expect(phases).toEqual(releasePath);
        expect(final.endpoints.production).toEqual(prodServing(1));
        expect(decisions.flatMap(eventTypes)).not.toContain('CanaryStarted');
      });

      it('moves a second release from Registered to Live through a canary and supersedes version 1', () => {
        const start = aSnapshot({ versions: [aVersion(1, 'Live')], packages: [aPackage(1, { approval: humanApproval }), aPackage(2)], endpoints: { staging: stagingServing(1), production: prodServing(1) } });

        const { phases, decisions, final } = drive(start, 2);

        expect(phases).toEqual(releasePath);
        expect(final.status.versions.map((v) => [v.version, v.phase])).toEqual([[1, 'Superseded'], [2, 'Live']]);
        expect(decisions.flatMap(eventTypes)).toContain('CanaryStarted');
        expect(decisions.flatMap((d) => eventsOfType(d, 'ModelPromoted'))).toEqual([expect.objectContaining({ version: 2, previousVersion: 1 })]);
      });

      it('gives every event of a whole Registered → Live run a unique key', () => {
        const { decisions } = drive(aSnapshot({ packages: [aPackage(1)] }), 1);

        const keys = decisions.flatMap(eventsOf).map((e) => e.detail.eventKey);
        expect(keys.length).toBeGreaterThanOrEqual(6);
        expect(new Set(keys).size).toBe(keys.length);
      });
    });
  });
});
