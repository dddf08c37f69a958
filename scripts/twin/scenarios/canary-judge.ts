/**
 * Canary judge: v2's container fails 5 % of its requests with a 500 where v1 fails 0.5 %. Over the whole endpoint
 * the 5XX rate stays under the 1 % rollback alarm (0.9 × 0.5 % + 0.1 × 5 % ≈ 0.95 %), so only a comparison of the two
 * fleets can see it: the canary judge reads each fleet's invocations and errors every minute, its always-valid harm
 * test rolls v2 back through the canary-harm alarm, and SageMaker's guardrails return the traffic to v1.
 */
import { packageArn } from './people';
import { decisionsOf, type Scenario } from './run';
import { faultyCanary, guardrailRollbackProblems, MINUTE, release, startProductionTraffic } from './steps';

/**
 * Ten instances, so the 10 % canary is one instance and takes a tenth of the requests (with two, SageMaker's canary
 * is one instance of two: half the traffic); and a bake long enough for the champion's rare errors to reach the
 * judge's minimum of 10 events (at 0.5 % of 54 requests a minute: about 37 minutes).
 */
const POLICY = { production: { instanceCount: 10, canary: { bakeSeconds: 3600 }, maxExecutionSeconds: 7200 } };

export const canaryJudge: Scenario = {
  name: 'canary-judge',
  title: 'Canary judge: a canary that errs more than its champion is rolled back, under the SLO alarms',
  description:
    'v2 fails 5 % of requests where v1 fails 0.5 %; the endpoint\'s 5XX alarm (1 %) never fires, but the canary judge compares the two fleets each minute, its harm verdict fires the canary-harm alarm, the guardrails revert and v2 ends RolledBack.',
  async run(run) {
    await run.world.manage(run.group, POLICY);
    run.note('the group policy serves production on 10 instances and bakes canaries for an hour (bakeSeconds 3600)');
    run.world.scoring.setModelBehaviour(packageArn(run, 1), { errorRate: 0.005 });
    await release(run, 1, '9a2b3c4d5e6f70819a2b3c4d5e6f70819a2b3c4d', 'Validation pack VP-201 reviewed');
    const traffic = startProductionTraffic(run, {}, 60);
    await run.wait(30 * MINUTE);
    await faultyCanary(run, 2, 'a2b3c4d5e6f70819a2b3c4d5e6f70819a2b3c4d5', "v2's container fails 5 % of its requests with a 500 (v1: 0.5 %)", { errorRate: 0.05 });
    await run.wait(20 * MINUTE);
    traffic.stop();
  },
  async check(result) {
    const problems = await guardrailRollbackProblems(result, '-canary-harm');
    const looks = decisionsOf(result, 'CanaryJudged') as { version: number; decision: string }[];
    if (!looks.some((l) => l.version === 2 && l.decision === 'rollback')) problems.push(`no CanaryJudged rollback verdict on v2 (decisions: ${[...new Set(looks.map((l) => l.decision))].join(', ') || 'none'})`);
    if (!result.ledger.some((o) => o.body.includes('"CanaryJudged"'))) problems.push('no CanaryJudged record in the audit ledger');
    const errorsAlarm = result.world.eventBridge.log.some(({ event }) => event['detail-type'] === 'CloudWatch Alarm State Change' && String(event.detail.alarmName).endsWith('-5xx-errors') && (event.detail.state as { value: string }).value === 'ALARM');
    if (errorsAlarm) problems.push('the endpoint-wide 5XX alarm fired: the scenario is meant to stay under it');
    return problems;
  },
};
