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

/**
 * Builds the client set. Each client is constructed on first access and memoised, so a function that never
 * touches S3 never pays for an S3 client.
 * @example
 * const clients = createClients({ region: config.region });
 * const registry = makeSageMakerRegistry(clients.sagemaker);
 */
export function createClients(config: ClientsConfig = {}): AwsClients {
  const options = config.region ? { region: config.region } : {};
  const cache = new Map<keyof AwsClients, unknown>();
  const lazy = <K extends keyof AwsClients>(key: K, build: () => AwsClients[K]) => ({
    enumerable: true,
    get(): AwsClients[K] {
      if (!cache.has(key)) cache.set(key, build());
      return cache.get(key) as AwsClients[K];
    },
  });
  return Object.defineProperties({} as AwsClients, {
    sagemaker: lazy('sagemaker', () => new SageMakerClient(options)),
    sagemakerRuntime: lazy('sagemakerRuntime', () => new SageMakerRuntimeClient(options)),
    eventBridge: lazy('eventBridge', () => new EventBridgeClient(options)),
    sns: lazy('sns', () => new SNSClient(options)),
    s3: lazy('s3', () => new S3Client(options)),
    cloudWatch: lazy('cloudWatch', () => new CloudWatchClient(options)),
    dynamoDb: lazy('dynamoDb', () =>
      DynamoDBDocumentClient.from(new DynamoDBClient(options), { marshallOptions: { removeUndefinedValues: true } }),
    ),
    sqs: lazy('sqs', () => new SQSClient(options)),
    ssm: lazy('ssm', () => new SSMClient(options)),
    secretsManager: lazy('secretsManager', () => new SecretsManagerClient(options)),
  });
}
