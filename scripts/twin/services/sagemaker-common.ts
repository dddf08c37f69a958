/**
 * What the SageMaker twin's parts share: ARNs, the errors SageMaker raises, identities and list pagination.
 */
import { createHash } from 'node:crypto';
import type { UserContext } from '@aws-sdk/client-sagemaker';
import { TwinServiceError, type ServiceContext } from '../core/types';

/**
 * A SageMaker ARN. SageMaker lower-cases the resource name in its ARNs (the endpoint "MyEndpoint" has the ARN
 * `…:endpoint/myendpoint`, aws-facts §1.0), so every ARN the twin makes goes through here.
 */
export function sageMakerArn(ctx: ServiceContext, resource: string, name: string): string {
  return `arn:aws:sagemaker:${ctx.region}:${ctx.account}:${resource}/${name.toLowerCase()}`;
}

/** SageMaker's unmodelled `ValidationException` (not found, already exists, in progress: aws-facts §0.7, §4.1). */
export function validationError(message: string): TwinServiceError {
  return new TwinServiceError('ValidationException', message);
}

/** The modelled `ResourceNotFound` (pipelines, monitoring schedules, model cards). */
export function resourceNotFound(message: string): TwinServiceError {
  return new TwinServiceError('ResourceNotFound', message);
}

/**
 * A limitation of the twin, not an AWS answer: thrown as a plain Error so nobody mistakes it for behaviour AWS has.
 */
export function notImplemented(what: string): Error {
  return new Error(`SageMaker twin: ${what} is not implemented`);
}

/** A deterministic IAM unique id for a principal (`AROA…` for roles, `AIDA…` for users), as CloudTrail shows them. */
export function uniqueIdOf(prefix: 'AROA' | 'AIDA', name: string): string {
  return prefix + createHash('sha1').update(name).digest('hex').slice(0, 17).toUpperCase();
}

/** The principal id SageMaker records for an ARN: `AROA…:session` for an assumed-role session, `AIDA…` for a user. */
export function principalIdOf(arn: string): string {
  const session = /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (session) return `${uniqueIdOf('AROA', session[1]!)}:${session[2]!}`;
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return uniqueIdOf('AIDA', user[1]!);
  return uniqueIdOf('AROA', arn);
}

/** `CreatedBy` / `LastModifiedBy` of a call made by `arn` (aws-facts §1.3: `IamIdentity` is populated for packages). */
export function userContextOf(arn: string): UserContext {
  return { IamIdentity: { Arn: arn, PrincipalId: principalIdOf(arn) } };
}

/** `[{Key, Value}]` tags as the map Endpoint events carry (aws-facts §1.5). */
export function tagMap(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
}

/** Case-insensitive keys: SageMaker resource names are unique regardless of case (aws-facts §1.0, §4.5). */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** The name in an `arn:…:<resource>/<name>` ARN, or the value itself when it is a plain name. */
export function nameFromArnOrName(value: string, resource: string): string {
  const match = new RegExp(`^arn:aws[a-z-]*:sagemaker:[^:]*:\\d{12}:${resource}/(.+)$`).exec(value);
  return match ? match[1]! : value;
}

/**
 * One page of a SageMaker List* answer. NextToken is opaque to callers; the twin encodes the offset of the next
 * item. SageMaker's list operations return at most `MaxResults` items, 10 when it is absent (the common default of
 * the SageMaker List APIs; UNVERIFIED for each one, which is why callers should always page).
 */
export function paginate<T>(items: readonly T[], input: { MaxResults?: number; NextToken?: string }, defaultMax = 10): { page: T[]; NextToken?: string } {
  const max = input.MaxResults ?? defaultMax;
  let offset = 0;
  if (input.NextToken) {
    const match = /^offset:(\d+)$/.exec(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!match) throw validationError('Invalid pagination token');
    offset = Number(match[1]);
  }
  const page = items.slice(offset, offset + max);
  const next = offset + max;
  return next < items.length ? { page, NextToken: Buffer.from(`offset:${next}`, 'utf8').toString('base64url') } : { page };
}

/**
 * A deep copy for answers: callers must never hold a reference into the twin's state. Hand-written rather than
 * `structuredClone`, whose Dates belong to another realm under jest's VM (so `instanceof Date` would fail there).
 */
export function copy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
  }
  return value;
}

/** Drops undefined members, so answers have only the members AWS would send. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
