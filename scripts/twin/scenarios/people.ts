/**
 * The people of the scenarios: approvers act in the SageMaker console (an UpdateModelPackage under their own
 * assumed role, which CloudTrail records), never through the control plane.
 */
import type { ScenarioRun } from './run';

export const RISK_OFFICER = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';
export const MODEL_VALIDATOR = 'arn:aws:sts::111122223333:assumed-role/ModelValidation/raj.patel@example.com';

/** The package ARN of a group's version in the twin's registry. */
export function packageArn(run: ScenarioRun, version: number): string {
  return `arn:aws:sagemaker:${run.world.twin.context.region}:${run.world.twin.context.account}:model-package/${run.group}/${version}`;
}

/** An approver approves a version in the console, with the reason they give. */
export async function approveInConsole(run: ScenarioRun, version: number, reason: string, approver = RISK_OFFICER): Promise<void> {
  run.note(`${approver.split('/').pop()} approves v${version} in the SageMaker console: "${reason}"`, version);
  run.world.sagemaker.updateAsHuman(run.world.twin.context, approver, { ModelPackageArn: packageArn(run, version), ModelApprovalStatus: 'Approved', ApprovalDescription: reason });
  await run.settle();
}
