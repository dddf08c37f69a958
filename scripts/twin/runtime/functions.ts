/**
 * The functions the twin's Lambda runtime deploys: their settings (as terraform/functions.tf sets them), the
 * environment their config schemas read (shared/runtime/config.ts) pointed at the twin's resources, and their
 * handlers, imported on first use so the environment and the twin's clients are in place before any module runs.
 */
import type { Context } from 'aws-lambda';
import type { FunctionName } from '../../functions';

/** A Lambda handler as the runtime calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Deployed functions are named `<prefix><name>` (terraform/modules/function; `mlops replay` uses the same prefix). */
export const FUNCTION_PREFIX = 'creditai-mlops-';

/** Timeout and memory of each function (terraform/functions.tf `local.functions`). */
export const FUNCTION_SETTINGS: Readonly<Record<FunctionName, { timeoutSeconds: number; memoryMb: number }>> = {
  'pipeline-execution': { timeoutSeconds: 30, memoryMb: 256 },
  'model-package': { timeoutSeconds: 30, memoryMb: 256 },
  endpoint: { timeoutSeconds: 30, memoryMb: 256 },
  alarm: { timeoutSeconds: 30, memoryMb: 256 },
  'approval-trail': { timeoutSeconds: 30, memoryMb: 256 },
  'monitoring-execution': { timeoutSeconds: 60, memoryMb: 256 },
  sweep: { timeoutSeconds: 60, memoryMb: 256 },
  reconcile: { timeoutSeconds: 300, memoryMb: 512 },
  notify: { timeoutSeconds: 30, memoryMb: 256 },
  audit: { timeoutSeconds: 60, memoryMb: 256 },
  'drift-check': { timeoutSeconds: 900, memoryMb: 1024 },
  judge: { timeoutSeconds: 60, memoryMb: 512 },
  'experiment-judge': { timeoutSeconds: 60, memoryMb: 2048 },
};

// One static specifier per function: type-checked, visible to the dependency rules, and loaded only when called.
const LOADERS: Readonly<Record<FunctionName, () => Promise<{ handler: unknown }>>> = {
  'pipeline-execution': () => import('../../../functions/pipeline-execution/handler'),
  'model-package': () => import('../../../functions/model-package/handler'),
  endpoint: () => import('../../../functions/endpoint/handler'),
  alarm: () => import('../../../functions/alarm/handler'),
  'approval-trail': () => import('../../../functions/approval-trail/handler'),
  'monitoring-execution': () => import('../../../functions/monitoring-execution/handler'),
  sweep: () => import('../../../functions/sweep/handler'),
  reconcile: () => import('../../../functions/reconcile/handler'),
  notify: () => import('../../../functions/notify/handler'),
  audit: () => import('../../../functions/audit/handler'),
  'drift-check': () => import('../../../functions/drift-check/handler'),
  judge: () => import('../../../functions/judge/handler'),
  'experiment-judge': () => import('../../../functions/experiment-judge/handler'),
};

/** Imports `functions/<name>/handler.ts` (the module is cached by the module system after the first call). */
export async function loadHandler(name: FunctionName): Promise<LambdaHandler> {
  const module = await LOADERS[name]();
  if (typeof module.handler !== 'function') throw new Error(`functions/${name}/handler.ts exports no handler function`);
  return module.handler as LambdaHandler;
}

/** The twin's resources the functions are pointed at. */
export interface FunctionResources {
  account: string;
  region: string;
  /** The project bus (EVENT_BUS_NAME). */
  busName: string;
  reconcileQueueUrl: string;
  notifyTopicArn: string;
  /** The approvals topic (APPROVALS_TOPIC_ARN). */
  approvalsTopicArn: string;
  /** Resource names start with it, as Terraform's `local.name` does. */
  namePrefix: string;
}

/**
 * The environment of every function at once (one process hosts them all; each config schema reads its own
 * variables), plus what makes the SDK and Powertools quiet and credential-free. `overrides` win.
 */
export function functionEnvironment(r: FunctionResources, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: r.region,
    AWS_DEFAULT_REGION: r.region,
    // The twin answers before the SDK signs anything; dummies make sure no real credentials are ever looked up.
    AWS_ACCESS_KEY_ID: 'twin-access-key-id',
    AWS_SECRET_ACCESS_KEY: 'twin-secret-access-key',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_METRICS_NAMESPACE: 'CreditaiMlops',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // config.ts: common, ingress, reconcile, notify, audit, drift check.
    STATE_TABLE: `${r.namePrefix}-state`,
    EVENT_BUS_NAME: r.busName,
    EXPECTED_ACCOUNT_ID: r.account,
    RECONCILE_QUEUE_URL: r.reconcileQueueUrl,
    SAGEMAKER_EXECUTION_ROLE_ARN: `arn:aws:iam::${r.account}:role/${r.namePrefix}-sagemaker-execution`,
    DATA_CAPTURE_S3_URI: `s3://${r.namePrefix}-data-capture-${r.account}/capture`,
    CONTROL_PLANE_ROLES: `${r.namePrefix}-*`,
    NOTIFY_TOPIC_ARN: r.notifyTopicArn,
    APPROVALS_TOPIC_ARN: r.approvalsTopicArn,
    AUDIT_BUCKET: `${r.namePrefix}-audit-${r.account}`,
    DRIFT_REPORTS_S3_URI: `s3://${r.namePrefix}-artifacts-${r.account}/drift`,
    // The experiment judge: the loan book's matured outcomes (scripts/twin/loan-book.ts writes them).
    OUTCOMES_S3_URI: `s3://${r.namePrefix}-data-${r.account}/outcomes`,
    // Drift retraining: the pipeline and the URIs the build uses (scripts/twin/ml/push.ts).
    TRAINING_PIPELINE_NAME: 'creditai-training',
    TRAINING_DATA_PREFIX: 's3://creditai-data/applications/',
    PIPELINE_CODE_PREFIX: 's3://creditai-artifacts/pipeline/code/',
    ...overrides,
  };
}
