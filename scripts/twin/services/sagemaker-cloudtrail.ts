/**
 * The `AWS API Call via CloudTrail` record of a SageMaker write call, as EventBridge delivers it (aws-facts §1.10).
 * The control plane's approval-trail function reads the approver's identity from it.
 */
import type { ServiceContext } from '../core/types';
import { principalIdOf, uniqueIdOf } from './sagemaker-common';

/** What happened in the call. */
export interface TrailCall {
  eventName: string;
  /** The caller's ARN (an STS assumed-role session, an IAM user, …). */
  principal: string;
  /** The request as the SDK sent it (PascalCase); recorded with lowerCamel keys, as CloudTrail does. */
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  /** A failed call: CloudTrail records it with the error code and message. */
  error?: { code: string; message: string };
  userAgent: string;
}

/** `Foo` → `foo`. */
function lowerCamel(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

/** Request members whose values are maps of the caller's own keys: their keys are kept as written. */
const MAP_MEMBERS = new Set(['CustomerMetadataProperties', 'Tags', 'Environment']);

/** CloudTrail writes request and response members in lowerCamel case, nested structures included. */
function toTrailCase(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toTrailCase);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [lowerCamel(k), MAP_MEMBERS.has(k) ? v : toTrailCase(v)]),
  );
}

/** `userIdentity` of a CloudTrail record for a caller ARN. */
function userIdentityOf(arn: string, ctx: ServiceContext, at: string): Record<string, unknown> {
  const session = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (session) {
    const [, accountId, role] = session as unknown as [string, string, string];
    return {
      type: 'AssumedRole',
      principalId: principalIdOf(arn),
      arn,
      accountId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: uniqueIdOf('AROA', role), arn: `arn:aws:iam::${accountId}:role/${role}`, accountId, userName: role },
        attributes: { creationDate: at, mfaAuthenticated: 'false' },
      },
    };
  }
  const user = /^arn:aws[a-z-]*:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return { type: 'IAMUser', principalId: principalIdOf(arn), arn, accountId: user[1], userName: user[2] };
  return { type: 'Unknown', principalId: principalIdOf(arn), arn, accountId: ctx.account };
}

/** The CloudTrail record's time: ISO-8601 to the second, as CloudTrail writes it. */
function trailTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Puts the CloudTrail record of `call` on the default bus (source `aws.sagemaker`, like the sample events). */
export function emitTrailEvent(ctx: ServiceContext, call: TrailCall): void {
  const at = trailTime(ctx.clock.nowMs());
  ctx.emit({
    source: 'aws.sagemaker',
    'detail-type': 'AWS API Call via CloudTrail',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: userIdentityOf(call.principal, ctx, at),
      eventTime: at,
      eventSource: 'sagemaker.amazonaws.com',
      eventName: call.eventName,
      awsRegion: ctx.region,
      sourceIPAddress: '192.0.2.10',
      userAgent: call.userAgent,
      requestParameters: toTrailCase(call.request),
      responseElements: call.response ? toTrailCase(call.response) : null,
      ...(call.error ? { errorCode: call.error.code, errorMessage: call.error.message } : {}),
      requestID: ctx.nextId('req'),
      eventID: ctx.nextId('evt'),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ctx.account,
      eventCategory: 'Management',
    },
  });
}
