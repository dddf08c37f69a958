/**
 * The steps scenarios are made of, as the people and systems around the control plane take them: a developer
 * pushes a commit (the build starts training), applicants send traffic to production, an approver approves in the
 * console. What the control plane does in between is its own doing.
 */
import type { Application } from '../../../shared/contracts/model-input';
import { endpointName } from '../../../shared/lifecycle/names';
import { DEFAULT_POLICY } from '../../../shared/lifecycle/policy';
import { pushCommit, type PushedGroup } from '../ml/push';
import { MODEL_SCHEMA } from '../ml/schema';
import { syntheticApplications, type SyntheticOptions } from '../ml/synthetic';
import type { ModelBehaviour } from '../services/sagemaker-runtime';
import { startTraffic } from '../traffic';
import { approveInConsole, packageArn } from './people';
import { decisionsOf, type ScenarioResult, type ScenarioRun } from './run';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A developer pushes `commit`; the build starts one training run for the group. Marks the first push. */
export async function push(run: ScenarioRun, commit: string, spec: Omit<PushedGroup, 'group'> = {}): Promise<string> {
  run.mark('push');
  run.note(`git push ${commit.slice(0, 7)}: the build uploads the step code and starts training`);
  const started = await pushCommit(run.world, { commit, groups: [{ group: run.group, ...spec }] });
  await run.settle();
  return started[run.group]!;
}

/** An endless stream of applicants drawn with `options` (a fresh seeded batch whenever one runs out). */
export function applicants(options: SyntheticOptions = {}, seed = 1_000): (count: number) => Application[] {
  let batch: Application[] = [];
  let next = seed;
  return (count) => {
    while (batch.length < count) batch = [...batch, ...syntheticApplications({ ...options, rows: 500, seed: next++ })];
    return batch.splice(0, count);
  };
}

/** The production endpoint of the scenario's group. */
export function productionEndpoint(run: ScenarioRun): string {
  return endpointName(run.group, 'production', DEFAULT_POLICY);
}

/** Applicants start arriving at production: a request of a few applications every few virtual seconds. */
export function startProductionTraffic(run: ScenarioRun, population: SyntheticOptions = {}, requestsPerMinute = 12) {
  run.note(`applicants' requests reach ${productionEndpoint(run)} (${requestsPerMinute} a minute)`);
  return startTraffic(run.world, { endpointName: productionEndpoint(run), schema: MODEL_SCHEMA, applications: applicants(population), requestsPerMinute });
}

/** The version's phase in the control plane's state, or undefined. */
export async function phaseOf(run: ScenarioRun | { world: ScenarioRun['world']; group: string }, version: number): Promise<string | undefined> {
  return (await run.world.state.load(run.group)).versions.find((v) => v.version === version)?.phase;
}

/** Waits until the version reaches `phase` (checking every few virtual minutes), at most `withinMs`. */
export async function waitForPhase(run: ScenarioRun, version: number, phases: string[], withinMs: number, stepMs = 5 * MINUTE): Promise<string | undefined> {
  for (let waited = 0; waited <= withinMs; waited += stepMs) {
    const phase = await phaseOf(run, version);
    if (phase && phases.includes(phase)) return phase;
    await run.wait(stepMs);
  }
  return phaseOf(run, version);
}

/** A version from its push to production: trained, gated, staged, approved by the risk officer, live. */
export async function release(run: ScenarioRun, version: number, commit: string, approval: string, data: PushedGroup['data'] = {}): Promise<void> {
  await push(run, commit, { data });
  await waitForPhase(run, version, ['AwaitingApproval'], 2 * HOUR);
  await approveInConsole(run, version, approval);
  await waitForPhase(run, version, ['Live'], 2 * HOUR);
}

/**
 * A version that misbehaves in production (`behaviour`, told in `note`) pushed, approved and sent through its
 * guarded canary while traffic flows; returns once it is Live or rolled back.
 */
export async function faultyCanary(run: ScenarioRun, version: number, commit: string, note: string, behaviour: ModelBehaviour): Promise<void> {
  await push(run, commit, { data: { seed: 10 + version } });
  await waitForPhase(run, version, ['AwaitingApproval'], 2 * HOUR);
  run.note(note, version);
  run.world.scoring.setModelBehaviour(packageArn(run, version), behaviour);
  await approveInConsole(run, version, `Validation pack VP-${100 + version} reviewed`);
  await waitForPhase(run, version, ['Live', 'RolledBack'], 2 * HOUR, 2 * MINUTE);
}

/** What a guardrail rollback of v2 to v1 on `alarmSuffix` must leave: v1 Live, v2 RolledBack, on-call paged. */
export async function guardrailRollbackProblems(result: ScenarioResult, alarmSuffix: string): Promise<string[]> {
  const problems: string[] = [];
  const [v1, v2] = [await phaseOf(result, 1), await phaseOf(result, 2)];
  if (v1 !== 'Live') problems.push(`v1 is ${v1}, not Live (traffic should be back on it)`);
  if (v2 !== 'RolledBack') problems.push(`v2 is ${v2}, not RolledBack`);
  const rollback = decisionsOf(result, 'RollbackPerformed')[0] as { initiator?: string; alarms?: string[] } | undefined;
  if (rollback?.initiator !== 'sagemaker-guardrails' || !rollback.alarms?.some((a) => a.endsWith(alarmSuffix))) problems.push(`rollback ${JSON.stringify(rollback)} is not the guardrails' on the ${alarmSuffix} alarm`);
  if (!result.world.pagerDuty.events.some((e) => e.action === 'trigger' && e.dedupKey.startsWith('rollback:'))) problems.push('on-call was not paged for the rollback');
  return problems;
}
