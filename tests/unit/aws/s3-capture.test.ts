import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeS3CaptureSource } from '../../../shared/aws/s3-capture';
import { TerminalError } from '../../../shared/runtime/errors';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const s3 = mockClient(S3Client);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(s3)) expectValidAwsInput('s3', command);
  } finally {
    s3.reset();
  }
});

/** The part of an SDK stream body the adapter uses. */
const body = (text: string) => ({ transformToString: async () => text }) as never;
const PREFIX = 'endpoints/credit-risk-retail-prod/AllTraffic/2026/11/28/09/';
const PREFIX_URI = `s3://creditai-capture/${PREFIX}`;

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('Function: makeS3CaptureSource', () => {
  it('yields every line of every .jsonl object under the prefix, every page, skipping blank lines and other objects', async () => {
    // Prepare
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ Contents: [{ Key: `${PREFIX}09-12-001-a.jsonl` }, { Key: `${PREFIX}_SUCCESS` }], NextContinuationToken: 'page-2' })
      .on(ListObjectsV2Command, { ContinuationToken: 'page-2' })
      .resolves({ Contents: [{ Key: `${PREFIX}09-47-513-b.jsonl` }, {}] });
    s3.on(GetObjectCommand, { Key: `${PREFIX}09-12-001-a.jsonl` })
      .resolves({ Body: body('{"n":1}\n{"n":2}\n') })
      .on(GetObjectCommand, { Key: `${PREFIX}09-47-513-b.jsonl` })
      .resolves({ Body: body('\n{"n":3}\n  \n{"n":4}') });
    // Act
    const lines = await collect(makeS3CaptureSource(new S3Client({})).lines(PREFIX_URI));
    // Assess
    expect(lines).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']);
    expect(s3).toHaveReceivedNthSpecificCommandWith(1, ListObjectsV2Command, { Bucket: 'creditai-capture', Prefix: PREFIX });
    expect(s3).toHaveReceivedNthSpecificCommandWith(2, ListObjectsV2Command, { Bucket: 'creditai-capture', Prefix: PREFIX, ContinuationToken: 'page-2' });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
    expect(s3).toHaveReceivedNthSpecificCommandWith(2, GetObjectCommand, { Bucket: 'creditai-capture', Key: `${PREFIX}09-47-513-b.jsonl` });
  });

  it('yields nothing for an hour without capture files', async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    expect(await collect(makeS3CaptureSource(new S3Client({})).lines(PREFIX_URI))).toEqual([]);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
  });

  it('reads an object only when the reader gets to it (one capture file in memory at a time)', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${PREFIX}a.jsonl` }, { Key: `${PREFIX}b.jsonl` }] });
    s3.on(GetObjectCommand).resolves({ Body: body('{"n":1}') });
    const iterator = makeS3CaptureSource(new S3Client({})).lines(PREFIX_URI)[Symbol.asyncIterator]();
    await iterator.next();
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    await iterator.return?.();
  });

  it('refuses a prefix that is not an s3://bucket/key URI without calling S3', async () => {
    await expect(collect(makeS3CaptureSource(new S3Client({})).lines('creditai-capture/endpoints/'))).rejects.toBeInstanceOf(TerminalError);
    expect(s3.calls()).toHaveLength(0);
  });
});
