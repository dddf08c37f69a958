/**
 * Processing Job State Change → when the job is a Model Monitor or Clarify monitoring run of a managed production
 * endpoint that found drift, the same DriftDetected as our own drift check (reportDrift: recorded on the Live
 * version, announced, the group reconciled and triaged).
 *
 * The event says too little (aws-facts §1.7, §7.4), so DescribeProcessingJob is the source: `MonitoringScheduleArn`
 * (set on monitoring runs only), `ExitMessage` (the outcome: a run with violations still ends `Completed`, aws-facts
 * §0.6), `Environment` (the monitored endpoint and the analysed window, as Model Monitor hands them to its
 * container) and the output prefix. Only jobs named as SageMaker names monitoring runs are described, which keeps
 * the function's IAM grant to those names. When the outcome cannot be read the violations file is read anyway.
 * Anything that is not ours or not drift is ignored (the handler logs the reason).
 */
import type { FeatureDrift } from '../lifecycle/drift-triage';
import { endpointName } from '../lifecycle/names';
import { parsePolicy, type Policy } from '../lifecycle/policy';
import type { ProcessingJobStateChangeEvent } from '../contracts/aws-events';
import { reportDrift } from '../drift-check/drift-signal';
import type { Documents } from '../reconcile/ports';
import { TerminalError } from '../runtime/errors';
import type { IngressDeps, IngressOutcome } from './ingress';
import { constraintViolationsFileSchema, driftFromViolations } from './monitoring-violations';

/** What DescribeProcessingJob tells of a job (times as ISO strings). */
export interface ProcessingJobDescription {
  name: string;
  arn: string;
  status: string;
  exitMessage?: string;
  failureReason?: string;
  /** Set on monitoring runs only: the safest way to tell one (aws-facts §1.7). */
  monitoringScheduleArn?: string;
  /**
   * The container's environment. Model Monitor hands its containers `sagemaker_endpoint_name`, `start_time`,
   * `end_time` and `output_path` (its container contract); that DescribeProcessingJob shows them is INFERRED.
   */
  environment: Record<string, string>;
  outputs: { name: string; s3Uri: string; localPath?: string }[];
  startedAt?: string;
}

/** DescribeProcessingJob, over SageMaker (shared/aws/sagemaker-monitoring.ts). */
export interface MonitoringJobs {
  describeProcessingJob(name: string): Promise<ProcessingJobDescription>;
}

export interface MonitoringExecutionDeps extends IngressDeps {
  monitoring: MonitoringJobs;
  documents: Pick<Documents, 'readJson'>;
}

/** The violations file Model Monitor and Clarify write into the run's output prefix (aws-facts §2.2). */
export const VIOLATIONS_FILE = 'constraint_violations.json';
const STATISTICS_FILE = 'statistics.json';
const HOUR_MS = 3_600_000;
const COMPLETED: ReadonlySet<string> = new Set(['Completed', 'CompletedWithViolations']);

/**
 * How SageMaker names the processing jobs a monitoring schedule starts (`model-monitoring-<yyyymmddhhmm>-<hash>`).
 * INFERRED: aws-facts §1.7 marks run naming UNVERIFIED. terraform/functions.tf grants DescribeProcessingJob on these
 * names only; change both together.
 */
export const MONITORING_JOB_PREFIX = 'model-monitoring-';

const ignored = (reason: string): IngressOutcome => ({ outcome: 'ignored', reason });

/** `Completed` / `CompletedWithViolations` from an ExitMessage, matching the prefix only (aws-facts §2.1). */
export function outcomeFromExitMessage(message: string | undefined): 'Completed' | 'CompletedWithViolations' | undefined {
  const prefix = /^\s*(CompletedWithViolations|Completed)\b/.exec(message ?? '')?.[1];
  return prefix as 'Completed' | 'CompletedWithViolations' | undefined;
}

/** The S3 prefix the run's output directory went to: the output mounted at `output_path`, else the only one. */
export function outputPrefixOf(job: ProcessingJobDescription): string | undefined {
  const outputPath = job.environment.output_path;
  const output = job.outputs.find((o) => outputPath !== undefined && o.localPath === outputPath) ?? (job.outputs.length === 1 ? job.outputs[0] : undefined);
  return output?.s3Uri.replace(/\/+$/, '');
}

/** An ISO time from the environment's `start_time`/`end_time` (one doc example shows `16: 20: 00Z`). */
function envTime(value: string | undefined): number | undefined {
  const ms = value === undefined ? Number.NaN : Date.parse(value.replace(/\s+/g, ''));
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The data window the run analysed: the environment's start_time/end_time when both are readable; otherwise the hour
 * before the hour the run started in (hourly runs start up to 20 minutes late, aws-facts §2.3), which is also the
 * window our own hourly check gives that hour, so consecutive runs stay consecutive for the triage.
 */
export function analysisWindow(job: ProcessingJobDescription, fallback: string): { start: string; end: string } {
  const start = envTime(job.environment.start_time);
  const end = envTime(job.environment.end_time);
  if (start !== undefined && end !== undefined && start < end) return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
  const hourEnd = Math.floor(Date.parse(job.startedAt ?? fallback) / HOUR_MS) * HOUR_MS;
  return { start: new Date(hourEnd - HOUR_MS).toISOString(), end: new Date(hourEnd).toISOString() };
}

/** `dataset.item_count` of a data-quality statistics.json, when it has one. */
function itemCount(statistics: unknown): number | undefined {
  const count = (statistics as { dataset?: { item_count?: unknown } } | undefined)?.dataset?.item_count;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined;
}

function policyOf(overrides: unknown): Policy | undefined {
  try {
    return parsePolicy(overrides);
  } catch {
    return undefined;
  }
}

export async function ingestMonitoringExecutionEvent(deps: MonitoringExecutionDeps, event: ProcessingJobStateChangeEvent): Promise<IngressOutcome> {
  const d = event.detail;
  if (!COMPLETED.has(d.ProcessingJobStatus)) {
    return ignored(`Processing job ${d.ProcessingJobName} ended ${d.ProcessingJobStatus}${d.FailureReason ? `: ${d.FailureReason}` : ''}; no violations to read`);
  }
  if (!d.ProcessingJobName.toLowerCase().startsWith(MONITORING_JOB_PREFIX)) return ignored(`Processing job ${d.ProcessingJobName} is not named as a monitoring run (${MONITORING_JOB_PREFIX}*)`);
  const job = await deps.monitoring.describeProcessingJob(d.ProcessingJobName);
  if (!job.monitoringScheduleArn) return ignored(`Processing job ${job.name} is not a monitoring execution (no MonitoringScheduleArn)`);
  const schedule = job.monitoringScheduleArn.slice(job.monitoringScheduleArn.lastIndexOf('/') + 1);

  const endpoint = job.environment.sagemaker_endpoint_name;
  if (!endpoint) return ignored(`Monitoring execution ${job.name} of ${schedule} names no endpoint (batch transform monitoring is not managed)`);
  const group = await deps.state.groupOfEndpoint(endpoint);
  if (!group) return ignored(`Endpoint ${endpoint} of monitoring schedule ${schedule} is not managed by the control plane`);
  const overrides = await deps.state.policyOverrides(group);
  const policy = overrides === undefined ? undefined : policyOf(overrides);
  if (!policy) return ignored(`Group ${group} of endpoint ${endpoint} has no valid policy (the reconciler reports an invalid one)`);
  // Drift is judged on the Live version, which serves production; a staging monitor says nothing about it.
  if (endpoint.toLowerCase() !== endpointName(group, 'production', policy).toLowerCase()) {
    return ignored(`Endpoint ${endpoint} is not the production endpoint of ${group}; drift is judged on production only`);
  }
  const live = (await deps.state.load(group)).versions.find((v) => v.phase === 'Live');
  if (!live) return ignored(`Group ${group} has no Live version to attribute the drift of ${schedule} to`);

  if (outcomeFromExitMessage(job.exitMessage) === 'Completed') return ignored(`Monitoring execution ${job.name} of ${schedule} found no violations`);
  const prefix = outputPrefixOf(job);
  if (!prefix) return ignored(`Monitoring execution ${job.name} has no S3 output to read ${VIOLATIONS_FILE} from`);

  const violationsUri = `${prefix}/${VIOLATIONS_FILE}`;
  const file = constraintViolationsFileSchema.safeParse(await deps.documents.readJson(violationsUri));
  // Not the event's fault and no retry mends it: the DLQ keeps the event for a replay once the file is understood.
  if (!file.success) throw new TerminalError(`${violationsUri} is not a constraint_violations.json: ${file.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const drift = driftFromViolations(file.data.violations);
  const others = Object.entries(drift.otherChecks).map(([check, n]) => `${n} ${check}`);
  const notes = [...others, ...(drift.unreadable.length > 0 ? [`${drift.unreadable.length} unreadable (${drift.unreadable.join(' | ')})`] : [])].join(', ');
  if (drift.features.length === 0) return ignored(`Monitoring execution ${job.name} reported no drift${notes ? ` (other violations: ${notes})` : ''}`);

  const window = analysisWindow(job, event.time);
  // Data-quality files carry no version (Clarify's say "1.0"); only data-quality runs write statistics.json.
  const records = file.data.version === undefined ? await recordsOf(deps, prefix) : undefined;
  const features: FeatureDrift[] = drift.features;
  await reportDrift(deps, {
    group,
    records: records ?? 0,
    features: features.map((f) => ({ ...f, drifted: true })),
    violationsUri,
    signal: { version: live.version, source: 'model-monitor', windowStart: window.start, windowEnd: window.end, features },
  });
  return { outcome: 'requested', groups: [group] };
}

/**
 * How many records a data-quality run analysed (its statistics.json); undefined when the file is missing or has no
 * count. Evidence only: a run's drift stands without it.
 */
async function recordsOf(deps: MonitoringExecutionDeps, prefix: string): Promise<number | undefined> {
  try {
    return itemCount(await deps.documents.readJson(`${prefix}/${STATISTICS_FILE}`));
  } catch {
    return undefined;
  }
}
