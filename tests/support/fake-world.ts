/**
 * An in-memory world behind the ports, for scenario tests: a registry, endpoints that take time to update and
 * can be rolled back, alarms, S3 documents, the state table, the bus and the queue. Tests tick it by hand:
 * act → let SageMaker finish → deliver the events it would send → assert on state.
 */
import { createHash } from 'node:crypto';
import type { DomainEvent } from '../../shared/contracts/domain-events';
import type { DriftCheckDeps } from '../../shared/drift-check/ports';
import type { ReconcileRequest } from '../../shared/contracts/reconcile-request';
import type { IngressDeps } from '../../shared/ingress/ingress';
import type { EndpointSpec } from '../../shared/lifecycle/actions';
import type { DriftSignal } from '../../shared/lifecycle/drift-triage';
import type { AlarmObservation, EndpointObservation, GroupStatus } from '../../shared/lifecycle/model';
import type { ReconcileDeps } from '../../shared/reconcile/reconcile-group';
import type { ApprovalEvidence, PipelineExecution, Pipelines, PipelineStart, RegisteredPackage, RejectedEventRecord, TrainingTarget } from '../../shared/reconcile/ports';
import { ConflictError, RetryableError } from '../../shared/runtime/errors';
import samples from '../../events/smoke-test/applications.json';
import modelInput from '../../pipeline/steps/config.json';

const smokeSamples = { schema: modelInput, applications: samples.applications };

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const CONTROL_PLANE_ROLE = `arn:aws:sts::${ACCOUNT}:assumed-role/creditai-mlops-reconcile/creditai-mlops-reconcile`;

interface FakeEndpoint extends EndpointObservation {
  /** The rollout of the update in progress. */
  rollout?: EndpointSpec['rollout'];
}

export class FakeWorld {
  now = new Date('2026-11-28T09:00:00.000Z');
  readonly packages = new Map<string, RegisteredPackage>();
  readonly endpoints = new Map<string, FakeEndpoint>();
  readonly alarmStates = new Map<string, AlarmObservation>();
  readonly documents = new Map<string, unknown>();
  readonly published: DomainEvent[] = [];
  readonly queued: ReconcileRequest[] = [];
  readonly rejected: RejectedEventRecord[] = [];
  readonly calls: string[] = [];
  readonly executions = new Map<string, PipelineExecution>();
  readonly driftSignals = new Map<string, DriftSignal>();
  /** Set to let drift retrain (the reconcile function's TRAINING_* configuration). */
  training: TrainingTarget | undefined;
  /** Executions started through the port, by client token (a repeated token starts nothing new). */
  readonly started = new Map<string, PipelineStart & { executionArn: string }>();
  private readonly statuses = new Map<string, GroupStatus>();
  private readonly policies = new Map<string, unknown>();
  private readonly evidence: ApprovalEvidence[] = [];
  private readonly endpointIndex = new Map<string, string>();
  /** Data Capture objects (`<uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl`) and their JSON lines. */
  readonly captureObjects = new Map<string, string[]>();
  /** URIs the drift check wrote, in order (a re-run writes the same ones again). */
  readonly written: string[] = [];
  /** Latency and scores the staging model answers with. */
  scoring = { latencyMs: 35, score: 0.12, failWith: undefined as string | undefined };

  tick(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }

  iso(): string {
    return this.now.toISOString();
  }

  /** Puts a recorded status in place, as if a reconcile had written it. */
  seedStatus(status: GroupStatus): void {
    this.statuses.set(status.group, structuredClone(status));
  }

  manage(group: string, overrides: unknown = {}): void {
    this.policies.set(group, overrides);
  }

  status(group: string): GroupStatus {
    return structuredClone(this.statuses.get(group) ?? { group, revision: 0, versions: [], conditions: [] });
  }

  phaseOf(group: string, version: number): string | undefined {
    return this.status(group).versions.find((v) => v.version === version)?.phase;
  }

  /** What SageMaker does when the endpoint's update finishes: serve the new config, or revert to the old one. */
  finishEndpoint(name: string, outcome: 'complete' | 'revert' | 'fail' = 'complete', failureReason?: string): void {
    const ep = this.endpoints.get(name);
    if (!ep) throw new Error(`No endpoint ${name}`);
    if (outcome === 'complete') {
      ep.configName = ep.pendingConfigName ?? ep.configName;
      ep.status = 'InService';
      delete ep.failureReason;
    } else if (outcome === 'revert') {
      ep.status = 'InService';
      ep.failureReason = failureReason ?? 'Deployment rolled back: an auto-rollback alarm fired during baking';
    } else {
      ep.configName = ep.pendingConfigName ?? ep.configName;
      ep.status = 'Failed';
      ep.failureReason = failureReason ?? 'The primary container for production variant AllTraffic did not pass the ping health check';
    }
    delete ep.pendingConfigName;
    delete ep.rollout;
  }

  /** Registers a package as the training pipeline would: reports in S3, lineage in its metadata. */
  register(group: string, version: number, figures: { auc?: number; di?: number } = {}): string {
    const arn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/${group}/${version}`;
    const prefix = `s3://creditai-artifacts/${group}/v${version}`;
    this.documents.set(`${prefix}/evaluation.json`, { binary_classification_metrics: { auc: { value: figures.auc ?? 0.874, standard_deviation: 0.004 }, ks: { value: 0.46 } } });
    this.documents.set(`${prefix}/bias/analysis.json`, {
      post_training_bias_metrics: {
        label: 'default_90d',
        facets: {
          age_group: [
            { value_or_threshold: 'under_25', metrics: [{ name: 'DI', value: figures.di ?? 0.91 }, { name: 'DPPL', value: 0.03 }] },
            { value_or_threshold: 'over_60', metrics: [{ name: 'DI', value: 1.04 }, { name: 'DPPL', value: -0.01 }] },
          ],
        },
      },
    });
    this.documents.set(`${prefix}/explainability/analysis.json`, {
      explanations: { kernel_shap: { label0: { global_shap_values: { annual_income: 0.21, debt_to_income: 0.17, delinquencies: 0.12 }, expected_value: 0.08 } } },
    });
    this.packages.set(arn, {
      version,
      arn,
      createdAt: this.iso(),
      approvalStatus: 'PendingManualApproval',
      reportUris: { evaluation: `${prefix}/evaluation.json`, bias: `${prefix}/bias/analysis.json`, explainability: `${prefix}/explainability/analysis.json` },
      lineage: {
        trainingDataUri: `s3://creditai-data/${group}/training/2026-11/train.csv`,
        trainingDataHash: 'sha256:9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a',
        commitId: '4be1c0d3a9f8e7d6c5b4a39281706f5e4d3c2b1a',
        pipelineExecutionArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/creditai-${group}/execution/k2x9v7q1m3ab`,
        hyperparameters: { max_depth: '5', eta: '0.1', num_round: '300' },
      },
    });
    return arn;
  }

  /** A person approves (or rejects) in the console: the registry changes and CloudTrail records who. */
  humanDecides(arn: string, status: 'Approved' | 'Rejected', who: string, reason: string): void {
    Object.assign(this.packages.get(arn)!, { approvalStatus: status, approvalDescription: reason, lastModifiedBy: who, lastModifiedAt: this.iso() });
  }

  setAlarm(name: string, state: AlarmObservation['state'], reason?: string): void {
    this.alarmStates.set(name, { name, state, since: this.iso(), ...(reason ? { reason } : {}) });
  }

  /** The ports of the reconciler over this world. */
  reconcileDeps(): ReconcileDeps {
    const world = this;
    return {
      identity: { approverRoles: ['RiskOfficer', 'ModelApprover'], controlPlaneRoles: ['creditai-mlops-*'] },
      clock: { now: () => world.iso() },
      smokeSamples,
      pipelines: world.pipelinesPort(),
      ...(world.training ? { training: world.training } : {}),
      state: {
        load: async (group) => world.status(group),
        save: async (status) => {
          const current = world.statuses.get(status.group)?.revision ?? 0;
          if (current !== status.revision) throw new ConflictError(`Revision ${status.revision} is stale (now ${current})`);
          world.statuses.set(status.group, structuredClone({ ...status, revision: status.revision + 1 }));
        },
        policyOverrides: async (group) => world.policies.get(group),
        listGroups: async () => [...world.policies.keys()],
        requestRollback: async (group, request) => {
          world.statuses.set(group, { ...world.status(group), rollbackRequest: request });
        },
        requestChallenge: async (group, request) => {
          world.statuses.set(group, { ...world.status(group), challengeRequest: request });
        },
        recordExperimentVerdict: async (group, version, verdict) => {
          const status = world.status(group);
          if (status.experiment?.version !== version || status.experiment.verdict) return false;
          world.statuses.set(group, { ...status, revision: status.revision + 1, experiment: { ...status.experiment, verdict } });
          return true;
        },
        recordApprovalEvidence: async (e) => {
          if (!world.evidence.some((x) => x.eventId === e.eventId)) world.evidence.push(e);
        },
        approvalEvidence: async (group, version) => world.evidence.filter((e) => e.modelGroup === group && e.version === version),
        registerEndpoint: async (name, group) => void world.endpointIndex.set(name.toLowerCase(), group),
        groupOfEndpoint: async (name) => world.endpointIndex.get(name.toLowerCase()),
        recordRejectedEvent: async (r) => void world.rejected.push(r),
        recordDriftSignal: async (group, signal) => {
          const key = `${group}/${signal.version}/${signal.windowEnd}/${signal.source}`;
          if (!world.driftSignals.has(key)) world.driftSignals.set(key, structuredClone(signal));
        },
        driftSignals: async (group, version) =>
          [...world.driftSignals.entries()]
            .filter(([key]) => key.startsWith(`${group}/${version}/`))
            .map(([, signal]) => structuredClone(signal))
            .sort((a, b) => b.windowEnd.localeCompare(a.windowEnd)),
      },
      registry: {
        listPackages: async (group) =>
          [...world.packages.values()]
            .filter((p) => p.arn.includes(`/${group}/`))
            .sort((a, b) => a.version - b.version)
            .map(({ version, arn, createdAt, approvalStatus }) => ({ version, arn, createdAt, approvalStatus })),
        describePackage: async (arn) => structuredClone(world.packages.get(arn)!),
        setApproval: async ({ modelPackageArn, status, reason }) => {
          world.calls.push(`setApproval ${modelPackageArn} ${status}`);
          const p = world.packages.get(modelPackageArn)!;
          Object.assign(p, { approvalStatus: status, approvalDescription: reason, lastModifiedBy: CONTROL_PLANE_ROLE, lastModifiedAt: world.iso() });
        },
      },
      documents: {
        readJson: async (uri) => {
          if (!world.documents.has(uri)) throw new Error(`NoSuchKey ${uri}`);
          return structuredClone(world.documents.get(uri));
        },
        readJsonWithHash: async (uri) => {
          if (!world.documents.has(uri)) throw new Error(`NoSuchKey ${uri}`);
          const bytes = JSON.stringify(world.documents.get(uri));
          return { value: JSON.parse(bytes) as unknown, sha256: createHash('sha256').update(bytes).digest('hex') };
        },
      },
      endpoints: {
        describe: async (name) => {
          const ep = world.endpoints.get(name);
          if (!ep) return undefined;
          const { rollout: _rollout, ...observation } = ep;
          return structuredClone(observation);
        },
        deploy: async (spec) => {
          const ep = world.endpoints.get(spec.endpointName);
          if (ep && (ep.configName === spec.endpointConfigName || ep.pendingConfigName === spec.endpointConfigName)) return;
          if (ep && ['Creating', 'Updating'].includes(ep.status)) throw new RetryableError('Cannot update in-progress endpoint');
          world.calls.push(`deploy ${spec.endpointName} ${spec.endpointConfigName} ${spec.rollout.strategy}`);
          if (!ep) {
            world.endpoints.set(spec.endpointName, { name: spec.endpointName, status: 'Creating', configName: spec.endpointConfigName, pendingConfigName: spec.endpointConfigName, rollout: spec.rollout });
          } else {
            Object.assign(ep, { status: 'Updating', pendingConfigName: spec.endpointConfigName, rollout: spec.rollout });
            delete ep.failureReason;
          }
        },
        delete: async (name) => {
          world.calls.push(`delete ${name}`);
          world.endpoints.delete(name);
        },
        updateWeights: async (name, weights) => {
          world.calls.push(`weights ${name} ${weights.map((w) => `${w.variantName}=${w.weight}`).join(',')}`);
        },
      },
      scorer: {
        score: async (_name, csv) => {
          const rows = csv.split('\n').length;
          if (world.scoring.failWith) return { body: world.scoring.failWith, latencyMs: world.scoring.latencyMs, failed: true };
          return { body: Array.from({ length: rows }, () => String(world.scoring.score)).join('\n'), latencyMs: world.scoring.latencyMs, failed: false };
        },
      },
      alarms: { describe: async (names) => names.flatMap((n) => (world.alarmStates.has(n) ? [structuredClone(world.alarmStates.get(n)!)] : [])) },
      bus: { publish: async (events) => void world.published.push(...structuredClone(events)) },
    };
  }

  /** The ports of the ingress handlers over this world. */
  /** The Pipelines port over this world's executions; a started execution runs until `finishExecution`. */
  pipelinesPort(): Pipelines {
    return {
      describeExecution: async (arn) => {
        const e = this.executions.get(arn);
        if (!e) throw new Error(`No execution ${arn}`);
        return structuredClone(e);
      },
      startExecution: async (start) => {
        const known = this.started.get(start.clientToken);
        if (known) return { executionArn: known.executionArn };
        const executionArn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/${start.pipelineName}/execution/run${this.started.size + 1}`;
        this.started.set(start.clientToken, { ...structuredClone(start), executionArn });
        this.executions.set(executionArn, { pipelineArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/${start.pipelineName}`, executionArn, status: 'Executing', parameters: { ...start.parameters } });
        return { executionArn };
      },
    };
  }

  /** Ends a started execution now. */
  finishExecution(executionArn: string, status: 'Succeeded' | 'Failed' | 'Stopped'): void {
    const e = this.executions.get(executionArn)!;
    this.executions.set(executionArn, { ...e, status, endedAt: this.iso() });
  }

  /** Registers the training baseline (and optionally the explainer) with a package, as the pipeline stores them. */
  registerBaseline(arn: string, statistics: unknown, explainer?: unknown): void {
    const pkg = this.packages.get(arn)!;
    const prefix = `s3://creditai-artifacts/${arn.split('/').slice(-2).join('/v')}`;
    pkg.baselineStatisticsUri = `${prefix}/baseline/statistics.json`;
    this.documents.set(pkg.baselineStatisticsUri, structuredClone(statistics));
    if (explainer !== undefined) {
      pkg.explainerUri = `${prefix}/explainer.json`;
      this.documents.set(pkg.explainerUri, structuredClone(explainer));
    }
  }

  /** The ports of the drift check over this world: capture objects, documents read and written, state, bus, queue. */
  driftCheckDeps(locations: Pick<DriftCheckDeps, 'captureUri' | 'reportsUri'>): DriftCheckDeps {
    const r = this.reconcileDeps();
    const world = this;
    return {
      state: r.state,
      bus: r.bus,
      clock: r.clock,
      queue: this.ingressDeps().queue,
      registry: r.registry,
      documents: {
        ...r.documents,
        writeJson: async (uri, value) => {
          world.written.push(uri);
          world.documents.set(uri, structuredClone(value));
        },
      },
      capture: {
        async *lines(prefix) {
          for (const [uri, lines] of world.captureObjects) if (uri.startsWith(prefix)) yield* lines;
        },
      },
      ...locations,
    };
  }

  ingressDeps(): IngressDeps {
    const r = this.reconcileDeps();
    return {
      state: r.state,
      bus: r.bus,
      clock: r.clock,
      origin: { account: ACCOUNT, region: REGION },
      queue: { request: async (req) => void this.queued.push(structuredClone(req)) },
      pipelines: this.pipelinesPort(),
    };
  }

  detailTypes(): string[] {
    return this.published.map((e) => e.detailType);
  }
}
