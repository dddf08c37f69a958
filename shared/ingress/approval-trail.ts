/**
 * CloudTrail UpdateModelPackage → record who changed the approval (the audit-grade approver identity, which the
 * Model Package event lacks), then reconcile the group.
 */
import { approverFromTrailEvent, modelPackageVersionFromArn, type UpdateModelPackageTrailEvent } from '../contracts/aws-events';
import { requestReconcile, type IngressDeps, type IngressOutcome } from './ingress';

/** `…:model-package/<group>/<version>` → group. */
function groupOf(modelPackageArn: string): string {
  return modelPackageArn.split(':model-package/')[1]!.split('/')[0]!;
}

export async function ingestApprovalTrailEvent(deps: IngressDeps, event: UpdateModelPackageTrailEvent): Promise<IngressOutcome> {
  const d = event.detail;
  if (d.errorCode) return { outcome: 'ignored', reason: `UpdateModelPackage failed (${d.errorCode}): nothing changed` };
  const params = d.requestParameters as typeof d.requestParameters & { modelLifeCycle?: { stage?: string; stageStatus?: string; Stage?: string; StageStatus?: string } };
  const stage = params.modelLifeCycle;
  const stageChange = stage ? `${stage.stage ?? stage.Stage}:${stage.stageStatus ?? stage.StageStatus}` : undefined;
  const change = params.modelApprovalStatus ?? stageChange;
  if (!change) return { outcome: 'ignored', reason: 'UpdateModelPackage changed neither the approval nor the stage' };
  const approver = approverFromTrailEvent(event);
  const arn = params.modelPackageArn;
  const group = groupOf(arn);
  await deps.state.recordApprovalEvidence({
    modelGroup: group,
    version: modelPackageVersionFromArn(arn),
    modelPackageArn: arn,
    change,
    principalArn: approver.arn ?? `principal:${approver.principalId ?? approver.type}`,
    ...(approver.sourceIdentity ? { sourceIdentity: approver.sourceIdentity } : {}),
    ...(params.approvalDescription ? { description: params.approvalDescription } : {}),
    at: new Date(d.eventTime).toISOString(),
    eventId: d.eventID,
  });
  return requestReconcile(deps, group, event, `${approver.arn ?? approver.type} set ${change} on ${arn}`);
}
