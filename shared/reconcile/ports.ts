/**
 * The ports the reconciler and the handlers work through. Adapters in `shared/aws` implement them over the AWS
 * SDK; tests and the local twin plug in other implementations. Every method is idempotent or says what it does
 * when repeated.
 */
import type { ReconcileRequest } from '../contracts/reconcile-request';
import type { DomainEvent } from '../contracts/domain-events';
import type { EndpointSpec } from '../lifecycle/actions';
import type { DriftSignal } from '../lifecycle/drift-triage';
import type { AlarmObservation, ApprovalStatus, EndpointObservation, ExperimentVerdictRecord, GroupStatus, Lineage } from '../lifecycle/model';

/** A model package as the registry describes it, before reports are read and identities classified. */
export interface RegisteredPackage {
  version: number;
  arn: string;
  createdAt: string;
  approvalStatus: ApprovalStatus;
  approvalDescription?: string;
  /** DescribeModelPackage.LastModifiedBy.IamIdentity.Arn and LastModifiedTime. */
  lastModifiedBy?: string;
  lastModifiedAt?: string;
  lifeCycle?: { stage: string; stageStatus: string; description?: string };
  /** S3 URIs of the reports registered in ModelMetrics. */
  reportUris: { evaluation?: string; bias?: string; explainability?: string };
  lineage: Lineage;
  /** The training baseline (DriftCheckBaselines.ModelDataQuality.Statistics) the drift check compares with. */
  baselineStatisticsUri?: string;
  /** The explainer (CustomerMetadataProperties `explainer:uri`): reason codes and each feature's importance. */
  explainerUri?: string;
}

/** Who changed a package's approval, from the CloudTrail record of UpdateModelPackage. */
export interface ApprovalEvidence {
  modelGroup: string;
  version: number;
  modelPackageArn: string;
  /** ModelApprovalStatus, or `Staging:Approved` style for a ModelLifeCycle stage change. */
  change: string;
  principalArn: string;
  sourceIdentity?: string;
  description?: string;
  at: string;
  eventId: string;
}

export interface RejectedEventRecord {
  eventId: string;
  source: string;
  detailType: string;
  reason: string;
  receivedAt: string;
  /** The event as received (truncated when huge), kept as evidence. */
  raw: string;
}

export interface StateStore {
  /** The group's recorded status; revision 0 and no versions when never written. */
  load(group: string): Promise<GroupStatus>;
  /**
   * Writes the status if the stored revision is still `status.revision`; throws a retryable conflict otherwise.
   * Given the status it was decided from, only the versions that changed are written.
   */
  save(status: GroupStatus, previous?: GroupStatus): Promise<void>;
  /** The group's policy overrides; undefined when the group is not managed by the control plane. */
  policyOverrides(group: string): Promise<unknown | undefined>;
  /** Every managed group. */
  listGroups(): Promise<string[]>;
  requestRollback(group: string, request: NonNullable<GroupStatus['rollbackRequest']>): Promise<void>;
  /** Records an operator's A/B test request; bumps the revision so an in-flight reconcile cannot drop it. */
  requestChallenge(group: string, request: NonNullable<GroupStatus['challengeRequest']>): Promise<void>;
  /**
   * Records the judge's terminal verdict on the running experiment of `version`, once (conditional write);
   * false when that experiment is not running or already has a verdict.
   */
  recordExperimentVerdict(group: string, version: number, verdict: ExperimentVerdictRecord): Promise<boolean>;
  recordApprovalEvidence(evidence: ApprovalEvidence): Promise<void>;
  approvalEvidence(group: string, version: number): Promise<ApprovalEvidence[]>;
  /** Remembers which group an endpoint belongs to (for alarm events, which name only the endpoint). */
  registerEndpoint(endpointName: string, group: string): Promise<void>;
  groupOfEndpoint(endpointName: string): Promise<string | undefined>;
  recordRejectedEvent(record: RejectedEventRecord): Promise<void>;
  /** Records a drift finding on a version (the same window twice is one record). */
  recordDriftSignal(group: string, signal: DriftSignal): Promise<void>;
  /** The version's most recent drift findings, newest first (at most a day's worth of hourly windows). */
  driftSignals(group: string, version: number): Promise<DriftSignal[]>;
}

/** What ListModelPackages tells of a package, without its metadata. */
export type PackageSummary = Pick<RegisteredPackage, 'version' | 'arn' | 'createdAt' | 'approvalStatus'>;

export interface Registry {
  /** Every versioned package of the group, oldest first. */
  listPackages(group: string): Promise<PackageSummary[]>;
  describePackage(modelPackageArn: string): Promise<RegisteredPackage>;
  setApproval(input: { modelPackageArn: string; status: 'Approved' | 'Rejected'; reason: string; clientToken: string }): Promise<void>;
}

/** JSON documents in S3 (reports, sample payloads). */
/** Writes JSON documents (the drift check's reports). */
export interface DocumentWriter {
  /** Writes `value` as JSON, replacing what is there (the drift check's keys are deterministic per window). */
  writeJson(s3Uri: string, value: unknown): Promise<void>;
}

export interface Documents {
  readJson(s3Uri: string): Promise<unknown>;
  /** The parsed document and the SHA-256 (hex) of the exact bytes read: evidence the audit record can cite. */
  readJsonWithHash(s3Uri: string): Promise<{ value: unknown; sha256: string }>;
}

export interface Endpoints {
  describe(endpointName: string): Promise<EndpointObservation | undefined>;
  /** Ensures model and endpoint config, then creates or updates the endpoint; a no-op when already under way. */
  deploy(spec: EndpointSpec): Promise<void>;
  delete(endpointName: string): Promise<void>;
  /** Sets the traffic weights of the endpoint's variants (UpdateEndpointWeightsAndCapacities); repeating sets the same. */
  updateWeights(endpointName: string, weights: { variantName: string; weight: number }[]): Promise<void>;
}

export interface Scorer {
  /**
   * Invokes an endpoint with a CSV body and measures the latency. A model's own refusal (ModelError) resolves
   * with `failed: true` and its message as body; infrastructure trouble (throttling, 5xx) throws to be retried.
   */
  score(endpointName: string, csv: string): Promise<{ body: string; latencyMs: number; failed: boolean }>;
}

export interface Alarms {
  describe(alarmNames: string[]): Promise<AlarmObservation[]>;
}

export interface EventBus {
  publish(events: DomainEvent[]): Promise<void>;
}

export interface ReconcileQueue {
  request(request: ReconcileRequest): Promise<void>;
}

export interface PipelineExecution {
  pipelineArn: string;
  executionArn: string;
  status: string;
  /** When it reached a final status (Succeeded, Failed, Stopped). */
  endedAt?: string;
  failureReason?: string;
  failedStep?: { name: string; reason?: string };
  parameters: Record<string, string>;
}

/** A training run to start: the same client token starts nothing new (SageMaker returns the first execution). */
export interface PipelineStart {
  pipelineName: string;
  clientToken: string;
  displayName: string;
  description: string;
  parameters: Record<string, string>;
}

export interface Pipelines {
  describeExecution(executionArn: string): Promise<PipelineExecution>;
  startExecution(start: PipelineStart): Promise<{ executionArn: string }>;
}

/** Where drift retraining runs: the training pipeline and the URIs a run of a group and commit reads. */
export interface TrainingTarget {
  pipelineName: string;
  /** `s3://data-bucket/applications/`: the group's training data is `<prefix><group>/`. */
  dataPrefix: string;
  /** `s3://artifacts-bucket/pipeline/code/`: a commit's step code is `<prefix><commit>/`. */
  codePrefix: string;
}

export interface Clock {
  now(): string;
}
