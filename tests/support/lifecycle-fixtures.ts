/**
 * Builders for the pure lifecycle core (`shared/lifecycle/`): packages whose reports pass every default gate,
 * recorded versions, endpoints, alarms and snapshots of the `credit-risk-retail` model group, plus
 * `decideChecked`, which runs `decide` and validates every emitted domain event against its schema.
 */
import { type DomainDetailType, type DomainEvent, type DomainEventDetail, domainEventDetailSchemas } from '../../shared/contracts/domain-events';
import type { ClarifyAnalysis } from '../../shared/contracts/reports';
import type { Action, EndpointSpec } from '../../shared/lifecycle/actions';
import { type Condition } from '../../shared/lifecycle/conditions';
import { type Decision, VARIANT_NAME, decide } from '../../shared/lifecycle/decide';
import type {
  Actor,
  AlarmObservation,
  DeploymentRecord,
  EndpointObservation,
  EndpointStatus,
  GroupStatus,
  Lineage,
  PackageObservation,
  Snapshot,
  VersionStatus,
} from '../../shared/lifecycle/model';
import { endpointConfigName, modelName } from '../../shared/lifecycle/names';
import type { Environment, Phase } from '../../shared/lifecycle/phases';
import { DEFAULT_POLICY, type Policy } from '../../shared/lifecycle/policy';

// ---- the group and its timeline ----------------------------------------------------------------------------

export const GROUP = 'credit-risk-retail';
export const STAGING_ENDPOINT = 'credit-risk-retail-staging';
export const PROD_ENDPOINT = 'credit-risk-retail-prod';
export const P99_ALARM = 'creditai-credit-risk-retail-prod-p99-latency';
export const ERRORS_ALARM = 'creditai-credit-risk-retail-prod-5xx-errors';

/** Version 1 went live. */
export const LIVE_SINCE = '2026-11-01T12:00:00.000Z';
/** A version entered its current phase (default `since`). */
export const EARLIER = '2026-11-02T08:00:00.000Z';
/** The deployment under test started. */
export const DEPLOY_STARTED = '2026-11-02T09:00:00.000Z';
/** The `now` of every decide call unless a test says otherwise. */
export const NOW = '2026-11-02T10:00:00.000Z';

export const packageArn = (version: number): string =>
  `arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/${version}`;

// ---- actors --------------------------------------------------------------------------------------------------

/** A risk officer's role session, identified from the CloudTrail UpdateModelPackage record. */
export const humanActor: Actor = {
  arn: 'arn:aws:sts::111122223333:assumed-role/CreditRiskApprover/maria.keller@creditai.example',
  kind: 'human',
  source: 'cloudtrail',
};

/** The SageMaker pipeline's execution role (what DescribeModelPackage.LastModifiedBy shows after registration). */
export const pipelineActor: Actor = {
  arn: 'arn:aws:sts::111122223333:assumed-role/SageMakerPipelineRole/SageMaker',
  kind: 'service',
  source: 'describe',
};

/** A production approval by `humanActor`, as the registry shows it. */
export const humanApproval: PackageObservation['approval'] = {
  status: 'Approved',
  actor: humanActor,
  at: '2026-11-02T09:30:00.000Z',
  description: 'Model card CR-2026-114 reviewed by model risk',
};

// ---- packages ------------------------------------------------------------------------------------------------

/** `{ facet: [[value, DI, DPPL], ...] }` → a Clarify analysis with that post-training bias block. */
export function aBiasReport(facets: Record<string, [value: string, di: number | null, dppl: number | null][]>): ClarifyAnalysis {
  return {
    version: '1.0',
    post_training_bias_metrics: {
      label: 'default_within_12m',
      label_value_or_threshold: '1',
      facets: Object.fromEntries(
        Object.entries(facets).map(([facet, groups]) => [
          facet,
          groups.map(([value, di, dppl]) => ({
            value_or_threshold: value,
            metrics: [
              { name: 'DI', description: 'Disparate Impact (DI)', value: di },
              { name: 'DPPL', description: 'Difference in Positive Proportions in Predicted Labels (DPPL)', value: dppl },
            ],
          })),
        ]),
      ),
    },
  };
}

/** A Clarify analysis with global SHAP values for `features`. */
export function aShapReport(features: Record<string, number>): ClarifyAnalysis {
  return { version: '1.0', explanations: { kernel_shap: { label0: { global_shap_values: features, expected_value: 0.12 } } } };
}

export function anEvaluationReport(auc: number | null, ks?: number | null): PackageObservation['reports']['evaluation'] {
  return {
    version: 0.0,
    binary_classification_metrics: {
      auc: { value: auc, standard_deviation: 0.004 },
      ...(ks === undefined ? {} : { ks: { value: ks, standard_deviation: 0.006 } }),
    },
  };
}

export type PackageOverrides = Partial<Omit<PackageObservation, 'approval' | 'reports' | 'lineage'>> & {
  approval?: Partial<PackageObservation['approval']>;
  reports?: Partial<PackageObservation['reports']>;
  lineage?: Partial<Lineage>;
};

/** A package whose reports pass every default gate; nested overrides are merged one level deep. */
export function aPackage(version: number, overrides: PackageOverrides = {}): PackageObservation {
  const { approval, reports, lineage, ...rest } = overrides;
  return {
    version,
    arn: packageArn(version),
    createdAt: '2026-11-02T07:40:00.000Z',
    ...rest,
    approval: { status: 'PendingManualApproval', ...approval },
    reports: {
      evaluation: anEvaluationReport(0.88, 0.41),
      bias: aBiasReport({ age_group: [['under_25', 0.93, 0.03], ['over_60', 1.05, -0.02]] }),
      explainability: aShapReport({ debt_to_income: 0.21, credit_utilisation: 0.17, months_since_last_delinquency: 0.09, annual_income: 0.06 }),
      ...reports,
    },
    lineage: {
      trainingDataUri: 's3://creditai-data/training/2026-10/train.csv',
      trainingDataHash: 'sha256:9b74c9897bac770ffc029102a200c5de6d0d1c2e2e1b2bb9c4fb5d1a0b5f3e21',
      commitId: '4f1c2a9e7d3b5c6a8e0f1d2c3b4a59687766554e',
      pipelineExecutionArn: 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/credit-risk-retail-train/execution/k2x9q4m1z7ab',
      hyperparameters: { max_depth: '5', eta: '0.1', num_round: '300', objective: 'binary:logistic' },
      ...lineage,
    },
  };
}

// ---- recorded versions and deployments -------------------------------------------------------------------------

/**
 * The names decide gives a version's deployment, computed the documented way (model per package, config hashed
 * from what it holds), independently of decide.
 */
export function intendedNames(version: number, environment: Environment, policy: Policy = DEFAULT_POLICY): { modelName: string; endpointConfigName: string } {
  const settings = environment === 'staging' ? policy.staging : policy.production;
  const model = modelName(GROUP, version, packageArn(version));
  const config = {
    modelName: model,
    variantName: VARIANT_NAME,
    instanceType: settings.instanceType,
    instanceCount: settings.instanceCount,
    dataCaptureSamplingPercent: environment === 'staging' ? 0 : policy.production.dataCaptureSamplingPercent,
  };
  return { modelName: model, endpointConfigName: endpointConfigName(GROUP, version, environment, config) };
}

/** The config name of a version in an environment under `policy`. */
export const configOf = (version: number, environment: Environment, policy: Policy = DEFAULT_POLICY): string =>
  intendedNames(version, environment, policy).endpointConfigName;

/** A deployment record as decide writes it (staging: all-at-once; production: canary, after version - 1). */
export function aDeployment(version: number, environment: Environment, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  const names = intendedNames(version, environment);
  return {
    endpointName: environment === 'staging' ? STAGING_ENDPOINT : PROD_ENDPOINT,
    ...names,
    strategy: environment === 'staging' ? 'all-at-once' : 'canary',
    kind: 'release',
    ...(version > 1 ? { previousConfigName: configOf(version - 1, environment) } : {}),
    startedAt: DEPLOY_STARTED,
    ...overrides,
  };
}

/** The deployments a version in `phase` has (staging from DeployingStaging on, production from Canary on). */
function deploymentsFor(version: number, phase: Phase): VersionStatus['deployments'] {
  const staged: Phase[] = ['DeployingStaging', 'StagingVerified', 'Approved', 'Canary', 'Live', 'Superseded'];
  const deployments: VersionStatus['deployments'] = {};
  if (staged.includes(phase)) deployments.staging = aDeployment(version, 'staging');
  if (phase === 'Canary' || phase === 'Live' || phase === 'Superseded') deployments.production = aDeployment(version, 'production');
  return deployments;
}

/** A recorded version in `phase`, with the deployments that phase implies (Superseded: a former Live one). */
export function aVersion(version: number, phase: Phase, overrides: Partial<VersionStatus> = {}): VersionStatus {
  const servedProduction = phase === 'Live' || phase === 'Superseded';
  return {
    version,
    arn: packageArn(version),
    phase,
    since: EARLIER,
    transitions: 4,
    conditions: [],
    deployments: deploymentsFor(version, phase),
    ...(servedProduction ? { liveSince: LIVE_SINCE } : {}),
    ...overrides,
  };
}

// ---- endpoints, alarms, snapshots ------------------------------------------------------------------------------

export function anEndpoint(name: string, status: EndpointStatus, configName: string, overrides: Partial<EndpointObservation> = {}): EndpointObservation {
  return { name, status, configName, ...overrides };
}

/** The staging / production endpoint InService with a version's config. */
export const stagingServing = (version: number): EndpointObservation => anEndpoint(STAGING_ENDPOINT, 'InService', configOf(version, 'staging'));
export const prodServing = (version: number): EndpointObservation => anEndpoint(PROD_ENDPOINT, 'InService', configOf(version, 'production'));

export function anAlarm(name: string, state: AlarmObservation['state'], since: string, reason?: string): AlarmObservation {
  return { name, state, since, ...(reason ? { reason } : {}) };
}

export interface SnapshotParts {
  versions?: VersionStatus[];
  packages?: PackageObservation[];
  endpoints?: Snapshot['endpoints'];
  alarms?: AlarmObservation[];
  rollbackRequest?: GroupStatus['rollbackRequest'];
  conditions?: Condition[];
  revision?: number;
  /** The recorded retraining state and what the snapshot observes of drift and the run. */
  retrainingState?: GroupStatus['retraining'];
  retraining?: Snapshot['retraining'];
  challengeRequest?: GroupStatus['challengeRequest'];
  experiment?: GroupStatus['experiment'];
}

export function aSnapshot(parts: SnapshotParts = {}): Snapshot {
  return {
    group: GROUP,
    status: {
      group: GROUP,
      revision: parts.revision ?? 7,
      versions: parts.versions ?? [],
      conditions: parts.conditions ?? [],
      ...(parts.rollbackRequest ? { rollbackRequest: parts.rollbackRequest } : {}),
      ...(parts.retrainingState ? { retraining: parts.retrainingState } : {}),
      ...(parts.challengeRequest ? { challengeRequest: parts.challengeRequest } : {}),
      ...(parts.experiment ? { experiment: parts.experiment } : {}),
    },
    packages: parts.packages ?? [],
    endpoints: parts.endpoints ?? {},
    alarms: parts.alarms ?? [],
    ...(parts.retraining ? { retraining: parts.retraining } : {}),
  };
}

/** The snapshot the next reconcile would read after `decision`, the world otherwise unchanged. */
export function nextSnapshot(snapshot: Snapshot, decision: Decision): Snapshot {
  return { ...snapshot, status: { ...decision.status, revision: decision.status.revision + 1 } };
}

// ---- running decide ----------------------------------------------------------------------------------------------

/** Every PublishEvent detail of a decision validated against its domain-event schema; throws on the first mismatch. */
export function expectValidEvents(actions: readonly Action[]): void {
  for (const action of actions) {
    if (action.type !== 'PublishEvent') continue;
    const schema = domainEventDetailSchemas[action.event.detailType];
    const parsed = schema.safeParse(action.event.detail);
    if (!parsed.success) {
      throw new Error(`${action.event.detailType} detail does not match its schema: ${parsed.error.message}`);
    }
  }
}

/** decide, with every emitted event checked against its schema. */
export function decideChecked(snapshot: Snapshot, policy: Policy = DEFAULT_POLICY, now: string = NOW): Decision {
  const decision = decide(snapshot, policy, now);
  expectValidEvents(decision.actions);
  return decision;
}

export const eventsOf = (decision: Decision): DomainEvent[] =>
  decision.actions.flatMap((a) => (a.type === 'PublishEvent' ? [a.event] : []));

export const eventTypes = (decision: Decision): DomainDetailType[] => eventsOf(decision).map((e) => e.detailType);

/** The details of the events of one detail-type. */
export function eventsOfType<T extends DomainDetailType>(decision: Decision, detailType: T): DomainEventDetail<T>[] {
  return eventsOf(decision)
    .filter((e) => e.detailType === detailType)
    .map((e) => e.detail as DomainEventDetail<T>);
}

/** The types of the non-event actions (what the shell must do to the world). */
export const effectTypes = (decision: Decision): Action['type'][] =>
  decision.actions.filter((a) => a.type !== 'PublishEvent').map((a) => a.type);

export function actionsOfType<T extends Action['type']>(decision: Decision, type: T): Extract<Action, { type: T }>[] {
  return decision.actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);
}

/** The one DeployEndpoint spec of a decision (fails when there is not exactly one). */
export function deployedSpec(decision: Decision): EndpointSpec {
  const deploys = actionsOfType(decision, 'DeployEndpoint');
  if (deploys.length !== 1) throw new Error(`Expected one DeployEndpoint, got ${deploys.length}`);
  return deploys[0]!.spec;
}

/** A version of the decided status (fails when absent). */
export function versionOf(decision: Decision, version: number): VersionStatus {
  const v = decision.status.versions.find((x) => x.version === version);
  if (!v) throw new Error(`Version ${version} is not in the status`);
  return v;
}

/** Freezes an object graph, so a mutation of decide's input throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
