/**
 * The canary judge (DESIGN §7), run each minute for every managed group: a version in phase Canary is judged on two
 * guardrail metrics of its new fleet (endpoint config) against the old fleet's, cumulative since its production
 * rollout started: 5XX errors per invocation and, unless the policy turns it off, latency-SLO misses (requests whose
 * ModelLatency exceeds `production.judge.latency.thresholdMs`) per request; each with the always-valid harm test at
 * half the policy's α (Bonferroni, shared/judge/canary-look). A harm verdict puts the
 * CanaryHarm metric the `creditai-{endpoint}-canary-harm` rollback alarm watches, so SageMaker's deployment
 * guardrails revert the rollout and the lifecycle records the rollback as for any other alarm; every look is
 * published as CanaryJudged. Deterministic per minute: a re-run in the same minute reads the same whole minutes and
 * publishes the same event key.
 */
import type { DomainEventDetail } from '../contracts/domain-events';
import { judgeCanaryGuardrails, type CanaryGuardrailsVerdict, type CanaryMetricCounts } from '../judge/canary-look';
import type { CanaryPlanInput } from '../judge/plan';
import { VARIANT_NAME } from '../lifecycle/decide';
import type { VersionStatus } from '../lifecycle/model';
import { parsePolicy, type Policy } from '../lifecycle/policy';
import { eachGroup, failIfAny } from '../runtime/each-group';
import type { CanaryJudgeDeps } from './ports';

const MINUTE_MS = 60_000;

/** The start of the minute `iso` falls in: the end (exclusive) of the whole minutes a look reads, and its key. */
export function lookMinute(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / MINUTE_MS) * MINUTE_MS).toISOString();
}

/** The guardrail metrics' names, as the verdicts and CanaryJudged name them. */
export const ERRORS_METRIC = 'errors';
export const LATENCY_METRIC = 'latency-SLO misses';

/** The canary plan of a group's policy (`production.judge`): planned units and harm α (the family's, all metrics). */
export function canaryPlanOf(policy: Policy): CanaryPlanInput {
  return { metric: ERRORS_METRIC, plannedUnits: policy.production.judge.plannedUnits, harm: { alpha: policy.production.judge.alpha } };
}

export type CanaryJudgeOutcome =
  | { group: string; outcome: 'not-managed' | 'disabled' | 'no-canary' }
  | { group: string; outcome: 'no-champion'; version: number }
  | { group: string; outcome: 'judged'; version: number; decision: CanaryGuardrailsVerdict['decision']; eventKey: string };

/** The version whose production canary is baking, when there is one with both fleets known. */
function canaryOf(versions: VersionStatus[]): VersionStatus | undefined {
  return versions.find((v) => v.phase === 'Canary' && v.deployments.production !== undefined);
}

/** The CanaryJudged detail of one look: the decisive metric's figures at the top, every metric's in `metrics`. */
export function canaryJudgedDetail(
  look: { group: string; version: number; endpointName: string; endpointConfigName: string; previousConfigName: string; lookAt: string; occurredAt: string; latencyThresholdMs?: number },
  verdict: CanaryGuardrailsVerdict,
): DomainEventDetail<'CanaryJudged'> {
  const testFigures = (v: CanaryGuardrailsVerdict['metrics'][number]['verdict']) => ({
    ...(v.look.statistic !== null ? { statistic: v.look.statistic } : {}),
    ...(v.look.bound !== null ? { bound: v.look.bound } : {}),
    ...(v.sufficientStatistics.harm ? { alwaysValidPValue: v.sufficientStatistics.harm.alwaysValidPValue } : {}),
  });
  const counts = (v: CanaryGuardrailsVerdict['metrics'][number]['verdict']) => ({
    champion: { units: v.sufficientStatistics.champion.units, events: v.sufficientStatistics.champion.events },
    canary: { units: v.sufficientStatistics.canary.units, events: v.sufficientStatistics.canary.events },
  });
  const decisive = verdict.metrics[verdict.decisive]!;
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
    metric: decisive.metric,
    ...counts(decisive.verdict),
    plannedUnits: decisive.verdict.sufficientStatistics.plannedUnits,
    informationFraction: decisive.verdict.look.informationFraction,
    ...testFigures(decisive.verdict),
    metrics: verdict.metrics.map((m) => ({
      metric: m.metric,
      decision: m.verdict.decision,
      ...counts(m.verdict),
      alpha: m.alpha,
      ...testFigures(m.verdict),
      ...(m.metric === LATENCY_METRIC && look.latencyThresholdMs !== undefined ? { thresholdMs: look.latencyThresholdMs } : {}),
    })),
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
  const fleets = [fleet(deployment.previousConfigName), fleet(deployment.endpointConfigName)];
  const start = lookMinute(deployment.startedAt);
  const { latency } = policy.production.judge;
  const [errors, slow] = await Promise.all([
    deps.metrics.invocationCounts(fleets, start, lookAt),
    latency.enabled ? deps.metrics.latencySloMisses(fleets, latency.thresholdMs, start, lookAt) : undefined,
  ]);
  const metrics: CanaryMetricCounts[] = [{ metric: ERRORS_METRIC, champion: errors[0]!, canary: errors[1]! }];
  if (slow) metrics.push({ metric: LATENCY_METRIC, champion: slow[0]!, canary: slow[1]! });
  const verdict = judgeCanaryGuardrails({ plan: canaryPlanOf(policy), metrics });
  // The alarm first: the event records a rollback the guardrails are already told of.
  if (verdict.decision === 'rollback') await deps.metrics.raiseCanaryHarm(deployment.endpointName, occurredAt);
  const detail = canaryJudgedDetail(
    {
      group,
      version: version.version,
      endpointName: deployment.endpointName,
      endpointConfigName: deployment.endpointConfigName,
      previousConfigName: deployment.previousConfigName,
      lookAt,
      occurredAt,
      ...(latency.enabled ? { latencyThresholdMs: latency.thresholdMs } : {}),
    },
    verdict,
  );
  await deps.bus.publish([{ detailType: 'CanaryJudged', detail }]);
  return { group, outcome: 'judged', version: version.version, decision: verdict.decision, eventKey: detail.eventKey };
}

/** Judges every managed group; one group's failure does not stop the others, and fails the run at the end. */
export async function runCanaryJudge(deps: CanaryJudgeDeps): Promise<CanaryJudgeOutcome[]> {
  const { outcomes, failures } = await eachGroup(await deps.state.listGroups(), (group) => judgeGroupCanary(deps, group));
  failIfAny(failures, 'Canary judge', 'judged');
  return outcomes;
}
