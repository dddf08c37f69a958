/**
 * A built bundle runs as Lambda would run it: credentials from the environment (the build swaps the SDK's provider
 * chain for that), requests signed and sent. Here the model-package function rejects a malformed event, which
 * needs DynamoDB (record it) and EventBridge (announce it); a loopback fake answers both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../../scripts/build';

describe('Contract: a built function bundle', () => {
  let server: Server;
  let outRoot: string;
  const seen: { target?: string; authorization?: string }[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    outRoot = mkdtempSync(join(tmpdir(), 'creditai-bundle-'));
    await bundle('model-package', outRoot);
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const target = req.headers['x-amz-target'] as string | undefined;
        seen.push({ target, authorization: req.headers.authorization });
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(target?.startsWith('AWSEvents') ? '{"FailedEntryCount":0,"Entries":[{"EventId":"e1"}]}' : '{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_SESSION_TOKEN: 'session',
      STATE_TABLE: 'creditai-mlops-state',
      EXPECTED_ACCOUNT_ID: '111122223333',
      RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/creditai-mlops-reconcile.fifo',
    });
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
    rmSync(outRoot, { recursive: true, force: true });
  });

  it('signs with the environment credentials and records and announces a malformed event', async () => {
    // Act
    const { handler } = require(join(outRoot, 'model-package', 'index.js')) as { handler: (e: unknown, c: unknown) => Promise<{ outcome: string }> };
    const outcome = await handler({ id: 'bad-1', source: 'aws.sagemaker', 'detail-type': 'SageMaker Model Package State Change', detail: {} }, { functionName: 'model-package', awsRequestId: 'r1' });

    // Assess
    expect(outcome.outcome).toBe('rejected');
    expect(seen.map((s) => s.target)).toEqual(['DynamoDB_20120810.PutItem', 'AWSEvents.PutEvents']);
    for (const s of seen) expect(s.authorization).toContain('Credential=AKIDBUNDLETEST/');
  });
});
