/**
 * decide(snapshot, policy, now): the lifecycle's one decision function. Pure: it reads the recorded status and
 * the observed world, and returns the next status and the actions that move the world towards it. Every rule of
 * the lifecycle is in this file, in the order it is applied:
 *
 *   1. adopt:     new packages become Registered; versions whose package left the registry are Retired.
 *   2. overtake:  a newer candidate past its gates supersedes older candidates not yet approved for production.
 *   3. approvals: an approval without an identified human is flagged once (never acted on).
 *   4. rollback:  an operator request, a rollback alarm or a revoked approval takes the Live version out and
 *                 redeploys the last-known-good.
 *   5. step:      each version takes at most one step along its phases (the shell calls decide again until
 *                 nothing changes, so one reconcile may take several steps).
 *   6. retrain:   drift on the Live version is triaged (drift-triage.ts) and, when it asks for it and the
 *                 retraining limits allow (retraining.ts), the training pipeline starts; every outcome is an event.
 *   7. experiment: an operator's challenge request puts a human-approved version beside the Live one, as a second
 *                 production variant (A/B test: the judge's recorded verdict moves all traffic to the winner, then
 *                 a clean one-variant config of the winner is deployed) or as a shadow variant that decides nothing
 *                 (shadow test: a winner goes through the production canary, a loser is dropped by a clean config).
 *                 A config that SageMaker will not serve ends the test after three sends. Applied before rule 5,
 *                 so a challenger's approval never starts a normal rollout.
 *
 * Waiting is the absence of an action: a busy endpoint, a missing approval or a running rollout leave the status
 * as it is, and the next event (or the sweep) brings the next reconcile.
 */
import type { DomainDetailType, DomainEventDetail } from '../contracts/domain-events';
import type { Action, EndpointSpec, Rollout } from './actions';
import { getCondition, setCondition } from './conditions';
import { isBusy, serves } from './endpoints';
import { evaluateGates, gateFailures, gateFigures, gateSummary } from './gates';
import { triageDrift, type TriagedFeature } from './drift-triage';
import { lastKnownGood } from './last-known-good';
import type { Actor, ChallengeRequest, ExperimentState, ExperimentVerdictRecord, GroupStatus, Lineage, PackageObservation, ReportKind, RetrainingState, Snapshot, VersionStatus } from './model';
import { clientToken, endpointConfigName, endpointName, modelName, rollbackAlarmNames, shortHash } from './names';
import { type Environment, FINAL, OVERTAKABLE, type Phase } from './phases';
import type { Policy } from './policy';
import { decideRetraining } from './retraining';

export interface Decision {
  status: GroupStatus;
  actions: Action[];
}

/** The control plane as the actor of its own decisions. */
export const CONTROL_PLANE: Actor = { arn: 'creditai-mlops', kind: 'control-plane', source: 'control-plane' };

const UNIDENTIFIED: Actor = { arn: 'unidentified', kind: 'unknown', source: 'describe' };

/** The variant name every config uses: blue/green needs the same name in the old and the new config. */
export const VARIANT_NAME = 'AllTraffic';

/** The second production variant of an A/B test (the champion keeps VARIANT_NAME). */
export const CHALLENGER_VARIANT = 'Challenger';

/** What an experiment is called in reasons: `A/B test` or `shadow test`. */
function testName(e: ExperimentState): string {
  return e.mode === 'shadow' ? 'shadow test' : 'A/B test';
}

/** The largest share an A/B challenger may decide: beyond half, it is the champion in all but name. */
export const MAX_AB_SHARE_PERCENT = 50;

/** An experiment's deadline, unless the policy sets `experiment.maxDurationDays`: the label's maturity plus these. */
const DEFAULT_ENROLMENT_DAYS = 180;

/** Sends of an experiment's config that may go unserved (SageMaker reverted them) before the test is aborted. */
const MAX_EXPERIMENT_DEPLOY_ATTEMPTS = 3;

/** How an approver approves (or rejects) a version for an environment: the console path and the CLI. */
export function howToApprove(group: string, version: number, arn: string, environment: Environment): string {
  const studio = `SageMaker Studio > Models > Registered models > ${group} > Version ${version}`;
  return environment === 'production'
    ? `${studio} > Update status > Approved (or Rejected), with a comment; or, from a checkout, signed in as yourself in an approver role: npm run mlops -- approve ${arn} --reason "<why>" (reject: npm run mlops -- reject ${arn} --reason "<why>")`
    : `${studio} > set the lifecycle stage Staging to Approved, with a comment, signed in as yourself in an approver role; to reject: npm run mlops -- reject ${arn} --reason "<why>"`;
}

/** Pipeline execution statuses after which a retraining run is over. */
const RUN_ENDED: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);

/** Retraining start times kept on the status: enough for any weekly budget policy allows in practice. */
const MAX_STARTS_KEPT = 20;

/** A triaged feature as the retrain events carry it. */
function driftFeature(f: TriagedFeature) {
  return { feature: f.feature, method: f.method, distance: f.distance, threshold: f.threshold, drifted: true, ...(f.importance !== undefined ? { importance: f.importance } : {}) };
}

/** The reports the gates read, in the order the audit record lists them. */
const REPORT_KINDS: readonly ReportKind[] = ['evaluation', 'bias', 'explainability'];

/** Lineage without its absent fields, so the event carries no `undefined` members. */
function definedOnly(lineage: Lineage): Lineage {
  return Object.fromEntries(Object.entries(lineage).filter(([, value]) => value !== undefined)) as unknown as Lineage;
}

type Detail<T extends DomainDetailType> = Omit<DomainEventDetail<T>, 'schemaVersion' | 'eventKey' | 'modelGroup' | 'occurredAt'>;

/** The working state of one decide call. */
class Decider {
  readonly actions: Action[] = [];
  readonly versions: VersionStatus[];
  readonly packages: Map<number, PackageObservation>;
  groupConditions: GroupStatus['conditions'];
  rollbackRequest: GroupStatus['rollbackRequest'];
  retraining: RetrainingState | undefined;
  challengeRequest: ChallengeRequest | undefined;
  experiment: ExperimentState | undefined;

  constructor(
    readonly snapshot: Snapshot,
    readonly policy: Policy,
    readonly now: string,
  ) {
    this.versions = structuredClone(snapshot.status.versions).sort((a, b) => a.version - b.version);
    this.packages = new Map(snapshot.packages.map((p) => [p.version, p]));
    this.groupConditions = structuredClone(snapshot.status.conditions);
    this.rollbackRequest = snapshot.status.rollbackRequest;
    this.retraining = structuredClone(snapshot.status.retraining);
    this.challengeRequest = snapshot.status.challengeRequest;
    this.experiment = structuredClone(snapshot.status.experiment);
  }

  get group(): string {
    return this.snapshot.group;
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  move(v: VersionStatus, phase: Phase, reason?: string): void {
    v.phase = phase;
    v.since = this.now;
    v.transitions += 1;
    v.reason = reason;
    if (phase !== 'AwaitingApproval') delete v.awaiting;
  }

  /** Emits a domain event whose key is fixed by the version's transition count (or the group's revision). */
  emit<T extends DomainDetailType>(detailType: T, v: VersionStatus | undefined, detail: Detail<T>, qualifier = ''): void {
    const base = v ? `${this.group}/v${v.version}/t${v.transitions}` : `${this.group}/r${this.snapshot.status.revision}`;
    const key = `${base}/${detailType}${qualifier ? `/${qualifier}` : ''}`;
    const full = { schemaVersion: 1, eventKey: key, modelGroup: this.group, occurredAt: this.now, ...detail };
    this.actions.push({ type: 'PublishEvent', event: { detailType, detail: full } as never });
  }

  endpointFor(environment: Environment): string {
    return endpointName(this.group, environment, this.policy);
  }

  /** The endpoint spec of `v`; with `challenger`, an experiment's config (v keeps VARIANT_NAME): A/B or shadow. */
  spec(v: VersionStatus, environment: Environment, rollout: Rollout, challenger?: { version: VersionStatus; sharePercent: number; mode: 'ab' | 'shadow' }): EndpointSpec {
    const settings = environment === 'staging' ? this.policy.staging : this.policy.production;
    const model = modelName(this.group, v.version, v.arn);
    const config = {
      modelName: model,
      variantName: VARIANT_NAME,
      instanceType: settings.instanceType,
      instanceCount: settings.instanceCount,
      dataCaptureSamplingPercent: environment === 'staging' ? 0 : this.policy.production.dataCaptureSamplingPercent,
      // Absent unless an A/B test: one-variant config names stay what they were.
      ...(challenger
        ? {
            challenger: {
              mode: challenger.mode,
              variantName: CHALLENGER_VARIANT,
              modelName: modelName(this.group, challenger.version.version, challenger.version.arn),
              modelPackageArn: challenger.version.arn,
              sharePercent: challenger.sharePercent,
            },
          }
        : {}),
    };
    return {
      environment,
      endpointName: this.endpointFor(environment),
      endpointConfigName: endpointConfigName(this.group, v.version, environment, config),
      modelPackageArn: v.arn,
      rollout,
      tags: {
        'creditai:model-group': this.group,
        'creditai:environment': environment,
        'creditai:model-version': String(v.version),
        ...(challenger ? { 'creditai:challenger-version': String(challenger.version.version) } : {}),
      },
      ...config,
    };
  }

  deploy(v: VersionStatus, spec: EndpointSpec, kind: 'release' | 'rollback'): void {
    this.actions.push({ type: 'DeployEndpoint', version: v.version, spec });
    v.deployments[spec.environment] = {
      endpointName: spec.endpointName,
      endpointConfigName: spec.endpointConfigName,
      modelName: spec.modelName,
      strategy: spec.rollout.strategy,
      kind,
      previousConfigName: this.snapshot.endpoints[spec.environment]?.configName,
      startedAt: this.now,
    };
  }

  /**
   * Re-sends a recorded deployment whose effect is not visible (lost action, vanished endpoint). The spec follows
   * the current policy; the record follows the spec, so the next decide waits for the config actually sent.
   */
  redeploy(v: VersionStatus, environment: Environment): void {
    const d = v.deployments[environment]!;
    const rollout: Rollout = environment === 'production' && d.strategy === 'canary' ? this.canaryRollout() : { strategy: 'all-at-once' };
    const spec = this.spec(v, environment, rollout);
    this.actions.push({ type: 'DeployEndpoint', version: v.version, spec });
    v.deployments[environment] = { ...d, endpointConfigName: spec.endpointConfigName, modelName: spec.modelName };
  }

  canaryRollout(): Rollout {
    const p = this.policy.production;
    return {
      strategy: 'canary',
      trafficPercent: p.canary.trafficPercent,
      bakeSeconds: p.canary.bakeSeconds,
      terminationWaitSeconds: p.terminationWaitSeconds,
      maxExecutionSeconds: p.maxExecutionSeconds,
      rollbackAlarms: rollbackAlarmNames(this.policy, this.endpointFor('production')),
    };
  }

  reject(v: VersionStatus, reasons: string[], by: Actor, tellRegistry: boolean): void {
    const reason = reasons.join('; ');
    this.move(v, 'Rejected', reason);
    if (tellRegistry) {
      this.actions.push({
        type: 'RejectPackage',
        version: v.version,
        modelPackageArn: v.arn,
        reason: reason.slice(0, 1024),
        clientToken: clientToken(v.arn, 'Rejected', v.transitions),
      });
    }
    this.emit('ModelRejected', v, { version: v.version, reasons, rejectedBy: by });
  }

  /** A rejection a human made in the registry (console or CLI). */
  rejectedInRegistry(v: VersionStatus, pkg: PackageObservation): void {
    const who = pkg.approval.actor ?? UNIDENTIFIED;
    const why = pkg.approval.description ? `: ${pkg.approval.description}` : '';
    this.reject(v, [`Rejected in the registry by ${who.arn}${why}`], who, false);
  }

  productionBusy(): boolean {
    return isBusy(this.snapshot.endpoints.production) || this.versions.some((o) => o.phase === 'Canary');
  }

  // ---- 1. adopt ----------------------------------------------------------------------------------------------

  adopt(): void {
    for (const pkg of this.snapshot.packages) {
      if (this.versions.some((v) => v.version === pkg.version)) continue;
      this.versions.push({
        version: pkg.version,
        arn: pkg.arn,
        phase: 'Registered',
        since: this.now,
        transitions: 0,
        conditions: [],
        deployments: {},
      });
    }
    this.versions.sort((a, b) => a.version - b.version);
    for (const v of this.versions) {
      const inUse = v.phase === 'Live' || v.phase === 'Canary' || v.phase === 'Challenger';
      if (!this.packages.has(v.version) && !FINAL.has(v.phase) && !inUse) {
        this.move(v, 'Retired', 'The model package is no longer in the registry');
      }
    }
  }

  // ---- 2. overtake -------------------------------------------------------------------------------------------

  overtake(): void {
    const ahead = this.versions.filter((v) => v.phase !== 'Registered' && !FINAL.has(v.phase));
    const newest = Math.max(0, ...ahead.map((v) => v.version));
    for (const v of this.versions) {
      if (v.version < newest && OVERTAKABLE.has(v.phase)) this.move(v, 'Superseded', `Overtaken by version ${newest}`);
    }
  }

  // ---- 3. approvals ------------------------------------------------------------------------------------------

  /** An Approved status without an identified human, where the policy wants one, is flagged once. */
  flagUnverifiedApprovals(): void {
    for (const v of this.versions) {
      const pkg = this.packages.get(v.version);
      if (!pkg || FINAL.has(v.phase) || v.approval) continue;
      const unverified: [Environment, Actor | undefined][] = [];
      if (this.policy.approval.production === 'manual' && pkg.approval.status === 'Approved' && pkg.approval.actor?.kind !== 'human') {
        unverified.push(['production', pkg.approval.actor]);
      }
      if (this.policy.approval.staging === 'manual' && pkg.stagingApproval && pkg.stagingApproval.actor?.kind !== 'human') {
        unverified.push(['staging', pkg.stagingApproval.actor]);
      }
      for (const [environment, actor] of unverified) {
        const type = `ApprovalVerified/${environment}`;
        if (getCondition(v.conditions, type)?.status === 'False') continue;
        const reason = `The ${environment} approval was not made by an identified human (${actor?.arn ?? 'no identity recorded'}); it is not acted on`;
        v.conditions = setCondition(v.conditions, { type, status: 'False', reason: 'NoIdentifiedHuman', message: reason }, this.now);
        this.emit('ApprovalUnverified', v, { version: v.version, environment, ...(actor ? { actor } : {}), reason }, environment);
      }
    }
  }

  // ---- 4. rollback -------------------------------------------------------------------------------------------

  rollbackTrigger(live: VersionStatus): { initiator: 'operator' | 'control-plane'; reason: string; alarms: string[] } | undefined {
    if (this.rollbackRequest) {
      return { initiator: 'operator', reason: `Requested by ${this.rollbackRequest.by}: ${this.rollbackRequest.reason}`, alarms: [] };
    }
    const pkg = this.packages.get(live.version);
    if (pkg?.approval.status === 'Rejected') {
      return { initiator: 'control-plane', reason: `Approval revoked in the registry by ${pkg.approval.actor?.arn ?? 'an unidentified principal'}`, alarms: [] };
    }
    // Only alarms that went off while this version alone served production: an alarm still firing from before it
    // took over (right after a rollback), or from another version's rollout that has since been reverted, says
    // nothing about it.
    const liveFrom = live.liveSince ?? live.since;
    const reverted = this.versions.filter((o) => o.phase === 'RolledBack' && (o.deployments.production?.startedAt ?? '') >= liveFrom);
    const servingAlone = [liveFrom, ...reverted.map((o) => o.since)];
    const from = servingAlone.sort().at(-1)!;
    const firing = this.snapshot.alarms.filter((a) => a.state === 'ALARM' && a.since >= from);
    if (firing.length > 0 && this.policy.rollback.onAlarm === 'auto') {
      const reason = firing.map((a) => `${a.name} in ALARM${a.reason ? ` (${a.reason})` : ''}`).join('; ');
      return { initiator: 'control-plane', reason, alarms: firing.map((a) => a.name) };
    }
    return undefined;
  }

  /** Once nothing calls for a rollback any more, a blocked one is over: a new incident pages again. */
  clearRollbackBlocked(): void {
    if (getCondition(this.groupConditions, 'RollbackBlocked')?.status !== 'True') return;
    this.groupConditions = setCondition(this.groupConditions, { type: 'RollbackBlocked', status: 'False', reason: 'NoRollbackNeeded', message: 'Nothing calls for a rollback' }, this.now);
  }

  rollback(): void {
    const live = this.versions.find((v) => v.phase === 'Live');
    const trigger = live ? this.rollbackTrigger(live) : this.rollbackRequest && { initiator: 'operator' as const, reason: 'no Live version', alarms: [] };
    if (!trigger) return this.clearRollbackBlocked();
    if (this.productionBusy()) return;
    // Not a target: a version whose approval was revoked, or whose package is gone from the registry.
    const target = lastKnownGood(this.versions, (version) => this.packages.get(version)?.approval.status === 'Approved');
    this.rollbackRequest = undefined;
    if (!live || !target) {
      const message = `Rollback needed (${trigger.reason}) but ${live ? 'no last-known-good version exists' : 'no version is Live'}`;
      const blocked = getCondition(this.groupConditions, 'RollbackBlocked');
      this.groupConditions = setCondition(this.groupConditions, { type: 'RollbackBlocked', status: 'True', reason: 'NoRollbackTarget', message }, this.now);
      if (blocked?.status !== 'True' || blocked.message !== message) {
        this.emit('ReconcileFailed', undefined, { severity: 'critical', reason: 'NoRollbackTarget', message });
      }
      return;
    }
    this.groupConditions = setCondition(this.groupConditions, { type: 'RollbackBlocked', status: 'False', reason: 'RolledBack', message: `Rolled back to version ${target.version}` }, this.now);
    this.move(live, 'RolledBack', trigger.reason);
    this.emit('RollbackPerformed', live, {
      version: live.version,
      endpointName: this.endpointFor('production'),
      initiator: trigger.initiator,
      reason: trigger.reason,
      toVersion: target.version,
      alarms: trigger.alarms,
    });
    this.startProduction(target, 'rollback');
  }

  // ---- 5. step -----------------------------------------------------------------------------------------------

  step(v: VersionStatus): void {
    const pkg = this.packages.get(v.version);
    switch (v.phase) {
      case 'Registered':
        return this.stepRegistered(v, pkg!);
      case 'Gated':
      case 'AwaitingApproval':
      case 'StagingVerified':
        return this.stepAwaiting(v, pkg!);
      case 'DeployingStaging':
        return this.stepDeployingStaging(v, pkg!);
      case 'Approved':
        return this.stepApproved(v, pkg!);
      case 'Canary':
        return this.stepCanary(v);
      // Live is left by the rollback rule or by a newer promotion; the rest are final here (Challenger: the judge).
      default:
        return;
    }
  }

  stepRegistered(v: VersionStatus, pkg: PackageObservation): void {
    if (pkg.approval.status === 'Rejected') return this.rejectedInRegistry(v, pkg);
    const report = evaluateGates(pkg, this.policy, this.now);
    v.gates = report;
    v.conditions = setCondition(
      v.conditions,
      report.passed
        ? { type: 'GatesPassed', status: 'True', reason: 'AllGatesPassed', message: `${report.results.length} gate(s) passed` }
        : { type: 'GatesPassed', status: 'False', reason: 'GatesFailed', message: gateFailures(report).join('; ') },
      this.now,
    );
    this.emit('ModelGated', v, {
      version: v.version,
      passed: report.passed,
      results: report.results,
      lineage: definedOnly(pkg.lineage),
      evidence: REPORT_KINDS.flatMap((report) => {
        const read = pkg.evidence?.[report];
        return read ? [{ report, uri: read.uri, sha256: read.sha256 }] : [];
      }),
      figures: gateFigures(pkg, this.policy),
    });
    if (report.passed) this.move(v, 'Gated');
    else this.reject(v, gateFailures(report), CONTROL_PLANE, true);
  }

  /** Gated, AwaitingApproval and StagingVerified: each waits for an approval and a free endpoint. */
  stepAwaiting(v: VersionStatus, pkg: PackageObservation): void {
    if (pkg.approval.status === 'Rejected') return this.rejectedInRegistry(v, pkg);
    const verified = v.phase === 'StagingVerified' || v.awaiting === 'production';
    if (verified) return this.approveForProduction(v, pkg);
    const approved = this.policy.approval.staging === 'auto' || pkg.stagingApproval?.actor?.kind === 'human';
    if (!approved) {
      return this.awaitApproval(v, 'staging');
    }
    if (isBusy(this.snapshot.endpoints.staging)) return;
    const spec = this.spec(v, 'staging', { strategy: 'all-at-once' });
    this.deploy(v, spec, 'release');
    this.move(v, 'DeployingStaging');
    this.emit('DeploymentStarted', v, {
      version: v.version,
      environment: 'staging',
      endpointName: spec.endpointName,
      endpointConfigName: spec.endpointConfigName,
      strategy: 'all-at-once',
      kind: 'release',
    });
  }

  /**
   * Waits for a human approval of `environment`. Entering AwaitingApproval tells the approvers once
   * (ApprovalRequested, keyed by the transition); staying there emits nothing.
   */
  awaitApproval(v: VersionStatus, environment: Environment): void {
    if (v.phase !== 'AwaitingApproval') {
      this.move(v, 'AwaitingApproval');
      const smoke = environment === 'production' ? v.smokeTest : undefined;
      this.emit('ApprovalRequested', v, {
        version: v.version,
        environment,
        gates: { passed: v.gates?.passed ?? false, summary: v.gates ? gateSummary(v.gates) : 'No gate results are recorded' },
        ...(smoke ? { smokeTest: { passed: smoke.passed, checks: smoke.checks } } : {}),
        modelPackageArn: v.arn,
        howToApprove: howToApprove(this.group, v.version, v.arn, environment),
      });
    }
    v.awaiting = environment;
  }

  approveForProduction(v: VersionStatus, pkg: PackageObservation): void {
    let approval: VersionStatus['approval'];
    if (this.policy.approval.production === 'auto') {
      const reason = 'Approved by policy: gates passed and staging verified';
      if (pkg.approval.status !== 'Approved') {
        this.actions.push({ type: 'ApprovePackage', version: v.version, modelPackageArn: v.arn, reason, clientToken: clientToken(v.arn, 'Approved', v.transitions) });
      }
      approval = { actor: CONTROL_PLANE, at: this.now, reason };
    } else if (pkg.approval.status === 'Approved' && pkg.approval.actor?.kind === 'human') {
      approval = { actor: pkg.approval.actor, at: pkg.approval.at ?? this.now, reason: pkg.approval.description ?? '' };
    }
    if (!approval) {
      return this.awaitApproval(v, 'production');
    }
    this.recordApproval(v, approval);
    this.move(v, 'Approved');
  }

  /** Records a production approval on the version and in the ledger (ModelApproved). */
  recordApproval(v: VersionStatus, approval: NonNullable<VersionStatus['approval']>): void {
    v.approval = approval;
    v.conditions = setCondition(v.conditions, { type: 'Approved', status: 'True', reason: approval.actor.kind === 'human' ? 'ApprovedByHuman' : 'ApprovedByPolicy', message: `${approval.actor.arn}: ${approval.reason}` }, this.now);
    this.emit('ModelApproved', v, { version: v.version, environment: 'production', approver: approval.actor, reason: approval.reason });
  }

  stepDeployingStaging(v: VersionStatus, pkg: PackageObservation): void {
    if (pkg.approval.status === 'Rejected') return this.rejectedInRegistry(v, pkg);
    const d = v.deployments.staging!;
    const endpoint = this.snapshot.endpoints.staging;
    if (isBusy(endpoint)) return;
    if (endpoint?.status === 'Failed' && endpoint.configName === d.endpointConfigName) {
      this.actions.push({ type: 'DeleteEndpoint', endpointName: endpoint.name });
      return this.reject(v, [`Staging deployment failed: ${endpoint.failureReason ?? 'endpoint Failed'}`], CONTROL_PLANE, true);
    }
    if (endpoint?.status === 'Failed') {
      // Left Failed by another config (an overtaken version's failed create): SageMaker accepts only a delete.
      this.actions.push({ type: 'DeleteEndpoint', endpointName: endpoint.name });
      return;
    }
    if (!serves(endpoint, d.endpointConfigName)) {
      // Either the update was reverted (SageMaker says why) or our deploy never took effect: then send it again.
      if (endpoint?.failureReason) return this.reject(v, [`Staging deployment failed: ${endpoint.failureReason}`], CONTROL_PLANE, true);
      return this.redeploy(v, 'staging');
    }
    const smoke = v.smokeTest?.endpointConfigName === d.endpointConfigName ? v.smokeTest : undefined;
    if (!smoke) {
      this.actions.push({ type: 'SmokeTest', version: v.version, endpointName: d.endpointName, endpointConfigName: d.endpointConfigName, limits: this.policy.staging.smokeTest });
      return;
    }
    if (!smoke.passed) {
      const failures = smoke.checks.filter((c) => !c.passed).map((c) => `Smoke test ${c.name}: ${c.message}`);
      return this.reject(v, failures, CONTROL_PLANE, true);
    }
    v.conditions = setCondition(v.conditions, { type: 'StagingVerified', status: 'True', reason: 'SmokeTestPassed', message: `${smoke.checks.length} check(s) passed on ${d.endpointName}` }, this.now);
    this.move(v, 'StagingVerified');
    this.emit('StagingVerified', v, { version: v.version, endpointName: d.endpointName, checks: smoke.checks });
  }

  stepApproved(v: VersionStatus, pkg: PackageObservation): void {
    if (pkg.approval.status === 'Rejected') return this.rejectedInRegistry(v, pkg);
    // An A/B test owns production until it concludes (rule 7 runs first: a challenged version is already moved).
    if (this.productionBusy() || this.experiment) return;
    this.startProduction(v, 'release');
  }

  /** `guarded: false`: all at once, for a switch whose version already served production (an A/B winner). */
  startProduction(v: VersionStatus, kind: 'release' | 'rollback', guarded = true): void {
    const exists = this.snapshot.endpoints.production !== undefined;
    // A first create cannot be a canary (there is no old fleet), and a rollback must be fast.
    const canary = guarded && kind === 'release' && exists && this.policy.production.strategy === 'canary';
    const rollout = canary ? this.canaryRollout() : ({ strategy: 'all-at-once' } as const);
    const spec = this.spec(v, 'production', rollout);
    this.deploy(v, spec, kind);
    this.move(v, 'Canary', kind === 'rollback' ? 'Redeploying as last-known-good' : undefined);
    this.emit('DeploymentStarted', v, {
      version: v.version,
      environment: 'production',
      endpointName: spec.endpointName,
      endpointConfigName: spec.endpointConfigName,
      strategy: rollout.strategy,
      kind,
    });
    if (rollout.strategy === 'canary') {
      this.emit('CanaryStarted', v, {
        version: v.version,
        endpointName: spec.endpointName,
        endpointConfigName: spec.endpointConfigName,
        trafficPercent: rollout.trafficPercent,
        bakeSeconds: rollout.bakeSeconds,
        rollbackAlarms: rollout.rollbackAlarms,
      });
    }
  }

  stepCanary(v: VersionStatus): void {
    const d = v.deployments.production!;
    const endpoint = this.snapshot.endpoints.production;
    if (endpoint?.status === 'UpdateRollbackFailed') {
      if (getCondition(v.conditions, 'Degraded')?.status === 'True') return;
      const message = `${endpoint.name} is UpdateRollbackFailed: both the rollout and its rollback failed and the endpoint serves a mix of configs; ${endpoint.failureReason ?? ''}`.trim();
      v.conditions = setCondition(v.conditions, { type: 'Degraded', status: 'True', reason: 'UpdateRollbackFailed', message }, this.now);
      return this.emit('ReconcileFailed', v, { version: v.version, severity: 'critical', reason: 'UpdateRollbackFailed', message });
    }
    if (isBusy(endpoint)) return;
    if (serves(endpoint, d.endpointConfigName)) return this.promote(v);
    const failed = endpoint?.status === 'Failed' && endpoint.configName === d.endpointConfigName;
    const reverted = endpoint !== undefined && d.previousConfigName !== undefined && endpoint.configName === d.previousConfigName;
    if (!failed && !reverted) return this.redeploy(v, 'production');
    // The rollout did not take: SageMaker reverted it (an alarm during the bake, or a failed fleet), silently.
    const firing = this.snapshot.alarms.filter((a) => a.state === 'ALARM' && a.since >= d.startedAt).map((a) => a.name);
    const ep = endpoint!;
    const reason = ep.failureReason ?? (firing.length > 0 ? `Auto-rollback on ${firing.join(', ')}` : `${ep.name} serves ${ep.configName}, not ${d.endpointConfigName}`);
    if (failed) this.actions.push({ type: 'DeleteEndpoint', endpointName: ep.name });
    this.move(v, 'RolledBack', reason);
    // A revert leaves the endpoint on the config it served: the Live version's, when there is one.
    const live = reverted ? this.versions.find((o) => o.phase === 'Live') : undefined;
    this.emit('RollbackPerformed', v, { version: v.version, endpointName: ep.name, initiator: 'sagemaker-guardrails', reason, alarms: firing, ...(live ? { toVersion: live.version } : {}) });
  }

  promote(v: VersionStatus): void {
    const previous = this.versions.find((o) => o.phase === 'Live');
    if (previous) this.move(previous, 'Superseded', `Replaced in production by version ${v.version}`);
    const d = v.deployments.production!;
    v.liveSince = this.now;
    this.move(v, 'Live');
    this.emit('ModelPromoted', v, {
      version: v.version,
      endpointName: d.endpointName,
      endpointConfigName: d.endpointConfigName,
      ...(previous ? { previousVersion: previous.version } : {}),
    });
  }

  /** The run in flight has ended (succeeded, failed or stopped): the cooldown starts from its end. */
  retrainingEnded(state: RetrainingState): void {
    const run = this.snapshot.retraining?.run;
    if (!state.inFlight || !run || !RUN_ENDED.has(run.status)) return;
    state.lastEndedAt = run.endedAt ?? this.now;
    delete state.inFlight;
  }

  retrain(): void {
    const state: RetrainingState = this.retraining ?? { starts: [] };
    this.retrainingEnded(state);
    const observed = this.snapshot.retraining;
    const live = this.versions.find((v) => v.phase === 'Live');
    const triage = observed && live ? triageDrift(observed.signals.filter((s) => s.version === live.version), this.policy.drift) : undefined;
    if (live && triage && triage.verdict !== 'ignore' && !(state.lastTriagedWindow && Date.parse(triage.signal.windowEnd) <= Date.parse(state.lastTriagedWindow))) {
      const window = triage.signal.windowEnd;
      state.lastTriagedWindow = window;
      const features = triage.drifted.filter((f) => f.persistent).map(driftFeature);
      const common = { version: live.version, triggerWindowEnd: window, features };
      const commitId = this.packages.get(live.version)?.lineage.commitId;
      // Not while a newer version (a retrained one, or a push) is on its way to production; and retraining reruns the
      // Live version's code: without a recorded commit (no lineage gate) there is nothing to run.
      const onItsWay = this.versions.find((v) => v.version > live.version && !FINAL.has(v.phase));
      const held: { skip: 'in-flight' | 'no-commit'; reason: string } | undefined = onItsWay
        ? { skip: 'in-flight', reason: `v${onItsWay.version} is on its way to production (${onItsWay.phase}); this signal waits for it` }
        : commitId
          ? undefined
          : { skip: 'no-commit', reason: `v${live.version} records no commit to retrain from (the group policy does not require lineage)` };
      const decision =
        triage.verdict !== 'retrain'
          ? { start: false as const, skip: this.policy.drift.action === 'alert' ? ('alert-only' as const) : ('minor-features' as const), reason: triage.reason }
          : held
            ? { start: false as const, ...held }
            : decideRetraining(state, this.policy.retrain, this.now);
      if (!decision.start) {
        // On-call hears of a skip once per reason and set of features, not every hour it persists; a signal folded
        // into a run (or a version) already under way needs no one.
        const signature = `${decision.skip}|${features.map((f) => f.feature).sort().join(',')}`;
        const alert = decision.skip !== 'in-flight' && this.policy.drift.alertOnSkip && state.lastAlert !== signature;
        if (alert) state.lastAlert = signature;
        const extra = { ...('until' in decision && decision.until ? { until: decision.until } : {}), ...('executionArn' in decision && decision.executionArn ? { pipelineExecutionArn: decision.executionArn } : {}) };
        this.emit('RetrainSkipped', live, { ...common, skip: decision.skip, reason: decision.reason, alert, ...extra }, window);
      } else {
        // The token is the window's: a retried or re-run reconcile of the same window starts the same execution.
        const token = shortHash(`${this.group}/retrain/${window}`, 64);
        const reason = `${triage.reason}; ${decision.reason}`;
        const reportUri = triage.signal.reportUri;
        this.actions.push({ type: 'StartRetraining', clientToken: token, reason, triggerWindowEnd: window, commitId: commitId!, ...(reportUri ? { reportUri } : {}) });
        state.inFlight = { clientToken: token, startedAt: this.now, triggerWindowEnd: window };
        state.starts = [...state.starts, this.now].slice(-MAX_STARTS_KEPT);
        delete state.lastAlert;
        this.emit('RetrainRequested', live, { ...common, reason, pipelineName: observed!.pipelineName, clientToken: token, ...(reportUri ? { reportUri } : {}) }, window);
      }
    }
    if (this.retraining || state.inFlight || state.lastTriagedWindow) this.retraining = state;
  }

  // ---- 7. experiment -----------------------------------------------------------------------------------------

  experimentStep(): void {
    if (this.experiment) return this.runExperiment(this.experiment);
    if (this.challengeRequest) this.startExperiment(this.challengeRequest);
  }

  /** A challenge that can never start is dropped and reported once (keyed by the request's time). */
  refuseChallenge(request: ChallengeRequest, why: string): void {
    this.challengeRequest = undefined;
    const message = `Challenge of version ${request.version} by ${request.by} refused: ${why}`;
    this.emit('ReconcileFailed', undefined, { severity: 'warning', reason: 'ChallengeRefused', message }, `challenge/${request.at}`);
  }

  startExperiment(request: ChallengeRequest): void {
    const v = this.versions.find((o) => o.version === request.version);
    const pkg = this.packages.get(request.version);
    const live = this.versions.find((o) => o.phase === 'Live');
    // Only a candidate not yet in production can challenge: one on its way (it waits for its approval) or approved.
    const candidate = v !== undefined && pkg !== undefined && (OVERTAKABLE.has(v.phase) || v.phase === 'Approved');
    if (!candidate) return this.refuseChallenge(request, v ? `it is ${v.phase}, not a candidate for production` : 'no such version');
    if (!live) return this.refuseChallenge(request, 'no version is Live to challenge');
    const e = this.policy.experiment;
    const mode = e.mode;
    // The request was checked against the policy of its day: a policy changed since then asks for a new request.
    if (request.mode !== undefined && request.mode !== mode) return this.refuseChallenge(request, `it was requested as ${request.mode === 'ab' ? 'an A/B' : 'a shadow'} test, and the group policy's experiment.mode is now ${mode}; request it again`);
    if (mode === 'ab' && request.sharePercent > MAX_AB_SHARE_PERCENT) return this.refuseChallenge(request, `an A/B challenger may decide at most ${MAX_AB_SHARE_PERCENT} % of production, not ${request.sharePercent} %`);
    const humanApproved = pkg.approval.status === 'Approved' && pkg.approval.actor?.kind === 'human';
    const ready = v.phase === 'Approved' || (v.phase === 'AwaitingApproval' && v.awaiting === 'production' && humanApproved);
    if (!ready || this.productionBusy()) return;
    if (v.phase === 'AwaitingApproval') {
      this.recordApproval(v, { actor: pkg.approval.actor!, at: pkg.approval.at ?? this.now, reason: pkg.approval.description ?? '' });
    }
    const spec = this.spec(live, 'production', { strategy: 'all-at-once' }, { version: v, sharePercent: request.sharePercent, mode });
    this.deploy(v, spec, 'release');
    const how = mode === 'shadow' ? `in shadow on a copy of ${request.sharePercent} % of production requests (it decides nothing)` : `with ${request.sharePercent} % of production`;
    this.move(v, 'Challenger', `${mode === 'shadow' ? 'Shadow test' : 'A/B test'} against version ${live.version} ${how}`);
    this.challengeRequest = undefined;
    this.experiment = {
      version: v.version,
      championVersion: live.version,
      mode,
      sharePercent: request.sharePercent,
      startedAt: this.now,
      endpointConfigName: spec.endpointConfigName,
      plan: {
        challengerShare: request.sharePercent / 100,
        championDefaultRate: e.championDefaultRate,
        minimumDetectableEffect: e.minimumDetectableEffect,
        ...(mode === 'shadow' ? { plannedDefaults: e.plannedDefaults } : {}),
      },
      // Pre-registered with the plan: a policy changed mid-test does not move the judge to another series.
      labels: { label: e.label, maturityDays: e.labelMaturityDays, decisionThreshold: e.decisionThreshold, ...(mode === 'ab' && e.earlyHarmLabel ? { earlyHarm: e.earlyHarmLabel } : {}) },
      deadline: new Date(Date.parse(this.now) + (e.maxDurationDays ?? e.labelMaturityDays + DEFAULT_ENROLMENT_DAYS) * 86_400_000).toISOString(),
      deployAttempts: 1,
    };
    this.emit('ChallengerStarted', v, {
      version: v.version,
      championVersion: live.version,
      endpointName: spec.endpointName,
      endpointConfigName: spec.endpointConfigName,
      sharePercent: request.sharePercent,
      mode,
      requestedBy: request.by,
      reason: request.reason,
      label: e.label,
      labelMaturityDays: e.labelMaturityDays,
      championDefaultRate: e.championDefaultRate,
      minimumDetectableEffect: e.minimumDetectableEffect,
      ...(mode === 'shadow' ? { plannedDefaults: e.plannedDefaults } : {}),
      ...(mode === 'ab' && e.earlyHarmLabel ? { earlyHarmLabel: e.earlyHarmLabel } : {}),
    });
  }

  /** The verdict to act on: the judge's, or keep-champion when a human rejected the challenger in the registry. */
  verdictOf(e: ExperimentState, challenger: VersionStatus): ExperimentVerdictRecord | undefined {
    if (e.verdict) return e.verdict;
    const pkg = this.packages.get(challenger.version);
    if (pkg?.approval.status !== 'Rejected') return undefined;
    const reason = `Rejected in the registry by ${pkg.approval.actor?.arn ?? 'an unidentified principal'} during the ${testName(e)}`;
    return { decision: 'keep-champion', reason, lookAt: this.now, champion: { units: 0, events: 0 }, challenger: { units: 0, events: 0 } };
  }

  runExperiment(e: ExperimentState): void {
    const challenger = this.versions.find((o) => o.version === e.version)!;
    const champion = this.versions.find((o) => o.version === e.championVersion)!;
    if (champion.phase !== 'Live') {
      // The champion was rolled back (its redeploy replaced the two-variant config): the test cannot go on.
      const figures = e.verdict ?? { champion: { units: 0, events: 0 }, challenger: { units: 0, events: 0 } };
      return this.concludeExperiment(e, challenger, champion, { ...figures, decision: 'aborted', reason: `Version ${champion.version} left production (${champion.phase}) during the ${testName(e)}` });
    }
    const verdict = this.verdictOf(e, challenger);
    if (this.productionBusy()) return;
    const mode = e.mode ?? 'ab';
    if (!verdict) {
      const endpoint = this.snapshot.endpoints.production;
      if (serves(endpoint, e.endpointConfigName)) {
        // Until now the old config took all traffic: counting from here keeps the split at the planned share, and the
        // deadline moves by the time it took to serve (the test's duration is its enrolment and maturing time).
        if (!e.servingSince) {
          const waited = Date.parse(this.now) - Date.parse(e.startedAt);
          this.experiment = { ...e, servingSince: this.now, ...(e.deadline ? { deadline: new Date(Date.parse(e.deadline) + waited).toISOString() } : {}) };
        }
        return;
      }
      // Sent but not served: a lost action, or SageMaker reverted the update (it says why). Send it again, a bounded
      // number of times: a config that cannot serve ends the test instead of being re-sent forever.
      const attempts = e.deployAttempts ?? 1;
      const none = { units: 0, events: 0 };
      if (e.deployError) return this.concludeExperiment(e, challenger, champion, { decision: 'aborted', reason: `SageMaker refused the experiment's config ${e.endpointConfigName}: ${e.deployError}`, champion: none, challenger: none });
      if (attempts >= MAX_EXPERIMENT_DEPLOY_ATTEMPTS) {
        const why = endpoint?.failureReason ? `: ${endpoint.failureReason}` : '';
        return this.concludeExperiment(e, challenger, champion, { decision: 'aborted', reason: `The experiment's config ${e.endpointConfigName} was not served after ${attempts} attempts${why}`, champion: none, challenger: none });
      }
      const spec = this.spec(champion, 'production', { strategy: 'all-at-once' }, { version: challenger, sharePercent: e.sharePercent, mode });
      this.actions.push({ type: 'DeployEndpoint', version: challenger.version, spec });
      // A production setting changed mid-test (instance type, count, capture) renames the config: follow the new one.
      this.experiment = { ...e, endpointConfigName: spec.endpointConfigName, deployAttempts: attempts + 1 };
      return;
    }
    const wins = verdict.decision === 'challenger-wins';
    if (mode === 'shadow') return this.concludeShadowTest(e, challenger, champion, verdict);
    if (!e.weightsShiftedAt) {
      // First all traffic to the winner's variant (no fleet change), then, once the endpoint settles, a clean config.
      this.actions.push({
        type: 'UpdateEndpointWeights',
        endpointName: this.endpointFor('production'),
        weights: [
          { variantName: VARIANT_NAME, weight: wins ? 0 : 1 },
          { variantName: CHALLENGER_VARIANT, weight: wins ? 1 : 0 },
        ],
      });
      this.experiment = { ...e, verdict, weightsShiftedAt: this.now };
      return;
    }
    if (wins) this.startProduction(challenger, 'release', false);
    else this.deployChampionAlone(champion, challenger);
    this.concludeExperiment(e, challenger, champion, verdict);
  }

  /**
   * A shadow test's verdict: first a clean config of the champion (the shadow's fleet goes), then a winner, which
   * never served an applicant, earns production through the policy's production rollout (the guarded canary) from
   * that clean config: a canary SageMaker reverts then leaves no shadow behind.
   */
  concludeShadowTest(e: ExperimentState, challenger: VersionStatus, champion: VersionStatus, verdict: ExperimentVerdictRecord): void {
    const wins = verdict.decision === 'challenger-wins';
    if (!e.shadowRemovedAt) {
      this.deployChampionAlone(champion, challenger);
      if (!wins) return this.concludeExperiment(e, challenger, champion, verdict);
      this.experiment = { ...e, verdict, shadowRemovedAt: this.now, deployAttempts: 1 };
      return;
    }
    const clean = this.spec(champion, 'production', { strategy: 'all-at-once' });
    const endpoint = this.snapshot.endpoints.production;
    if (!serves(endpoint, clean.endpointConfigName)) {
      // Sent but not served (a lost action, or SageMaker reverted it): send it again, a bounded number of times.
      const attempts = e.deployAttempts ?? 1;
      if (attempts < MAX_EXPERIMENT_DEPLOY_ATTEMPTS) {
        this.actions.push({ type: 'DeployEndpoint', version: champion.version, spec: clean });
        this.experiment = { ...e, deployAttempts: attempts + 1 };
        return;
      }
      const why = endpoint?.failureReason ? `: ${endpoint.failureReason}` : '';
      const message = `The champion's clean config ${clean.endpointConfigName} was not served on ${clean.endpointName} after ${attempts} attempts${why}; production may still serve the shadow test's config: deploy version ${champion.version} alone once the cause is fixed`;
      this.emit('ReconcileFailed', champion, { version: champion.version, severity: 'error', reason: 'ExperimentConfigStuck', message }, `experiment-v${challenger.version}/stuck`);
      return this.concludeExperiment(e, challenger, champion, { ...verdict, decision: 'aborted', reason: `The champion's clean config was not served after ${attempts} attempts${why}` });
    }
    // A human may still reject the winner in the registry before its rollout starts.
    const pkg = this.packages.get(challenger.version);
    if (pkg?.approval.status === 'Rejected') {
      const reason = `Rejected in the registry by ${pkg.approval.actor?.arn ?? 'an unidentified principal'} after winning the shadow test`;
      return this.concludeExperiment(e, challenger, champion, { ...verdict, decision: 'keep-champion', reason });
    }
    this.startProduction(challenger, 'release');
    this.concludeExperiment(e, challenger, champion, verdict);
  }

  /** A clean one-variant config of the champion, which keeps production after an experiment. */
  deployChampionAlone(champion: VersionStatus, challenger: VersionStatus): void {
    const spec = this.spec(champion, 'production', { strategy: 'all-at-once' });
    this.deploy(champion, spec, 'release');
    this.emit('DeploymentStarted', champion, { version: champion.version, environment: 'production', endpointName: spec.endpointName, endpointConfigName: spec.endpointConfigName, strategy: 'all-at-once', kind: 'release' }, `experiment-v${challenger.version}`);
  }

  concludeExperiment(e: ExperimentState, challenger: VersionStatus, champion: VersionStatus, outcome: Omit<ExperimentVerdictRecord, 'decision' | 'lookAt'> & { decision: ExperimentVerdictRecord['decision'] | 'aborted' }): void {
    const wins = outcome.decision === 'challenger-wins';
    if (!wins) {
      const tellRegistry = this.packages.get(challenger.version)?.approval.status !== 'Rejected';
      const name = testName(e);
      this.reject(challenger, [`${name[0]!.toUpperCase()}${name.slice(1)} against version ${champion.version}: ${outcome.reason}`], CONTROL_PLANE, tellRegistry);
    }
    this.experiment = undefined;
    this.emit('ExperimentConcluded', challenger, {
      version: challenger.version,
      championVersion: e.championVersion,
      decision: outcome.decision,
      reason: outcome.reason,
      winnerVersion: wins ? challenger.version : champion.version,
      champion: outcome.champion,
      challenger: outcome.challenger,
    });
  }

  run(): Decision {
    this.adopt();
    const phases = new Map(this.versions.map((v) => [v.version, v.transitions]));
    this.overtake();
    this.flagUnverifiedApprovals();
    this.rollback();
    this.experimentStep();
    for (const v of this.versions) {
      // One step per version per call: a version moved by an earlier rule waits for the next call.
      if (phases.get(v.version) === v.transitions) this.step(v);
    }
    this.retrain();
    const status: GroupStatus = {
      group: this.group,
      revision: this.snapshot.status.revision,
      versions: this.versions,
      conditions: this.groupConditions,
      ...(this.rollbackRequest ? { rollbackRequest: this.rollbackRequest } : {}),
      ...(this.retraining ? { retraining: this.retraining } : {}),
      ...(this.challengeRequest ? { challengeRequest: this.challengeRequest } : {}),
      ...(this.experiment ? { experiment: this.experiment } : {}),
    };
    return { status, actions: this.actions };
  }
}

/** The next status of a model group and the actions that get it there. */
export function decide(snapshot: Snapshot, policy: Policy, now: string): Decision {
  return new Decider(snapshot, policy, now).run();
}
