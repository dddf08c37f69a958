/**
 * Contracts of the AWS events the control plane consumes (DESIGN §4), as EventBridge delivers them.
 *
 * Source of truth for shapes and casing: `reference/aws-facts.md` §0 and §1. Every schema extends Powertools'
 * EventBridge envelope and validates strictly only what the control plane relies on (identity fields and status
 * enums); everything else is a loose object, so a field AWS adds tomorrow does not fail ingestion. The reconciler
 * re-reads state through Describe calls anyway (level-triggered), so an event only has to say *which* model group
 * to reconcile and *why*.
 *
 * Pure module: no AWS SDK, no environment, no clock.
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

/**
 * The EventBridge envelope, as Powertools' `EventBridgeSchema` defines it. Declared here rather than imported:
 * Powertools' schema module imports zod in a way that puts zod's locales (260 KB) into every bundle.
 */
export const EventBridgeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  'detail-type': z.string(),
  detail: z.unknown(),
  'replay-name': z.string().optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------------

/** Partition, region and 12-digit account prefix of a SageMaker ARN (`arn:aws:sagemaker:eu-west-1:111122223333:`). */
const SAGEMAKER_ARN_PREFIX = String.raw`^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:`;

const PIPELINE_ARN_RE = new RegExp(`${SAGEMAKER_ARN_PREFIX}pipeline/([^/]+)$`);
const PIPELINE_EXECUTION_ARN_RE = new RegExp(`${SAGEMAKER_ARN_PREFIX}pipeline/([^/]+)/execution/[^/]+$`);
const MODEL_PACKAGE_VERSION_ARN_RE = new RegExp(`${SAGEMAKER_ARN_PREFIX}model-package/([^/]+)/(\\d+)$`);
const ENDPOINT_ARN_RE = new RegExp(`${SAGEMAKER_ARN_PREFIX}endpoint/[^/]+$`);

/** A non-empty string: identity fields must never be blank. */
const nameSchema = z.string().min(1);

/**
 * An epoch-millisecond timestamp as SageMaker puts it in an event: a number (`1592411992203.0` in Endpoint events)
 * or a numeric string (Training events). Parsed to a number of milliseconds.
 *
 * Why both: aws-facts §1.0, timestamp formats inside `detail` differ per event type.
 */
export const epochMillisSchema = z.union([
  z.number().nonnegative(),
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected an epoch-millisecond number')
    .transform(Number),
]);

/**
 * An ISO-8601 timestamp with a zone: `Z`, `+00:00`, or the colon-less `+0000` CloudWatch alarms use
 * (aws-facts §1.9), which `z.iso.datetime({ offset: true })` would reject. Kept as the original string.
 */
const isoTimestampSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'expected an ISO-8601 timestamp');

/**
 * A timestamp the control plane only records, never computes with: ISO string or epoch value, unvalidated beyond
 * that. aws-facts §1.0 warns the formats are inconsistent even within one event type, so be lenient here.
 */
const recordedTimestampSchema = z.union([z.string(), z.number()]);

// ---------------------------------------------------------------------------------------------------------------
// SageMaker Model Building Pipeline Execution Status Change (aws-facts §1.1)
// ---------------------------------------------------------------------------------------------------------------

/** `PipelineExecutionStatus` values; the event uses the same enum as the API (aws-facts §1.1). */
export const pipelineExecutionStatusSchema = z.enum(['Executing', 'Stopping', 'Stopped', 'Failed', 'Succeeded']);

/** A pipeline execution status. */
export type PipelineExecutionStatus = z.infer<typeof pipelineExecutionStatusSchema>;

/**
 * `detail` of a pipeline execution status change. Keys are lower camelCase, unlike every other SageMaker event
 * (aws-facts §0.3). There is no failure reason, no parameters and no pipeline name in it: call
 * DescribePipelineExecution and parse the name from the ARN ({@link pipelineNameFromArn}).
 */
const pipelineExecutionStatusChangeDetailSchema = z.looseObject({
  currentPipelineExecutionStatus: pipelineExecutionStatusSchema,
  // Not relied upon; kept lenient so an unexpected previous state never drops a terminal event.
  previousPipelineExecutionStatus: z.string().optional(),
  pipelineArn: z.string().regex(PIPELINE_ARN_RE, 'expected a SageMaker pipeline ARN'),
  pipelineExecutionArn: z.string().regex(PIPELINE_EXECUTION_ARN_RE, 'expected a SageMaker pipeline execution ARN'),
  pipelineExecutionDisplayName: z.string().optional(),
  pipelineExecutionDescription: z.string().optional(),
  executionStartTime: recordedTimestampSchema.optional(),
  // Presence on non-terminal events is UNVERIFIED (aws-facts §1.1), hence optional.
  executionEndTime: recordedTimestampSchema.optional(),
});

/** `SageMaker Model Building Pipeline Execution Status Change` on the default bus. */
export const pipelineExecutionStatusChangeEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('SageMaker Model Building Pipeline Execution Status Change'),
  detail: pipelineExecutionStatusChangeDetailSchema,
});

/** A validated pipeline execution status change event. */
export type PipelineExecutionStatusChangeEvent = z.infer<typeof pipelineExecutionStatusChangeEventSchema>;

// ---------------------------------------------------------------------------------------------------------------
// SageMaker Model Package State Change (aws-facts §1.3)
// ---------------------------------------------------------------------------------------------------------------

/** The exactly three `ModelApprovalStatus` strings of the API enum; case matters (`approved` is not one). */
export const modelApprovalStatusSchema = z.enum(['Approved', 'Rejected', 'PendingManualApproval']);

/** A model package approval status. */
export type ModelApprovalStatus = z.infer<typeof modelApprovalStatusSchema>;

/** One `ModelMetrics` report location (`{ContentType, S3Uri, ContentDigest?}`), as the gates read it. */
const metricsSourceSchema = z.looseObject({
  S3Uri: z.string().min(1),
  ContentType: z.string().optional(),
  ContentDigest: z.string().optional(),
});

/** A `ModelMetrics` section: statistics/constraints (quality) or reports (Clarify bias and explainability). */
const metricsSectionSchema = z.looseObject({
  Statistics: metricsSourceSchema.optional(),
  Constraints: metricsSourceSchema.optional(),
  Report: metricsSourceSchema.optional(),
  PreTrainingReport: metricsSourceSchema.optional(),
  PostTrainingReport: metricsSourceSchema.optional(),
});

const modelPackageStateChangeDetailSchema = z.looseObject({
  ModelPackageGroupName: nameSchema,
  // Documented as an int; a numeric string is accepted defensively and parsed.
  ModelPackageVersion: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]),
  ModelPackageArn: z.string().regex(MODEL_PACKAGE_VERSION_ARN_RE, 'expected a versioned SageMaker model package ARN'),
  ModelApprovalStatus: modelApprovalStatusSchema,
  // Names what changed (newer docs). Absent on creation events is UNVERIFIED (aws-facts §1.3 / §7.2): callers must
  // treat "absent" as "could be anything" and gate approvals on ModelApprovalStatus, not on this list alone.
  UpdatedModelPackageFields: z.array(z.string()).optional(),
  ModelPackageStatus: z.string().optional(),
  ModelLifeCycle: z
    .looseObject({ Stage: z.string(), StageStatus: z.string(), StageDescription: z.string().optional() })
    .optional(),
  MetadataProperties: z
    .looseObject({
      GeneratedBy: z.string().optional(),
      CommitId: z.string().optional(),
      Repository: z.string().optional(),
      ProjectId: z.string().optional(),
    })
    .optional(),
  ModelMetrics: z
    .looseObject({
      ModelQuality: metricsSectionSchema.optional(),
      ModelDataQuality: metricsSectionSchema.optional(),
      Bias: metricsSectionSchema.optional(),
      Explainability: metricsSectionSchema.optional(),
    })
    .optional(),
  // Not in the documented example; whether live events carry them is UNVERIFIED (aws-facts §1.3). Typed if present,
  // never required: the reconciler reads them from DescribeModelPackage.
  ApprovalDescription: z.string().optional(),
  CustomerMetadataProperties: z.record(z.string(), z.string()).optional(),
  CreationTime: recordedTimestampSchema.optional(),
  LastModifiedTime: recordedTimestampSchema.optional(),
});

/**
 * `SageMaker Model Package State Change`: fires on registration and on every update (approval, rejection, lifecycle
 * stage, metadata). Approvals arrive here; there is no "Model Package Group State Change" (aws-facts §0.4). The
 * approver is not in this event (aws-facts §0.5): see {@link updateModelPackageTrailEventSchema}.
 */
export const modelPackageStateChangeEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('SageMaker Model Package State Change'),
  detail: modelPackageStateChangeDetailSchema,
});

/** A validated model package state change event. */
export type ModelPackageStateChangeEvent = z.infer<typeof modelPackageStateChangeEventSchema>;

// ---------------------------------------------------------------------------------------------------------------
// SageMaker Endpoint State Change / Endpoint Deployment State Change (aws-facts §1.5, §1.6)
// ---------------------------------------------------------------------------------------------------------------

/** `EndpointStatus` as DescribeEndpoint returns it (PascalCase, aws-facts §4.7). */
export const ENDPOINT_API_STATUSES = [
  'OutOfService',
  'Creating',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'InService',
  'Deleting',
  'Failed',
  'UpdateRollbackFailed',
] as const;

/** An endpoint status in API casing. */
export type EndpointApiStatus = (typeof ENDPOINT_API_STATUSES)[number];

/** `EndpointStatus` spellings of the Endpoint events (upper snake case), in the order of {@link ENDPOINT_API_STATUSES}. */
export const ENDPOINT_EVENT_STATUSES = [
  'OUT_OF_SERVICE',
  'CREATING',
  'UPDATING',
  'SYSTEM_UPDATING',
  'ROLLING_BACK',
  'IN_SERVICE',
  'DELETING',
  'FAILED',
  'UPDATE_ROLLBACK_FAILED',
] as const;

/** An endpoint status in event casing. */
export type EndpointEventStatus = (typeof ENDPOINT_EVENT_STATUSES)[number];

/**
 * Event casing to API casing, and API casing to itself. aws-facts §0.3: events say `IN_SERVICE`, the API says
 * `InService`. A Map, not an object literal, so inherited keys such as `constructor` never resolve.
 */
const ENDPOINT_STATUS_TO_API: ReadonlyMap<string, EndpointApiStatus> = new Map<string, EndpointApiStatus>([
  ...ENDPOINT_EVENT_STATUSES.map((s, i) => [s, ENDPOINT_API_STATUSES[i] as EndpointApiStatus] as const),
  ...ENDPOINT_API_STATUSES.map((s) => [s, s] as const),
]);

/**
 * `EndpointStatus` as an Endpoint (Deployment) State Change event may carry it. Only IN_SERVICE, UPDATING and
 * DELETING are seen in AWS material; the other upper-snake spellings are UNVERIFIED analogies (aws-facts §1.5, §7.1),
 * so the API's PascalCase spellings are accepted too. Anything else (e.g. `Running`) is rejected.
 */
export const endpointEventStatusSchema = z.enum([...ENDPOINT_EVENT_STATUSES, ...ENDPOINT_API_STATUSES]);

/**
 * Endpoint tags. Documented as a JSON object map (`{"creditai:model-group": "..."}`, aws-facts §1.5); a
 * `[{Key, Value}]` list (the API's shape) is accepted too and normalised to the map, since the model group is read
 * from these tags.
 */
const endpointTagsSchema = z.union([
  z.record(z.string(), z.string()),
  z
    .array(z.looseObject({ Key: z.string(), Value: z.string() }))
    .transform((tags) => Object.fromEntries(tags.map((t) => [t.Key, t.Value])) as Record<string, string>),
]);

/** One `VariantStatus` entry of a blue/green deployment (aws-facts §1.6). */
const variantStatusSchema = z.looseObject({
  Status: z.enum(['Creating', 'Updating', 'Deleting', 'ActivatingTraffic', 'Baking']),
  StatusMessage: z.string().optional(),
  StartTime: epochMillisSchema.optional(),
});

/** A production variant in an endpoint event; the plain State Change example has no `VariantName` (aws-facts §1.5). */
const productionVariantSchema = z.looseObject({
  VariantName: z.string().optional(),
  CurrentWeight: z.number().optional(),
  DesiredWeight: z.number().optional(),
  CurrentInstanceCount: z.number().optional(),
  DesiredInstanceCount: z.number().optional(),
  VariantStatus: z.array(variantStatusSchema).optional(),
});

const endpointDetailShape = {
  // Key on the name, not the ARN: SageMaker lowercases the name in the ARN (aws-facts §1.0).
  EndpointName: nameSchema,
  EndpointArn: z.string().regex(ENDPOINT_ARN_RE, 'expected a SageMaker endpoint ARN'),
  EndpointConfigName: nameSchema,
  EndpointStatus: endpointEventStatusSchema,
  CreationTime: epochMillisSchema.optional(),
  // Part of the semantic de-duplication key (ARN + status + LastModifiedTime, aws-facts §0.2).
  LastModifiedTime: epochMillisSchema,
  ProductionVariants: z.array(productionVariantSchema).optional(),
  Tags: endpointTagsSchema.optional(),
  // Presence on FAILED is UNVERIFIED (aws-facts §1.5): call DescribeEndpoint for the reason.
  FailureReason: z.string().optional(),
};

/** `SageMaker Endpoint State Change`. `EndpointStatus` is upper snake case; map it with {@link endpointStatusFromEvent}. */
export const endpointStateChangeEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('SageMaker Endpoint State Change'),
  detail: z.looseObject(endpointDetailShape),
});

/** A validated endpoint state change event. */
export type EndpointStateChangeEvent = z.infer<typeof endpointStateChangeEventSchema>;

/**
 * `SageMaker Endpoint Deployment State Change` (deployment guardrails). `EndpointConfigName` is the config still
 * serving; `PendingDeploymentSummary.EndpointConfigName` is the NEW one being rolled out (aws-facts §1.6). There is
 * no rollback status: a rollback shows as IN_SERVICE with the old config, so compare configs after every update.
 */
export const endpointDeploymentStateChangeEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('SageMaker Endpoint Deployment State Change'),
  detail: z.looseObject({
    ...endpointDetailShape,
    PendingDeploymentSummary: z
      .looseObject({
        EndpointConfigName: nameSchema,
        StartTime: epochMillisSchema.optional(),
        ProductionVariants: z.array(productionVariantSchema).optional(),
      })
      .optional(),
  }),
});

/** A validated endpoint deployment state change event. */
export type EndpointDeploymentStateChangeEvent = z.infer<typeof endpointDeploymentStateChangeEventSchema>;

// ---------------------------------------------------------------------------------------------------------------
// CloudWatch Alarm State Change (aws-facts §1.9)
// ---------------------------------------------------------------------------------------------------------------

/** `state.value` of a CloudWatch alarm. */
export const alarmStateValueSchema = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** A CloudWatch alarm state value. */
export type AlarmStateValue = z.infer<typeof alarmStateValueSchema>;

const alarmStateSchema = z.looseObject({
  value: alarmStateValueSchema,
  reason: z.string().optional(),
  // A JSON document serialised as a string (aws-facts §1.9). Kept a string here: a malformed one must not drop a
  // durable alarm event. Decode it with parseAlarmReasonData.
  reasonData: z.string().optional(),
  // `2019-10-02T17:04:40.989+0000`: offset without a colon, not `Z` (aws-facts §1.9).
  timestamp: isoTimestampSchema,
});

/** One entry of `configuration.metrics`: a metric stat, or a metric-math / anomaly-band expression. */
const alarmMetricSchema = z.looseObject({
  id: z.string(),
  metricStat: z
    .looseObject({
      metric: z.looseObject({
        namespace: z.string(),
        name: z.string(),
        dimensions: z.record(z.string(), z.string()).optional(),
      }),
      period: z.number().optional(),
      stat: z.string().optional(),
    })
    .optional(),
  expression: z.string().optional(),
  label: z.string().optional(),
  returnData: z.boolean().optional(),
});

/** `CloudWatch Alarm State Change` (source `aws.cloudwatch`, durable delivery). */
export const alarmStateChangeEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  detail: z.looseObject({
    alarmName: nameSchema,
    state: alarmStateSchema,
    previousState: alarmStateSchema.optional(),
    configuration: z
      .looseObject({
        description: z.string().optional(),
        metrics: z.array(alarmMetricSchema).optional(),
      })
      .optional(),
  }),
});

/** A validated CloudWatch alarm state change event. */
export type AlarmStateChangeEvent = z.infer<typeof alarmStateChangeEventSchema>;

// ---------------------------------------------------------------------------------------------------------------
// AWS API Call via CloudTrail: UpdateModelPackage (aws-facts §1.10)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Adds a lowerCamelCase alias for every PascalCase key that has no lowerCamel twin. aws-facts §1.10 / §7.3: the
 * lowerCamel casing of `requestParameters` for UpdateModelPackage is INFERRED, not confirmed on a real record.
 */
function withLowerCamelAliases(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, v] of Object.entries(value)) {
    const lower = key.charAt(0).toLowerCase() + key.slice(1);
    if (!(lower in out)) out[lower] = v;
  }
  return out;
}

const trailSessionContextSchema = z.looseObject({
  sessionIssuer: z
    .looseObject({
      type: z.string().optional(),
      principalId: z.string().optional(),
      arn: z.string().optional(),
      accountId: z.string().optional(),
      userName: z.string().optional(),
    })
    .optional(),
  attributes: z.looseObject({}).optional(),
  sourceIdentity: z.string().optional(),
});

const trailUserIdentitySchema = z.looseObject({
  type: nameSchema,
  principalId: z.string().optional(),
  // Optional: service principals (type AWSService) carry no ARN; the ledger then falls back to
  // DescribeModelPackage.LastModifiedBy (aws-facts §1.3).
  arn: z.string().optional(),
  accountId: z.string().optional(),
  userName: z.string().optional(),
  // aws-facts §1.10 places Studio's source identity at userIdentity.sourceIdentity; CloudTrail's own reference puts
  // it in sessionContext. Both are accepted; read it with approverFromTrailEvent.
  sourceIdentity: z.string().optional(),
  sessionContext: trailSessionContextSchema.optional(),
});

/**
 * `AWS API Call via CloudTrail` for a SageMaker `UpdateModelPackage` call: the audit-grade source of who approved or
 * rejected a version and why (aws-facts §0.5). `requestParameters` is normalised to lowerCamel keys.
 * Failed calls carry `errorCode`; the rule filters them out, but the field is typed so a handler can re-check.
 */
export const updateModelPackageTrailEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  detail: z.looseObject({
    eventVersion: z.string().optional(),
    eventSource: z.literal('sagemaker.amazonaws.com'),
    eventName: z.literal('UpdateModelPackage'),
    eventID: nameSchema,
    eventTime: isoTimestampSchema,
    eventType: z.string().optional(),
    awsRegion: z.string().optional(),
    requestID: z.string().optional(),
    recipientAccountId: z.string().optional(),
    userIdentity: trailUserIdentitySchema,
    requestParameters: z.preprocess(
      withLowerCamelAliases,
      z.looseObject({
        modelPackageArn: z.string().regex(MODEL_PACKAGE_VERSION_ARN_RE, 'expected a versioned model package ARN'),
        // Absent on metadata-only updates; when present it must be one of the three API values.
        modelApprovalStatus: modelApprovalStatusSchema.optional(),
        approvalDescription: z.string().optional(),
      }),
    ),
    // CloudTrail writes null when a call returns nothing worth logging.
    responseElements: z.looseObject({}).nullable().optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
  }),
});

/** A validated CloudTrail UpdateModelPackage event. */
export type UpdateModelPackageTrailEvent = z.infer<typeof updateModelPackageTrailEventSchema>;

// ---------------------------------------------------------------------------------------------------------------
// SageMaker Processing Job State Change (aws-facts §1.7; Model Monitor and Clarify monitoring runs, §2)
// ---------------------------------------------------------------------------------------------------------------

const PROCESSING_JOB_ARN_RE = new RegExp(`${SAGEMAKER_ARN_PREFIX}processing-job/[^/]+$`);
const MONITORING_SCHEDULE_ARN_RE = new RegExp(`${SAGEMAKER_ARN_PREFIX}monitoring-schedule/[^/]+$`);

/**
 * `ProcessingJobStatus` (aws-facts §1.7). A monitoring run with violations still ends `Completed` (aws-facts §0.6):
 * `CompletedWithViolations` is a monitoring-execution status, accepted here too so that an event which ever carries
 * it is read, not rejected.
 */
export const processingJobStatusSchema = z.enum(['InProgress', 'Completed', 'CompletedWithViolations', 'Failed', 'Stopping', 'Stopped']);

/** A processing job status as the event may carry it. */
export type ProcessingJobStatus = z.infer<typeof processingJobStatusSchema>;

/** One `ProcessingOutputConfig.Outputs` entry: where a job's output directory is uploaded. */
const processingOutputSchema = z.looseObject({
  OutputName: z.string().optional(),
  S3Output: z.looseObject({ S3Uri: z.string().min(1), LocalPath: z.string().optional(), S3UploadMode: z.string().optional() }).optional(),
});

/**
 * `detail` of a processing job state change: DescribeProcessingJob's shape (PascalCase, epoch-ms numbers).
 * `ExitMessage`, `MonitoringScheduleArn` and `Environment` are typed if present, never required: their presence in
 * the event is UNVERIFIED (aws-facts §1.7, §7.4), so the ingress reads them from DescribeProcessingJob.
 */
const processingJobStateChangeDetailSchema = z.looseObject({
  ProcessingJobName: nameSchema,
  ProcessingJobArn: z.string().regex(PROCESSING_JOB_ARN_RE, 'expected a SageMaker processing job ARN'),
  ProcessingJobStatus: processingJobStatusSchema,
  FailureReason: z.string().optional(),
  ExitMessage: z.string().optional(),
  MonitoringScheduleArn: z.string().regex(MONITORING_SCHEDULE_ARN_RE, 'expected a SageMaker monitoring schedule ARN').optional(),
  Environment: z.record(z.string(), z.string()).optional(),
  ProcessingOutputConfig: z.looseObject({ Outputs: z.array(processingOutputSchema).optional(), KmsKeyId: z.string().optional() }).optional(),
  ProcessingInputs: z.array(z.looseObject({})).optional(),
  RoleArn: z.string().optional(),
  CreationTime: epochMillisSchema.optional(),
  ProcessingStartTime: epochMillisSchema.optional(),
  ProcessingEndTime: epochMillisSchema.optional(),
  LastModifiedTime: epochMillisSchema.optional(),
});

/**
 * `SageMaker Processing Job State Change`: every processing job of the account, monitoring runs among them. Which
 * jobs are monitoring runs is not reliably visible in the event (aws-facts §1.7): DescribeProcessingJob's
 * `MonitoringScheduleArn` tells.
 */
export const processingJobStateChangeEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('SageMaker Processing Job State Change'),
  detail: processingJobStateChangeDetailSchema,
});

/** A validated processing job state change event. */
export type ProcessingJobStateChangeEvent = z.infer<typeof processingJobStateChangeEventSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

/**
 * Decodes an alarm's `reasonData`, which CloudWatch sends as a JSON string inside the JSON event (aws-facts §1.9).
 *
 * @returns the decoded value, or `undefined` when the string is not valid JSON.
 */
export function parseAlarmReasonData(s: string): unknown | undefined {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The pipeline name inside a pipeline ARN or a pipeline execution ARN. The event carries no name (aws-facts §1.1).
 * SageMaker lowercases names in ARNs (aws-facts §1.0), so compare the result case-insensitively.
 *
 * @throws Error naming the value when it is not a SageMaker pipeline (execution) ARN.
 */
export function pipelineNameFromArn(arn: string): string {
  const match = PIPELINE_ARN_RE.exec(arn) ?? PIPELINE_EXECUTION_ARN_RE.exec(arn);
  if (!match?.[1]) throw new Error(`Not a SageMaker pipeline or pipeline execution ARN: "${arn}"`);
  return match[1];
}

/**
 * Maps an endpoint status from event casing (`IN_SERVICE`) to API casing (`InService`) so events and
 * DescribeEndpoint can be compared (aws-facts §0.3). Already-PascalCase input is returned as is.
 *
 * @throws Error naming the value when it is neither spelling of a known endpoint status.
 */
export function endpointStatusFromEvent(s: string): EndpointApiStatus {
  const mapped = ENDPOINT_STATUS_TO_API.get(s);
  if (mapped) return mapped;
  throw new Error(`Unknown SageMaker endpoint status: "${s}"`);
}

/**
 * The version number of a versioned model package ARN (`…:model-package/credit-risk-retail/3` → 3).
 *
 * @throws Error naming the value when it is not a versioned SageMaker model package ARN.
 */
export function modelPackageVersionFromArn(arn: string): number {
  const match = MODEL_PACKAGE_VERSION_ARN_RE.exec(arn);
  if (!match?.[2]) throw new Error(`Not a versioned SageMaker model package ARN: "${arn}"`);
  return Number(match[2]);
}

/** Who made an UpdateModelPackage call, as the audit ledger records it. */
export interface TrailApprover {
  /** IAM identity type, e.g. `AssumedRole`, `IAMUser`, `AWSService`. */
  type: string;
  /** Caller ARN (`arn:aws:sts::…:assumed-role/RiskOfficer/jane.doe@example.com`), when CloudTrail gives one. */
  arn: string | undefined;
  /** Principal id (`AROA…:session`), when given. */
  principalId: string | undefined;
  /** STS source identity (the human behind a shared role), when set. */
  sourceIdentity: string | undefined;
}

/**
 * The approver of a CloudTrail UpdateModelPackage event. `sourceIdentity` is read from `userIdentity` or from
 * `userIdentity.sessionContext`, whichever holds it (location UNVERIFIED, see the schema).
 */
export function approverFromTrailEvent(event: UpdateModelPackageTrailEvent): TrailApprover {
  const identity = event.detail.userIdentity;
  return {
    type: identity.type,
    arn: identity.arn,
    principalId: identity.principalId,
    sourceIdentity: identity.sourceIdentity ?? identity.sessionContext?.sourceIdentity,
  };
}

/** Either endpoint event family: both go to the `endpoint` function. */
export const endpointEventSchema = z.union([endpointStateChangeEventSchema, endpointDeploymentStateChangeEventSchema]);
