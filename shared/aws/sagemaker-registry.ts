/**
 * The SageMaker Model Registry as the `Registry` port: lists a group's versioned packages, describes one (reports,
 * lineage, approval and who set it) and sets its approval status.
 */
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  UpdateModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type ModelPackageSummary,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { EXPLAINER_METADATA_KEY } from '../contracts/explainer';
import type { ApprovalStatus, Lineage } from '../lifecycle/model';
import { TerminalError } from '../runtime/errors';
import type { PackageSummary, RegisteredPackage, Registry } from '../reconcile/ports';

/** CustomerMetadataProperties keys the training pipeline writes (values ≤ 256 chars, no JSON: aws-facts §0 gotcha 9). */
export const LINEAGE_KEYS = {
  trainingDataUri: 'lineage:training-data-uri',
  trainingDataHash: 'lineage:training-data-hash',
  commitId: 'lineage:commit',
  hyperparameterPrefix: 'hyperparameter:',
} as const;

/** UpdateModelPackage.ApprovalDescription: at most 1024 characters matching `.*` (no line breaks). */
const MAX_APPROVAL_DESCRIPTION = 1024;

/** The version of a versioned package: the field, else the ARN's last segment (`…:model-package/<group>/<n>`). */
function versionOf(version: number | undefined, arn: string): number {
  if (version !== undefined) return version;
  const parsed = /\/(\d+)$/.exec(arn)?.[1];
  if (parsed === undefined) throw new TerminalError(`Model package ${arn} has no version: not a versioned package`);
  return Number(parsed);
}

function approvalOf(status: string | undefined): ApprovalStatus {
  return status === 'Approved' || status === 'Rejected' ? status : 'PendingManualApproval';
}

function iso(date: Date | undefined): string | undefined {
  return date?.toISOString();
}

function summaryOf(s: ModelPackageSummary): PackageSummary {
  const arn = s.ModelPackageArn ?? '';
  return { version: versionOf(s.ModelPackageVersion, arn), arn, createdAt: iso(s.CreationTime) ?? '', approvalStatus: approvalOf(s.ModelApprovalStatus) };
}

function lineageOf(out: DescribeModelPackageCommandOutput): Lineage {
  const meta = out.CustomerMetadataProperties ?? {};
  // The digest SageMaker resolved for each inference image at registration: which container bytes serve it.
  const imageDigests = (out.InferenceSpecification?.Containers ?? []).map((c) => c.ImageDigest).filter((d): d is string => typeof d === 'string' && d.length > 0);
  const hyperparameters = Object.fromEntries(
    Object.entries(meta)
      .filter(([key]) => key.startsWith(LINEAGE_KEYS.hyperparameterPrefix))
      .map(([key, value]) => [key.slice(LINEAGE_KEYS.hyperparameterPrefix.length), value]),
  );
  return {
    trainingDataUri: meta[LINEAGE_KEYS.trainingDataUri],
    trainingDataHash: meta[LINEAGE_KEYS.trainingDataHash],
    commitId: meta[LINEAGE_KEYS.commitId] ?? out.MetadataProperties?.CommitId,
    pipelineExecutionArn: out.MetadataProperties?.GeneratedBy,
    hyperparameters,
    ...(imageDigests.length > 0 ? { imageDigests } : {}),
  };
}

function describedOf(arn: string, out: DescribeModelPackageCommandOutput): RegisteredPackage {
  const packageArn = out.ModelPackageArn ?? arn;
  const metrics = out.ModelMetrics;
  const stage = out.ModelLifeCycle;
  return {
    version: versionOf(out.ModelPackageVersion, packageArn),
    arn: packageArn,
    createdAt: iso(out.CreationTime) ?? '',
    approvalStatus: approvalOf(out.ModelApprovalStatus),
    approvalDescription: out.ApprovalDescription,
    lastModifiedBy: out.LastModifiedBy?.IamIdentity?.Arn,
    lastModifiedAt: iso(out.LastModifiedTime),
    lifeCycle: stage?.Stage && stage.StageStatus ? { stage: stage.Stage, stageStatus: stage.StageStatus, description: stage.StageDescription } : undefined,
    reportUris: {
      evaluation: metrics?.ModelQuality?.Statistics?.S3Uri,
      bias: metrics?.Bias?.Report?.S3Uri ?? metrics?.Bias?.PostTrainingReport?.S3Uri,
      explainability: metrics?.Explainability?.Report?.S3Uri,
    },
    lineage: lineageOf(out),
    ...(out.DriftCheckBaselines?.ModelDataQuality?.Statistics?.S3Uri ? { baselineStatisticsUri: out.DriftCheckBaselines.ModelDataQuality.Statistics.S3Uri } : {}),
    ...(out.CustomerMetadataProperties?.[EXPLAINER_METADATA_KEY] ? { explainerUri: out.CustomerMetadataProperties[EXPLAINER_METADATA_KEY] } : {}),
  };
}

/** A reason as an ApprovalDescription: one line, cut to 1024 characters (code points, as AWS counts). */
export function approvalDescription(reason: string): string {
  const oneLine = reason.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= MAX_APPROVAL_DESCRIPTION ? oneLine : `${chars.slice(0, MAX_APPROVAL_DESCRIPTION - 1).join('')}…`;
}

/**
 * The `Registry` port over SageMaker.
 * - listPackages: ListModelPackages of the group (Versioned only: the type filter defaults to Unversioned,
 *   aws-facts §4.2), every page, sorted by version.
 * - describePackage: DescribeModelPackage with `IncludedData: MetadataOnly` (no kms:Decrypt for an embedded
 *   model card; ModelMetrics and metadata are returned unchanged). Errors propagate.
 * - setApproval: UpdateModelPackage with the caller's deterministic ClientToken (the SDK fills none for this
 *   operation, aws-facts §4.1), so a retry completes at most once.
 * @example
 * const registry = makeSageMakerRegistry(clients.sagemaker);
 * const packages = await registry.listPackages('credit-card-acme');
 */
export function makeSageMakerRegistry(sagemaker: SageMakerClient): Registry {
  return {
    async listPackages(group) {
      const packages: PackageSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sagemaker.send(
          new ListModelPackagesCommand({
            ModelPackageGroupName: group,
            ModelPackageType: 'Versioned',
            SortBy: 'CreationTime',
            SortOrder: 'Ascending',
            MaxResults: 100,
            NextToken: nextToken,
          }),
        );
        packages.push(...(page.ModelPackageSummaryList ?? []).map(summaryOf));
        nextToken = page.NextToken;
      } while (nextToken);
      return packages.sort((a, b) => a.version - b.version);
    },

    async describePackage(modelPackageArn) {
      const out = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn, IncludedData: 'MetadataOnly' }));
      return describedOf(modelPackageArn, out);
    },

    async setApproval({ modelPackageArn, status, reason, clientToken }) {
      await sagemaker.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: modelPackageArn,
          ModelApprovalStatus: status,
          ApprovalDescription: approvalDescription(reason),
          ClientToken: clientToken,
        }),
      );
    },
  };
}
