/**
 * SageMaker Data Capture files in S3 as the `CaptureSource` port: every JSON line of every object under a prefix,
 * object by object (ListObjectsV2, every page, then GetObject each), so a window of any size is read with the
 * memory of one capture file.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { CaptureSource } from '../drift-check/ports';
import { parseS3Uri } from './s3-documents';

export function makeS3CaptureSource(s3: S3Client): CaptureSource {
  return {
    async *lines(prefixUri) {
      const { bucket, key: prefix } = parseS3Uri(prefixUri);
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
        for (const object of page.Contents ?? []) {
          if (!object.Key?.endsWith('.jsonl')) continue;
          const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
          const text = (await got.Body?.transformToString()) ?? '';
          for (const line of text.split('\n')) if (line.trim() !== '') yield line;
        }
        token = page.NextContinuationToken;
      } while (token);
    },
  };
}
