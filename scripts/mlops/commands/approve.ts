/**
 * `mlops approve <package-arn> --reason <text>`: approves a model package version for production
 * (ModelApprovalStatus=Approved). The approver of record is the caller's IAM identity, as CloudTrail records it.
 */
import type { CommandResult } from '../format';
import { changeApproval, type ApprovalArgs, type ApprovalDeps } from './approval';

/**
 * Approves a package for production with the stated reason.
 *
 * @returns exit 0 when approved (or already approved with this reason); 1 on a bad ARN, a too-long reason or
 * `--stage staging`; 2 without a reason or for a Rejected package.
 */
export function approve(deps: ApprovalDeps, args: ApprovalArgs): Promise<CommandResult> {
  return changeApproval(deps, args, 'Approved');
}
