/**
 * `mlops reject <package-arn> --reason <text>`: rejects a model package version (ModelApprovalStatus=Rejected).
 * Rejecting an Approved version revokes its approval; the control plane rolls a Live one back.
 */
import type { CommandResult } from '../format';
import { changeApproval, type ApprovalArgs, type ApprovalDeps } from './approval';

/**
 * Rejects a package with the stated reason.
 *
 * @returns exit 0 when rejected (or already rejected with this reason); 1 on a bad ARN, a too-long reason or
 * `--stage staging`; 2 without a reason.
 */
export function reject(deps: ApprovalDeps, args: ApprovalArgs): Promise<CommandResult> {
  return changeApproval(deps, args, 'Rejected');
}
