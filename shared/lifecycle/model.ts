/**
 * What `decide` reads (the snapshot: recorded status plus observations of the registry, the endpoints and the
 * alarms) and what it writes (the group status). Plain data: the shell builds it, the core never fetches.
 */
import type { DriftSignal } from './drift-triage';
import type { ClarifyAnalysis, EvaluationReport } from '../contracts/reports';
import type { Condition } from './conditions';
import type { Environment, Phase } from './phases';

/** Who did something, and how sure we are that it was a person. */
export interface Actor {
  arn: string;
  /** `human`: an IAM user or a role session of a person; `control-plane`: our own roles; `service`: any other role. */
  kind: 'human' | 'control-plane' | 'service' | 'unknown';
  /** Where the identity came from: the CloudTrail record (audit grade) or DescribeModelPackage.LastModifiedBy. */
  source: 'cloudtrail' | 'describe' | 'control-plane';
}

export type ApprovalStatus = 'Approved' | 'Rejected' | 'PendingManualApproval';

/** A model package as the registry shows it now. */
export interface PackageObservation {
  version: number;
  arn: string;
  createdAt: string;
  approval: {
    status: ApprovalStatus;
    description?: string;
    /** Who set the current status, when known. */
    actor?: Actor;
    at?: string;
  };
  /** A manual staging approval: ModelLifeCycle `Staging`/`Approved` set by someone. */
  stagingApproval?: { actor?: Actor; at?: string; description?: string };
  /** Reports registered in ModelMetrics, parsed; absent when not registered. */
  reports: { evaluation?: EvaluationReport; bias?: ClarifyAnalysis; explainability?: ClarifyAnalysis };
  /** Where each report read was stored and the SHA-256 of the exact bytes the gates read; absent when not read. */
  evidence?: Partial<Record<ReportKind, ReportEvidence>>;
  lineage: Lineage;
}

/** The reports the gates read. */
export type ReportKind = 'evaluation' | 'bias' | 'explainability';

/** A document a decision rests on: its S3 URI and the SHA-256 (hex) of the bytes that were read. */
export interface ReportEvidence {
  uri: string;
  sha256: string;
}

/** Provenance a regulator asks of every version. */
export interface Lineage {
  trainingDataUri?: string;
  trainingDataHash?: string;
  commitId?: string;
  pipelineExecutionArn?: string;
  hyperparameters: Record<string, string>;
  /** Digests of the inference container images (`sha256:…`), where the package records them. */
  imageDigests?: string[];
}

/** SageMaker's DescribeEndpoint status (API casing). */
export type EndpointStatus =
  | 'OutOfService'
  | 'Creating'
  | 'Updating'
  | 'SystemUpdating'
  | 'RollingBack'
  | 'InService'
  | 'Deleting'
  | 'Failed'
  | 'UpdateRollbackFailed';

export interface EndpointObservation {
  name: string;
  status: EndpointStatus;
  /** The config the current fleet serves. */
  configName: string;
  /** The config being rolled out, while an update runs. */
  pendingConfigName?: string;
  failureReason?: string;
}

export interface AlarmObservation {
  name: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** When the alarm entered its current state. */
  since: string;
  reason?: string;
}

/** A deployment the control plane started for a version. */
export interface DeploymentRecord {
  endpointName: string;
  endpointConfigName: string;
  modelName: string;
  strategy: 'all-at-once' | 'canary';
  /** `rollback`: redeploying a last-known-good version. */
  kind: 'release' | 'rollback';
  /** The config the endpoint served before; absent when the endpoint was created. */
  previousConfigName?: string;
  startedAt: string;
}

export interface SmokeTestResult {
  endpointConfigName: string;
  passed: boolean;
  checks: { name: string; passed: boolean; message: string }[];
  at: string;
}

export interface GateResult {
  gate: string;
  passed: boolean;
  message: string;
  observed?: number | string;
  threshold?: string;
}

export interface GateReport {
  passed: boolean;
  results: GateResult[];
  evaluatedAt: string;
}

/** The recorded state of one version. */
export interface VersionStatus {
  version: number;
  arn: string;
  phase: Phase;
  /** When it entered `phase`. */
  since: string;
  /** Counts phase changes; makes event keys deterministic across retries. */
  transitions: number;
  /** For AwaitingApproval: which environment's approval it waits for. */
  awaiting?: Environment;
  /** Why it is in its phase, in words (reject reasons, rollback cause). */
  reason?: string;
  conditions: Condition[];
  gates?: GateReport;
  approval?: { actor: Actor; at: string; reason: string };
  deployments: Partial<Record<Environment, DeploymentRecord>>;
  smokeTest?: SmokeTestResult;
  /** When it last became Live; set once it served production. */
  liveSince?: string;
}

/** The recorded state of a model group; `revision` guards the conditional write. */
export interface GroupStatus {
  group: string;
  revision: number;
  versions: VersionStatus[];
  /** An operator asked for a rollback (CLI); cleared once acted on. */
  rollbackRequest?: { by: string; reason: string; at: string };
  conditions: Condition[];
  /** Drift-triggered retraining: the run in flight, when the last ended, recent starts, the last window decided on. */
  retraining?: RetrainingState;
  /** An operator asked for an A/B test of a version against the Live one (CLI `challenge`); cleared once acted on. */
  challengeRequest?: ChallengeRequest;
  /** The A/B test running in production, from its start until its conclusion is deployed. */
  experiment?: ExperimentState;
}

export interface ChallengeRequest {
  version: number;
  /** A/B: percent of production the challenger decides; shadow: percent of requests mirrored to it. */
  sharePercent: number;
  /** The group policy's `experiment.mode` when the request was made (absent in older requests: the policy's at start). */
  mode?: 'ab' | 'shadow';
  by: string;
  reason: string;
  at: string;
}

/** The judge's terminal verdicts: the challenger takes all traffic, or the champion keeps it. */
export type ExperimentOutcome = 'challenger-wins' | 'keep-champion' | 'stop-harm';

/** Counts of one arm at a look: matured approved applications (units) and defaults among them (events). */
export interface ExperimentArmFigures {
  units: number;
  events: number;
}

export interface ExperimentVerdictRecord {
  decision: ExperimentOutcome;
  reason: string;
  /** The look (minute) that reached the verdict. */
  lookAt: string;
  champion: ExperimentArmFigures;
  challenger: ExperimentArmFigures;
}

export interface ExperimentState {
  version: number;
  championVersion: number;
  /** `ab` (absent in records from before shadow mode): the challenger decides its share; `shadow`: it scores a copy. */
  mode?: 'ab' | 'shadow';
  /** A/B: percent of production the challenger decides; shadow: percent of requests mirrored to it. */
  sharePercent: number;
  startedAt: string;
  /** When the endpoint was first seen serving the two-variant config: the judge counts assignments from then. */
  servingSince?: string;
  /** The two-variant endpoint config the experiment runs on. */
  endpointConfigName: string;
  /** The pre-registered plan (judge plan input), fixed at the start; shadow mode adds its planned defaults. */
  plan: { challengerShare: number; championDefaultRate: number; minimumDetectableEffect: number; plannedDefaults?: number };
  /**
   * The outcomes the judge reads, fixed at the start with the plan (absent in records from before: the policy's):
   * the label and its maturity, the decision threshold, and the early harm label of an A/B test.
   */
  labels?: ExperimentLabels;
  /** How often the experiment's config was sent and not served (SageMaker reverted it): bounded, then aborted. */
  deployAttempts?: number;
  /** SageMaker refused the experiment's config outright (e.g. a quota): the next reconcile aborts the test with it. */
  deployError?: string;
  /** Without a verdict by then, the judge keeps the champion (policy `experiment.maxDurationDays` from the start). */
  deadline?: string;
  /** Recorded by the judge function (conditional write); the reconcile then concludes the experiment. */
  verdict?: ExperimentVerdictRecord;
  /** When all traffic was moved to the winner's variant (UpdateEndpointWeightsAndCapacities). */
  weightsShiftedAt?: string;
  /** Shadow test won: when the champion's clean config was sent, before the winner's canary starts from it. */
  shadowRemovedAt?: string;
}

export interface ExperimentLabels {
  label: string;
  maturityDays: number;
  decisionThreshold: number;
  earlyHarm?: { label: string; maturityDays: number };
}

export interface RetrainingState {
  inFlight?: { clientToken: string; startedAt: string; triggerWindowEnd: string; executionArn?: string };
  lastEndedAt?: string;
  /** Start times, newest last (the weekly budget reads the last 7 days). */
  starts: string[];
  /** The end of the last drift window triaged: a window is decided on once, however often it is reconciled. */
  lastTriagedWindow?: string;
  /** The last skip on-call was told of (reason and features): the same one is not told again every hour. */
  lastAlert?: string;
}

/** What the snapshot knows of retraining, when the group's training pipeline is configured. */
export interface RetrainingObservation {
  pipelineName: string;
  /** Drift signals of the Live version, any order (the triage sorts and de-duplicates). */
  signals: DriftSignal[];
  /** The in-flight run as SageMaker describes it. */
  run?: { executionArn: string; status: string; endedAt?: string };
}

export interface Snapshot {
  group: string;
  status: GroupStatus;
  packages: PackageObservation[];
  endpoints: Partial<Record<Environment, EndpointObservation>>;
  /** The production rollback alarms (policy.production.rollbackAlarms, resolved). */
  alarms: AlarmObservation[];
  /** Absent where no training pipeline is configured: drift then never retrains. */
  retraining?: RetrainingObservation;
}
