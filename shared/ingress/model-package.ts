/**
 * Model Package State Change → reconcile its group. Registration, approval, rejection and stage changes all
 * lead to the same thing: the reconciler reads the package as it is now.
 */
import type { ModelPackageStateChangeEvent } from '../contracts/aws-events';
import { requestReconcile, type IngressDeps, type IngressOutcome } from './ingress';

export function ingestModelPackageEvent(deps: IngressDeps, event: ModelPackageStateChangeEvent): Promise<IngressOutcome> {
  const d = event.detail;
  const changed = d.UpdatedModelPackageFields?.length ? ` (${d.UpdatedModelPackageFields.join(', ')})` : '';
  return requestReconcile(deps, d.ModelPackageGroupName, event, `Model package v${d.ModelPackageVersion} is ${d.ModelApprovalStatus}${changed}`);
}
