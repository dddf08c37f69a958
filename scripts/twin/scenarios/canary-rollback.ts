/**
 * Canary rollback: v2's container answers in 260 ms where v1 answered in 25 ms. During the guarded canary the
 * endpoint's p99 ModelLatency, computed by CloudWatch from the requests themselves, stays above 200 ms for three
 * minutes; the rollback alarm fires, SageMaker's guardrails send all traffic back to v1, the control plane records
 * v2 RolledBack and on-call is paged.
 */
import type { Scenario } from './run';
import { faultyCanary, guardrailRollbackProblems, MINUTE, release, startProductionTraffic } from './steps';

export const canaryRollback: Scenario = {
  name: 'canary-rollback',
  title: 'Canary rollback: a slower model never takes all the traffic',
  description:
    'v2 regresses p99 latency (260 ms against 25 ms); during its 10 % canary the p99 latency alarm fires from the requests\' own latencies, the guardrails return traffic to v1, v2 ends RolledBack and on-call is paged.',
  async run(run) {
    await release(run, 1, '70819a2b3c4d5e6f70819a2b3c4d5e6f70819a2b', 'Validation pack VP-101 reviewed');
    const traffic = startProductionTraffic(run, {}, 60);
    await run.wait(30 * MINUTE);
    await faultyCanary(run, 2, '819a2b3c4d5e6f70819a2b3c4d5e6f70819a2b3c', "v2's container is slower: every request takes 260 ms (a heavier feature transformation)", { latencyMs: 260 });
    await run.wait(20 * MINUTE);
    traffic.stop();
  },
  check: (result) => guardrailRollbackProblems(result, '-p99-latency'),
};
