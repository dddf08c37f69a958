/**
 * The SageMaker Model Registry of the twin: model package groups and their versioned packages, with approval
 * transitions, metadata, metrics, who changed them last, and the events AWS sends for them (aws-facts §1.3, §4.2).
 */
import { createHash } from 'node:crypto';
import type {
  CreateModelPackageInput,
  DriftCheckBaselines,
  DescribeModelPackageOutput,
  ListModelPackageGroupsInput,
  ListModelPackagesInput,
  ModelApprovalStatus,
  ModelPackageGroupSummary,
  ModelPackageSummary,
  UpdateModelPackageInput,
} from '@aws-sdk/client-sagemaker';
import { LINEAGE_KEYS } from '../../../shared/aws/sagemaker-registry';
import { TwinServiceError, type ServiceContext } from '../core/types';
import { emitTrailEvent } from './sagemaker-cloudtrail';
import { copy, dropUndefined, nameFromArnOrName, nameKey, paginate, sageMakerArn, userContextOf, validationError } from './sagemaker-common';

/** A package as the registry keeps it: DescribeModelPackage's answer, plus what the twin needs to behave. */
interface StoredPackage {
  described: Omit<DescribeModelPackageOutput, '$metadata'>;
  versioned: boolean;
  /** UpdateModelPackage ClientTokens already honoured: a retry with one completes at most once (aws-facts §4.1). */
  updateTokens: Set<string>;
}

interface StoredGroup {
  name: string;
  arn: string;
  creationMs: number;
  description?: string;
}

/** What a scenario says about a package it registers, in the control plane's terms. */
export interface PackageSeed {
  /** S3 URIs of the pipeline's reports (ModelMetrics). */
  reports?: { evaluation?: string; bias?: string; explainability?: string };
  /** Lineage, written as the training pipeline writes it (CustomerMetadataProperties and MetadataProperties). */
  lineage?: {
    trainingDataUri?: string;
    trainingDataHash?: string;
    commitId?: string;
    repository?: string;
    pipelineExecutionArn?: string;
    hyperparameters?: Record<string, string>;
  };
  approvalStatus?: ModelApprovalStatus;
  /** Further CustomerMetadataProperties. */
  customerMetadata?: Record<string, string>;
  /** The inference container; a placeholder image and artefact when absent. */
  inference?: { image?: string; modelDataUrl?: string };
  description?: string;
  /** Who registers it (CreatedBy); the twin's SDK caller when absent. */
  principal?: string;
  /** Baselines for drift checks (the training data's statistics and constraints), as RegisterModel records them. */
  driftCheckBaselines?: DriftCheckBaselines;
}

/** The fields an UpdateModelPackage input can change, in the order `UpdatedModelPackageFields` names them. */
const UPDATABLE_FIELDS = [
  'ModelApprovalStatus',
  'ApprovalDescription',
  'CustomerMetadataProperties',
  'ModelLifeCycle',
  'InferenceSpecification',
  'AdditionalInferenceSpecifications',
  'SourceUri',
  'ModelCard',
  'ModelPackageRegistrationType',
] as const;

const REPORT_JSON = 'application/json';

/** Events carry ISO strings for package times (aws-facts §1.0). */
function isoOf(date: Date | undefined): string | undefined {
  return date?.toISOString();
}

/**
 * The registry part of the SageMaker twin.
 * @param callerArn who SDK calls are made by (the control plane's role): `LastModifiedBy` of their updates.
 * @param options.cloudTrail whether UpdateModelPackage calls also put their CloudTrail record on the bus (default true).
 */
export function createRegistry(callerArn: string, options: { cloudTrail?: boolean } = {}) {
  const groups = new Map<string, StoredGroup>();
  const packages = new Map<string, StoredPackage>();
  /** CreateModelPackage ClientToken → package ARN (the SDK fills a token, so its retries create one version). */
  const createTokens = new Map<string, string>();
  const trail = options.cloudTrail ?? true;

  function ensureGroup(ctx: ServiceContext, name: string, description?: string): StoredGroup {
    const existing = groups.get(nameKey(name));
    if (existing) return existing;
    const group: StoredGroup = { name, arn: sageMakerArn(ctx, 'model-package-group', name), creationMs: ctx.clock.nowMs(), description };
    groups.set(nameKey(name), group);
    return group;
  }

  function find(arnOrName: string): StoredPackage {
    const stored = packages.get(arnOrName.toLowerCase());
    if (stored) return stored;
    // A versioned package is named by its ARN; an unversioned one by its name or ARN.
    const byName = [...packages.values()].find((p) => !p.versioned && nameKey(p.described.ModelPackageName ?? '') === nameKey(arnOrName));
    if (byName) return byName;
    throw validationError(`ModelPackage ${arnOrName} does not exist.`);
  }

  /** The `SageMaker Model Package State Change` detail: the documented fields, no approver (aws-facts §0.5, §1.3). */
  function emitStateChange(ctx: ServiceContext, stored: StoredPackage, updated?: string[]): void {
    const d = stored.described;
    if (!stored.versioned) return;
    ctx.emit({
      source: 'aws.sagemaker',
      'detail-type': 'SageMaker Model Package State Change',
      resources: [d.ModelPackageArn!],
      detail: {
        ModelPackageGroupName: d.ModelPackageGroupName,
        ModelPackageVersion: d.ModelPackageVersion,
        ModelPackageArn: d.ModelPackageArn,
        CreationTime: isoOf(d.CreationTime),
        ...(d.InferenceSpecification ? { InferenceSpecification: copy(d.InferenceSpecification) } : {}),
        ModelPackageStatus: d.ModelPackageStatus,
        ModelPackageStatusDetails: copy(d.ModelPackageStatusDetails),
        CertifyForMarketplace: d.CertifyForMarketplace ?? false,
        ModelApprovalStatus: d.ModelApprovalStatus,
        ...(d.MetadataProperties ? { MetadataProperties: copy(d.MetadataProperties) } : {}),
        ...(d.ModelMetrics ? { ModelMetrics: copy(d.ModelMetrics) } : {}),
        LastModifiedTime: isoOf(d.LastModifiedTime),
        ...(d.ModelLifeCycle ? { ModelLifeCycle: copy(d.ModelLifeCycle) } : {}),
        // Only a metadata update carries the metadata (as the sample shows); a registration event does not.
        ...(updated?.includes('CustomerMetadataProperties') && d.CustomerMetadataProperties ? { CustomerMetadataProperties: copy(d.CustomerMetadataProperties) } : {}),
        // Absent on creation, present on every update (aws-facts §1.3).
        ...(updated ? { UpdatedModelPackageFields: updated } : {}),
      },
    });
  }

  function create(ctx: ServiceContext, input: CreateModelPackageInput, principal: string): { ModelPackageArn: string } {
    if (input.ClientToken) {
      const earlier = createTokens.get(input.ClientToken);
      if (earlier) return { ModelPackageArn: earlier };
    }
    if (input.ModelPackageGroupName && input.ModelPackageName) {
      throw validationError('Both ModelPackageName and ModelPackageGroupName are provided in the input. Cannot determine which one to use.');
    }
    if (!input.ModelPackageGroupName && !input.ModelPackageName) throw validationError('Missing ARN.');
    const now = new Date(ctx.clock.nowMs());
    const versioned = input.ModelPackageGroupName !== undefined;
    let described: StoredPackage['described'];
    if (versioned) {
      const groupName = nameFromArnOrName(input.ModelPackageGroupName!, 'model-package-group');
      const group = groups.get(nameKey(groupName));
      // UNVERIFIED wording: SageMaker refuses a version of a group that does not exist.
      if (!group) throw validationError(`Model Package Group ${groupName} does not exist.`);
      const version = [...packages.values()].filter((p) => p.versioned && nameKey(p.described.ModelPackageGroupName ?? '') === nameKey(group.name)).length + 1;
      described = {
        ModelPackageName: group.name,
        ModelPackageGroupName: group.name,
        ModelPackageVersion: version,
        ModelPackageArn: `${sageMakerArn(ctx, 'model-package', group.name)}/${version}`,
        // Versioned packages need an approval status; "must be Approved to deploy" (aws-facts §4.2).
        ModelApprovalStatus: input.ModelApprovalStatus ?? 'PendingManualApproval',
      } as StoredPackage['described'];
    } else {
      const name = input.ModelPackageName!;
      if ([...packages.values()].some((p) => !p.versioned && nameKey(p.described.ModelPackageName ?? '') === nameKey(name))) {
        throw new TwinServiceError('ConflictException', `Model package ${name} already exists.`);
      }
      described = { ModelPackageName: name, ModelPackageArn: sageMakerArn(ctx, 'model-package', name) } as StoredPackage['described'];
    }
    Object.assign(described, {
      ModelPackageDescription: input.ModelPackageDescription,
      ModelPackageRegistrationType: input.ModelPackageRegistrationType,
      CreationTime: now,
      // SageMaker resolves each image to a digest at registration; the twin's stand-in is the SHA-256 of the URI.
      InferenceSpecification: input.InferenceSpecification && {
        ...copy(input.InferenceSpecification),
        Containers: (input.InferenceSpecification.Containers ?? []).map((c) => ({ ...copy(c), ImageDigest: c.ImageDigest ?? `sha256:${createHash('sha256').update(c.Image ?? '').digest('hex')}` })),
      },
      ValidationSpecification: copy(input.ValidationSpecification),
      SourceAlgorithmSpecification: copy(input.SourceAlgorithmSpecification),
      // Validation and image scans are instant in the twin.
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      CertifyForMarketplace: input.CertifyForMarketplace ?? false,
      CreatedBy: userContextOf(principal),
      MetadataProperties: copy(input.MetadataProperties),
      ModelMetrics: copy(input.ModelMetrics),
      LastModifiedTime: now,
      Domain: input.Domain,
      Task: input.Task,
      SamplePayloadUrl: input.SamplePayloadUrl,
      CustomerMetadataProperties: copy(input.CustomerMetadataProperties),
      DriftCheckBaselines: copy(input.DriftCheckBaselines),
      AdditionalInferenceSpecifications: copy(input.AdditionalInferenceSpecifications),
      SkipModelValidation: input.SkipModelValidation,
      SourceUri: input.SourceUri,
      SecurityConfig: copy(input.SecurityConfig),
      ModelCard: copy(input.ModelCard),
      ModelLifeCycle: copy(input.ModelLifeCycle),
    });
    const stored: StoredPackage = { described: dropUndefined(described), versioned, updateTokens: new Set() };
    packages.set(described.ModelPackageArn!.toLowerCase(), stored);
    if (input.ClientToken) createTokens.set(input.ClientToken, described.ModelPackageArn!);
    emitStateChange(ctx, stored);
    return { ModelPackageArn: described.ModelPackageArn! };
  }

  function applyUpdate(ctx: ServiceContext, input: UpdateModelPackageInput, principal: string): { ModelPackageArn: string } {
    const stored = find(input.ModelPackageArn!);
    if (input.ClientToken && stored.updateTokens.has(input.ClientToken)) return { ModelPackageArn: stored.described.ModelPackageArn! };
    const d = stored.described;
    if (input.ModelApprovalStatus !== undefined && !stored.versioned) {
      throw validationError('ModelApprovalStatus can only be set for versioned model packages.');
    }
    if (input.ModelApprovalStatus !== undefined) d.ModelApprovalStatus = input.ModelApprovalStatus;
    if (input.ApprovalDescription !== undefined) d.ApprovalDescription = input.ApprovalDescription;
    if (input.CustomerMetadataProperties !== undefined || input.CustomerMetadataPropertiesToRemove !== undefined) {
      const merged = { ...d.CustomerMetadataProperties, ...input.CustomerMetadataProperties };
      for (const key of input.CustomerMetadataPropertiesToRemove ?? []) delete merged[key];
      // UNVERIFIED wording; the limit is the API model's (1–50 entries, aws-facts §4.2).
      if (Object.keys(merged).length > 50) throw validationError('CustomerMetadataProperties cannot have more than 50 entries.');
      d.CustomerMetadataProperties = Object.keys(merged).length > 0 ? merged : undefined;
    }
    if (input.ModelLifeCycle !== undefined) d.ModelLifeCycle = copy(input.ModelLifeCycle);
    if (input.InferenceSpecification !== undefined) d.InferenceSpecification = copy(input.InferenceSpecification);
    if (input.AdditionalInferenceSpecificationsToAdd !== undefined) {
      d.AdditionalInferenceSpecifications = [...(d.AdditionalInferenceSpecifications ?? []), ...copy(input.AdditionalInferenceSpecificationsToAdd)];
    }
    if (input.SourceUri !== undefined) d.SourceUri = input.SourceUri;
    if (input.ModelCard !== undefined) d.ModelCard = copy(input.ModelCard);
    if (input.ModelPackageRegistrationType !== undefined) d.ModelPackageRegistrationType = input.ModelPackageRegistrationType;
    d.LastModifiedTime = new Date(ctx.clock.nowMs());
    d.LastModifiedBy = userContextOf(principal);
    stored.described = dropUndefined(d);
    if (input.ClientToken) stored.updateTokens.add(input.ClientToken);
    const present = new Set(Object.keys(input).filter((k) => (input as unknown as Record<string, unknown>)[k] !== undefined));
    if (present.has('CustomerMetadataPropertiesToRemove')) present.add('CustomerMetadataProperties');
    if (present.has('AdditionalInferenceSpecificationsToAdd')) present.add('AdditionalInferenceSpecifications');
    emitStateChange(ctx, stored, UPDATABLE_FIELDS.filter((f) => present.has(f)));
    return { ModelPackageArn: d.ModelPackageArn! };
  }

  /** UpdateModelPackage by `principal`, with its CloudTrail record (failed calls are recorded too, with the error). */
  function update(ctx: ServiceContext, input: UpdateModelPackageInput, principal: string, userAgent: string): { ModelPackageArn: string } {
    try {
      const out = applyUpdate(ctx, input, principal);
      if (trail) emitTrailEvent(ctx, { eventName: 'UpdateModelPackage', principal, request: { ...input }, response: out, userAgent });
      return out;
    } catch (error) {
      if (trail && error instanceof TwinServiceError) {
        emitTrailEvent(ctx, { eventName: 'UpdateModelPackage', principal, request: { ...input }, error: { code: error.name, message: error.message }, userAgent });
      }
      throw error;
    }
  }

  function summaryOf(p: StoredPackage): ModelPackageSummary {
    const d = p.described;
    return dropUndefined({
      ModelPackageName: d.ModelPackageName,
      ModelPackageGroupName: d.ModelPackageGroupName,
      ModelPackageVersion: d.ModelPackageVersion,
      ModelPackageArn: d.ModelPackageArn,
      ModelPackageDescription: d.ModelPackageDescription,
      CreationTime: d.CreationTime,
      ModelPackageStatus: d.ModelPackageStatus,
      ModelApprovalStatus: d.ModelApprovalStatus,
      ModelLifeCycle: d.ModelLifeCycle,
      ModelPackageRegistrationType: d.ModelPackageRegistrationType,
    }) as ModelPackageSummary;
  }

  function list(input: ListModelPackagesInput): { ModelPackageSummaryList: ModelPackageSummary[]; NextToken?: string } {
    // The API documents Unversioned as the default type (aws-facts §4.2): a call without it sees no versions.
    const type = input.ModelPackageType ?? 'Unversioned';
    const group = input.ModelPackageGroupName ? nameKey(nameFromArnOrName(input.ModelPackageGroupName, 'model-package-group')) : undefined;
    const matching = [...packages.values()].filter((p) => {
      const d = p.described;
      if (type !== 'Both' && p.versioned !== (type === 'Versioned')) return false;
      if (group !== undefined && nameKey(d.ModelPackageGroupName ?? '') !== group) return false;
      if (input.ModelApprovalStatus && d.ModelApprovalStatus !== input.ModelApprovalStatus) return false;
      if (input.NameContains && !(d.ModelPackageName ?? '').toLowerCase().includes(input.NameContains.toLowerCase())) return false;
      if (input.CreationTimeAfter && !(d.CreationTime! > new Date(input.CreationTimeAfter))) return false;
      if (input.CreationTimeBefore && !(d.CreationTime! < new Date(input.CreationTimeBefore))) return false;
      return true;
    });
    // Ties (same name, or the same millisecond) are broken by version, so the order is total and stable.
    const byVersion = (a: StoredPackage, b: StoredPackage) => (a.described.ModelPackageVersion ?? 0) - (b.described.ModelPackageVersion ?? 0);
    const byKey = (a: StoredPackage, b: StoredPackage) =>
      input.SortBy === 'Name'
        ? (a.described.ModelPackageName ?? '').localeCompare(b.described.ModelPackageName ?? '')
        : a.described.CreationTime!.getTime() - b.described.CreationTime!.getTime();
    matching.sort((a, b) => byKey(a, b) || byVersion(a, b));
    if (input.SortOrder === 'Descending') matching.reverse();
    const { page, NextToken } = paginate(matching, input);
    return { ModelPackageSummaryList: page.map(summaryOf), ...(NextToken ? { NextToken } : {}) };
  }

  function listGroups(input: ListModelPackageGroupsInput): { ModelPackageGroupSummaryList: ModelPackageGroupSummary[]; NextToken?: string } {
    const matching = [...groups.values()].filter(
      (g) =>
        (!input.NameContains || g.name.toLowerCase().includes(input.NameContains.toLowerCase())) &&
        (!input.CreationTimeAfter || g.creationMs > new Date(input.CreationTimeAfter).getTime()) &&
        (!input.CreationTimeBefore || g.creationMs < new Date(input.CreationTimeBefore).getTime()),
    );
    matching.sort((a, b) => (input.SortBy === 'Name' ? a.name.localeCompare(b.name) : a.creationMs - b.creationMs));
    // ListModelPackageGroups sorts by creation time, newest first, unless told otherwise (UNVERIFIED default).
    if ((input.SortOrder ?? 'Descending') === 'Descending') matching.reverse();
    const { page, NextToken } = paginate(matching, input);
    return {
      ModelPackageGroupSummaryList: page.map((g) =>
        dropUndefined({
          ModelPackageGroupName: g.name,
          ModelPackageGroupArn: g.arn,
          ModelPackageGroupDescription: g.description,
          CreationTime: new Date(g.creationMs),
          ModelPackageGroupStatus: 'Completed',
        }) as ModelPackageGroupSummary,
      ),
      ...(NextToken ? { NextToken } : {}),
    };
  }

  function describe(input: { ModelPackageName?: string; IncludedData?: string }): Omit<DescribeModelPackageOutput, '$metadata'> {
    const described = copy(find(input.ModelPackageName!).described);
    // MetadataOnly leaves out the embedded model card (which needs kms:Decrypt); metrics and metadata stay.
    if (input.IncludedData === 'MetadataOnly') delete described.ModelCard;
    return described;
  }

  /** Registers a version the way the training pipeline does (CreateModelPackage), from the control plane's terms. */
  function registerPackage(ctx: ServiceContext, group: string, seed: PackageSeed = {}): string {
    ensureGroup(ctx, group);
    const lineage = seed.lineage ?? {};
    const metadata: Record<string, string> = {
      ...(lineage.trainingDataUri ? { [LINEAGE_KEYS.trainingDataUri]: lineage.trainingDataUri } : {}),
      ...(lineage.trainingDataHash ? { [LINEAGE_KEYS.trainingDataHash]: lineage.trainingDataHash } : {}),
      ...(lineage.commitId ? { [LINEAGE_KEYS.commitId]: lineage.commitId } : {}),
      ...Object.fromEntries(Object.entries(lineage.hyperparameters ?? {}).map(([k, v]) => [`${LINEAGE_KEYS.hyperparameterPrefix}${k}`, v])),
      ...seed.customerMetadata,
    };
    const reports = seed.reports ?? {};
    const report = (uri: string | undefined) => (uri ? { ContentType: REPORT_JSON, S3Uri: uri } : undefined);
    const input: CreateModelPackageInput = {
      ModelPackageGroupName: group,
      ModelPackageDescription: seed.description,
      ModelApprovalStatus: seed.approvalStatus ?? 'PendingManualApproval',
      InferenceSpecification: {
        Containers: [
          {
            Image: seed.inference?.image ?? `${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com/creditai-xgboost-inference:1.7-1`,
            ModelDataUrl: seed.inference?.modelDataUrl ?? `s3://creditai-mlops-artifacts-${ctx.account}/${group}/model/model.tar.gz`,
          },
        ],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      ModelMetrics: emptyToUndefined({
        ModelQuality: reports.evaluation ? { Statistics: report(reports.evaluation) } : undefined,
        Bias: reports.bias ? { Report: report(reports.bias) } : undefined,
        Explainability: reports.explainability ? { Report: report(reports.explainability) } : undefined,
      }),
      MetadataProperties: emptyToUndefined({ GeneratedBy: lineage.pipelineExecutionArn, CommitId: lineage.commitId, Repository: lineage.repository }),
      DriftCheckBaselines: seed.driftCheckBaselines,
      ...(Object.keys(metadata).length > 0 ? { CustomerMetadataProperties: metadata } : {}),
    };
    return create(ctx, dropUndefined(input), seed.principal ?? callerArn).ModelPackageArn;
  }

  return {
    ensureGroup,
    registerPackage,
    /** The model artefact of a package's first container (what an endpoint serving it loads). */
    modelDataUrlOf(arnOrName: string): string | undefined {
      try {
        return find(arnOrName).described.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
      } catch {
        return undefined;
      }
    },
    /** Whether a package exists under this ARN (or, unversioned, name). */
    exists(arnOrName: string): boolean {
      try {
        find(arnOrName);
        return true;
      } catch {
        return false;
      }
    },
    operations: {
      CreateModelPackage: (ctx: ServiceContext, input: CreateModelPackageInput) => create(ctx, input, callerArn),
      UpdateModelPackage: (ctx: ServiceContext, input: UpdateModelPackageInput) => update(ctx, input, callerArn, 'aws-sdk-js/3 creditai-mlops'),
      DescribeModelPackage: (_ctx: ServiceContext, input: { ModelPackageName?: string; IncludedData?: string }) => describe(input),
      ListModelPackages: (_ctx: ServiceContext, input: ListModelPackagesInput) => list(input),
      ListModelPackageGroups: (_ctx: ServiceContext, input: ListModelPackageGroupsInput) => listGroups(input),
    },
    /** An UpdateModelPackage made by someone else than the control plane (an approver in the console). */
    updateAsHuman: (ctx: ServiceContext, principalArn: string, input: UpdateModelPackageInput) => update(ctx, input, principalArn, 'signin.amazonaws.com'),
  };
}

/** The object without its undefined members, or undefined when none is left. */
function emptyToUndefined<T extends object>(value: T): T | undefined {
  const kept = dropUndefined(value);
  return Object.keys(kept).length > 0 ? kept : undefined;
}
