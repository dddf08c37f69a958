import { DescribeProcessingJobCommand, SageMakerClient, SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeSageMakerMonitoring } from '../../../shared/aws/sagemaker-monitoring';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const sagemaker = mockClient(SageMakerClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(sagemaker)) expectValidAwsInput('sagemaker', command);
  } finally {
    sagemaker.reset();
  }
});

const JOB = 'model-monitoring-202611281500-3f9e0c7a4b2d1e8f6a5c0b9d';
const JOB_ARN = `arn:aws:sagemaker:eu-west-1:111122223333:processing-job/${JOB}`;
const SCHEDULE_ARN = 'arn:aws:sagemaker:eu-west-1:111122223333:monitoring-schedule/credit-risk-retail-prod-data-quality';
const monitoring = () => makeSageMakerMonitoring(new SageMakerClient({}));

describe('Function: makeSageMakerMonitoring', () => {
  it('describes a monitoring run: schedule, outcome message, environment, S3 outputs and start time', async () => {
    // Prepare
    sagemaker.on(DescribeProcessingJobCommand).resolves({
      ProcessingJobName: JOB,
      ProcessingJobArn: JOB_ARN,
      ProcessingJobStatus: 'Completed',
      ExitMessage: 'CompletedWithViolations: Job completed successfully with 2 violations.',
      MonitoringScheduleArn: SCHEDULE_ARN,
      Environment: { sagemaker_endpoint_name: 'credit-risk-retail-prod', output_path: '/opt/ml/processing/resultdata' },
      ProcessingOutputConfig: {
        Outputs: [
          { OutputName: 'result', S3Output: { S3Uri: 's3://artifacts/monitoring/run', LocalPath: '/opt/ml/processing/resultdata', S3UploadMode: 'EndOfJob' } },
          { OutputName: 'features', FeatureStoreOutput: { FeatureGroupName: 'credit-features' } },
        ],
      },
      ProcessingStartTime: new Date('2026-11-28T15:05:58.000Z'),
      CreationTime: new Date('2026-11-28T15:03:51.000Z'),
      AppSpecification: { ImageUri: 'monitor:latest' },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20 } },
    });

    // Act
    const job = await monitoring().describeProcessingJob(JOB);

    // Assess
    expect(sagemaker).toHaveReceivedCommandWith(DescribeProcessingJobCommand, { ProcessingJobName: JOB });
    expect(job).toEqual({
      name: JOB,
      arn: JOB_ARN,
      status: 'Completed',
      exitMessage: 'CompletedWithViolations: Job completed successfully with 2 violations.',
      monitoringScheduleArn: SCHEDULE_ARN,
      environment: { sagemaker_endpoint_name: 'credit-risk-retail-prod', output_path: '/opt/ml/processing/resultdata' },
      outputs: [{ name: 'result', s3Uri: 's3://artifacts/monitoring/run', localPath: '/opt/ml/processing/resultdata' }],
      startedAt: '2026-11-28T15:05:58.000Z',
    });
  });

  it('describes a plain processing job with what it has: no schedule, no message, no environment', async () => {
    // Prepare
    sagemaker.on(DescribeProcessingJobCommand).resolves({
      ProcessingJobName: 'pipelines-k2x9v7q1m3ab-EvaluateModel-Xq4TzR8pLm',
      ProcessingJobArn: 'arn:aws:sagemaker:eu-west-1:111122223333:processing-job/pipelines-k2x9v7q1m3ab-evaluatemodel-xq4tzr8plm',
      ProcessingJobStatus: 'Completed',
    });

    // Act
    const job = await monitoring().describeProcessingJob('pipelines-k2x9v7q1m3ab-EvaluateModel-Xq4TzR8pLm');

    // Assess
    expect(job).toEqual({
      name: 'pipelines-k2x9v7q1m3ab-EvaluateModel-Xq4TzR8pLm',
      arn: 'arn:aws:sagemaker:eu-west-1:111122223333:processing-job/pipelines-k2x9v7q1m3ab-evaluatemodel-xq4tzr8plm',
      status: 'Completed',
      environment: {},
      outputs: [],
    });
  });

  it('lets SageMaker errors through (an unknown job, a refused permission)', async () => {
    // Prepare
    const refused = new SageMakerServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'not authorized to perform: sagemaker:DescribeProcessingJob' });
    sagemaker.on(DescribeProcessingJobCommand).rejects(refused);

    // Act + Assess
    await expect(monitoring().describeProcessingJob(JOB)).rejects.toBe(refused);
  });
});
