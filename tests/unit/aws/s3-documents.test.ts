import { createHash } from 'node:crypto';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeS3Documents, parseS3Uri } from '../../../shared/aws/s3-documents';
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
const body = (text: string) => ({ transformToByteArray: async () => new TextEncoder().encode(text) }) as never;
const documents = () => makeS3Documents(new S3Client({}));

describe('Function: makeS3Documents', () => {
  it('reads and parses a JSON object', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{"auc":0.87,"ks":0.41}') });
    await expect(documents().readJson('s3://creditai-reports/credit-card-acme/7/evaluation.json')).resolves.toEqual({ auc: 0.87, ks: 0.41 });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'creditai-reports', Key: 'credit-card-acme/7/evaluation.json' });
  });

  it('returns the SHA-256 of the exact bytes read with the parsed document', async () => {
    // Two spellings of the same JSON: equal values, different bytes, different evidence hashes.
    const texts = ['{"auc":0.87}', '{ "auc": 0.870 }'];
    for (const text of texts) {
      s3.on(GetObjectCommand).resolves({ Body: body(text) });
      const read = await documents().readJsonWithHash('s3://creditai-reports/credit-card-acme/7/evaluation.json');
      expect(read).toEqual({ value: { auc: 0.87 }, sha256: createHash('sha256').update(text, 'utf8').digest('hex') });
    }
    // Not JSON: refused even though its bytes could be hashed.
    s3.on(GetObjectCommand).resolves({ Body: body('abc') });
    await expect(documents().readJsonWithHash('s3://b/abc.json')).rejects.toBeInstanceOf(TerminalError);
  });

  it('hashes bytes, not text: SHA-256("[]") is the published value', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('[]') });
    const read = await documents().readJsonWithHash('s3://b/empty-list.json');
    expect(read.sha256).toBe('4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945');
  });

  it('turns a missing object into a TerminalError naming the URI', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ $metadata: {}, message: 'The specified key does not exist.' }));
    const error = await documents().readJson('s3://creditai-reports/missing.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).toContain('s3://creditai-reports/missing.json');
  });

  it('turns invalid JSON into a TerminalError naming the URI', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{"auc": 0.87,') });
    const error = await documents().readJson('s3://creditai-reports/broken.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).toBe('The object at s3://creditai-reports/broken.json is not valid JSON');
  });

  it('turns an empty response into a TerminalError', async () => {
    s3.on(GetObjectCommand).resolves({});
    await expect(documents().readJson('s3://creditai-reports/empty.json')).rejects.toBeInstanceOf(TerminalError);
  });

  it('propagates other errors (AccessDenied is classified by the handler)', async () => {
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'Access Denied' }));
    await expect(documents().readJson('s3://creditai-reports/x.json')).rejects.toThrow('Access Denied');
  });

  it('refuses what is not an s3://bucket/key URI without calling S3', async () => {
    await expect(documents().readJson('https://example.com/x.json')).rejects.toBeInstanceOf(TerminalError);
    await expect(documents().readJson('s3://bucket-only/')).rejects.toBeInstanceOf(TerminalError);
    expect(s3.calls()).toHaveLength(0);
  });

  it('writes a JSON document, replacing what is there', async () => {
    s3.on(PutObjectCommand).resolves({});
    const report = { group: 'credit-card-acme', version: 7, features: [{ feature: 'annual_income', distance: 0.26 }] };
    await documents().writeJson('s3://creditai-artifacts/drift/credit-card-acme/v7/2026-11-28T10-00-00-000Z/report.json', report);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'creditai-artifacts',
      Key: 'drift/credit-card-acme/v7/2026-11-28T10-00-00-000Z/report.json',
      ContentType: 'application/json',
    });
    const body = s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body as string;
    expect(JSON.parse(body)).toEqual(report);
  });

  it('refuses to write to what is not an s3://bucket/key URI, and propagates S3 errors', async () => {
    await expect(documents().writeJson('s3://bucket-only/', {})).rejects.toBeInstanceOf(TerminalError);
    expect(s3.calls()).toHaveLength(0);
    s3.on(PutObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'Access Denied' }));
    await expect(documents().writeJson('s3://b/k.json', {})).rejects.toThrow('Access Denied');
  });

  it('parses nested keys', () => {
    expect(parseS3Uri('s3://b/a/b/c.json')).toEqual({ bucket: 'b', key: 'a/b/c.json' });
  });
});
