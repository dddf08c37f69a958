/**
 * What the pipeline twin's jobs read and write in S3, over the S3 twin's own operations (so a missing bucket or
 * key fails as S3 would), and the pipeline execution role's simulated permissions: a scenario can deny it an action
 * on a prefix, and the job that needs it fails as SageMaker reports it.
 */
import type { ServiceContext } from '../core/types';
import type { S3Twin } from './s3';

/** S3 as the pipeline's jobs use it. */
export interface PipelineStorage {
  /** URIs of the objects under an S3 prefix (S3Prefix input semantics: every key starting with it), sorted. */
  list(ctx: ServiceContext, prefixUri: string): Promise<string[]>;
  get(ctx: ServiceContext, uri: string): Promise<Uint8Array>;
  put(ctx: ServiceContext, uri: string, body: string, contentType: string): Promise<void>;
  /** The current bytes, without a request (the runtime twin's scorer reads model artifacts with it). */
  peek(uri: string): Uint8Array | undefined;
}

/** Bucket and key (possibly empty) of an `s3://bucket/key` URI. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}

/** The {@link PipelineStorage} of the S3 twin. */
export function s3PipelineStorage(s3: S3Twin): PipelineStorage {
  const op = (name: string) => s3.operations[name]!;
  return {
    async list(ctx, prefixUri) {
      const { bucket, key } = parseS3Uri(prefixUri);
      const uris: string[] = [];
      let token: string | undefined;
      do {
        const page = (await op('ListObjectsV2')({ Bucket: bucket, Prefix: key, ...(token ? { ContinuationToken: token } : {}) }, ctx)) as {
          Contents?: { Key: string }[];
          NextContinuationToken?: string;
        };
        for (const o of page.Contents ?? []) uris.push(`s3://${bucket}/${o.Key}`);
        token = page.NextContinuationToken;
      } while (token);
      return uris.sort();
    },
    async get(ctx, uri) {
      const { bucket, key } = parseS3Uri(uri);
      const out = (await op('GetObject')({ Bucket: bucket, Key: key }, ctx)) as { Body: { transformToByteArray(): Promise<Uint8Array> } };
      return out.Body.transformToByteArray();
    },
    put: (ctx, uri, body, contentType) => s3.putObject(ctx, uri, body, contentType),
    peek: (uri) => s3.read(uri),
  };
}

/** One denied permission of the pipeline execution role: `action` on every object under `prefixUri`. */
export interface DeniedPermission {
  action: 's3:GetObject' | 's3:PutObject';
  prefixUri: string;
}

/** The role's deny-list: which (action, object) pairs it lacks. */
export function makeRolePermissions() {
  const denied: DeniedPermission[] = [];
  return {
    deny(permission: DeniedPermission): void {
      denied.push({ ...permission });
    },
    /** Removes every denial of `action` under `prefixUri` (the fix on-call applies). */
    allow(permission: DeniedPermission): void {
      for (let i = denied.length - 1; i >= 0; i--) if (denied[i]!.action === permission.action && denied[i]!.prefixUri === permission.prefixUri) denied.splice(i, 1);
    },
    allows(action: DeniedPermission['action'], uri: string): boolean {
      return !denied.some((d) => d.action === action && uri.startsWith(d.prefixUri));
    },
  };
}

export type RolePermissions = ReturnType<typeof makeRolePermissions>;
