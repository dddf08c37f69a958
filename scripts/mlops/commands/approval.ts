/**
 * What `approve` and `reject` share: UpdateModelPackage through `Registry.setApproval`, with the operator's stated
 * reason as ApprovalDescription. The approver of record is not a name we send: CloudTrail records the IAM
 * principal that made the call, and the control plane reads it from there (DESIGN §3, Approval).
 *
 * Steps:
 *   1. refuse a staging approval (the Registry port has no ModelLifeCycle method) and a missing reason;
 *   2. check the ARN is a versioned model package ARN and read the package's current approval;
 *   3. refuse to approve a Rejected package; do nothing when the status and reason are already set;
 *   4. set the status with a client token derived from ARN, status and reason, so a retry is the same request.
 */
import { modelPackageVersionFromArn } from '../../../shared/contracts/aws-events';
import { clientToken, shortHash } from '../../../shared/lifecycle/names';
import type { Registry } from '../../../shared/reconcile/ports';
import { EXIT, type CommandResult } from '../format';

/** The port `approve` and `reject` work through. */
export interface ApprovalDeps {
  registry: Pick<Registry, 'describePackage' | 'setApproval'>;
}

export interface ApprovalArgs {
  packageArn: string;
  /** Why: recorded as ApprovalDescription and in the audit ledger. Required. */
  reason?: string;
  /** `production` (ModelApprovalStatus) or `staging` (ModelLifeCycle; not supported yet). */
  stage?: 'production' | 'staging';
}

/** ApprovalDescription's limit in the SageMaker API model. */
export const MAX_REASON = 1024;

/** The client token of an approval decision: the same ARN, status and reason always give the same token. */
export function approvalToken(packageArn: string, status: 'Approved' | 'Rejected', reason: string): string {
  return clientToken(packageArn, status, shortHash(reason, 16));
}

/** Sets a package's production approval to `status`; the shared body of `approve` and `reject`. */
export async function changeApproval(deps: ApprovalDeps, args: ApprovalArgs, status: 'Approved' | 'Rejected'): Promise<CommandResult> {
  if (args.stage === 'staging') {
    return {
      exitCode: EXIT.usage,
      output:
        `Staging approvals are not supported by the CLI yet (the Registry port has no ModelLifeCycle method). ` +
        `Set ModelLifeCycle Stage=Staging, StageStatus=${status} in SageMaker Studio instead.`,
    };
  }
  // ApprovalDescription is one line (pattern `.*`): line breaks become spaces, as the registry adapter sends it.
  const reason = (args.reason ?? '').replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
  if (reason === '') {
    return {
      exitCode: EXIT.refused,
      output: `Refused: --reason is required. The stated reason is recorded as the ApprovalDescription and in the audit ledger, as financial model governance requires.`,
    };
  }
  const length = [...reason].length;
  if (length > MAX_REASON) {
    return { exitCode: EXIT.usage, output: `--reason is ${length} characters; SageMaker keeps at most ${MAX_REASON}.` };
  }
  let version: number;
  try {
    version = modelPackageVersionFromArn(args.packageArn);
  } catch {
    return {
      exitCode: EXIT.usage,
      output: `Not a versioned model package ARN: ${args.packageArn} (expected arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>).`,
    };
  }
  const group = /model-package\/([^/]+)\/\d+$/.exec(args.packageArn)?.[1] ?? '?';
  const current = await deps.registry.describePackage(args.packageArn);
  const label = `${group} v${version}`;
  if (status === 'Approved' && current.approvalStatus === 'Rejected') {
    return {
      exitCode: EXIT.refused,
      output:
        `Refused: ${label} is Rejected in the registry${current.approvalDescription ? ` ("${current.approvalDescription}")` : ''}. ` +
        `The control plane never deploys a rejected version; register a new version instead.`,
    };
  }
  if (current.approvalStatus === status && current.approvalDescription === reason) {
    return { exitCode: EXIT.ok, output: `${label} is already ${status} with this reason; nothing to do.` };
  }
  await deps.registry.setApproval({ modelPackageArn: args.packageArn, status, reason, clientToken: approvalToken(args.packageArn, status, reason) });
  const lines = [
    `${status} ${label} for production (was ${current.approvalStatus}).`,
    `  package:  ${args.packageArn}`,
    `  reason:   ${reason}`,
    `  approver: the AWS identity that made this call, as CloudTrail records UpdateModelPackage`,
  ];
  if (status === 'Rejected' && current.approvalStatus === 'Approved') {
    lines.push(`Warning: this revokes an approval. If ${label} is Live, the control plane rolls it back to the last-known-good.`);
  }
  lines.push(`The control plane acts on the resulting Model Package State Change; follow it with: mlops status ${group}`);
  return { exitCode: EXIT.ok, output: lines.join('\n') };
}
