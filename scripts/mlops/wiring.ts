/**
 * The CLI's one construction site: builds the AWS adapters (and the Lambda client `replay` needs) from the global
 * options, and turns the environment's usual failures (no credentials, no region, a missing table, queue or
 * function, a refused permission) into one-line `CliEnvironmentError`s the entry prints with exit code 1.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createClients, type AwsClients } from '../../shared/aws/clients';
import { makeDynamoDbExperimentLooks } from '../../shared/aws/dynamodb-experiment-looks';
import { makeDynamoDbStateStore } from '../../shared/aws/dynamodb-state-store';
import { makeS3Documents } from '../../shared/aws/s3-documents';
import { makeS3Ledger } from '../../shared/aws/s3-ledger-store';
import { makeSageMakerModelCards } from '../../shared/aws/sagemaker-model-card';
import { makeSageMakerRegistry } from '../../shared/aws/sagemaker-registry';
import { makeSqsReconcileQueue } from '../../shared/aws/sqs-reconcile-queue';
import type { Clock } from '../../shared/reconcile/ports';
import type { ApprovalDeps } from './commands/approval';
import type { LedgerReader } from '../../shared/governance/ledger-ports';
import modelInput from '../../pipeline/steps/config.json';
import type { AuditDossierDeps } from './commands/audit-dossier';
import type { AuditVerifyDeps } from './commands/audit-verify';
import type { ExplainDeps } from './commands/explain';
import { loadEventCatalogue, type ReplayDeps } from './commands/replay';
import type { ChallengeDeps } from './commands/challenge';
import type { RollbackDeps } from './commands/rollback';
import type { StatusDeps } from './commands/status';
import { makeDirectoryLedger } from './ledger-directory';
import { makeExplainerLocator } from './package-metadata';

/** The state table when neither `--table` nor CREDITAI_STATE_TABLE names one. */
export const DEFAULT_TABLE = 'creditai-mlops-state';

/** `events/` of this repository: the catalogue and rule patterns `replay` routes by. */
export const EVENTS_DIR = resolve(__dirname, '../../events');

/** The global options, after defaults from the environment. */
export interface GlobalOptions {
  region?: string;
  table: string;
  queueUrl?: string;
}

/** An environment problem an operator can fix, said in one line; the CLI prints it and exits with 1. */
export class CliEnvironmentError extends Error {
  override readonly name = 'CliEnvironmentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Which AWS resource a port talks to, to name it in an error. */
export interface ErrorContext {
  service: 'dynamodb' | 'sagemaker' | 'sqs' | 'lambda' | 's3';
  /** For messages; the SDK may still resolve a region from the profile when this is undefined. */
  region?: string;
  table?: string;
  queueUrl?: string;
  functionName?: string;
  bucket?: string;
}

const INVALID_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied']);
const QUEUE_MISSING = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);
const UNREACHABLE = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

/**
 * The one-line explanation of an AWS SDK error an operator can act on, read from the error's name (SDK v3 names
 * every service exception; `instanceof` is not used, see shared/aws/aws-errors.ts); undefined for anything else.
 */
export function explainAwsError(error: unknown, context: ErrorContext): string | undefined {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; message?: string; code?: string };
  const name = e.name ?? '';
  const message = e.message ?? '';
  const where = context.region ?? 'the configured region';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'No AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run `aws sso login`).';
  }
  if (/Region is missing/i.test(message)) return 'No AWS region: pass --region or set AWS_REGION.';
  if (INVALID_CREDENTIALS.has(name)) {
    return `AWS rejected the credentials (${name}): they are invalid or expired. Refresh them (e.g. \`aws sso login\`) or check AWS_PROFILE.`;
  }
  if (ACCESS_DENIED.has(name)) {
    return `Access denied by ${context.service} in ${where}: ${message || name}. Use a role with the mlops operator permissions.`;
  }
  if (name === 'ResourceNotFoundException' && context.service === 'dynamodb') {
    return `Table ${context.table ?? '?'} not found in ${where}: pass --table or deploy the control plane.`;
  }
  if (name === 'ResourceNotFoundException' && context.service === 'lambda') {
    return `Function ${context.functionName ?? '?'} not found in ${where}: pass --function-name or deploy the control plane.`;
  }
  if (name === 'NoSuchBucket') return `Bucket ${context.bucket ?? '?'} not found: pass the audit bucket's name (terraform output audit_bucket_name).`;
  if (QUEUE_MISSING.has(name)) return `Queue ${context.queueUrl ?? '?'} not found: pass --queue-url or deploy the control plane.`;
  if (context.service === 'sagemaker' && (name === 'ResourceNotFound' || name === 'ValidationException')) {
    return `SageMaker refused the request in ${where} (${name}): ${message}`;
  }
  if (UNREACHABLE.has(name) || UNREACHABLE.has(e.code ?? '')) return `Cannot reach AWS ${context.service} in ${where}: ${message || name}.`;
  return undefined;
}

/**
 * Wraps every method of a port so an error {@link explainAwsError} recognises becomes a CliEnvironmentError
 * (its cause kept); other errors pass through unchanged.
 */
export function guard<T extends object>(port: T, context: ErrorContext | (() => ErrorContext)): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          const explained = explainAwsError(error, typeof context === 'function' ? context() : context);
          throw explained ? new CliEnvironmentError(explained, { cause: error }) : error;
        }
      };
    },
  });
}

/** The global options with their defaults from the environment (CREDITAI_STATE_TABLE, CREDITAI_RECONCILE_QUEUE_URL, AWS_REGION). */
export function resolveOptions(
  options: { region?: string; table?: string; queueUrl?: string },
  env: NodeJS.ProcessEnv = process.env,
): GlobalOptions {
  return {
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    table: options.table ?? env.CREDITAI_STATE_TABLE ?? DEFAULT_TABLE,
    queueUrl: options.queueUrl ?? env.CREDITAI_RECONCILE_QUEUE_URL,
  };
}

/**
 * Who the operator is, for the rollback request: `--as`, else CREDITAI_OPERATOR, else the OS user name.
 * (STS GetCallerIdentity is not among the dependencies. Approvals do not use this: CloudTrail records the real
 * principal of every UpdateModelPackage call.)
 */
export function operatorIdentity(as: string | undefined, env: NodeJS.ProcessEnv = process.env, osUser: () => string = () => userInfo().username): string {
  const named = as?.trim() || env.CREDITAI_OPERATOR?.trim();
  if (named) return named;
  try {
    return osUser();
  } catch {
    return 'unknown-operator';
  }
}

/** The wall clock, as the Clock port. */
export const systemClock: Clock = { now: () => new Date().toISOString() };

/** Per-command dependency builders; each builds only the clients its command uses. */
export interface Wiring {
  status(): StatusDeps;
  approval(): ApprovalDeps;
  /** With `dryRun`, no queue URL is needed and the queue refuses to send. */
  rollback(options?: { dryRun?: boolean }): RollbackDeps;
  /** Needs the queue URL, like a rollback. */
  challenge(): ChallengeDeps;
  replay(): ReplayDeps;
  /** The audit ledger from a directory (`from`) or the audit bucket (`bucket`): exactly one of them. */
  ledger(source: { from?: string; bucket?: string }): AuditVerifyDeps;
  /** The ledger as `ledger()` reads it; the registry only with `bucket` (a directory copy is read offline). */
  dossier(source: { from?: string; bucket?: string }): AuditDossierDeps;
  explain(): ExplainDeps;
}

/** Client builders to use instead of the real ones (tests pass clients whose `send` is scripted). */
export interface ClientFactories {
  clients?: () => AwsClients;
  lambda?: () => Pick<LambdaClient, 'send'>;
}

/**
 * Builds the CLI's dependencies over AWS from the resolved global options. Clients are built on first use.
 *
 * @throws CliEnvironmentError from `rollback()` (not a dry run) when no queue URL is configured.
 */
export function makeWiring(options: GlobalOptions, factories: ClientFactories = {}): Wiring {
  let clients: AwsClients | undefined;
  const aws = (): AwsClients => (clients ??= factories.clients?.() ?? createClients(options.region ? { region: options.region } : {}));
  const region = options.region;
  const ledgerReader = (from: string | undefined, bucket: string | undefined): LedgerReader => {
    if ((from === undefined) === (bucket === undefined)) {
      throw new CliEnvironmentError('Pass either --from <dir> (a copy of the ledger) or --bucket <name> (the audit bucket), one of them.');
    }
    if (from !== undefined) {
      try {
        return makeDirectoryLedger(from);
      } catch (error) {
        throw new CliEnvironmentError((error as Error).message, { cause: error });
      }
    }
    return guard(makeS3Ledger(aws().s3, { bucket: bucket! }), { service: 's3', region, bucket });
  };
  const stateStore = () => guard(makeDynamoDbStateStore(aws().dynamoDb, { tableName: options.table }), { service: 'dynamodb', region, table: options.table });
  return {
    status: () => ({
      state: stateStore(),
      // The judge's last look of a running experiment (GetItem on the state table).
      looks: guard(makeDynamoDbExperimentLooks(aws().dynamoDb, { tableName: options.table }), { service: 'dynamodb', region, table: options.table }),
      clock: systemClock,
    }),
    approval: () => ({ registry: guard(makeSageMakerRegistry(aws().sagemaker), { service: 'sagemaker', region }) }),
    rollback: ({ dryRun = false } = {}) => {
      const queueUrl = options.queueUrl;
      if (dryRun) {
        const refuse = async (): Promise<never> => {
          throw new Error('Dry run: no reconcile request is sent');
        };
        return { state: stateStore(), queue: { request: refuse }, clock: systemClock };
      }
      if (!queueUrl) {
        throw new CliEnvironmentError('No reconcile queue URL: pass --queue-url or set CREDITAI_RECONCILE_QUEUE_URL (the control plane\'s reconcile FIFO queue).');
      }
      return {
        state: stateStore(),
        queue: guard(makeSqsReconcileQueue(aws().sqs, { queueUrl }), { service: 'sqs', region, queueUrl }),
        clock: systemClock,
      };
    },
    challenge: () => {
      if (!options.queueUrl) {
        throw new CliEnvironmentError('No reconcile queue URL: pass --queue-url or set CREDITAI_RECONCILE_QUEUE_URL (the control plane\'s reconcile FIFO queue).');
      }
      return { state: stateStore(), queue: guard(makeSqsReconcileQueue(aws().sqs, { queueUrl: options.queueUrl }), { service: 'sqs', region, queueUrl: options.queueUrl }), clock: systemClock };
    },
    ledger: ({ from, bucket }) => ({ ledger: ledgerReader(from, bucket) }),
    dossier: ({ from, bucket }) => ({
      ledger: ledgerReader(from, bucket),
      // Offline (a directory copy): the dossier is built from the ledger alone, no AWS call is made.
      ...(bucket !== undefined ? { registry: guard(makeSageMakerRegistry(aws().sagemaker), { service: 'sagemaker', region }) } : {}),
      modelCards: () => makeSageMakerModelCards(aws().sagemaker),
      writeFile: (path, text) => writeFile(path, text, 'utf8'),
      clock: systemClock,
      modelInput: { label: modelInput.label, protectedAttribute: modelInput.protected_attribute },
    }),
    explain: () => {
      const locate = () => guard({ explainerUri: makeExplainerLocator(aws().sagemaker) }, { service: 'sagemaker', region });
      const documents = () => guard(makeS3Documents(aws().s3), { service: 's3', region });
      return {
        readText: (path) => readFile(path, 'utf8'),
        explainerUri: (arn) => locate().explainerUri(arn),
        readJson: (uri) => documents().readJson(uri),
        protectedAttributes: [modelInput.protected_attribute],
      };
    },
    replay: () => {
      // Built on first invoke: a dry run needs no client.
      let lambda: Pick<LambdaClient, 'send'> | undefined;
      let functionName: string | undefined;
      const invoker = {
        async invoke(name: string, payload: string) {
          functionName = name;
          lambda ??= factories.lambda?.() ?? new LambdaClient(region ? { region } : {});
          const out = await lambda.send(
            new InvokeCommand({ FunctionName: name, InvocationType: 'RequestResponse', LogType: 'Tail', Payload: new TextEncoder().encode(payload) }),
          );
          return {
            statusCode: out.StatusCode,
            functionError: out.FunctionError,
            payload: out.Payload ? new TextDecoder().decode(out.Payload) : undefined,
            logTail: out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : undefined,
          };
        },
      };
      const guarded = guard(invoker, () => ({ service: 'lambda', region, functionName }));
      return {
        readText: (path) => readFile(path, 'utf8'),
        catalogue: loadEventCatalogue(EVENTS_DIR),
        invoke: (name, payload) => guarded.invoke(name, payload),
      };
    },
  };
}
