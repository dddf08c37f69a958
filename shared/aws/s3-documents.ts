/**
 * JSON documents in S3 (gate reports, sample payloads, drift reports) as the `Documents` port.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TerminalError } from '../runtime/errors';
import type { DocumentWriter, Documents } from '../reconcile/ports';

/** Bucket and key of an `s3://bucket/key` URI; TerminalError when it is not one. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new TerminalError(`Not an s3://bucket/key URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}

/**
 * The `Documents` port over S3. `readJson` GETs the object and parses it; `readJsonWithHash` also returns the
 * SHA-256 of the exact bytes received, so an audit record can cite what the gates read. A missing object
 * (NoSuchKey) or one that is not JSON is a TerminalError naming the URI: a report the pipeline registered but never
 * wrote is the pipeline's bug, and no retry fixes it. Other errors propagate (AccessDenied is classified terminal by
 * the handler; note that S3 answers AccessDenied, not NoSuchKey, for a missing key without s3:ListBucket).
 * @example
 * const report = await makeS3Documents(clients.s3).readJson('s3://bucket/eval/evaluation.json');
 */
export function makeS3Documents(s3: S3Client): Documents & DocumentWriter {
  async function readBytes(s3Uri: string): Promise<Uint8Array> {
    const { bucket, key } = parseS3Uri(s3Uri);
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new TerminalError(`The object at ${s3Uri} has no body`);
      return await out.Body.transformToByteArray();
    } catch (error) {
      if ((error as { name?: string })?.name === 'NoSuchKey') {
        throw new TerminalError(`No object at ${s3Uri}: the document was registered but never written`, { cause: error });
      }
      throw error;
    }
  }

  function parse(s3Uri: string, bytes: Uint8Array): unknown {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (error) {
      throw new TerminalError(`The object at ${s3Uri} is not valid JSON`, { cause: error });
    }
  }

  return {
    async readJson(s3Uri) {
      return parse(s3Uri, await readBytes(s3Uri));
    },
    async writeJson(s3Uri, value) {
      const { bucket, key } = parseS3Uri(s3Uri);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
    },
    async readJsonWithHash(s3Uri) {
      const bytes = await readBytes(s3Uri);
      return { value: parse(s3Uri, bytes), sha256: createHash('sha256').update(bytes).digest('hex') };
    },
  };
}
