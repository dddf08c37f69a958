import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
  SageMakerClient,
  SageMakerServiceException,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeSageMakerPipelines } from '../../../shared/aws/sagemaker-pipelines';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const sagemaker = mockClient(SageMakerClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(sagemaker)) expectValidAwsInput('sagemaker', command);
  } finally {
    sagemaker.reset();
  }
});

const pipelineArn = 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/credit-card-acme-train';
const executionArn = `${pipelineArn}/execution/abc123`;
const pipelines = () => makeSageMakerPipelines(new SageMakerClient({}));

describe('Function: makeSageMakerPipelines', () => {
  it('describes a failed execution: reason, first failed step, every parameter', async () => {
    // Prepare
    sagemaker.on(DescribePipelineExecutionCommand).resolves({
      PipelineArn: pipelineArn,
      PipelineExecutionArn: executionArn,
      PipelineExecutionStatus: 'Failed',
      FailureReason: 'Step train failed',
    });
    sagemaker
      .on(ListPipelineExecutionStepsCommand, { NextToken: undefined })
      .resolves({ PipelineExecutionSteps: [{ StepName: 'prep', StepStatus: 'Succeeded' }], NextToken: 'steps-2' })
      .on(ListPipelineExecutionStepsCommand, { NextToken: 'steps-2' })
      .resolves({
        PipelineExecutionSteps: [
          { StepName: 'train', StepStatus: 'Failed', FailureReason: 'ClientError: AccessDenied on s3://data/train' },
          { StepName: 'eval', StepStatus: 'Failed', FailureReason: 'upstream failed' },
        ],
      });
    sagemaker
      .on(ListPipelineParametersForExecutionCommand, { NextToken: undefined })
      .resolves({ PipelineParameters: [{ Name: 'ModelGroup', Value: 'credit-card-acme' }], NextToken: 'params-2' })
      .on(ListPipelineParametersForExecutionCommand, { NextToken: 'params-2' })
      .resolves({ PipelineParameters: [{ Name: 'AucThreshold', Value: '0.85' }] });
    // Act
    const execution = await pipelines().describeExecution(executionArn);
    // Assess
    expect(sagemaker).toHaveReceivedCommandWith(DescribePipelineExecutionCommand, { PipelineExecutionArn: executionArn });
    expect(sagemaker).toHaveReceivedNthSpecificCommandWith(1, ListPipelineExecutionStepsCommand, {
      PipelineExecutionArn: executionArn,
      SortOrder: 'Ascending',
      MaxResults: 100,
    });
    expect(sagemaker).toHaveReceivedNthSpecificCommandWith(2, ListPipelineExecutionStepsCommand, { NextToken: 'steps-2' });
    expect(sagemaker).toHaveReceivedNthSpecificCommandWith(1, ListPipelineParametersForExecutionCommand, { PipelineExecutionArn: executionArn, MaxResults: 100 });
    expect(sagemaker).toHaveReceivedCommandTimes(ListPipelineParametersForExecutionCommand, 2);
    expect(execution).toEqual({
      pipelineArn,
      executionArn,
      status: 'Failed',
      failureReason: 'Step train failed',
      failedStep: { name: 'train', reason: 'ClientError: AccessDenied on s3://data/train' },
      parameters: { ModelGroup: 'credit-card-acme', AucThreshold: '0.85' },
    });
  });

  it('stops listing steps at the first failed one', async () => {
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineArn: pipelineArn, PipelineExecutionArn: executionArn, PipelineExecutionStatus: 'Failed' });
    sagemaker.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [{ StepName: 'prep', StepStatus: 'Failed' }], NextToken: 'more' });
    sagemaker.on(ListPipelineParametersForExecutionCommand).resolves({});
    const execution = await pipelines().describeExecution(executionArn);
    expect(sagemaker).toHaveReceivedCommandTimes(ListPipelineExecutionStepsCommand, 1);
    expect(execution.failedStep).toEqual({ name: 'prep', reason: undefined });
    expect(execution.parameters).toEqual({});
  });

  it('has no failed step for a successful execution', async () => {
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineArn: pipelineArn, PipelineExecutionArn: executionArn, PipelineExecutionStatus: 'Succeeded' });
    sagemaker.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [{ StepName: 'register', StepStatus: 'Succeeded' }] });
    sagemaker.on(ListPipelineParametersForExecutionCommand).resolves({ PipelineParameters: [] });
    const execution = await pipelines().describeExecution(executionArn);
    expect(execution.status).toBe('Succeeded');
    expect(execution.failedStep).toBeUndefined();
  });

  it('propagates ResourceNotFound for an unknown execution', async () => {
    sagemaker.on(DescribePipelineExecutionCommand).rejects(new SageMakerServiceException({ name: 'ResourceNotFound', $fault: 'client', $metadata: {}, message: 'not found' }));
    sagemaker.on(ListPipelineExecutionStepsCommand).resolves({});
    sagemaker.on(ListPipelineParametersForExecutionCommand).resolves({});
    await expect(pipelines().describeExecution(executionArn)).rejects.toThrow('not found');
  });

  it.each([
    ['Succeeded', new Date('2026-11-28T13:41:07.512Z'), '2026-11-28T13:41:07.512Z'],
    ['Failed', new Date('2026-11-28T12:00:00Z'), '2026-11-28T12:00:00.000Z'],
    ['Stopped', new Date('2026-11-28T12:30:00Z'), '2026-11-28T12:30:00.000Z'],
    ['Executing', new Date('2026-11-28T12:30:00Z'), undefined],
    ['Stopping', new Date('2026-11-28T12:30:00Z'), undefined],
    ['Succeeded', undefined, undefined],
  ])('an execution %s, last modified %s, ended at %s', async (status, modified, endedAt) => {
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineArn: pipelineArn, PipelineExecutionArn: executionArn, PipelineExecutionStatus: status as never, LastModifiedTime: modified });
    sagemaker.on(ListPipelineExecutionStepsCommand).resolves({});
    sagemaker.on(ListPipelineParametersForExecutionCommand).resolves({});
    const execution = await pipelines().describeExecution(executionArn);
    expect(execution.endedAt).toBe(endedAt);
    expect('endedAt' in execution).toBe(endedAt !== undefined);
  });

  describe('startExecution', () => {
    const start = {
      pipelineName: 'creditai-mlops-training',
      clientToken: 'a3f1c09b5d7e2f4a6b8c0d1e3f5a7b9c1d2e4f6a8b0c2d4e6f8a0b1c3d5e7f9a',
      displayName: 'retrain-credit-card-acme',
      description: 'Drift retraining of credit-card-acme for the window ending 2026-11-28T10:00:00.000Z: persistent drift in 2 consecutive windows on annual_income 0.26 > 0.2 (100% of importance)',
      parameters: {
        ModelPackageGroupName: 'credit-card-acme',
        CommitId: '4be1c0d3a9f8e7d6c5b4a39281706f5e4d3c2b1a',
        InputDataUri: 's3://creditai-data/applications/credit-card-acme/',
        CodeUri: 's3://creditai-artifacts/pipeline/code/4be1c0d3a9f8e7d6c5b4a39281706f5e4d3c2b1a/',
      },
    };

    it('starts the pipeline with the client token, display name, description and every parameter', async () => {
      sagemaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: `${pipelineArn}/execution/retrain1` });
      await expect(pipelines().startExecution(start)).resolves.toEqual({ executionArn: `${pipelineArn}/execution/retrain1` });
      expect(sagemaker).toHaveReceivedCommandTimes(StartPipelineExecutionCommand, 1);
      expect(sagemaker).toHaveReceivedCommandWith(StartPipelineExecutionCommand, {
        PipelineName: 'creditai-mlops-training',
        ClientRequestToken: start.clientToken,
        PipelineExecutionDisplayName: 'retrain-credit-card-acme',
        PipelineExecutionDescription: start.description,
        PipelineParameters: [
          { Name: 'ModelPackageGroupName', Value: 'credit-card-acme' },
          { Name: 'CommitId', Value: '4be1c0d3a9f8e7d6c5b4a39281706f5e4d3c2b1a' },
          { Name: 'InputDataUri', Value: 's3://creditai-data/applications/credit-card-acme/' },
          { Name: 'CodeUri', Value: 's3://creditai-artifacts/pipeline/code/4be1c0d3a9f8e7d6c5b4a39281706f5e4d3c2b1a/' },
        ],
      });
    });

    it('fails when SageMaker answers without an execution ARN, and propagates its errors', async () => {
      sagemaker.on(StartPipelineExecutionCommand).resolves({});
      await expect(pipelines().startExecution(start)).rejects.toThrow('StartPipelineExecution of creditai-mlops-training returned no execution ARN');
      sagemaker.on(StartPipelineExecutionCommand).rejects(new SageMakerServiceException({ name: 'ResourceNotFound', $fault: 'client', $metadata: {}, message: 'Pipeline not found' }));
      await expect(pipelines().startExecution(start)).rejects.toThrow('Pipeline not found');
    });
  });
});
