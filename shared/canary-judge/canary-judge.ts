/**
 * The canary judge (DESIGN §7), run each minute for every managed group: a version in phase Canary is judged on the
 * 5XX errors per invocation of its new fleet (endpoint config) against the old fleet's, cumulative since its
 * production rollout started, with the always-valid harm test (shared/judge/canary-look). A harm verdict puts the
 * CanaryHarm metric the `creditai-{endpoint}-canary-harm` rollback alarm watches, so SageMaker's deployment
 * guardrails revert the rollout and the lifecycle records the rollback as for any other alarm; every look is
 * published as CanaryJudged. Deterministic per minute: a re-run in the same minute reads the same whole minutes and
 * publishes the same event key.
 */
import type { DomainEventDetail } from '../contracts/domain-events';
import { judgeCanaryLook, type CanaryVerdict } from '../judge/canary-look';
import type { CanaryPlanInput } from '../judge/plan';
import { VARIANT_NAME } from '../lifecycle/decide';
import type { VersionStatus } from '../lifecycle/model';
import { parsePolicy, type Policy } from '../lifecycle/policy';
import type { CanaryJudgeDeps } from './ports';

const MINUTE_MS = 60_000;

/** The start of the minute `iso` falls in: the end (exclusive) of the whole minutes a look reads, and its key. */
export function lookMinute(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / MINUTE_MS) * MINUTE_MS).toISOString();
}

/** The canary plan of a group's policy (`production.judge`): errors per invocation, planned units, harm α. */
export function canaryPlanOf(policy: Policy): CanaryPlanInput {
  return { metric: 'errors', plannedUnits: policy.production.judge.plannedUnits, harm: { alpha: policy.production.judge.alpha } };
}

export type CanaryJudgeOutcome =
  | { group: string; outcome: 'not-managed' | 'disabled' | 'no-canary' }
  | { group: string; outcome: 'no-champion'; version: number }
  | { group: string; outcome: 'judged'; version: number; decision: CanaryVerdict['decision']; eventKey: string };

/** The version whose production canary is baking, when there is one with both fleets known. */
function canaryOf(versions: VersionStatus[]): VersionStatus | undefined {
  return versions.find((v) => v.phase === 'Canary' && v.deployments.production !== undefined);
}

/** The CanaryJudged detail of one look. */
export function canaryJudgedDetail(
  look: { group: string; version: number; endpointName: string; endpointConfigName: string; previousConfigName: string; lookAt: string; occurredAt: string },
  verdict: CanaryVerdict,
): DomainEventDetail<'CanaryJudged'> {
  const { champion, canary, plannedUnits, harm } = verdict.sufficientStatistics;
  return {
    schemaVersion: 1,
    eventKey: `${look.group}/v${look.version}/canary-judge/${look.lookAt}`,
    modelGroup: look.group,
    occurredAt: look.occurredAt,
    version: look.version,
    endpointName: look.endpointName,
    endpointConfigName: look.endpointConfigName,
    previousConfigName: look.previousConfigName,
    lookAt: look.lookAt,
    decision: verdict.decision,
    reason: verdict.reason,
    metric: 'errors',
    champion: { units: champion.units, events: champion.events },
    canary: { units: canary.units, events: canary.events },
    plannedUnits,
    informationFraction: verdict.look.informationFraction,
    ...(verdict.look.statistic !== null ? { statistic: verdict.look.statistic } : {}),
    ...(verdict.look.bound !== null ? { bound: verdict.look.bound } : {}),
    ...(harm ? { alwaysValidPValue: harm.alwaysValidPValue } : {}),
  };
}

/** Judges one group's canary at the minute of `deps.clock.now()`. */
export async function judgeGroupCanary(deps: CanaryJudgeDeps, group: string): Promise<CanaryJudgeOutcome> {
  const overrides = await deps.state.policyOverrides(group);
  if (overrides === undefined) return { group, outcome: 'not-managed' };
  const policy = parsePolicy(overrides);
  if (!policy.production.judge.enabled) return { group, outcome: 'disabled' };
  const version = canaryOf((await deps.state.load(group)).versions);
  const deployment = version?.deployments.production;
  if (!version || !deployment) return { group, outcome: 'no-canary' };
  // A canary needs an old fleet to compare with: a created endpoint has none.
  if (!deployment.previousConfigName) return { group, outcome: 'no-champion', version: version.version };

  const occurredAt = deps.clock.now();
  const lookAt = lookMinute(occurredAt);
  const fleet = (endpointConfigName: string) => ({ endpointName: deployment.endpointName, variantName: VARIANT_NAME, endpointConfigName });
  const [champion, canary] = await deps.metrics.invocationCounts([fleet(deployment.previousConfigName), fleet(deployment.endpointConfigName)], lookMinute(deployment.startedAt), lookAt);
  const verdict = judgeCanaryLook({ plan: canaryPlanOf(policy), champion: champion!, canary: canary! });
  // The alarm first: the event records a rollback the guardrails are already told of.
  if (verdict.decision === 'rollback') await deps.metrics.raiseCanaryHarm(deployment.endpointName, occurredAt);
  const detail = canaryJudgedDetail(
    { group, version: version.version, endpointName: deployment.endpointName, endpointConfigName: deployment.endpointConfigName, previousConfigName: deployment.previousConfigName, lookAt, occurredAt },
    verdict,
  );
  await deps.bus.publish([{ detailType: 'CanaryJudged', detail }]);
  return { group, outcome: 'judged', version: version.version, decision: verdict.decision, eventKey: detail.eventKey };
}

/** Judges every managed group; one group's failure does not stop the others, and fails the run at the end. */
export async function runCanaryJudge(deps: CanaryJudgeDeps): Promise<CanaryJudgeOutcome[]> {
  const outcomes: CanaryJudgeOutcome[] = [];
  const failures: { group: string; error: unknown }[] = [];
  for (const group of await deps.state.listGroups()) {
    try {
      outcomes.push(await judgeGroupCanary(deps, group));
    } catch (error) {
      failures.push({ group, error });
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures.map((f) => f.error), `Canary judge failed for ${failures.map((f) => f.group).join(', ')} (the others were judged)`);
  }
  return outcomes;
}
