/**
 * Manual approval: production waits for an identified human. The version waits in AwaitingApproval for a day;
 * an approval set by the training pipeline's role is not acted on (and is flagged); the risk officer's approval in
 * the console deploys it, and her identity and reason land in the audit ledger.
 */
import { approveInConsole, packageArn, RISK_OFFICER } from './people';
import { decisionsOf, type Scenario } from './run';
import { DAY, HOUR, phaseOf, push, waitForPhase } from './steps';

export const PIPELINE_ROLE_SESSION = 'arn:aws:sts::111122223333:assumed-role/creditai-mlops-training-pipeline/SageMaker';

export const manualApproval: Scenario = {
  name: 'manual-approval',
  title: 'Manual approval: nothing reaches production without a person',
  description:
    'v1 waits for approval for a day; an approval made by the pipeline\'s own role is flagged and not acted on; the risk officer approves in the console, v1 goes live, and her identity and reason are in the ledger.',
  async run(run) {
    await push(run, '6f70819a2b3c4d5e6f70819a2b3c4d5e6f70819a');
    await waitForPhase(run, 1, ['AwaitingApproval'], 2 * HOUR);
    await run.wait(1 * DAY);
    run.note('the training pipeline\'s role sets v1 to Approved (a misconfigured automation)', 1);
    run.world.sagemaker.updateAsHuman(run.world.twin.context, PIPELINE_ROLE_SESSION, { ModelPackageArn: packageArn(run, 1), ModelApprovalStatus: 'Approved', ApprovalDescription: 'auto-approved by pipeline' });
    await run.settle();
    await run.wait(2 * HOUR);
    await approveInConsole(run, 1, 'Validation pack VP-101 reviewed: approved for production');
    await waitForPhase(run, 1, ['Live'], 2 * HOUR);
  },
  async check(result) {
    const problems: string[] = [];
    if ((await phaseOf(result, 1)) !== 'Live') problems.push(`v1 is ${await phaseOf(result, 1)}, not Live`);
    if (decisionsOf(result, 'ApprovalUnverified').length !== 1) problems.push('the pipeline role\'s approval was not flagged exactly once');
    const approved = decisionsOf(result, 'ModelApproved').find((d) => d.environment === 'production') as { occurredAt: string; approver: { arn: string } } | undefined;
    const deployed = decisionsOf(result, 'DeploymentStarted').find((d) => d.environment === 'production') as { occurredAt: string } | undefined;
    if (!approved || approved.approver.arn !== RISK_OFFICER) problems.push(`production approved by ${approved?.approver.arn}, not the risk officer`);
    if (!deployed || !approved || deployed.occurredAt < approved.occurredAt) problems.push('production was deployed before the human approval');
    const records = result.ledger.map((o) => JSON.parse(o.body) as { kind: string; actor: { arn: string; kind: string }; why: { figures: { reason?: string } } });
    const record = records.find((r) => r.kind === 'ModelApproved');
    if (record?.actor.arn !== RISK_OFFICER || record.actor.kind !== 'human' || !record.why.figures.reason?.includes('VP-101')) problems.push(`the ledger's approval record names ${JSON.stringify(record?.actor)}`);
    return problems;
  },
};
