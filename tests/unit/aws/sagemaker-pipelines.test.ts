import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
  SageMakerClient,
  SageMakerServiceException,
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
});
