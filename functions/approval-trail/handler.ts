/** CloudTrail UpdateModelPackage → record the approver's identity and reason, then reconcile the group. */
import { awsIngressDeps } from '../../shared/aws/wiring/ingress';
import { updateModelPackageTrailEventSchema } from '../../shared/contracts/aws-events';
import { ingestApprovalTrailEvent } from '../../shared/ingress/approval-trail';
import { ingressConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeIngressHandler } from '../../shared/runtime/ingress-handler';

const deps = once(() => awsIngressDeps(readConfig(ingressConfigSchema, process.env)));

export const handler = makeIngressHandler({ name: 'approval-trail', schema: updateModelPackageTrailEventSchema, deps, ingest: ingestApprovalTrailEvent });
