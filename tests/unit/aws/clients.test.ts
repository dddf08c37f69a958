import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createClients, s3Client, sageMakerClient } from '../../../shared/aws/clients';

describe('Function: createClients', () => {
  it('builds each client once, on first use', () => {
    const clients = createClients({ region: 'eu-central-1' });
    const first = clients.sagemaker;
    expect(first).toBeInstanceOf(SageMakerClient);
    expect(clients.sagemaker).toBe(first);
    expect(clients.dynamoDb).toBe(clients.dynamoDb);
  });

  it('shares one client per service and region across the process', () => {
    expect(createClients({ region: 'eu-west-1' }).sns).toBe(createClients({ region: 'eu-west-1' }).sns);
    expect(createClients({ region: 'eu-west-1' }).sagemaker).toBe(sageMakerClient({ region: 'eu-west-1' }));
    expect(createClients({ region: 'eu-west-1' }).sns).not.toBe(createClients({ region: 'us-east-1' }).sns);
  });

  it('uses the configured region', async () => {
    const clients = createClients({ region: 'eu-central-1' });
    await expect(clients.s3.config.region()).resolves.toBe('eu-central-1');
    await expect(clients.sqs.config.region()).resolves.toBe('eu-central-1');
    await expect(s3Client({ region: 'ap-south-1' }).config.region()).resolves.toBe('ap-south-1');
  });

  it('builds a DocumentClient that drops undefined values', () => {
    const { dynamoDb } = createClients();
    expect(dynamoDb).toBeInstanceOf(DynamoDBDocumentClient);
    expect(dynamoDb.config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });

  it('exposes every client', () => {
    const clients = createClients({ region: 'eu-west-1' });
    expect(Object.keys(clients).sort()).toEqual(
      ['cloudWatch', 'dynamoDb', 'eventBridge', 's3', 'sagemaker', 'sagemakerRuntime', 'secretsManager', 'sns', 'sqs', 'ssm'].sort(),
    );
    for (const key of Object.keys(clients) as (keyof typeof clients)[]) expect(typeof clients[key].send).toBe('function');
  });
});
