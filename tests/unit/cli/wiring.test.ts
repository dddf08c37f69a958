/**
 * The CLI's wiring: options and identity from the environment, and the translation of SDK errors into one-line
 * environment errors (exit 1) instead of stack traces.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsClients } from '../../../shared/aws/clients';
import {
  CliEnvironmentError,
  explainAwsError,
  guard,
  makeWiring,
  operatorIdentity,
  resolveOptions,
  type ErrorContext,
} from '../../../scripts/mlops/wiring';

/** An error shaped as SDK v3 throws it: a name and a message. */
const sdkError = (name: string, message = `${name} message`) => Object.assign(new Error(message), { name });

const DYNAMO: ErrorContext = { service: 'dynamodb', region: 'eu-west-1', table: 'creditai-mlops-state' };

/** A client whose every `send` fails with `error`. */
const failing = (error: Error) => ({ send: async () => Promise.reject(error) });

/** Clients for makeWiring whose DynamoDB, SQS and SageMaker sends all fail with `error`. */
const failingClients = (error: Error) => () => ({ dynamoDb: failing(error), sqs: failing(error), sagemaker: failing(error), s3: failing(error) }) as unknown as AwsClients;

describe('Function: explainAwsError', () => {
  it.each<[string, Error, ErrorContext, string | RegExp]>([
    [
      'missing credentials',
      sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
      DYNAMO,
      'No AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run `aws sso login`).',
    ],
    ['missing table', sdkError('ResourceNotFoundException', 'Requested resource not found'), DYNAMO, 'Table creditai-mlops-state not found in eu-west-1: pass --table or deploy the control plane.'],
    [
      'missing function',
      sdkError('ResourceNotFoundException', 'Function not found'),
      { service: 'lambda', region: 'eu-west-1', functionName: 'creditai-mlops-alarm' },
      'Function creditai-mlops-alarm not found in eu-west-1: pass --function-name or deploy the control plane.',
    ],
    [
      'missing queue',
      sdkError('QueueDoesNotExist'),
      { service: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q.fifo' },
      'Queue https://sqs.eu-west-1.amazonaws.com/1/q.fifo not found: pass --queue-url or deploy the control plane.',
    ],
    ['unrecognised credentials', sdkError('UnrecognizedClientException'), DYNAMO, /^AWS rejected the credentials \(UnrecognizedClientException\): they are invalid or expired/],
    ['expired token', sdkError('ExpiredTokenException'), DYNAMO, /^AWS rejected the credentials \(ExpiredTokenException\)/],
    [
      'access denied',
      sdkError('AccessDeniedException', 'User: arn:aws:iam::1:user/bob is not authorized to perform: dynamodb:Query'),
      DYNAMO,
      'Access denied by dynamodb in eu-west-1: User: arn:aws:iam::1:user/bob is not authorized to perform: dynamodb:Query. Use a role with the mlops operator permissions.',
    ],
    ['missing region', new Error('Region is missing'), { service: 'dynamodb' }, 'No AWS region: pass --region or set AWS_REGION.'],
    [
      'an unknown package',
      sdkError('ValidationException', 'ModelPackage arn:… does not exist.'),
      { service: 'sagemaker', region: 'eu-west-1' },
      'SageMaker refused the request in eu-west-1 (ValidationException): ModelPackage arn:… does not exist.',
    ],
    ['no network', Object.assign(new Error('getaddrinfo ENOTFOUND dynamodb.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }), DYNAMO, /^Cannot reach AWS dynamodb in eu-west-1: getaddrinfo/],
  ])('explains %s in one line', (_case, error, context, expected) => {
    const message = explainAwsError(error, context);

    expect(message).toEqual(typeof expected === 'string' ? expected : expect.stringMatching(expected));
    expect(message).not.toContain('\n');
  });

  it('leaves anything else to the caller', () => {
    expect(explainAwsError(sdkError('ThrottlingException'), DYNAMO)).toBeUndefined();
    expect(explainAwsError('a string', DYNAMO)).toBeUndefined();
    expect(explainAwsError(sdkError('ResourceNotFoundException'), { service: 'sqs' })).toBeUndefined();
  });
});

describe('Function: guard', () => {
  it('turns a recognised error into a CliEnvironmentError that keeps the cause', async () => {
    const cause = sdkError('ResourceNotFoundException');
    const port = guard({ load: async () => Promise.reject(cause) }, DYNAMO);

    const error = await port.load().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CliEnvironmentError);
    expect((error as Error).message).toBe('Table creditai-mlops-state not found in eu-west-1: pass --table or deploy the control plane.');
    expect((error as Error).cause).toBe(cause);
  });

  it('passes results and unrecognised errors through unchanged', async () => {
    const other = sdkError('ThrottlingException');
    const port = guard({ ok: async (x: number) => x + 1, bad: async () => Promise.reject(other) }, DYNAMO);

    await expect(port.ok(1)).resolves.toBe(2);
    await expect(port.bad()).rejects.toBe(other);
  });
});

describe('Function: makeWiring', () => {
  const options = { region: 'eu-west-1', table: 'creditai-mlops-state', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/creditai-mlops-reconcile.fifo' };

  it('reports a missing table through the real state store adapter', async () => {
    const wiring = makeWiring(options, { clients: failingClients(sdkError('ResourceNotFoundException', 'Requested resource not found')) });

    const error = await wiring.status().state.listGroups().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CliEnvironmentError);
    expect((error as Error).message).toBe('Table creditai-mlops-state not found in eu-west-1: pass --table or deploy the control plane.');
  });

  it('reports missing credentials through the real registry adapter', async () => {
    const wiring = makeWiring(options, { clients: failingClients(sdkError('CredentialsProviderError', 'Could not load credentials from any providers')) });

    await expect(wiring.approval().registry.describePackage('arn')).rejects.toBeInstanceOf(CliEnvironmentError);
  });

  it('reports a missing queue through the real queue adapter', async () => {
    const wiring = makeWiring(options, { clients: failingClients(sdkError('AWS.SimpleQueueService.NonExistentQueue')) });
    const request = { modelGroup: 'g', reason: 'r', trigger: { source: 's', detailType: 'd', eventId: 'e', time: 't' } };

    await expect(wiring.rollback().queue.request(request)).rejects.toThrow(`Queue ${options.queueUrl} not found`);
  });

  it('refuses to build rollback dependencies without a queue URL, before anything is written', () => {
    const wiring = makeWiring({ ...options, queueUrl: undefined }, { clients: failingClients(new Error('unused')) });

    expect(() => wiring.rollback()).toThrow(CliEnvironmentError);
    expect(() => wiring.rollback()).toThrow(/No reconcile queue URL: pass --queue-url or set CREDITAI_RECONCILE_QUEUE_URL/);
    expect(() => wiring.rollback({ dryRun: true })).not.toThrow();
  });

  it('refuses to build challenge dependencies without a queue URL, and builds them with one', () => {
    expect(() => makeWiring({ ...options, queueUrl: undefined }, { clients: failingClients(new Error('unused')) }).challenge()).toThrow(/No reconcile queue URL/);
    expect(Object.keys(makeWiring(options, { clients: failingClients(new Error('unused')) }).challenge()).sort()).toEqual(['clock', 'queue', 'state']);
  });

  it('invokes Lambda synchronously with the event and decodes the answer; a missing function is one line', async () => {
    const sent: unknown[] = [];
    const lambda = {
      send: async (command: { input: unknown }) => {
        sent.push(command.input);
        return { StatusCode: 200, Payload: new TextEncoder().encode('{"ok":true}'), LogResult: Buffer.from('START\n').toString('base64') };
      },
    };
    const ok = makeWiring(options, { lambda: () => lambda as never }).replay();
    const missing = makeWiring(options, { lambda: () => failing(sdkError('ResourceNotFoundException')) as never }).replay();

    const result = await ok.invoke('creditai-mlops-alarm', '{"id":"1"}');

    expect(result).toEqual({ statusCode: 200, functionError: undefined, payload: '{"ok":true}', logTail: 'START\n' });
    expect(sent).toEqual([
      { FunctionName: 'creditai-mlops-alarm', InvocationType: 'RequestResponse', LogType: 'Tail', Payload: new TextEncoder().encode('{"id":"1"}') },
    ]);
    await expect(missing.invoke('creditai-mlops-x', '{}')).rejects.toThrow(
      'Function creditai-mlops-x not found in eu-west-1: pass --function-name or deploy the control plane.',
    );
    expect(ok.catalogue.routes.map((r) => r.rule)).toContain('model-package-state');
  });

  it('reads the audit ledger from exactly one source: --from or --bucket', () => {
    const wiring = makeWiring(options, { clients: failingClients(new Error('unused')) });

    expect(() => wiring.ledger({})).toThrow(/^Pass either --from <dir> \(a copy of the ledger\) or --bucket <name>/);
    expect(() => wiring.ledger({ from: '.', bucket: 'b' })).toThrow(CliEnvironmentError);
    expect(() => wiring.ledger({ from: '/nonexistent-creditai' })).toThrow(CliEnvironmentError);
    expect(wiring.ledger({ bucket: 'creditai-audit' }).ledger.source).toBe('s3://creditai-audit/ledger/');
  });

  it('builds the dossier offline from a directory (no registry) and online from the bucket (with the registry)', () => {
    const wiring = makeWiring(options, { clients: failingClients(new Error('unused')) });

    const copy = mkdtempSync(join(tmpdir(), 'creditai-dossier-'));
    mkdirSync(join(copy, 'ledger'));

    const offline = wiring.dossier({ from: copy });
    const online = wiring.dossier({ bucket: 'creditai-audit' });

    expect(offline.registry).toBeUndefined();
    expect(online.registry).toBeDefined();
    expect(online.ledger.source).toBe('s3://creditai-audit/ledger/');
    expect(offline.modelInput).toEqual({ label: 'default_90d', protectedAttribute: 'age_group' });
    expect(() => wiring.dossier({})).toThrow(CliEnvironmentError);
    rmSync(copy, { recursive: true });
  });

  it('names a refused explainer lookup in one line, and protects the pipeline\'s protected attribute', async () => {
    const wiring = makeWiring(options, { clients: failingClients(sdkError('AccessDeniedException', 'not authorized to perform: sagemaker:DescribeModelPackage')) });
    const deps = wiring.explain();

    await expect(deps.explainerUri('arn:aws:sagemaker:eu-west-1:111122223333:model-package/g/1')).rejects.toThrow(
      'Access denied by sagemaker in eu-west-1: not authorized to perform: sagemaker:DescribeModelPackage. Use a role with the mlops operator permissions.',
    );
    expect(deps.protectedAttributes).toEqual(['age_group']);
  });

  it('reports a missing audit bucket through the real S3 adapter', async () => {
    const wiring = makeWiring(options, { clients: failingClients(sdkError('NoSuchBucket', 'The specified bucket does not exist')) });

    await expect(wiring.ledger({ bucket: 'creditai-audit' }).ledger.groups()).rejects.toThrow(
      'Bucket creditai-audit not found: pass the audit bucket\'s name (terraform output audit_bucket_name).',
    );
  });
});

describe('Function: resolveOptions', () => {
  it('takes flags first, then the environment, then the defaults', () => {
    expect(resolveOptions({}, {})).toEqual({ region: undefined, table: 'creditai-mlops-state', queueUrl: undefined });
    expect(resolveOptions({}, { AWS_DEFAULT_REGION: 'us-east-1', CREDITAI_STATE_TABLE: 't-env', CREDITAI_RECONCILE_QUEUE_URL: 'q-env' })).toEqual({
      region: 'us-east-1',
      table: 't-env',
      queueUrl: 'q-env',
    });
    expect(resolveOptions({ region: 'eu-west-1', table: 't', queueUrl: 'q' }, { AWS_REGION: 'us-east-1', CREDITAI_STATE_TABLE: 't-env' })).toEqual({
      region: 'eu-west-1',
      table: 't',
      queueUrl: 'q',
    });
  });
});

describe('Function: operatorIdentity', () => {
  it('takes --as, then CREDITAI_OPERATOR, then the OS user name', () => {
    expect(operatorIdentity('arn:aws:iam::1:user/alice', { CREDITAI_OPERATOR: 'bob' }, () => 'carol')).toBe('arn:aws:iam::1:user/alice');
    expect(operatorIdentity(undefined, { CREDITAI_OPERATOR: 'bob' }, () => 'carol')).toBe('bob');
    expect(operatorIdentity('  ', {}, () => 'carol')).toBe('carol');
  });

  it('falls back to a placeholder when the OS has no user name', () => {
    expect(
      operatorIdentity(undefined, {}, () => {
        throw new Error('no passwd entry');
      }),
    ).toBe('unknown-operator');
  });
});
