/**
 * Builds the snapshot `decide` reads: the recorded status, the registry (described and with its reports read only
 * where a decision still needs them), both endpoints and the production rollback alarms.
 */
import { clarifyAnalysisSchema, evaluationReportSchema } from '../contracts/reports';
import { classifyPrincipal, type IdentityRules } from '../governance/identity';
import type { Actor, GroupStatus, PackageObservation, ReportEvidence, ReportKind, RetrainingObservation, Snapshot, VersionStatus } from '../lifecycle/model';
import { endpointName, rollbackAlarmNames } from '../lifecycle/names';
import { FINAL } from '../lifecycle/phases';
import type { Policy } from '../lifecycle/policy';
import { TerminalError } from '../runtime/errors';
import type { Alarms, ApprovalEvidence, Documents, Endpoints, PackageSummary, PipelineExecution, Pipelines, RegisteredPackage, Registry, StateStore, TrainingTarget } from './ports';

export interface SnapshotDeps {
  state: StateStore;
  registry: Registry;
  documents: Documents;
  endpoints: Endpoints;
  alarms: Alarms;
  identity: IdentityRules;
  /** Drift retraining: where it runs and how its runs are read; without them drift never retrains. */
  pipelines?: Pipelines;
  training?: TrainingTarget;
}

/**
 * The in-flight run as SageMaker describes it. A run SageMaker no longer knows (the pipeline was replaced) is over;
 * any other failure to read it leaves it in flight for the next reconcile: retraining never blocks the lifecycle.
 */
async function describeRun(pipelines: Pipelines, executionArn: string): Promise<PipelineExecution | undefined> {
  try {
    return await pipelines.describeExecution(executionArn);
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    return /ResourceNotFound|NotFound/.test(name) ? { pipelineArn: '', executionArn, status: 'Failed', parameters: {} } : undefined;
  }
}

/** The Live version's drift findings and the in-flight retraining run, where retraining is configured. */
async function observeRetraining(deps: SnapshotDeps, group: string, status: GroupStatus): Promise<RetrainingObservation | undefined> {
  if (!deps.training || !deps.pipelines) return undefined;
  const live = status.versions.find((v) => v.phase === 'Live');
  const executionArn = status.retraining?.inFlight?.executionArn;
  const [signals, run] = await Promise.all([live ? deps.state.driftSignals(group, live.version) : Promise.resolve([]), executionArn ? describeRun(deps.pipelines, executionArn) : Promise.resolve(undefined)]);
  return {
    pipelineName: deps.training.pipelineName,
    signals,
    ...(run ? { run: { executionArn: run.executionArn, status: run.status, ...(run.endedAt ? { endedAt: run.endedAt } : {}) } } : {}),
  };
}

/** A report parsed, with the SHA-256 of the bytes it was parsed from (the gates' evidence); undefined when not registered. */
async function readReport<T>(deps: SnapshotDeps, uri: string | undefined, parse: (v: unknown) => T, what: ReportKind): Promise<{ report: T; evidence: ReportEvidence } | undefined> {
  if (!uri) return undefined;
  const { value, sha256 } = await deps.documents.readJsonWithHash(uri);
  try {
    return { report: parse(value), evidence: { uri, sha256 } };
  } catch (error) {
    // A report that exists but does not parse is the pipeline's bug: no retry will fix it.
    throw new TerminalError(`The ${what} report at ${uri} does not match its layout`, { cause: error });
  }
}

/** The registered reports, read and hashed. */
async function readReports(deps: SnapshotDeps, described: RegisteredPackage): Promise<Pick<PackageObservation, 'reports' | 'evidence'>> {
  const read = {
    evaluation: await readReport(deps, described.reportUris.evaluation, (v) => evaluationReportSchema.parse(v), 'evaluation'),
    bias: await readReport(deps, described.reportUris.bias, (v) => clarifyAnalysisSchema.parse(v), 'bias'),
    explainability: await readReport(deps, described.reportUris.explainability, (v) => clarifyAnalysisSchema.parse(v), 'explainability'),
  };
  const kinds = (Object.keys(read) as ReportKind[]).filter((k) => read[k] !== undefined);
  return {
    reports: { evaluation: read.evaluation?.report, bias: read.bias?.report, explainability: read.explainability?.report },
    evidence: Object.fromEntries(kinds.map((k) => [k, read[k]!.evidence])),
  };
}

/** The identity behind the package's current approval change: CloudTrail when recorded, else LastModifiedBy. */
function actorOf(change: string, described: RegisteredPackage, evidence: ApprovalEvidence[], rules: IdentityRules): { actor?: Actor; at?: string } {
  const trail = evidence.filter((e) => e.change === change).sort((a, b) => b.at.localeCompare(a.at))[0];
  if (trail) return { actor: classifyPrincipal(trail.principalArn, rules, 'cloudtrail'), at: trail.at };
  if (described.lastModifiedBy) return { actor: classifyPrincipal(described.lastModifiedBy, rules, 'describe'), at: described.lastModifiedAt };
  return {};
}

async function observe(deps: SnapshotDeps, group: string, summary: PackageSummary, recorded: VersionStatus | undefined): Promise<PackageObservation> {
  const base = { version: summary.version, arn: summary.arn, createdAt: summary.createdAt, reports: {}, lineage: { hyperparameters: {} } };
  // A version whose story is over needs only its approval status (a revoked approval of a Live one matters).
  if (recorded && FINAL.has(recorded.phase)) return { ...base, approval: { status: summary.approvalStatus } };
  const [described, evidence] = await Promise.all([deps.registry.describePackage(summary.arn), deps.state.approvalEvidence(group, summary.version)]);
  const approval = { status: described.approvalStatus, description: described.approvalDescription, ...(described.approvalStatus === 'PendingManualApproval' ? {} : actorOf(described.approvalStatus, described, evidence, deps.identity)) };
  const stage = described.lifeCycle;
  const stagingApproved = stage && stage.stage.toLowerCase() === 'staging' && stage.stageStatus.toLowerCase() === 'approved';
  const needsReports = !recorded || recorded.phase === 'Registered';
  const read = needsReports ? await readReports(deps, described) : { reports: {} };
  return {
    ...base,
    approval,
    ...(stagingApproved ? { stagingApproval: { ...actorOf('Staging:Approved', described, evidence, deps.identity), description: stage.description } } : {}),
    ...read,
    lineage: described.lineage,
  };
}

export async function loadSnapshot(deps: SnapshotDeps, group: string, policy: Policy): Promise<Snapshot> {
  const staging = endpointName(group, 'staging', policy);
  const production = endpointName(group, 'production', policy);
  const [status, summaries, stagingEndpoint, productionEndpoint, alarms] = await Promise.all([
    deps.state.load(group),
    deps.registry.listPackages(group),
    deps.endpoints.describe(staging),
    deps.endpoints.describe(production),
    deps.alarms.describe(rollbackAlarmNames(policy, production)),
  ]);
  const recorded = new Map(status.versions.map((v) => [v.version, v]));
  const [packages, retraining] = await Promise.all([Promise.all(summaries.map((s) => observe(deps, group, s, recorded.get(s.version)))), observeRetraining(deps, group, status)]);
  return {
    group,
    status,
    packages,
    endpoints: { ...(stagingEndpoint ? { staging: stagingEndpoint } : {}), ...(productionEndpoint ? { production: productionEndpoint } : {}) },
    alarms,
    ...(retraining ? { retraining } : {}),
  };
}
