/**
 * The audit ledger over S3: conditional creates, exact bytes, paginated listings; every command checked against the
 * S3 model.
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeS3Ledger } from '../../../shared/aws/s3-ledger-store';
import { RetryableError } from '../../../shared/runtime/errors';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const s3 = mockClient(S3Client);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(s3)) expectValidAwsInput('s3', command);
  } finally {
    s3.reset();
  }
});

const Bucket = 'creditai-mlops-prod-audit-111122223333';
const KEY = 'ledger/credit-risk-retail/000000000001.json';
const ledger = () => makeS3Ledger(new S3Client({}), { bucket: Bucket });
const s3Error = (name: string, httpStatusCode: number) => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });
/** The part of an SDK stream body the adapter uses. */
const body = (bytes: Uint8Array) => ({ transformToByteArray: async () => bytes }) as never;

describe('Function: makeS3Ledger', () => {
  describe('create', () => {
    it('puts the record only if the key is free, as JSON with a SHA-256 checksum and no per-object retention', async () => {
      s3.on(PutObjectCommand).resolves({});

      await expect(ledger().create(KEY, '{"a":1}\n')).resolves.toBe('created');

      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket,
        Key: KEY,
        Body: '{"a":1}\n',
        ContentType: 'application/json',
        ChecksumAlgorithm: 'SHA256',
        IfNoneMatch: '*',
      });
      const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
      expect(input).not.toHaveProperty('ObjectLockMode');
      expect(input).not.toHaveProperty('ObjectLockRetainUntilDate');
    });

    it.each([
      ['PreconditionFailed', 412],
      ['Unknown', 412],
    ])('answers exists for %s (HTTP %d): the key was written before', async (name, status) => {
      s3.on(PutObjectCommand).rejects(s3Error(name, status));

      await expect(ledger().create(KEY, 'x')).resolves.toBe('exists');
    });

    it('turns a concurrent conditional write of the same key (409) into a RetryableError', async () => {
      s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));

      await expect(ledger().create(KEY, 'x')).rejects.toBeInstanceOf(RetryableError);
    });

    it('propagates other errors', async () => {
      s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));

      await expect(ledger().create(KEY, 'x')).rejects.toThrow('AccessDenied');
    });
  });

  describe('get and read', () => {
    it('returns the exact stored bytes', async () => {
      const bytes = new Uint8Array([0x7b, 0x7d, 0x0a]);
      s3.on(GetObjectCommand).resolves({ Body: body(bytes) });

      await expect(ledger().get(KEY)).resolves.toBe(bytes);
      await expect(ledger().read(KEY)).resolves.toBe(bytes);
      expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket, Key: KEY });
    });

    it('returns empty bytes for an object without a body', async () => {
      s3.on(GetObjectCommand).resolves({});

      await expect(ledger().get(KEY)).resolves.toEqual(new Uint8Array());
    });

    it('answers undefined for a missing key, and read refuses it', async () => {
      s3.on(GetObjectCommand).rejects(new NoSuchKey({ $metadata: {}, message: 'The specified key does not exist.' }));

      await expect(ledger().get(KEY)).resolves.toBeUndefined();
      await expect(ledger().read(KEY)).rejects.toThrow(`s3://${Bucket}/${KEY} was listed but is gone`);
    });

    it('propagates other errors', async () => {
      s3.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));

      await expect(ledger().get(KEY)).rejects.toThrow('AccessDenied');
    });
  });

  describe('groups and keys', () => {
    it('lists the groups as the common prefixes under ledger/, every page', async () => {
      s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
        .resolves({ CommonPrefixes: [{ Prefix: 'ledger/credit-risk-retail/' }, {}], IsTruncated: true, NextContinuationToken: 't1' })
        .on(ListObjectsV2Command, { ContinuationToken: 't1' })
        .resolves({ CommonPrefixes: [{ Prefix: 'ledger/credit-card-acme/' }], IsTruncated: false });

      await expect(ledger().groups()).resolves.toEqual(['credit-card-acme', 'credit-risk-retail']);
      expect(s3).toHaveReceivedNthCommandWith(1, ListObjectsV2Command, { Bucket, Prefix: 'ledger/', Delimiter: '/' });
    });

    it("lists every key under the group's prefix, every page, in key order", async () => {
      s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
        .resolves({ Contents: [{ Key: 'ledger/g/000000000001.json' }, {}], IsTruncated: true, NextContinuationToken: 't1' })
        .on(ListObjectsV2Command, { ContinuationToken: 't1' })
        .resolves({ Contents: [{ Key: 'ledger/g/000000000000.json' }] });

      await expect(ledger().keys('g')).resolves.toEqual(['ledger/g/000000000000.json', 'ledger/g/000000000001.json']);
      expect(s3).toHaveReceivedNthCommandWith(1, ListObjectsV2Command, { Bucket, Prefix: 'ledger/g/' });
      expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    });

    it('names its source for messages', () => {
      expect(ledger().source).toBe(`s3://${Bucket}/ledger/`);
    });
  });
});
