/**
 * Configuration, read once per cold start from the environment the function was given (only `functions/` and
 * `scripts/` pass `process.env` in). A missing or malformed setting fails at once, naming the variable.
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));

const common = {
  /** Region the control plane runs in (Lambda sets it). */
  AWS_REGION: z.string().min(1),
  /** The DynamoDB table of lifecycle state, policies, evidence and the endpoint index. */
  STATE_TABLE: z.string().min(1),
  /** The project event bus domain events go to. */
  EVENT_BUS_NAME: z.string().min(1).default('creditai-mlops'),
};

export const ingressConfigSchema = z.object({
  ...common,
  /** Events must come from this account (others are rejected as forged). */
  EXPECTED_ACCOUNT_ID: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'),
  /** The reconcile FIFO queue. */
  RECONCILE_QUEUE_URL: z.string().url(),
});

export const reconcileConfigSchema = z.object({
  ...common,
  /** Role SageMaker models run as (CreateModel ExecutionRoleArn). */
  SAGEMAKER_EXECUTION_ROLE_ARN: z.string().startsWith('arn:'),
  /** Where production endpoints capture requests and responses (s3://bucket/prefix). */
  DATA_CAPTURE_S3_URI: z.string().startsWith('s3://'),
  /** KMS key for endpoint storage and captured data; optional. */
  ENDPOINT_KMS_KEY_ID: z.string().optional(),
  /** IAM role names whose sessions are approvers (`ModelApprover`, SSO permission sets match too). */
  APPROVER_ROLES: list.default(['ModelApprover', 'RiskOfficer']),
  /** Role names of the control plane itself; `prefix*` matches a prefix. */
  CONTROL_PLANE_ROLES: list.default(['creditai-mlops-*']),
  /** The training pipeline drift retrains with; unset: drift is reported, never retrained. */
  TRAINING_PIPELINE_NAME: z.string().min(1).optional(),
  /** `s3://<data bucket>/applications/`: a group's training data is `<prefix><group>/` (as the build passes it). */
  TRAINING_DATA_PREFIX: z.string().startsWith('s3://').optional(),
  /** `s3://<artifacts bucket>/pipeline/code/`: a commit's step code is `<prefix><commit>/` (as the build uploads it). */
  PIPELINE_CODE_PREFIX: z.string().startsWith('s3://').optional(),
}).refine((c) => (c.TRAINING_PIPELINE_NAME === undefined) === (c.TRAINING_DATA_PREFIX === undefined) && (c.TRAINING_DATA_PREFIX === undefined) === (c.PIPELINE_CODE_PREFIX === undefined), {
  message: 'TRAINING_PIPELINE_NAME, TRAINING_DATA_PREFIX and PIPELINE_CODE_PREFIX go together: set all three or none',
});

export const driftCheckConfigSchema = z.object({
  ...common,
  /** The reconcile FIFO queue (a drift finding reconciles its group). */
  RECONCILE_QUEUE_URL: z.string().url(),
  /** Where production endpoints capture requests (the reconcile function's DATA_CAPTURE_S3_URI). */
  DATA_CAPTURE_S3_URI: z.string().startsWith('s3://'),
  /** Where drift reports and constraint_violations.json go. */
  DRIFT_REPORTS_S3_URI: z.string().startsWith('s3://'),
});

/** The canary judge: reads state and CloudWatch, publishes its looks; no queue (the guardrails act on its alarm). */
export const judgeConfigSchema = z.object({ ...common });

/** The experiment judge: captures and outcomes in S3, its looks in the state table, a reconcile per verdict. */
export const experimentJudgeConfigSchema = z.object({
  ...common,
  /** Where endpoints capture (the reconcile function's DATA_CAPTURE_S3_URI). */
  DATA_CAPTURE_S3_URI: z.string().startsWith('s3://'),
  /** Where the loan book writes matured outcomes (`<uri>/<group>/yyyy/mm/dd/*.jsonl`). */
  OUTCOMES_S3_URI: z.string().startsWith('s3://'),
  /** The reconcile FIFO queue (a verdict reconciles its group). */
  RECONCILE_QUEUE_URL: z.string().url(),
});

export const notifyConfigSchema = z.object({
  ...common,
  /** SNS topic for human-readable notifications. */
  NOTIFY_TOPIC_ARN: z.string().startsWith('arn:'),
  /** SNS topic for approvers (ApprovalRequested, ModelApproved, ApprovalUnverified, ModelRejected); unset: notices. */
  APPROVALS_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  /** SSM parameter (starts with `/`) or Secrets Manager secret holding the PagerDuty routing key; unset: no paging. */
  PAGERDUTY_ROUTING_KEY_SECRET: z.string().optional(),
  /** Base URL of the runbook; each event links to its section. */
  RUNBOOK_BASE_URL: z.string().url().default('https://github.com/creditai/creditai-mlops/blob/main/docs/runbook.md'),
});

export const auditConfigSchema = z.object({
  AWS_REGION: common.AWS_REGION,
  STATE_TABLE: common.STATE_TABLE,
  /** The Object Lock (COMPLIANCE) bucket of the audit ledger. */
  AUDIT_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
});

export type IngressConfig = z.infer<typeof ingressConfigSchema>;
export type DriftCheckConfig = z.infer<typeof driftCheckConfigSchema>;
export type JudgeConfig = z.infer<typeof judgeConfigSchema>;
export type ExperimentJudgeConfig = z.infer<typeof experimentJudgeConfigSchema>;
export type ReconcileConfig = z.infer<typeof reconcileConfigSchema>;
export type NotifyConfig = z.infer<typeof notifyConfigSchema>;
export type AuditConfig = z.infer<typeof auditConfigSchema>;

/** Parses the environment with `schema`; the error names every missing or malformed variable (never its value). */
export function readConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  // An issue of the whole object (a rule across variables) has no path: its message names the variables itself.
  const problems = result.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  throw new Error(`Invalid configuration: ${problems}`);
}

/** Memoises a factory: dependencies are built once per cold start, on first use. */
export function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}
