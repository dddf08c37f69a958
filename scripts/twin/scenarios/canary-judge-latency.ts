/**
 * Canary judge on latency: v2 errs no more than v1 but a quarter of its requests take 150 ms where one in twenty of
 * v1's take 120 ms. Every request stays under the 200 ms p99 rollback alarm, so only a comparison of the two fleets
 * can see it: the judge counts each fleet's requests slower than the group's latency threshold (100 ms, about v1's
 * p95) from ModelLatency per fleet, its harm test on those latency-SLO misses rolls v2 back through the canary-harm
 * alarm, and SageMaker's guardrails return the traffic to v1.
 */
import type { ModelBehaviour } from '../services/sagemaker-runtime';
import { judgedRollbackProblems, runJudgedCanary } from './canary-judge';
import type { Scenario, ScenarioResult } from './run';

/** The group's latency threshold: above v1's p95 (120 ms on 5 % of requests), below the 200 ms p99 alarm. */
const THRESHOLD_MS = 100;

/**
 * As the canary-judge scenario (ten instances, so the 10 % canary takes a tenth of the requests; an hour's bake),
 * with the judge counting requests slower than 100 ms as latency-SLO misses.
 */
const POLICY = {
  production: { instanceCount: 10, canary: { bakeSeconds: 3600 }, maxExecutionSeconds: 7200, judge: { latency: { thresholdMs: THRESHOLD_MS } } },
};

/** A model whose evenly spread `slowShare` of requests take `slowMs`, the others `fastMs`. */
export function twoSpeedModel(fastMs: number, slowMs: number, slowShare: number): ModelBehaviour {
  return { latencyMs: fastMs, slowShare, slowLatencyMs: slowMs };
}

/** The p99 latency alarm's state changes to ALARM, if any (there must be none). */
function p99Alarms(result: ScenarioResult): string[] {
  return result.world.eventBridge.log
    .filter(({ event }) => event['detail-type'] === 'CloudWatch Alarm State Change' && String(event.detail.alarmName).endsWith('-p99-latency') && (event.detail.state as { value: string }).value === 'ALARM')
    .map(({ event }) => String(event.detail.alarmName));
}

/** The CanaryJudged rollback records of v2 in the audit ledger: the metric that decided and every metric judged. */
function ledgerRollbacks(result: ScenarioResult): { metric: string; metrics?: { metric: string; decision: string; thresholdMs?: number }[] }[] {
  return result.ledger
    .map((o) => JSON.parse(o.body) as { kind: string; detail: { version: number; decision: string; metric: string; metrics?: { metric: string; decision: string; thresholdMs?: number }[] } | null })
    .filter((r) => r.kind === 'CanaryJudged' && r.detail?.version === 2 && r.detail.decision === 'rollback')
    .map((r) => r.detail!);
}

export const canaryJudgeLatency: Scenario = {
  name: 'canary-judge-latency',
  title: 'Canary judge on latency: a slower canary is rolled back before its p99 reaches the alarm',
  description:
    'v2 answers a quarter of its requests in 150 ms where v1 answers one in twenty in 120 ms; no request reaches the 200 ms p99 alarm, but the canary judge counts each fleet\'s requests over the 100 ms threshold, its harm verdict on latency fires the canary-harm alarm, the guardrails revert and v2 ends RolledBack.',
  async run(run) {
    await run.world.manage(run.group, POLICY);
    run.note(`the group policy serves production on 10 instances, bakes canaries for an hour and counts requests over ${THRESHOLD_MS} ms as latency-SLO misses`);
    await runJudgedCanary(run, {
      champion: twoSpeedModel(25, 120, 0.05),
      canary: twoSpeedModel(25, 150, 0.25),
      commits: ['b3c4d5e6f70819a2b3c4d5e6f70819a2b3c4d5e6', 'c4d5e6f70819a2b3c4d5e6f70819a2b3c4d5e6f7'],
      approval: 'Validation pack VP-301 reviewed',
      fault: "v2's container is slower on a quarter of its requests: 150 ms (v1: 120 ms on one in twenty), no errors",
    });
  },
  async check(result) {
    const problems = await judgedRollbackProblems(result);
    const rollbacks = ledgerRollbacks(result);
    if (rollbacks.length === 0) problems.push('no CanaryJudged rollback of v2 in the audit ledger');
    for (const r of rollbacks) {
      if (r.metric !== 'latency-SLO misses') problems.push(`the ledger's rollback was decided on ${r.metric}, not on latency-SLO misses`);
      const latency = r.metrics?.find((m) => m.metric === 'latency-SLO misses');
      if (latency?.decision !== 'rollback' || latency.thresholdMs !== THRESHOLD_MS) problems.push(`the ledger's latency metric is ${JSON.stringify(latency)}, not a rollback at ${THRESHOLD_MS} ms`);
      if (r.metrics?.find((m) => m.metric === 'errors')?.decision === 'rollback') problems.push('errors rolled back too: v2 is meant to be error-free');
    }
    const alarms = p99Alarms(result);
    if (alarms.length > 0) problems.push(`the p99 latency alarm fired (${alarms.join(', ')}): the scenario is meant to stay under it`);
    return problems;
  },
};
