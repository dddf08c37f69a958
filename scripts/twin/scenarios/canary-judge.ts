/**
 * Canary judge: v2's container fails 5 % of its requests with a 500 where v1 fails 0.5 %. Over the whole endpoint
 * the 5XX rate stays under the 1 % rollback alarm (0.9 × 0.5 % + 0.1 × 5 % ≈ 0.95 %), so only a comparison of the two
 * fleets can see it: the canary judge reads each fleet's invocations and errors every minute, its always-valid harm
 * test rolls v2 back through the canary-harm alarm, and SageMaker's guardrails return the traffic to v1.
 */
import type { ModelBehaviour } from '../services/sagemaker-runtime';
import { packageArn } from './people';
import { decisionsOf, type Scenario, type ScenarioResult, type ScenarioRun } from './run';
import { faultyCanary, guardrailRollbackProblems, MINUTE, release, startProductionTraffic } from './steps';

/**
 * Ten instances, so the 10 % canary is one instance and takes a tenth of the requests (with two, SageMaker's canary
 * is one instance of two: half the traffic); and a bake long enough for the champion's rare errors to reach the
 * judge's minimum of 10 events (at 0.5 % of 54 requests a minute: about 37 minutes).
 */
const POLICY = { production: { instanceCount: 10, canary: { bakeSeconds: 3600 }, maxExecutionSeconds: 7200 } };

/** What a judged canary run needs: how each version behaves, their commits, and the timeline's notes. */
export interface JudgedCanary {
  champion: ModelBehaviour;
  canary: ModelBehaviour;
  commits: [string, string];
  approval: string;
  /** What is wrong with the canary, for the timeline. */
  fault: string;
}

/** v1 Live under 60 requests a minute for half an hour, then v2 (behaving as `canary`) through its canary, judged. */
export async function runJudgedCanary(run: ScenarioRun, parts: JudgedCanary): Promise<void> {
  run.world.scoring.setModelBehaviour(packageArn(run, 1), parts.champion);
  await release(run, 1, parts.commits[0], parts.approval);
  const traffic = startProductionTraffic(run, {}, 60);
  await run.wait(30 * MINUTE);
  await faultyCanary(run, 2, parts.commits[1], parts.fault, parts.canary);
  await run.wait(20 * MINUTE);
  traffic.stop();
}

/** What a canary the judge rolls back must leave: the guardrails' revert on the canary-harm alarm, and the verdict. */
export async function judgedRollbackProblems(result: ScenarioResult): Promise<string[]> {
  const problems = await guardrailRollbackProblems(result, '-canary-harm');
  const looks = decisionsOf(result, 'CanaryJudged') as { version: number; decision: string }[];
  if (!looks.some((l) => l.version === 2 && l.decision === 'rollback')) problems.push(`no CanaryJudged rollback verdict on v2 (decisions: ${[...new Set(looks.map((l) => l.decision))].join(', ') || 'none'})`);
  return problems;
}

export const canaryJudge: Scenario = {
  name: 'canary-judge',
  title: 'Canary judge: a canary that errs more than its champion is rolled back, under the SLO alarms',
  description:
    'v2 fails 5 % of requests where v1 fails 0.5 %; the endpoint\'s 5XX alarm (1 %) never fires, but the canary judge compares the two fleets each minute, its harm verdict fires the canary-harm alarm, the guardrails revert and v2 ends RolledBack.',
  async run(run) {
    await run.world.manage(run.group, POLICY);
    run.note('the group policy serves production on 10 instances and bakes canaries for an hour (bakeSeconds 3600)');
    await runJudgedCanary(run, {
      champion: { errorRate: 0.005 },
      canary: { errorRate: 0.05 },
      commits: ['9a2b3c4d5e6f70819a2b3c4d5e6f70819a2b3c4d', 'a2b3c4d5e6f70819a2b3c4d5e6f70819a2b3c4d5'],
      approval: 'Validation pack VP-201 reviewed',
      fault: "v2's container fails 5 % of its requests with a 500 (v1: 0.5 %)",
    });
  },
  async check(result) {
    const problems = await judgedRollbackProblems(result);
    if (!result.ledger.some((o) => o.body.includes('"CanaryJudged"'))) problems.push('no CanaryJudged record in the audit ledger');
    const errorsAlarm = result.world.eventBridge.log.some(({ event }) => event['detail-type'] === 'CloudWatch Alarm State Change' && String(event.detail.alarmName).endsWith('-5xx-errors') && (event.detail.state as { value: string }).value === 'ALARM');
    if (errorsAlarm) problems.push('the endpoint-wide 5XX alarm fired: the scenario is meant to stay under it');
    return problems;
  },
};
