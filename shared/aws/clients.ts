/**
 * The one place AWS SDK clients are built. Handlers call `createClients` once at module scope (cold start) and
 * hand the clients to the adapters' `make*` factories, so connections are reused across invocations and tests
 * inject mocked clients instead of mocking modules.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Settings shared by every client; values come from the handler's config, never from `process.env` here. */
export interface ClientsConfig {
  /** AWS region; the SDK's default provider chain (AWS_REGION in Lambda) when absent. */
  region?: string;
}

/** Bare SDK v3 clients (no aggregated service classes: those defeat tree-shaking), each built on first use. */
export interface AwsClients {
  readonly sagemaker: SageMakerClient;
  readonly sagemakerRuntime: SageMakerRuntimeClient;
  readonly eventBridge: EventBridgeClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly cloudWatch: CloudWatchClient;
  /** DocumentClient over DynamoDB; undefined members are dropped when marshalling (optional status fields). */
  readonly dynamoDb: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly ssm: SSMClient;
  readonly secretsManager: SecretsManagerClient;
}

const built = new Map<string, unknown>();

/** Builds a client once per process and region: connections are reused across invocations. */
function memo<T>(name: string, config: ClientsConfig, build: (options: { region?: string }) => T): T {
  const key = `${name}@${config.region ?? ''}`;
  if (!built.has(key)) built.set(key, build(config.region ? { region: config.region } : {}));
  return built.get(key) as T;
}

// One function per client, so a bundle holds only the clients its function uses (the SDK tree-shakes per client).
export const sageMakerClient = (c: ClientsConfig = {}) => memo('sagemaker', c, (o) => new SageMakerClient(o));
export const sageMakerRuntimeClient = (c: ClientsConfig = {}) => memo('sagemaker-runtime', c, (o) => new SageMakerRuntimeClient(o));
export const eventBridgeClient = (c: ClientsConfig = {}) => memo('eventbridge', c, (o) => new EventBridgeClient(o));
export const snsClient = (c: ClientsConfig = {}) => memo('sns', c, (o) => new SNSClient(o));
export const s3Client = (c: ClientsConfig = {}) => memo('s3', c, (o) => new S3Client(o));
export const cloudWatchClient = (c: ClientsConfig = {}) => memo('cloudwatch', c, (o) => new CloudWatchClient(o));
export const dynamoDbDocumentClient = (c: ClientsConfig = {}) =>
  memo('dynamodb', c, (o) => DynamoDBDocumentClient.from(new DynamoDBClient(o), { marshallOptions: { removeUndefinedValues: true } }));
export const sqsClient = (c: ClientsConfig = {}) => memo('sqs', c, (o) => new SQSClient(o));
export const ssmClient = (c: ClientsConfig = {}) => memo('ssm', c, (o) => new SSMClient(o));
export const secretsManagerClient = (c: ClientsConfig = {}) => memo('secretsmanager', c, (o) => new SecretsManagerClient(o));

/**
 * Every client at once, each built on first access (the CLI uses this; Lambda wiring calls the per-client
 * functions above so its bundles stay small).
 * @example
 * const clients = createClients({ region: 'eu-west-1' });
 * const registry = makeSageMakerRegistry(clients.sagemaker);
 */
export function createClients(config: ClientsConfig = {}): AwsClients {
  const lazy = <K extends keyof AwsClients>(build: () => AwsClients[K]) => ({ enumerable: true, get: build });
  return Object.defineProperties({} as AwsClients, {
    sagemaker: lazy(() => sageMakerClient(config)),
    sagemakerRuntime: lazy(() => sageMakerRuntimeClient(config)),
    eventBridge: lazy(() => eventBridgeClient(config)),
    sns: lazy(() => snsClient(config)),
    s3: lazy(() => s3Client(config)),
    cloudWatch: lazy(() => cloudWatchClient(config)),
    dynamoDb: lazy(() => dynamoDbDocumentClient(config)),
    sqs: lazy(() => sqsClient(config)),
    ssm: lazy(() => ssmClient(config)),
    secretsManager: lazy(() => secretsManagerClient(config)),
  });
}
