import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  SageMakerServiceException,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { approvalDescription, makeSageMakerRegistry } from '../../../shared/aws/sagemaker-registry';
import { TerminalError } from '../../../shared/runtime/errors';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const sagemaker = mockClient(SageMakerClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(sagemaker)) expectValidAwsInput('sagemaker', command);
  } finally {
    sagemaker.reset();
  }
});

const arn = (v: number) => `arn:aws:sagemaker:eu-west-1:123456789012:model-package/credit-card-acme/${v}`;
const registry = () => makeSageMakerRegistry(new SageMakerClient({}));

describe('Function: makeSageMakerRegistry', () => {
  describe('listPackages', () => {
    it('lists every page of versioned packages, oldest first', async () => {
      // Prepare
      sagemaker
        .on(ListModelPackagesCommand, { NextToken: undefined })
        .resolves({
          ModelPackageSummaryList: [
            { ModelPackageArn: arn(1), ModelPackageVersion: 1, CreationTime: new Date('2026-01-01T00:00:00Z'), ModelPackageStatus: 'Completed', ModelApprovalStatus: 'Approved' },
          ],
          NextToken: 'page-2',
        })
        .on(ListModelPackagesCommand, { NextToken: 'page-2' })
        .resolves({
          ModelPackageSummaryList: [
            // No ModelPackageVersion: the version comes from the ARN.
            { ModelPackageArn: arn(2), CreationTime: new Date('2026-01-02T00:00:00Z'), ModelPackageStatus: 'Completed', ModelApprovalStatus: 'PendingManualApproval' },
          ],
        });
      // Act
      const packages = await registry().listPackages('credit-card-acme');
      // Assess
      expect(sagemaker).toHaveReceivedCommandTimes(ListModelPackagesCommand, 2);
      expect(sagemaker).toHaveReceivedNthSpecificCommandWith(1, ListModelPackagesCommand, {
        ModelPackageGroupName: 'credit-card-acme',
        ModelPackageType: 'Versioned',
        SortBy: 'CreationTime',
        SortOrder: 'Ascending',
        MaxResults: 100,
      });
      expect(sagemaker).toHaveReceivedNthSpecificCommandWith(2, ListModelPackagesCommand, { ModelPackageGroupName: 'credit-card-acme', NextToken: 'page-2' });
      expect(packages).toEqual([
        { version: 1, arn: arn(1), createdAt: '2026-01-01T00:00:00.000Z', approvalStatus: 'Approved' },
        { version: 2, arn: arn(2), createdAt: '2026-01-02T00:00:00.000Z', approvalStatus: 'PendingManualApproval' },
      ]);
    });

    it('refuses a package with no version (not a versioned package)', async () => {
      sagemaker.on(ListModelPackagesCommand).resolves({
        ModelPackageSummaryList: [
          { ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/loose', CreationTime: new Date(), ModelPackageStatus: 'Completed' },
        ],
      });
      await expect(registry().listPackages('credit-card-acme')).rejects.toBeInstanceOf(TerminalError);
    });
  });

  describe('describePackage', () => {
    it('maps approval, identity, life cycle, report URIs and lineage', async () => {
      // Prepare
      sagemaker.on(DescribeModelPackageCommand).resolves({
        ModelPackageName: 'credit-card-acme',
        ModelPackageGroupName: 'credit-card-acme',
        ModelPackageVersion: 7,
        ModelPackageArn: arn(7),
        CreationTime: new Date('2026-02-01T10:00:00Z'),
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'Reviewed, fair and accurate',
        LastModifiedBy: { IamIdentity: { Arn: 'arn:aws:sts::123456789012:assumed-role/RiskOfficer/alice' } },
        LastModifiedTime: new Date('2026-02-02T09:30:00Z'),
        ModelLifeCycle: { Stage: 'Staging', StageStatus: 'Approved', StageDescription: 'ok for staging' },
        ModelMetrics: {
          ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://reports/7/evaluation.json' } },
          Bias: { Report: { ContentType: 'application/json', S3Uri: 's3://reports/7/bias/analysis.json' } },
          Explainability: { Report: { ContentType: 'application/json', S3Uri: 's3://reports/7/explainability/analysis.json' } },
        },
        CustomerMetadataProperties: {
          'lineage:training-data-uri': 's3://data/train/2026-02-01/',
          'lineage:training-data-hash': 'sha256:abc123',
          'lineage:commit': '0123456789abcdef',
          'hyperparameter:max_depth': '6',
          'hyperparameter:eta': '0.2',
          unrelated: 'x',
        },
        MetadataProperties: { CommitId: 'ignored-when-lineage-commit-set', GeneratedBy: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/train/execution/abc' },
      });
      // Act
      const described = await registry().describePackage(arn(7));
      // Assess
      expect(sagemaker).toHaveReceivedCommandWith(DescribeModelPackageCommand, { ModelPackageName: arn(7), IncludedData: 'MetadataOnly' });
      expect(described).toEqual({
        version: 7,
        arn: arn(7),
        createdAt: '2026-02-01T10:00:00.000Z',
        approvalStatus: 'Approved',
        approvalDescription: 'Reviewed, fair and accurate',
        lastModifiedBy: 'arn:aws:sts::123456789012:assumed-role/RiskOfficer/alice',
        lastModifiedAt: '2026-02-02T09:30:00.000Z',
        lifeCycle: { stage: 'Staging', stageStatus: 'Approved', description: 'ok for staging' },
        reportUris: {
          evaluation: 's3://reports/7/evaluation.json',
          bias: 's3://reports/7/bias/analysis.json',
          explainability: 's3://reports/7/explainability/analysis.json',
        },
        lineage: {
          trainingDataUri: 's3://data/train/2026-02-01/',
          trainingDataHash: 'sha256:abc123',
          commitId: '0123456789abcdef',
          pipelineExecutionArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/train/execution/abc',
          hyperparameters: { max_depth: '6', eta: '0.2' },
        },
      });
    });

    it('falls back to the post-training bias report and MetadataProperties.CommitId', async () => {
      sagemaker.on(DescribeModelPackageCommand).resolves({
        ModelPackageArn: arn(3),
        ModelPackageVersion: 3,
        CreationTime: new Date('2026-02-01T10:00:00Z'),
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: 'PendingManualApproval',
        ModelMetrics: { Bias: { PostTrainingReport: { ContentType: 'application/json', S3Uri: 's3://reports/3/post.json' } } },
        MetadataProperties: { CommitId: 'feedface' },
      });
      const described = await registry().describePackage(arn(3));
      expect(described.reportUris).toEqual({ evaluation: undefined, bias: 's3://reports/3/post.json', explainability: undefined });
      expect(described.lineage).toEqual({ commitId: 'feedface', hyperparameters: {} });
      expect(described.lifeCycle).toBeUndefined();
      expect(described.lastModifiedBy).toBeUndefined();
    });

    it.each([
      [
        'the data-quality baseline statistics and the explainer',
        {
          DriftCheckBaselines: {
            ModelDataQuality: {
              Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/7/baseline/statistics.json' },
              Constraints: { ContentType: 'application/json', S3Uri: 's3://artifacts/7/baseline/constraints.json' },
            },
            ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/7/quality/statistics.json' } },
          },
          CustomerMetadataProperties: { 'explainer:uri': 's3://artifacts/7/explainer.json' },
        },
        { baselineStatisticsUri: 's3://artifacts/7/baseline/statistics.json', explainerUri: 's3://artifacts/7/explainer.json' },
      ],
      [
        'no baseline when only the model-quality baseline is registered',
        { DriftCheckBaselines: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/7/quality/statistics.json' } } } },
        {},
      ],
      ['neither when the package registers neither', {}, {}],
    ])('finds %s', async (_name, registered, expected) => {
      sagemaker.on(DescribeModelPackageCommand).resolves({
        ModelPackageArn: arn(7),
        ModelPackageVersion: 7,
        CreationTime: new Date('2026-02-01T10:00:00Z'),
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: 'Approved',
        ...registered,
      });
      const described = await registry().describePackage(arn(7));
      expect({ baselineStatisticsUri: described.baselineStatisticsUri, explainerUri: described.explainerUri }).toEqual({ baselineStatisticsUri: undefined, explainerUri: undefined, ...expected });
      // Absent, not present as undefined: the drift check tells "not registered" by the key.
      expect(Object.keys(described).filter((k) => k === 'baselineStatisticsUri' || k === 'explainerUri').sort()).toEqual(Object.keys(expected).sort());
    });

    it('propagates errors', async () => {
      sagemaker.on(DescribeModelPackageCommand).rejects(new SageMakerServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'slow' }));
      await expect(registry().describePackage(arn(3))).rejects.toThrow('slow');
    });
  });

  describe('setApproval', () => {
    it('updates the approval status with the reason and the deterministic client token', async () => {
      await registry().setApproval({ modelPackageArn: arn(7), status: 'Rejected', reason: 'AUC 0.81 < 0.85', clientToken: '0123456789abcdef0123456789abcdef' });
      expect(sagemaker).toHaveReceivedCommandWith(UpdateModelPackageCommand, {
        ModelPackageArn: arn(7),
        ModelApprovalStatus: 'Rejected',
        ApprovalDescription: 'AUC 0.81 < 0.85',
        ClientToken: '0123456789abcdef0123456789abcdef',
      });
    });

    it('keeps the description within 1024 characters on one line', async () => {
      const reason = `gate failures:\n${'- disparate impact 0.61 on age_band\n'.repeat(60)}`;
      await registry().setApproval({ modelPackageArn: arn(7), status: 'Rejected', reason, clientToken: 'token-1' });
      const sent = sagemaker.commandCalls(UpdateModelPackageCommand)[0]?.args[0].input.ApprovalDescription ?? '';
      expect([...sent]).toHaveLength(1024);
      expect(sent).not.toMatch(/\n/);
      expect(sent.endsWith('…')).toBe(true);
    });
  });

  describe('approvalDescription', () => {
    it('leaves a short single-line reason as it is', () => {
      expect(approvalDescription('Approved by policy (auto)')).toBe('Approved by policy (auto)');
    });
  });
});

describe('Registry lineage: container image digests', () => {
  it('records the digest SageMaker resolved for each inference image, and none when it holds none', async () => {
    const { SageMakerClient, DescribeModelPackageCommand } = await import('@aws-sdk/client-sagemaker');
    const { mockClient } = await import('aws-sdk-client-mock');
    const { makeSageMakerRegistry } = await import('../../../shared/aws/sagemaker-registry');
    const sm = mockClient(SageMakerClient);
    const arn = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/3';
    const digest = 'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae';
    sm.on(DescribeModelPackageCommand).resolvesOnce({
      ModelPackageArn: arn,
      ModelPackageVersion: 3,
      InferenceSpecification: { Containers: [{ Image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgb:1.7-1', ImageDigest: digest }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
    }).resolvesOnce({ ModelPackageArn: arn, ModelPackageVersion: 3 });
    const registry = makeSageMakerRegistry(new SageMakerClient({ region: 'eu-west-1' }));
    expect((await registry.describePackage(arn)).lineage.imageDigests).toEqual([digest]);
    expect((await registry.describePackage(arn)).lineage).not.toHaveProperty('imageDigests');
    sm.restore();
  });
});
