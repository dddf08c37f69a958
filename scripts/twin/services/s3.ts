/**
 * The S3 twin: buckets of objects (bytes and metadata), versions, conditional writes (`If-None-Match: *`,
 * `If-Match`), SHA-256 checksums, and Object Lock retention that keeps every version of a locked bucket and refuses
 * to delete a version still under retention.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectLockMode } from '@aws-sdk/client-s3';
import { TwinServiceError, type ServiceContext, type ServiceTwin } from '../core/types';

/** How a bucket is made. */
export interface BucketOptions {
  /** Default retention of every new object (Object Lock implies versioning). */
  objectLock?: { mode: ObjectLockMode; days: number };
  /** Keep every version of an overwritten key. */
  versioning?: boolean;
}

interface StoredVersion {
  versionId: string;
  /** A delete marker hides the key without removing its versions. */
  deleteMarker: boolean;
  bytes: Uint8Array;
  etag: string;
  lastModifiedMs: number;
  contentType: string;
  metadata: Record<string, string>;
  checksumSha256?: string;
  retention?: { mode: ObjectLockMode; untilMs: number };
}

interface StoredBucket {
  name: string;
  options: BucketOptions;
  /** Key → versions, oldest first; the last one is current. */
  objects: Map<string, StoredVersion[]>;
}

/** The S3 twin: a `ServiceTwin` plus bucket creation and seeding helpers. */
export interface S3Twin extends ServiceTwin {
  createBucket(name: string, options?: BucketOptions): void;
  /** Writes `value` as JSON to `s3://bucket/key` (the bucket is created if missing). */
  putJson(ctx: ServiceContext, uri: string, value: unknown): Promise<void>;
  /** Writes bytes or text to `s3://bucket/key` (the bucket is created if missing). */
  putObject(ctx: ServiceContext, uri: string, body: string | Uint8Array, contentType?: string): Promise<void>;
  /** The current bytes at `s3://bucket/key`, or undefined (for assertions). */
  read(uri: string): Uint8Array | undefined;
  /** Every version id of a key, oldest first, delete markers included (for assertions). */
  versions(uri: string): { versionId: string; deleteMarker: boolean }[];
}

/** Bucket and key of `s3://bucket/key`. */
function parseUri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`S3 twin: not an s3://bucket/key URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}

/** A parameter the twin does not implement: failing loudly beats answering as if it were honoured. */
function unsupported(operation: string, input: Record<string, unknown>, members: string[]): void {
  const used = members.filter((m) => input[m] !== undefined);
  if (used.length > 0) throw new Error(`S3 twin: ${operation} with ${used.join(', ')} is not implemented`);
}

/** The request body as bytes: the SDK hands the serializer strings, bytes, streams or blobs. */
async function bytesOf(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return new Uint8Array(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (typeof (body as Blob).arrayBuffer === 'function') return new Uint8Array(await (body as Blob).arrayBuffer());
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<unknown>) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk as Uint8Array));
    return new Uint8Array(Buffer.concat(chunks));
  }
  throw new Error('S3 twin: PutObject Body must be a string, bytes, a Blob or a stream');
}

/**
 * A GetObject Body as the SDK returns one: a Node stream with the SDK's `transformToString` /
 * `transformToByteArray` / `transformToWebStream`, each usable once, like the real one.
 */
function streamBody(bytes: Uint8Array): Readable & { transformToString(encoding?: string): Promise<string>; transformToByteArray(): Promise<Uint8Array>; transformToWebStream(): ReadableStream } {
  const stream = Readable.from([Buffer.from(bytes)]);
  let used = false;
  const once = () => {
    if (used) throw new Error('The stream has already been transformed.');
    used = true;
  };
  return Object.assign(stream, {
    async transformToByteArray() {
      once();
      return new Uint8Array(bytes);
    },
    async transformToString(encoding = 'utf-8') {
      once();
      return new TextDecoder(encoding).decode(bytes);
    },
    transformToWebStream() {
      once();
      return Readable.toWeb(stream) as unknown as ReadableStream;
    },
  });
}

/** S3's answers when things are missing (HTTP 404). */
const noSuchBucket = () => new TwinServiceError('NoSuchBucket', 'The specified bucket does not exist', 404);
const noSuchKey = () => new TwinServiceError('NoSuchKey', 'The specified key does not exist.', 404);
const preconditionFailed = () => new TwinServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);

/** Header dates (Last-Modified) have whole seconds: what the SDK parses from a GET or HEAD. */
function headerDate(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/**
 * Builds the S3 twin.
 * @example
 * const s3 = createS3Twin();
 * s3.createBucket('creditai-audit', { objectLock: { mode: 'COMPLIANCE', days: 2557 } });
 */
export function createS3Twin(): S3Twin {
  const buckets = new Map<string, StoredBucket>();

  function bucketOf(name: unknown): StoredBucket {
    const bucket = buckets.get(String(name));
    if (!bucket) throw noSuchBucket();
    return bucket;
  }

  function versioned(bucket: StoredBucket): boolean {
    return bucket.options.versioning === true || bucket.options.objectLock !== undefined;
  }

  /** The current version of a key, unless it is absent or hidden by a delete marker. */
  function current(bucket: StoredBucket, key: string): StoredVersion | undefined {
    const latest = bucket.objects.get(key)?.at(-1);
    return latest && !latest.deleteMarker ? latest : undefined;
  }

  /** The version a Get or Head asks for: a given VersionId, or the current one. */
  function versionFor(bucket: StoredBucket, key: string, versionId: unknown): StoredVersion {
    if (versionId !== undefined) {
      const found = bucket.objects.get(key)?.find((v) => v.versionId === versionId && !v.deleteMarker);
      if (!found) throw new TwinServiceError('NoSuchVersion', 'The specified version does not exist.', 404);
      return found;
    }
    const found = current(bucket, key);
    if (!found) throw noSuchKey();
    return found;
  }

  function store(ctx: ServiceContext, bucket: StoredBucket, key: string, version: Omit<StoredVersion, 'versionId' | 'lastModifiedMs' | 'retention'>, retention?: StoredVersion['retention']): StoredVersion {
    const now = ctx.clock.nowMs();
    const lock = bucket.options.objectLock;
    const stored: StoredVersion = {
      ...version,
      versionId: versioned(bucket) ? ctx.nextId('v') : 'null',
      lastModifiedMs: now,
      ...(retention ? { retention } : lock && !version.deleteMarker ? { retention: { mode: lock.mode, untilMs: now + lock.days * 86_400_000 } } : {}),
    };
    const history = versioned(bucket) ? [...(bucket.objects.get(key) ?? []), stored] : [stored];
    bucket.objects.set(key, history);
    return stored;
  }

  async function putObject(input: Record<string, unknown>, ctx: ServiceContext): Promise<Record<string, unknown>> {
    unsupported('PutObject', input, ['SSECustomerKey', 'WriteOffsetBytes']);
    const bucket = bucketOf(input.Bucket);
    const key = String(input.Key);
    const existing = current(bucket, key);
    if (input.IfNoneMatch !== undefined) {
      if (input.IfNoneMatch !== '*') throw new TwinServiceError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501);
      if (existing) throw preconditionFailed();
    }
    if (input.IfMatch !== undefined) {
      if (!existing) throw noSuchKey();
      if (existing.etag !== input.IfMatch) throw preconditionFailed();
    }
    const bytes = await bytesOf(input.Body);
    const sha256 = createHash('sha256').update(bytes).digest('base64');
    if (input.ChecksumSHA256 !== undefined && input.ChecksumSHA256 !== sha256) {
      throw new TwinServiceError('BadDigest', 'The SHA256 you specified did not match the calculated checksum.', 400);
    }
    // The SDK computes the checksum it was asked for (after this step), and S3 keeps it with the object.
    const keepChecksum = input.ChecksumSHA256 !== undefined || input.ChecksumAlgorithm === 'SHA256';
    const retention =
      input.ObjectLockMode && input.ObjectLockRetainUntilDate
        ? { mode: input.ObjectLockMode as ObjectLockMode, untilMs: new Date(input.ObjectLockRetainUntilDate as Date).getTime() }
        : undefined;
    const stored = store(
      ctx,
      bucket,
      key,
      {
        deleteMarker: false,
        bytes,
        etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
        contentType: typeof input.ContentType === 'string' ? input.ContentType : 'binary/octet-stream',
        // S3 keeps user metadata under lower-case names.
        metadata: Object.fromEntries(Object.entries((input.Metadata as Record<string, string>) ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
        ...(keepChecksum ? { checksumSha256: sha256 } : {}),
      },
      retention,
    );
    return {
      ETag: stored.etag,
      ...(stored.checksumSha256 ? { ChecksumSHA256: stored.checksumSha256, ChecksumType: 'FULL_OBJECT' } : {}),
      ...(versioned(bucket) ? { VersionId: stored.versionId } : {}),
      Size: bytes.length,
      ServerSideEncryption: 'AES256',
    };
  }

  function headers(bucket: StoredBucket, v: StoredVersion, input: Record<string, unknown>): Record<string, unknown> {
    return {
      LastModified: headerDate(v.lastModifiedMs),
      ContentLength: v.bytes.length,
      ETag: v.etag,
      ContentType: v.contentType,
      Metadata: { ...v.metadata },
      ...(versioned(bucket) ? { VersionId: v.versionId } : {}),
      ...(input.ChecksumMode === 'ENABLED' && v.checksumSha256 ? { ChecksumSHA256: v.checksumSha256, ChecksumType: 'FULL_OBJECT' } : {}),
      ...(v.retention ? { ObjectLockMode: v.retention.mode, ObjectLockRetainUntilDate: new Date(v.retention.untilMs) } : {}),
      ServerSideEncryption: 'AES256',
      AcceptRanges: 'bytes',
    };
  }

  async function getObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    unsupported('GetObject', input, ['Range', 'PartNumber', 'SSECustomerKey', 'IfMatch', 'IfNoneMatch', 'IfModifiedSince', 'IfUnmodifiedSince']);
    const bucket = bucketOf(input.Bucket);
    const v = versionFor(bucket, String(input.Key), input.VersionId);
    return { ...headers(bucket, v, input), Body: streamBody(v.bytes) };
  }

  async function headObject(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    unsupported('HeadObject', input, ['Range', 'PartNumber', 'SSECustomerKey', 'IfMatch', 'IfNoneMatch', 'IfModifiedSince', 'IfUnmodifiedSince']);
    const bucket = bucketOf(input.Bucket);
    try {
      return headers(bucket, versionFor(bucket, String(input.Key), input.VersionId), input);
    } catch (error) {
      // A HEAD answer has no body, so the SDK cannot read S3's error code: it names the error after the status.
      if (error instanceof TwinServiceError && error.$metadata.httpStatusCode === 404) throw new TwinServiceError('NotFound', 'UnknownError', 404);
      throw error;
    }
  }

  async function deleteObject(input: Record<string, unknown>, ctx: ServiceContext): Promise<Record<string, unknown>> {
    const bucket = bucketOf(input.Bucket);
    const key = String(input.Key);
    const history = bucket.objects.get(key) ?? [];
    if (input.VersionId === undefined) {
      if (!versioned(bucket)) {
        bucket.objects.delete(key);
        return {};
      }
      // In a versioned bucket a plain delete only adds a delete marker; Object Lock allows that (every version stays).
      const marker = store(ctx, bucket, key, { deleteMarker: true, bytes: new Uint8Array(), etag: '', contentType: '', metadata: {} });
      return { DeleteMarker: true, VersionId: marker.versionId };
    }
    const version = history.find((v) => v.versionId === input.VersionId);
    if (!version) return { VersionId: input.VersionId };
    const locked = version.retention && version.retention.untilMs > ctx.clock.nowMs();
    const bypass = version.retention?.mode === 'GOVERNANCE' && input.BypassGovernanceRetention === true;
    if (locked && !bypass) throw new TwinServiceError('AccessDenied', 'Access Denied', 403);
    bucket.objects.set(key, history.filter((v) => v !== version));
    return { VersionId: version.versionId, ...(version.deleteMarker ? { DeleteMarker: true } : {}) };
  }

  async function listObjectsV2(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const bucket = bucketOf(input.Bucket);
    const prefix = typeof input.Prefix === 'string' ? input.Prefix : '';
    const delimiter = typeof input.Delimiter === 'string' && input.Delimiter !== '' ? input.Delimiter : undefined;
    const maxKeys = Math.min(typeof input.MaxKeys === 'number' ? input.MaxKeys : 1000, 1000);
    let after = typeof input.StartAfter === 'string' ? input.StartAfter : '';
    if (typeof input.ContinuationToken === 'string') {
      const decoded = Buffer.from(input.ContinuationToken, 'base64').toString('utf8');
      if (!decoded.startsWith('after:')) throw new TwinServiceError('InvalidArgument', 'The continuation token provided is incorrect', 400);
      after = decoded.slice('after:'.length);
    }
    const keys = [...bucket.objects.keys()].filter((k) => current(bucket, k) && k.startsWith(prefix) && k > after).sort();
    const contents: { Key: string; v: StoredVersion }[] = [];
    const prefixes: string[] = [];
    let last = '';
    let truncated = false;
    for (const key of keys) {
      // A common prefix rolls up every key under it and counts once towards MaxKeys.
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const common = cut >= 0 ? key.slice(0, cut + delimiter!.length) : undefined;
      if (common && prefixes.at(-1) === common) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (common) {
        prefixes.push(common);
        // Continue after every key under the prefix.
        last = `${common}\u{10FFFF}`;
      } else {
        contents.push({ Key: key, v: current(bucket, key)! });
        last = key;
      }
    }
    return {
      Name: bucket.name,
      Prefix: prefix,
      ...(delimiter ? { Delimiter: delimiter } : {}),
      MaxKeys: maxKeys,
      KeyCount: contents.length + prefixes.length,
      IsTruncated: truncated,
      ...(contents.length > 0
        ? { Contents: contents.map(({ Key, v }) => ({ Key, LastModified: new Date(v.lastModifiedMs), ETag: v.etag, Size: v.bytes.length, StorageClass: 'STANDARD', ...(v.checksumSha256 ? { ChecksumAlgorithm: ['SHA256'], ChecksumType: 'FULL_OBJECT' } : {}) })) }
        : {}),
      ...(prefixes.length > 0 ? { CommonPrefixes: prefixes.map((Prefix) => ({ Prefix })) } : {}),
      ...(typeof input.ContinuationToken === 'string' ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(typeof input.StartAfter === 'string' ? { StartAfter: input.StartAfter } : {}),
      ...(truncated ? { NextContinuationToken: Buffer.from(`after:${last}`, 'utf8').toString('base64') } : {}),
    };
  }

  function ensureBucket(name: string): StoredBucket {
    if (!buckets.has(name)) buckets.set(name, { name, options: {}, objects: new Map() });
    return buckets.get(name)!;
  }

  return {
    model: 's3',
    clientName: 'S3Client',
    operations: {
      PutObject: putObject,
      GetObject: getObject,
      HeadObject: headObject,
      DeleteObject: deleteObject,
      ListObjectsV2: listObjectsV2,
    },
    createBucket(name, options = {}) {
      if (buckets.has(name)) throw new Error(`S3 twin: bucket ${name} already exists`);
      buckets.set(name, { name, options: structuredClone(options), objects: new Map() });
    },
    async putObject(ctx, uri, body, contentType) {
      const { bucket, key } = parseUri(uri);
      ensureBucket(bucket);
      await putObject({ Bucket: bucket, Key: key, Body: body, ContentType: contentType ?? (typeof body === 'string' ? 'text/plain' : 'binary/octet-stream') }, ctx);
    },
    async putJson(ctx, uri, value) {
      const { bucket, key } = parseUri(uri);
      ensureBucket(bucket);
      await putObject({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }, ctx);
    },
    read(uri) {
      const { bucket, key } = parseUri(uri);
      const found = buckets.get(bucket) && current(buckets.get(bucket)!, key);
      return found ? new Uint8Array(found.bytes) : undefined;
    },
    versions(uri) {
      const { bucket, key } = parseUri(uri);
      return (buckets.get(bucket)?.objects.get(key) ?? []).map((v) => ({ versionId: v.versionId, deleteMarker: v.deleteMarker }));
    },
  };
}
