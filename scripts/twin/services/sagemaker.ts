/**
 * The SageMaker twin: the model registry, models, endpoint configs, endpoints with blue/green deployment guardrails,
 * and pipeline executions, each in its own module (sagemaker-*.ts); this file puts them behind one `ServiceTwin`.
 *
 * Calls through the SDK are made by the control plane's role (`callerArn`); scenarios act as other principals
 * through `updateAsHuman` and seed state with `registerPackage` and `recordExecution`.
 */
import type { DataCaptureConfig, UpdateModelPackageInput } from '@aws-sdk/client-sagemaker';
import { parseModelArtifact, type LogisticModel, type TrainingOptions } from '../ml/logistic';
import type { Operation, ServiceContext, ServiceTwin } from '../core/types';
import type { S3Twin } from './s3';
import { createEndpoints, type Route } from './sagemaker-endpoints';
import { createPipelineRunner, type DriftBaselineBuilder, type StepTimings } from './sagemaker-pipeline-run';
import { makeRolePermissions, s3PipelineStorage, type DeniedPermission } from './sagemaker-pipeline-storage';
import { createPipelines, type ExecutionSeed } from './sagemaker-pipelines';
import { createRegistry, type PackageSeed } from './sagemaker-registry';

export type { DeniedPermission, DriftBaselineBuilder, ExecutionSeed, PackageSeed, Route, StepTimings, TrainingOptions };

/** How the SageMaker twin is built. */
export interface SageMakerTwinOptions {
  /** The principal of every SDK call (the control plane's role session): `LastModifiedBy` of its updates. */
  callerArn: string;
  /** The state of a CloudWatch alarm, for deployment guardrails: pass the CloudWatch twin's `alarmState`. */
  alarmState?: (name: string) => string | undefined;
  /** Virtual durations: provisioning a fleet (default 6 min), moving traffic (30 s), deleting an endpoint (60 s). */
  timings?: { provisioningMs?: number; trafficShiftMs?: number; deletionMs?: number };
  /** Put the CloudTrail record of every UpdateModelPackage on the bus, as a trail would (default true). */
  cloudTrail?: boolean;
  /**
   * The S3 twin the training pipeline's jobs read and write (and endpoints load model artefacts from). Without it,
   * StartPipelineExecution is not available and endpoints score with the runtime twin's stand-in.
   */
  s3?: S3Twin;
  /** The training pipeline: its artifacts bucket (default `creditai-artifacts`), step durations, drift baseline. */
  pipeline?: { artifactsBucket?: string; timings?: Partial<StepTimings>; driftBaseline?: DriftBaselineBuilder };
}

/** The SageMaker twin: a `ServiceTwin` plus what scenarios use to seed and steer it. */
export interface SageMakerTwin extends ServiceTwin {
  /** Registers a version in `group` (creating the group if needed) as the training pipeline would; returns its ARN. */
  registerPackage(ctx: ServiceContext, group: string, seed?: PackageSeed): string;
  /** Creates a model package group (Terraform's job in production). */
  createGroup(ctx: ServiceContext, name: string, description?: string): void;
  /** UpdateModelPackage by another principal (an approver in the console): `LastModifiedBy` and the trail name them. */
  updateAsHuman(ctx: ServiceContext, principalArn: string, input: UpdateModelPackageInput): { ModelPackageArn: string };
  /** Records a pipeline execution (status, failure, steps, parameters); returns its ARN. */
  recordExecution(ctx: ServiceContext, seed: ExecutionSeed): string;
  /** Makes fleets of a model (package ARN or model name) fail to come up with `reason`. */
  setDeploymentFailure(modelKey: string, reason?: string): void;
  clearDeploymentFailure(modelKey: string): void;
  /** Where the next invocation of an endpoint goes; undefined when it cannot answer. Used by the runtime twin. */
  route(endpointName: string, targetVariant?: string): Route | undefined;
  /** The DataCaptureConfig of an endpoint config (a route's `endpointConfigName`), if it has one. Used by the runtime twin. */
  dataCaptureConfig(endpointConfigName: string): DataCaptureConfig | undefined;
  /**
   * How the training step code of `commitId` trains (default: the full model): a commit that drops informative
   * features or trains on noisier labels gives a really weaker model (gate-rejected and A/B scenarios). With
   * `group`, only that group's executions of the commit train so.
   */
  setCodeBehaviour(commitId: string, options: TrainingOptions, group?: string): void;
  /** Takes `action` on every object under `prefixUri` away from the pipeline execution role (pipeline-failure scenario). */
  denyPipelineRole(permission: DeniedPermission): void;
  /** Gives it back. */
  allowPipelineRole(permission: DeniedPermission): void;
  /** The trained model a package serves (its model artefact in S3), for a package the pipeline registered. */
  trainedModel(modelKey: string): LogisticModel | undefined;
}

/** Adapts a part's `(ctx, input) → output` function to the twin's `Operation`. */
function operation<I>(fn: (ctx: ServiceContext, input: I) => object): Operation {
  return async (input, ctx) => fn(ctx, input as I) as Record<string, unknown>;
}

/**
 * Builds the SageMaker twin.
 * @example
 * const cloudwatch = createCloudWatchTwin();
 * const sagemaker = createSageMakerTwin({ callerArn: 'arn:aws:sts::111122223333:assumed-role/creditai-reconcile/fn', alarmState: cloudwatch.alarmState });
 */
export function createSageMakerTwin(options: SageMakerTwinOptions): SageMakerTwin {
  const registry = createRegistry(options.callerArn, { cloudTrail: options.cloudTrail });
  const endpoints = createEndpoints({ timings: options.timings, alarmState: options.alarmState, packageExists: registry.exists });
  const permissions = makeRolePermissions();
  const behaviours = new Map<string, TrainingOptions>();
  const storage = options.s3 ? s3PipelineStorage(options.s3) : undefined;
  const runner = storage
    ? createPipelineRunner({
        storage,
        register: registry.registerPackage,
        permissions,
        codeBehaviour: (commit, group) => behaviours.get(`${commit}/${group}`) ?? behaviours.get(commit) ?? {},
        artifactsBucket: options.pipeline?.artifactsBucket,
        timings: options.pipeline?.timings,
        driftBaseline: options.pipeline?.driftBaseline,
      })
    : undefined;
  const pipelines = createPipelines(options.callerArn, runner);
  // Artefacts are immutable per execution, so each is parsed once.
  const artefacts = new Map<string, LogisticModel | undefined>();
  const parts: Record<string, (ctx: ServiceContext, input: never) => object> = { ...registry.operations, ...endpoints.operations, ...pipelines.operations };

  return {
    model: 'sagemaker',
    clientName: 'SageMakerClient',
    operations: {
      ...Object.fromEntries(Object.entries(parts).map(([name, fn]) => [name, operation(fn)])),
    },
    registerPackage: registry.registerPackage,
    createGroup: (ctx, name, description) => void registry.ensureGroup(ctx, name, description),
    updateAsHuman: registry.updateAsHuman,
    recordExecution: pipelines.recordExecution,
    setDeploymentFailure: endpoints.setDeploymentFailure,
    clearDeploymentFailure: endpoints.clearDeploymentFailure,
    route: endpoints.route,
    dataCaptureConfig: endpoints.dataCaptureConfig,
    setCodeBehaviour: (commit, training, group) => void behaviours.set(group ? `${commit}/${group}` : commit, { ...training }),
    denyPipelineRole: permissions.deny,
    allowPipelineRole: permissions.allow,
    trainedModel(modelKey) {
      const url = registry.modelDataUrlOf(modelKey);
      if (!url || !storage) return undefined;
      if (!artefacts.has(url)) {
        const bytes = storage.peek(url);
        artefacts.set(url, bytes ? parseModelArtifact(bytes) : undefined);
      }
      return artefacts.get(url);
    },
  };
}
