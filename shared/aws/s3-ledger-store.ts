/**
 * The audit ledger's records in the Object Lock bucket, as the `LedgerStore` (the audit function) and the
 * `LedgerReader` (`mlops audit verify --bucket`) ports. Keys: `ledger/<group>/<12-digit sequence>.json`.
 *
 * The bucket's default retention (Object Lock COMPLIANCE, 7 years, set by Terraform) applies to every new object;
 * nothing here sets a retention per object.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LEDGER_PREFIX } from '../governance/ledger';
import type { LedgerReader, LedgerStore } from '../governance/ledger-ports';
import { RetryableError } from '../runtime/errors';

/** Which bucket. */
export interface S3LedgerConfig {
  bucket: string;
}

function statusOf(error: unknown): { name?: string; status?: number } {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return { name: e?.name, status: e?.$metadata?.httpStatusCode };
}

/**
 * The ledger over S3.
 * - create: PutObject with `If-None-Match: *` (S3 conditional write): 412 PreconditionFailed → 'exists'; 409
 *   ConditionalRequestConflict (a concurrent conditional write of the same key in flight) → RetryableError.
 *   `ChecksumAlgorithm: SHA256` has the SDK send the body's SHA-256, which S3 checks and keeps with the object;
 *   a PutObject into an Object Lock bucket must carry a checksum (or Content-MD5) anyway.
 * - get: the exact bytes; undefined for NoSuchKey (S3 answers AccessDenied instead to a caller it does not let list
 *   the key's prefix; that error propagates).
 * - groups / keys: paginated ListObjectsV2 of `ledger/` (by `/`) and of `ledger/<group>/`.
 * @example
 * const ledger = makeS3Ledger(s3Client({ region }), { bucket: config.AUDIT_BUCKET });
 */
export function makeS3Ledger(s3: S3Client, config: S3LedgerConfig): LedgerStore & LedgerReader {
  const Bucket = config.bucket;

  async function listAll(input: { Prefix: string; Delimiter?: string }): Promise<{ keys: string[]; prefixes: string[] }> {
    const keys: string[] = [];
    const prefixes: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, ...input, ContinuationToken }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return { keys, prefixes };
  }

  async function get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
      // The exact bytes, not a decoded string: the hash is over what is stored.
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (statusOf(error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  return {
    source: `s3://${Bucket}/${LEDGER_PREFIX}`,

    async create(key, bytes) {
      try {
        await s3.send(
          new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: 'application/json', ChecksumAlgorithm: 'SHA256', IfNoneMatch: '*' }),
        );
        return 'created';
      } catch (error) {
        const { name, status } = statusOf(error);
        if (name === 'PreconditionFailed' || status === 412) return 'exists';
        if (name === 'ConditionalRequestConflict' || status === 409) {
          throw new RetryableError(`Another write of ${key} was in flight; retry`, { cause: error });
        }
        throw error;
      }
    },

    get,

    async groups() {
      const { prefixes } = await listAll({ Prefix: LEDGER_PREFIX, Delimiter: '/' });
      return prefixes.map((p) => p.slice(LEDGER_PREFIX.length, -1)).sort();
    },

    async keys(group) {
      const { keys } = await listAll({ Prefix: `${LEDGER_PREFIX}${group}/` });
      return keys.sort();
    },

    async read(key) {
      const bytes = await get(key);
      if (!bytes) throw new Error(`s3://${Bucket}/${key} was listed but is gone`);
      return bytes;
    },
  };
}
