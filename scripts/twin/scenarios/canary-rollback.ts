/**
 * Canary rollback: v2's container answers in 260 ms where v1 answered in 25 ms. During the guarded canary the
 * endpoint's p99 ModelLatency, computed by CloudWatch from the requests themselves, stays above 200 ms for three
 * minutes; the rollback alarm fires, SageMaker's guardrails send all traffic back to v1, the control plane records
 * v2 RolledBack and on-call is paged.
 */
import { approveInConsole, packageArn } from './people';
import type { Scenario } from './run';
import { decisionsOf } from './drift-retrain';
import { HOUR, MINUTE, phaseOf, push, startProductionTraffic, waitForPhase } from './steps';

export const canaryRollback: Scenario = {
  name: 'canary-rollback',
  title: 'Canary rollback: a slower model never takes all the traffic',
  description:
    'v2 regresses p99 latency (260 ms against 25 ms); during its 10 % canary the p99 latency alarm fires from the requests\' own latencies, the guardrails return traffic to v1, v2 ends RolledBack and on-call is paged.',
  async run(run) {
    await push(run, '70819a2b3c4d5e6f70819a2b3c4d5e6f70819a2b');
    await waitForPhase(run, 1, ['AwaitingApproval'], 2 * HOUR);
    await approveInConsole(run, 1, 'Validation pack VP-101 reviewed');
    await waitForPhase(run, 1, ['Live'], 2 * HOUR);
    const traffic = startProductionTraffic(run, {}, 60);
    await run.wait(30 * MINUTE);
    await push(run, '819a2b3c4d5e6f70819a2b3c4d5e6f70819a2b3c', { data: { seed: 11 } });
    await waitForPhase(run, 2, ['AwaitingApproval'], 2 * HOUR);
    run.note('v2\'s container is slower: every request takes 260 ms (a heavier feature transformation)', 2);
    run.world.scoring.setModelBehaviour(packageArn(run, 2), { latencyMs: 260 });
    await approveInConsole(run, 2, 'Validation pack VP-102 reviewed');
    await waitForPhase(run, 2, ['Live', 'RolledBack'], 2 * HOUR, 2 * MINUTE);
    await run.wait(20 * MINUTE);
    traffic.stop();
  },
  async check(result) {
    const problems: string[] = [];
    const [v1, v2] = [await phaseOf(result, 1), await phaseOf(result, 2)];
    if (v1 !== 'Live') problems.push(`v1 is ${v1}, not Live (traffic should be back on it)`);
    if (v2 !== 'RolledBack') problems.push(`v2 is ${v2}, not RolledBack`);
    const rollback = decisionsOf(result, 'RollbackPerformed')[0] as { initiator: string; alarms: string[] } | undefined;
    if (rollback?.initiator !== 'sagemaker-guardrails' || !rollback.alarms.some((a) => a.endsWith('-p99-latency'))) problems.push(`rollback ${JSON.stringify(rollback)} is not the guardrails' on the latency alarm`);
    if (!result.world.pagerDuty.events.some((e) => e.action === 'trigger' && e.dedupKey.startsWith('rollback:'))) problems.push('on-call was not paged for the rollback');
    return problems;
  },
};
