/**
 * Endpoint creates and blue/green updates on the virtual clock, with deployment guardrails (aws-facts §1.6, §4.5):
 * the new fleet is provisioned, traffic moves to it (a canary share first, for CANARY), each baking period ends
 * with a look at the auto-rollback alarms, and an alarm in ALARM sends all traffic back to the old fleet.
 */
import type { DeploymentConfig } from '@aws-sdk/client-sagemaker';
import type { ServiceContext } from '../core/types';
import { notImplemented } from './sagemaker-common';
import { emitDeploymentState, emitEndpointState, type Fleet, type Rollout, type StoredEndpoint } from './sagemaker-endpoint-state';

/** How long things take on the virtual clock. */
export interface RolloutTimings {
  /** Bringing up a fleet (create, or the green fleet of an update). Default 6 minutes. */
  provisioningMs: number;
  /** Moving traffic onto new capacity before a bake starts. Default 30 s. */
  trafficShiftMs: number;
}

/** What a rollout needs from the rest of the twin. */
export interface RolloutHooks {
  timings: RolloutTimings;
  /** The state of a CloudWatch alarm (the CloudWatch twin's `alarmState`); undefined for an unknown alarm. */
  alarmState?: (name: string) => string | undefined;
  /** Why the fleet of `fleet` cannot come up (a scenario's broken model), or undefined when it can. */
  provisioningFailure(fleet: Fleet): string | undefined;
  /** Whether `ep` still is the endpoint under that name (a deleted endpoint's timers must do nothing). */
  isCurrent(ep: StoredEndpoint): boolean;
}

/** One stage of a rollout after provisioning. */
interface Stage {
  status: 'ActivatingTraffic' | 'Baking';
  message: string;
  /** How long a bake lasts (an activation takes `trafficShiftMs`). */
  durationMs: number;
  /** Traffic share of the new fleet during the stage. */
  share: number;
  activeFraction: number;
  /** Look at the rollback alarms when the stage ends (the end of a baking period). */
  checkAlarms: boolean;
}

/** Canary capacity of a fleet as a fraction of its instances: `CanarySize` of one variant (aws-facts §4.5). */
function canaryFraction(policy: DeploymentConfig, fleet: Fleet): number {
  const size = policy.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration?.CanarySize;
  const instances = fleet.variants.reduce((n, v) => n + v.instanceCount, 0);
  if (!size || size.Value === undefined) return 0.5;
  const canary = size.Type === 'INSTANCE_COUNT' ? size.Value : Math.ceil((instances * size.Value) / 100);
  return Math.min(1, Math.max(1, canary) / instances);
}

/**
 * The stages of a blue/green update. No policy means blue/green all at once (aws-facts §4.5). Traffic follows the
 * capacity: a canary of 1 instance out of 2 takes half the requests, as the guardrail events show.
 */
function stagesOf(policy: DeploymentConfig | undefined, fleet: Fleet): Stage[] {
  if (policy?.RollingUpdatePolicy) throw notImplemented('UpdateEndpoint with a RollingUpdatePolicy');
  const blueGreen = policy?.BlueGreenUpdatePolicy;
  const routing = blueGreen?.TrafficRoutingConfiguration;
  const type = routing?.Type ?? 'ALL_AT_ONCE';
  const waitMs = (routing?.WaitIntervalInSeconds ?? 0) * 1000;
  const terminationWaitMs = (blueGreen?.TerminationWaitInSeconds ?? 0) * 1000;
  const instances = fleet.variants.reduce((n, v) => n + v.instanceCount, 0);
  const all = (share: number): Stage => ({ status: 'ActivatingTraffic', message: `Activating traffic on full capacity of ${instances} instance(s).`, durationMs: 0, share, activeFraction: 1, checkAlarms: false });
  const bake = (seconds: string, durationMs: number, share: number, fraction: number, capacity: string): Stage => ({
    status: 'Baking',
    message: `Baking for ${durationMs / 1000} seconds (${seconds}) with traffic enabled on ${capacity}.`,
    durationMs,
    share,
    activeFraction: fraction,
    checkAlarms: true,
  });
  if (type === 'ALL_AT_ONCE') {
    const full = `full capacity of ${instances} instance(s)`;
    return [all(0), bake('WaitIntervalInSeconds', waitMs, 1, 1, full), bake('TerminationWaitInSeconds', terminationWaitMs, 1, 1, full)];
  }
  if (type !== 'CANARY') throw notImplemented(`UpdateEndpoint with a ${type} traffic routing`);
  const fraction = canaryFraction(policy!, fleet);
  const canary = Math.round(fraction * instances);
  return [
    { status: 'ActivatingTraffic', message: `Activating traffic on canary capacity of ${canary} instance(s).`, durationMs: 0, share: 0, activeFraction: fraction, checkAlarms: false },
    bake('WaitIntervalInSeconds', waitMs, fraction, fraction, `canary capacity of ${canary} instance(s)`),
    all(fraction),
    bake('TerminationWaitInSeconds', terminationWaitMs, 1, 1, `full capacity of ${instances} instance(s)`),
  ];
}

/**
 * Drives rollouts. `start` puts the endpoint in Creating or Updating, emits the state change, and schedules the
 * rest on the virtual clock: provisioning, then each stage, then InService with the new config, or back to the old
 * one (update) or Failed (create) with a FailureReason.
 */
export function createRolloutDriver(hooks: RolloutHooks) {
  const { timings } = hooks;
  let rolloutIds = 0;
  /** How often the twin's guardrails look at the rollback alarms during a bake (UNVERIFIED: SageMaker's own period). */
  const ALARM_WATCH_MS = 60_000;

  function active(ep: StoredEndpoint, rollout: Rollout): boolean {
    return hooks.isCurrent(ep) && ep.rollout?.id === rollout.id;
  }

  function finish(ctx: ServiceContext, ep: StoredEndpoint, rollout: Rollout): void {
    ep.current = rollout.fleet;
    ep.rollout = undefined;
    ep.status = 'InService';
    ep.lastModifiedMs = ctx.clock.nowMs();
    if (rollout.policy) ep.lastDeploymentConfig = rollout.policy;
    emitEndpointState(ctx, ep);
  }

  /** The update did not take: all traffic back on the old fleet, which never stopped serving (aws-facts §1.6). */
  function revert(ctx: ServiceContext, ep: StoredEndpoint, rollout: Rollout, reason: string): void {
    ep.rollout = undefined;
    ep.status = 'InService';
    ep.failureReason = reason;
    ep.lastModifiedMs = ctx.clock.nowMs();
    if (rollout.policy) ep.lastDeploymentConfig = rollout.policy;
    emitEndpointState(ctx, ep);
  }

  function firingAlarms(policy: DeploymentConfig | undefined): string[] {
    const names = (policy?.AutoRollbackConfiguration?.Alarms ?? []).map((a) => a.AlarmName ?? '').filter((n) => n.length > 0);
    // An alarm the hook does not know is not firing (UNVERIFIED: whether SageMaker fails the update instead).
    return names.filter((n) => hooks.alarmState?.(n) === 'ALARM');
  }

  function runStage(ctx: ServiceContext, ep: StoredEndpoint, rollout: Rollout, stages: Stage[], index: number): void {
    if (!active(ep, rollout)) return;
    const stage = stages[index];
    if (!stage) return finish(ctx, ep, rollout);
    // A zero-length bake has nothing to report; its alarm check still happens.
    if (stage.status === 'Baking' && stage.durationMs === 0) {
      const firing = firingAlarms(rollout.policy);
      if (firing.length > 0) return revert(ctx, ep, rollout, rollbackReason(firing, ep));
      return runStage(ctx, ep, rollout, stages, index + 1);
    }
    const now = ctx.clock.nowMs();
    rollout.step = { status: stage.status, message: stage.message, startMs: now };
    rollout.share = stage.share;
    rollout.activeFraction = stage.activeFraction;
    ep.lastModifiedMs = now;
    emitDeploymentState(ctx, ep, rollout);
    const endMs = now + (stage.status === 'ActivatingTraffic' ? timings.trafficShiftMs : stage.durationMs);
    const step = rollout.step;
    // Guardrails watch the alarms throughout a bake, not only at its end: an alarm that trips rolls back at once.
    if (stage.checkAlarms) {
      const watch = (atMs: number) => {
        if (atMs >= endMs) return;
        ctx.clock.at(atMs, () => {
          if (!active(ep, rollout) || rollout.step !== step) return;
          const firing = firingAlarms(rollout.policy);
          if (firing.length > 0) return revert(ctx, ep, rollout, rollbackReason(firing, ep));
          watch(atMs + ALARM_WATCH_MS);
        });
      };
      watch(now + ALARM_WATCH_MS);
    }
    ctx.clock.at(endMs, () => {
      if (!active(ep, rollout)) return;
      if (stage.checkAlarms) {
        const firing = firingAlarms(rollout.policy);
        if (firing.length > 0) return revert(ctx, ep, rollout, rollbackReason(firing, ep));
      }
      runStage(ctx, ep, rollout, stages, index + 1);
    });
  }

  function provisioned(ctx: ServiceContext, ep: StoredEndpoint, rollout: Rollout): void {
    if (!active(ep, rollout)) return;
    const failure = hooks.provisioningFailure(rollout.fleet);
    if (failure && rollout.kind === 'create') {
      // A create that fails leaves the endpoint Failed: only DeleteEndpoint is accepted then (aws-facts §4.7).
      ep.status = 'Failed';
      ep.failureReason = failure;
      ep.lastModifiedMs = ctx.clock.nowMs();
      ep.failedFleet = rollout.fleet;
      ep.rollout = undefined;
      return emitEndpointState(ctx, ep);
    }
    if (failure) return revert(ctx, ep, rollout, failure);
    if (rollout.kind === 'create') return finish(ctx, ep, rollout);
    runStage(ctx, ep, rollout, stagesOf(rollout.policy, rollout.fleet), 0);
  }

  return {
    /**
     * Starts a create (`ep.current` undefined) or an update of `ep` to `fleet`. Checks the policy first, so an
     * update the twin cannot run fails before anything changes.
     */
    start(ctx: ServiceContext, ep: StoredEndpoint, fleet: Fleet, policy?: DeploymentConfig): void {
      const kind = ep.current ? 'update' : 'create';
      if (kind === 'update') stagesOf(policy, fleet);
      const now = ctx.clock.nowMs();
      const rollout: Rollout = {
        id: ++rolloutIds,
        kind,
        fleet,
        startMs: now,
        step: { status: 'Creating', message: 'Creating the new fleet.', startMs: now },
        share: 0,
        activeFraction: 0,
        ...(kind === 'update' ? { policy } : {}),
      };
      ep.rollout = rollout;
      ep.status = kind === 'create' ? 'Creating' : 'Updating';
      // A new deployment starts clean: the reason of an earlier failure no longer describes the endpoint.
      ep.failureReason = undefined;
      ep.lastModifiedMs = now;
      emitEndpointState(ctx, ep);
      ctx.clock.at(now + timings.provisioningMs, () => provisioned(ctx, ep, rollout));
    },
  };
}

/** The FailureReason of a guardrail rollback (UNVERIFIED wording; SageMaker's own text is not documented). */
function rollbackReason(firing: string[], ep: StoredEndpoint): string {
  return `Deployment rolled back: alarm(s) ${firing.join(', ')} in ALARM during the baking period; all traffic returned to endpoint configuration ${ep.current?.configName ?? ''}.`;
}
