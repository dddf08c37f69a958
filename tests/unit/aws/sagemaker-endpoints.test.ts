import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  SageMakerClient,
  SageMakerServiceException,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deploymentConfigOf, makeSageMakerEndpoints, type EndpointsConfig } from '../../../shared/aws/sagemaker-endpoints';
import type { EndpointSpec } from '../../../shared/lifecycle/actions';
import { RetryableError, TerminalError } from '../../../shared/runtime/errors';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const sagemaker = mockClient(SageMakerClient);

afterEach(() => {
  try {
    // Every request the adapter sent must be one AWS would accept.
    for (const command of recordedCallsOf(sagemaker)) expectValidAwsInput('sagemaker', command);
  } finally {
    sagemaker.reset();
  }
});

const validation = (message: string) => new SageMakerServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message });

const config: EndpointsConfig = {
  executionRoleArn: 'arn:aws:iam::123456789012:role/creditai-sagemaker-execution',
  dataCaptureS3Uri: 's3://creditai-capture/endpoints',
};

const packageArn = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/credit-card-acme/7';

function spec(overrides: Partial<EndpointSpec> = {}): EndpointSpec {
  return {
    environment: 'production',
    endpointName: 'credit-card-acme-prod',
    endpointConfigName: 'credit-card-acme-v7-prod-1a2b3c4d',
    modelName: 'credit-card-acme-v7-9f8e7d6c',
    modelPackageArn: packageArn,
    variantName: 'AllTraffic',
    instanceType: 'ml.m5.xlarge',
    instanceCount: 2,
    dataCaptureSamplingPercent: 100,
    rollout: {
      strategy: 'canary',
      trafficPercent: 10,
      bakeSeconds: 600,
      terminationWaitSeconds: 300,
      maxExecutionSeconds: 3600,
      rollbackAlarms: ['credit-card-acme-prod-p99-latency', 'credit-card-acme-prod-5xx'],
    },
    tags: { project: 'creditai', 'model-group': 'credit-card-acme' },
    ...overrides,
  };
}

const tags = [
  { Key: 'project', Value: 'creditai' },
  { Key: 'model-group', Value: 'credit-card-acme' },
];

function endpoint(status: string, configName: string, pending?: string) {
  return {
    EndpointName: 'credit-card-acme-prod',
    EndpointArn: 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/credit-card-acme-prod',
    EndpointStatus: status as 'InService',
    EndpointConfigName: configName,
    ...(pending ? { PendingDeploymentSummary: { EndpointConfigName: pending } } : {}),
    CreationTime: new Date('2026-01-01T00:00:00Z'),
    LastModifiedTime: new Date('2026-01-01T00:00:00Z'),
  };
}

describe('Function: makeSageMakerEndpoints', () => {
  describe('describe', () => {
    it('maps DescribeEndpoint to an observation', async () => {
      // Prepare
      sagemaker
        .on(DescribeEndpointCommand)
        .resolves({ ...endpoint('Updating', 'credit-card-acme-v6-prod-00000000', 'credit-card-acme-v7-prod-1a2b3c4d'), FailureReason: 'none' });
      // Act
      const observed = await makeSageMakerEndpoints(sagemaker as unknown as SageMakerClient, config).describe('credit-card-acme-prod');
      // Assess
      expect(sagemaker).toHaveReceivedCommandWith(DescribeEndpointCommand, { EndpointName: 'credit-card-acme-prod' });
      expect(observed).toEqual({
        name: 'credit-card-acme-prod',
        status: 'Updating',
        configName: 'credit-card-acme-v6-prod-00000000',
        pendingConfigName: 'credit-card-acme-v7-prod-1a2b3c4d',
        failureReason: 'none',
      });
    });

    it('returns undefined for the ValidationException "Could not find endpoint"', async () => {
      sagemaker.on(DescribeEndpointCommand).rejects(validation('Could not find endpoint "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/x".'));
      await expect(makeSageMakerEndpoints(new SageMakerClient({}), config).describe('x')).resolves.toBeUndefined();
    });

    it('rethrows any other error', async () => {
      sagemaker.on(DescribeEndpointCommand).rejects(validation('1 validation error detected'));
      await expect(makeSageMakerEndpoints(new SageMakerClient({}), config).describe('x')).rejects.toThrow('1 validation error detected');
    });
  });

  describe('deploy', () => {
    const endpoints = () => makeSageMakerEndpoints(new SageMakerClient({}), config);

    it('creates model, endpoint config and endpoint when nothing exists', async () => {
      // Prepare
      sagemaker.on(DescribeEndpointCommand).rejects(validation('Could not find endpoint "credit-card-acme-prod".'));
      // Act
      await endpoints().deploy(spec());
      // Assess
      expect(sagemaker).toHaveReceivedCommandWith(CreateModelCommand, {
        ModelName: 'credit-card-acme-v7-9f8e7d6c',
        PrimaryContainer: { ModelPackageName: packageArn },
        ExecutionRoleArn: config.executionRoleArn,
        Tags: tags,
      });
      expect(sagemaker.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input).toEqual({
        EndpointConfigName: 'credit-card-acme-v7-prod-1a2b3c4d',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'credit-card-acme-v7-9f8e7d6c',
            InstanceType: 'ml.m5.xlarge',
            InitialInstanceCount: 2,
            InitialVariantWeight: 1,
          },
        ],
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: 100,
          DestinationS3Uri: 's3://creditai-capture/endpoints',
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
          CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
        },
        Tags: tags,
      });
      expect(sagemaker.commandCalls(CreateEndpointCommand)[0]?.args[0].input).toEqual({
        EndpointName: 'credit-card-acme-prod',
        EndpointConfigName: 'credit-card-acme-v7-prod-1a2b3c4d',
        Tags: tags,
      });
      expect(sagemaker).not.toHaveReceivedCommand(UpdateEndpointCommand);
    });

    it('omits data capture at 0% and adds the KMS key to config and capture when configured', async () => {
      sagemaker.on(DescribeEndpointCommand).rejects(validation('Could not find endpoint "credit-card-acme-prod".'));
      const kmsKeyId = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

      await makeSageMakerEndpoints(new SageMakerClient({}), config).deploy(spec({ dataCaptureSamplingPercent: 0 }));
      await makeSageMakerEndpoints(new SageMakerClient({}), { ...config, kmsKeyId }).deploy(spec({ dataCaptureSamplingPercent: 20 }));

      const [plain, encrypted] = sagemaker.commandCalls(CreateEndpointConfigCommand).map((c) => c.args[0].input);
      expect(plain).not.toHaveProperty('DataCaptureConfig');
      expect(plain).not.toHaveProperty('KmsKeyId');
      expect(encrypted).toMatchObject({ KmsKeyId: kmsKeyId, DataCaptureConfig: { InitialSamplingPercentage: 20, KmsKeyId: kmsKeyId } });
    });

    it('treats "Cannot create already existing" model, config and endpoint as done', async () => {
      sagemaker.on(CreateModelCommand).rejects(validation('Cannot create already existing model "arn:aws:sagemaker:eu-west-1:123456789012:model/m".'));
      sagemaker.on(CreateEndpointConfigCommand).rejects(validation('Cannot create already existing endpoint configuration "c".'));
      sagemaker.on(DescribeEndpointCommand).rejects(validation('Could not find endpoint "credit-card-acme-prod".'));
      sagemaker.on(CreateEndpointCommand).rejects(validation('Cannot create already existing endpoint "credit-card-acme-prod".'));

      await expect(endpoints().deploy(spec())).resolves.toBeUndefined();
      expect(sagemaker).toHaveReceivedCommandTimes(CreateEndpointCommand, 1);
    });

    it('rethrows other create errors', async () => {
      sagemaker.on(CreateModelCommand).rejects(new SageMakerServiceException({ name: 'ResourceLimitExceeded', $fault: 'client', $metadata: {}, message: 'limit' }));
      await expect(endpoints().deploy(spec())).rejects.toThrow('limit');
      expect(sagemaker).not.toHaveReceivedCommand(CreateEndpointConfigCommand);
    });

    it('retries when CreateEndpoint cannot see the new config yet (eventual consistency)', async () => {
      sagemaker.on(DescribeEndpointCommand).rejects(validation('Could not find endpoint "credit-card-acme-prod".'));
      sagemaker.on(CreateEndpointCommand).rejects(validation('Could not find endpoint configuration "credit-card-acme-v7-prod-1a2b3c4d".'));
      await expect(endpoints().deploy(spec())).rejects.toBeInstanceOf(RetryableError);
    });

    it('does nothing more when the endpoint already serves the config', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService', 'credit-card-acme-v7-prod-1a2b3c4d'));
      await endpoints().deploy(spec());
      expect(sagemaker).not.toHaveReceivedCommand(UpdateEndpointCommand);
      expect(sagemaker).not.toHaveReceivedCommand(CreateEndpointCommand);
    });

    it('does nothing more when the config is already being rolled out', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('Updating', 'credit-card-acme-v6-prod-00000000', 'credit-card-acme-v7-prod-1a2b3c4d'));
      await endpoints().deploy(spec());
      expect(sagemaker).not.toHaveReceivedCommand(UpdateEndpointCommand);
    });

    it('updates an InService endpoint with a canary DeploymentConfig and auto-rollback alarms', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService', 'credit-card-acme-v6-prod-00000000'));
      await endpoints().deploy(spec());
      expect(sagemaker).toHaveReceivedCommandWith(UpdateEndpointCommand, {
        EndpointName: 'credit-card-acme-prod',
        EndpointConfigName: 'credit-card-acme-v7-prod-1a2b3c4d',
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
            TerminationWaitInSeconds: 300,
            MaximumExecutionTimeoutInSeconds: 3600,
          },
          AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'credit-card-acme-prod-p99-latency' }, { AlarmName: 'credit-card-acme-prod-5xx' }] },
        },
      });
    });

    it('updates all at once without alarms, within the API minimum timeout', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService', 'credit-card-acme-v6-staging-00000000'));
      await endpoints().deploy(spec({ environment: 'staging', rollout: { strategy: 'all-at-once' } }));
      const input = sagemaker.commandCalls(UpdateEndpointCommand)[0]?.args[0].input;
      expect(input?.DeploymentConfig).toEqual({
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 },
          MaximumExecutionTimeoutInSeconds: 3600,
        },
      });
    });

    it.each(['UpdateRollbackFailed', 'OutOfService'])('updates an endpoint that is %s', async (status) => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint(status, 'credit-card-acme-v6-prod-00000000'));
      await endpoints().deploy(spec());
      expect(sagemaker).toHaveReceivedCommandTimes(UpdateEndpointCommand, 1);
    });

    it('omits AutoRollbackConfiguration for a canary without alarms (the list takes 1 to 10)', () => {
      const canary = spec().rollout;
      if (canary.strategy !== 'canary') throw new Error('fixture');
      expect(deploymentConfigOf({ ...canary, rollbackAlarms: [] })).not.toHaveProperty('AutoRollbackConfiguration');
    });

    it('refuses more than 10 rollback alarms before creating anything', async () => {
      const canary = spec().rollout;
      if (canary.strategy !== 'canary') throw new Error('fixture');
      const alarms = Array.from({ length: 11 }, (_, i) => `alarm-${i}`);
      await expect(endpoints().deploy(spec({ rollout: { ...canary, rollbackAlarms: alarms } }))).rejects.toBeInstanceOf(TerminalError);
      expect(sagemaker.calls()).toHaveLength(0);
    });

    it.each(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting'])('retries later while the endpoint is %s', async (status) => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint(status, 'credit-card-acme-v6-prod-00000000'));
      await expect(endpoints().deploy(spec())).rejects.toBeInstanceOf(RetryableError);
      expect(sagemaker).not.toHaveReceivedCommand(UpdateEndpointCommand);
    });

    it('deletes a Failed endpoint and retries (only DeleteEndpoint is accepted then)', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves({ ...endpoint('Failed', 'credit-card-acme-v6-prod-00000000'), FailureReason: 'image pull failed' });
      await expect(endpoints().deploy(spec())).rejects.toThrow(/was Failed .*deleted, will recreate/);
      expect(sagemaker).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: 'credit-card-acme-prod' });
      expect(sagemaker).not.toHaveReceivedCommand(UpdateEndpointCommand);
    });

    it('turns "Cannot update in-progress endpoint" into a RetryableError', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService', 'credit-card-acme-v6-prod-00000000'));
      sagemaker.on(UpdateEndpointCommand).rejects(validation('Cannot update in-progress endpoint "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/credit-card-acme-prod".'));
      const error = await endpoints().deploy(spec()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RetryableError);
      expect((error as Error).cause).toBeInstanceOf(SageMakerServiceException);
    });

    it('rethrows other update errors', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService', 'credit-card-acme-v6-prod-00000000'));
      sagemaker.on(UpdateEndpointCommand).rejects(new SageMakerServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'denied' }));
      await expect(endpoints().deploy(spec())).rejects.toThrow('denied');
    });
  });

  describe('A/B test', () => {
    const endpoints = () => makeSageMakerEndpoints(new SageMakerClient({}), config);
    const challenger = { mode: 'ab' as const, variantName: 'Challenger', modelName: 'credit-card-acme-v8-5e4d3c2b', modelPackageArn: packageArn.replace(/7$/, '8'), sharePercent: 10 };

    it('creates both models and a two-variant config weighted 90/10', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService', 'credit-card-acme-v7-prod-0a0b0c0d'));
      await endpoints().deploy(spec({ challenger, rollout: { strategy: 'all-at-once' } }));
      expect(sagemaker.commandCalls(CreateModelCommand).map((c) => c.args[0].input.PrimaryContainer?.ModelPackageName)).toEqual([packageArn, challenger.modelPackageArn]);
      expect(sagemaker.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input.ProductionVariants).toEqual([
        { VariantName: 'AllTraffic', ModelName: 'credit-card-acme-v7-9f8e7d6c', InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 2, InitialVariantWeight: 90 },
        { VariantName: 'Challenger', ModelName: 'credit-card-acme-v8-5e4d3c2b', InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 2, InitialVariantWeight: 10 },
      ]);
      expect(sagemaker).toHaveReceivedCommandWith(UpdateEndpointCommand, { EndpointName: 'credit-card-acme-prod', EndpointConfigName: 'credit-card-acme-v7-prod-1a2b3c4d' });
    });

    it('puts a shadow challenger beside the one production variant, weighted by its share of mirrored requests', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService', 'credit-card-acme-v7-prod-0a0b0c0d'));
      await endpoints().deploy(spec({ challenger: { ...challenger, mode: 'shadow', sharePercent: 50 }, rollout: { strategy: 'all-at-once' } }));
      const input = sagemaker.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input;
      expect(input?.ProductionVariants).toEqual([{ VariantName: 'AllTraffic', ModelName: 'credit-card-acme-v7-9f8e7d6c', InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 2, InitialVariantWeight: 1 }]);
      expect(input?.ShadowProductionVariants).toEqual([{ VariantName: 'Challenger', ModelName: 'credit-card-acme-v8-5e4d3c2b', InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 2, InitialVariantWeight: 0.5 }]);
    });

    it('sets the variant weights with UpdateEndpointWeightsAndCapacities', async () => {
      await endpoints().updateWeights('credit-card-acme-prod', [{ variantName: 'AllTraffic', weight: 0 }, { variantName: 'Challenger', weight: 1 }]);
      expect(sagemaker.commandCalls(UpdateEndpointWeightsAndCapacitiesCommand)[0]?.args[0].input).toEqual({
        EndpointName: 'credit-card-acme-prod',
        DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredWeight: 0 }, { VariantName: 'Challenger', DesiredWeight: 1 }],
      });
    });

    it('retries a weight change while the endpoint is in progress, and rethrows other errors', async () => {
      sagemaker.on(UpdateEndpointWeightsAndCapacitiesCommand).rejectsOnce(validation('Cannot update in-progress endpoint "credit-card-acme-prod".')).rejects(validation('1 validation error detected'));
      await expect(endpoints().updateWeights('credit-card-acme-prod', [{ variantName: 'AllTraffic', weight: 1 }])).rejects.toBeInstanceOf(RetryableError);
      await expect(endpoints().updateWeights('credit-card-acme-prod', [{ variantName: 'AllTraffic', weight: 1 }])).rejects.toThrow('1 validation error detected');
    });
  });

  describe('delete', () => {
    const endpoints = () => makeSageMakerEndpoints(new SageMakerClient({}), config);

    it('deletes the endpoint', async () => {
      await endpoints().delete('credit-card-acme-staging');
      expect(sagemaker).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: 'credit-card-acme-staging' });
    });

    it('treats a missing endpoint as deleted', async () => {
      sagemaker.on(DeleteEndpointCommand).rejects(validation('Could not find endpoint "credit-card-acme-staging".'));
      await expect(endpoints().delete('credit-card-acme-staging')).resolves.toBeUndefined();
    });

    it('retries while the endpoint is in progress', async () => {
      sagemaker.on(DeleteEndpointCommand).rejects(validation('Cannot update in-progress endpoint "credit-card-acme-staging".'));
      await expect(endpoints().delete('credit-card-acme-staging')).rejects.toBeInstanceOf(RetryableError);
    });

    it('rethrows other errors', async () => {
      sagemaker.on(DeleteEndpointCommand).rejects(new SageMakerServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'slow down' }));
      await expect(endpoints().delete('credit-card-acme-staging')).rejects.toThrow('slow down');
    });
  });
});
