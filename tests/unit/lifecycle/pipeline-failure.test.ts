import { type PipelineDiagnosis, diagnosePipelineFailure } from '../../../shared/lifecycle/pipeline-failure';

const ROLE = 'arn:aws:sts::111122223333:assumed-role/SageMakerPipelineRole/SageMaker';

describe('Function: diagnosePipelineFailure', () => {
  it.each<[string, string, PipelineDiagnosis]>([
    [
      'an IAM denial on an S3 object, naming the action and the s3:// path',
      `User: ${ROLE} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::creditai-data/training/2026-11/train.csv`,
      {
        category: 'missing-permission',
        principal: ROLE,
        action: 's3:GetObject',
        resource: 's3://creditai-data/training/2026-11/train.csv',
        summary: `${ROLE} lacks s3:GetObject on s3://creditai-data/training/2026-11/train.csv: grant it in the pipeline execution role's policy`,
      },
    ],
    [
      'an IAM denial with a quoted resource and the newer "because" wording',
      `ClientError: An error occurred (AccessDeniedException) when calling the CreateTrainingJob operation: User: ${ROLE} is not authorized to perform: kms:Decrypt on resource: "arn:aws:kms:eu-west-1:111122223333:key/5d3f0c2a-7b1e-4c9d-9a8e-2f6b1c0d4e7a" because no identity-based policy allows the kms:Decrypt action`,
      {
        category: 'missing-permission',
        principal: ROLE,
        action: 'kms:Decrypt',
        resource: 'arn:aws:kms:eu-west-1:111122223333:key/5d3f0c2a-7b1e-4c9d-9a8e-2f6b1c0d4e7a',
        summary: `${ROLE} lacks kms:Decrypt on arn:aws:kms:eu-west-1:111122223333:key/5d3f0c2a-7b1e-4c9d-9a8e-2f6b1c0d4e7a: grant it in the pipeline execution role's policy`,
      },
    ],
    [
      'an IAM denial whose resource ends the sentence',
      `User: ${ROLE} is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::creditai-models/credit-risk-retail/output/model.tar.gz.`,
      {
        category: 'missing-permission',
        principal: ROLE,
        action: 's3:PutObject',
        resource: 's3://creditai-models/credit-risk-retail/output/model.tar.gz',
        summary: `${ROLE} lacks s3:PutObject on s3://creditai-models/credit-risk-retail/output/model.tar.gz: grant it in the pipeline execution role's policy`,
      },
    ],
    [
      'an IAM denial without a resource',
      `User: ${ROLE} is not authorized to perform: sagemaker:CreateProcessingJob`,
      { category: 'missing-permission', principal: ROLE, action: 'sagemaker:CreateProcessingJob', summary: `${ROLE} lacks sagemaker:CreateProcessingJob: grant it in the pipeline execution role's policy` },
    ],
    [
      'an S3 AccessDenied on a channel, as SageMaker reports it',
      'ClientError: Data download failed:Failed to download data. AccessDenied (403): Access Denied when reading s3://creditai-data/training/2026-11/.',
      {
        category: 'missing-permission',
        action: 's3:GetObject',
        resource: 's3://creditai-data/training/2026-11/',
        summary: 'Access denied reading s3://creditai-data/training/2026-11/: the pipeline execution role needs s3:GetObject (and s3:ListBucket) on it',
      },
    ],
    [
      'a service quota, with its text',
      "ResourceLimitExceeded: The account-level service limit 'ml.m5.xlarge for training job usage' is 2 Instances, with current utilization of 2 Instances",
      { category: 'resource-limit', summary: "Service quota reached: The account-level service limit 'ml.m5.xlarge for training job usage' is 2 Instances, with current utilization of 2 Instances" },
    ],
    ['a service quota without text', 'ResourceLimitExceeded', { category: 'resource-limit', summary: 'Service quota reached: request a limit increase' }],
    [
      'training data the algorithm refused',
      'ClientError: Unable to read label column: found 41 columns in CSV row 1812, expected 42',
      { category: 'data', summary: 'The training data was refused: ClientError: Unable to read label column: found 41 columns in CSV row 1812, expected 42' },
    ],
    [
      'an error in the training code',
      'AlgorithmError: framework error: XGBoostError: Check failed: preds.Size() == info.labels_.Size()',
      { category: 'algorithm', summary: 'The training or processing code failed: AlgorithmError: framework error: XGBoostError: Check failed: preds.Size() == info.labels_.Size()' },
    ],
    [
      'the quality/fairness condition step',
      'Step CheckAucAndFairness failed: FailStep reached: AUC 0.81 is below the threshold 0.85',
      { category: 'condition-not-met', summary: 'The pipeline stopped at its quality/fairness condition: the model did not meet the policy' },
    ],
    ['an unrecognised reason, passed through', 'InternalServerError: We encountered an internal error. Please try again.', { category: 'unknown', summary: 'InternalServerError: We encountered an internal error. Please try again.' }],
    ['no reason at all', '', { category: 'unknown', summary: 'SageMaker gave no failure reason' }],
  ])('diagnoses %s', (_, failureReason, diagnosis) => {
    expect(diagnosePipelineFailure(failureReason)).toEqual(diagnosis);
  });

  it('cuts an unrecognised reason to 300 characters', () => {
    expect(diagnosePipelineFailure(`InternalServerError: ${'x'.repeat(500)}`).summary).toHaveLength(300);
  });

  // Regression (found by these tables, fixed): the condition rule matches "DI" case-insensitively anywhere after the word "condition", so any text with
  // "condition" and a later "di" (did, disk, directory) is paged as "the model did not meet the policy". A
  // training job stopped by its stopping condition (MaxRuntimeInSeconds) is a timeout, not a policy verdict.
  it('does not diagnose a stopping-condition timeout as a failed quality/fairness condition', () => {
    const timeout = 'Training job stopped: stopping condition MaxRuntimeInSeconds (86400) was reached and the job did not complete';

    expect(diagnosePipelineFailure(timeout).category).not.toBe('condition-not-met');
  });
});
