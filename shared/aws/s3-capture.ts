/**
 * SageMaker Data Capture files (and any JSON lines objects) in S3: as the `CaptureSource` port, every JSON line of
 * every object under a prefix, object by object (ListObjectsV2, every page, then GetObject each), so a window of any
 * size is read with the memory of one capture file; and object by object with their ETags (`JsonLinesObjects`),
 * for a reader that keeps what it parsed of an object while its ETag holds.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { CaptureSource } from '../drift-check/ports';
import { parseS3Uri } from './s3-documents';

/** One `.jsonl` object: its URI and ETag (an object's bytes change only with its ETag). */
export interface JsonLinesObject {
  uri: string;
  etag: string;
}

export interface JsonLinesObjects {
  /** The `.jsonl` objects under a prefix, in key order. */
  objects(prefixUri: string): AsyncIterable<JsonLinesObject>;
  /** The non-empty lines of one object. */
  objectLines(objectUri: string): Promise<string[]>;
}

export function makeS3CaptureSource(s3: S3Client): CaptureSource & JsonLinesObjects {
  async function* objects(prefixUri: string): AsyncIterable<JsonLinesObject> {
    const { bucket, key: prefix } = parseS3Uri(prefixUri);
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) {
        if (object.Key?.endsWith('.jsonl')) yield { uri: `s3://${bucket}/${object.Key}`, etag: object.ETag ?? '' };
      }
      token = page.NextContinuationToken;
    } while (token);
  }

  async function objectLines(objectUri: string): Promise<string[]> {
    const { bucket, key } = parseS3Uri(objectUri);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await got.Body?.transformToString()) ?? '';
    return text.split('\n').filter((line) => line.trim() !== '');
  }

  return {
    objects,
    objectLines,
    async *lines(prefixUri) {
      for await (const object of objects(prefixUri)) yield* await objectLines(object.uri);
    },
  };
}
