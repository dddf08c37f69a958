/**
 * Who a principal is, for approvals: a regulator asks that a production approval be made by an identified person
 * in an approver role, never by a pipeline or by the control plane itself.
 */
import type { Actor } from '../lifecycle/model';

export interface IdentityRules {
  /** IAM role names whose sessions are people entitled to approve (SSO roles match `AWSReservedSSO_<name>_*`). */
  approverRoles: string[];
  /** Role names of the control plane's own functions. */
  controlPlaneRoles: string[];
}

/** The role name of an assumed-role session ARN or an IAM role ARN. */
function roleName(arn: string): string | undefined {
  return /:assumed-role\/([^/]+)\//.exec(arn)?.[1] ?? /:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}

/** A name matches itself, its SSO permission-set role, or, written `prefix*`, every role starting with prefix. */
const matchesRole = (role: string, names: string[]): boolean =>
  names.some((n) => (n.endsWith('*') ? role.startsWith(n.slice(0, -1)) : role === n || role.startsWith(`AWSReservedSSO_${n}_`)));

/** Classifies a principal ARN from CloudTrail (`userIdentity.arn`) or DescribeModelPackage (`LastModifiedBy`). */
export function classifyPrincipal(arn: string, rules: IdentityRules, source: Actor['source']): Actor {
  if (/^arn:aws[a-z-]*:iam::\d{12}:user\//.test(arn)) return { arn, kind: 'human', source };
  const role = roleName(arn);
  if (role === undefined) return { arn, kind: 'unknown', source };
  if (matchesRole(role, rules.controlPlaneRoles)) return { arn, kind: 'control-plane', source };
  // A session of an approver role is a person only when the session names someone (not a service session).
  const session = /:assumed-role\/[^/]+\/(.+)$/.exec(arn)?.[1];
  if (matchesRole(role, rules.approverRoles) && session) return { arn, kind: 'human', source };
  return { arn, kind: 'service', source };
}
