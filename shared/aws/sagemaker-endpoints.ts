/**
 * SageMaker real-time endpoints as the `Endpoints` port. `deploy` converges model → endpoint config → endpoint
 * and is safe to repeat: names are deterministic (spec hash), "already existing" counts as done, and an endpoint
 * already serving or rolling out the wanted config is left alone.
 */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
  type DataCaptureConfig,
  type DeploymentConfig,
  type ProductionVariantInstanceType,
  type SageMakerClient,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import type { EndpointSpec, Rollout } from '../lifecycle/actions';
import type { EndpointObservation, EndpointStatus } from '../lifecycle/model';
import { RetryableError, TerminalError } from '../runtime/errors';
import type { Endpoints } from '../reconcile/ports';
import { isAlreadyExists, isInProgress, isNotFound } from './aws-errors';

/** What the adapter needs besides the spec. */
export interface EndpointsConfig {
  /** Role SageMaker assumes to pull the model and, for guardrails, read the rollback alarms (cloudwatch:DescribeAlarms). */
  executionRoleArn: string;
  /** Where data capture writes requests and responses (s3://bucket/prefix). */
  dataCaptureS3Uri: string;
  /** KMS key for the instance volumes and the captured data; AWS-managed keys when absent. */
  kmsKeyId?: string;
}

/** Statuses in which SageMaker refuses an update ("Cannot update in-progress endpoint"): wait and retry. */
const BUSY: ReadonlySet<EndpointStatus> = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']);

/** AutoRollbackConfiguration.Alarms holds 1–10 alarms (API model AlarmList). */
const MAX_ROLLBACK_ALARMS = 10;

/**
 * All-at-once blue/green timeout. 600 s is the API minimum, but the timeout covers bringing up the new fleet,
 * which alone can take most of ten minutes; an expired timeout rolls the update back.
 */
const ALL_AT_ONCE_TIMEOUT_SECONDS = 3600;

function tagsOf(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Swallows "already existing": these creates take no client token, but names derive from the spec, so an existing
 * resource is the one we want (aws-facts §4.1).
 */
async function ensureCreated(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}

/** The UpdateEndpoint DeploymentConfig of a rollout (aws-facts §4.5). */
export function deploymentConfigOf(rollout: Rollout): DeploymentConfig {
  if (rollout.strategy === 'all-at-once') {
    return {
      BlueGreenUpdatePolicy: {
        TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 },
        MaximumExecutionTimeoutInSeconds: ALL_AT_ONCE_TIMEOUT_SECONDS,
      },
    };
  }
  if (rollout.rollbackAlarms.length > MAX_ROLLBACK_ALARMS) {
    throw new TerminalError(`A canary takes at most ${MAX_ROLLBACK_ALARMS} auto-rollback alarms, the policy names ${rollout.rollbackAlarms.length}`);
  }
  return {
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: {
        Type: 'CANARY',
        CanarySize: { Type: 'CAPACITY_PERCENT', Value: rollout.trafficPercent },
        WaitIntervalInSeconds: rollout.bakeSeconds,
      },
      TerminationWaitInSeconds: rollout.terminationWaitSeconds,
      MaximumExecutionTimeoutInSeconds: rollout.maxExecutionSeconds,
    },
    // AlarmList holds 1–10 alarms: an empty list is refused, so leave the block out.
    ...(rollout.rollbackAlarms.length > 0 ? { AutoRollbackConfiguration: { Alarms: rollout.rollbackAlarms.map((AlarmName) => ({ AlarmName })) } } : {}),
  };
}

function dataCaptureOf(spec: EndpointSpec, config: EndpointsConfig): DataCaptureConfig | undefined {
  if (spec.dataCaptureSamplingPercent <= 0) return undefined;
  return {
    EnableCapture: true,
    InitialSamplingPercentage: spec.dataCaptureSamplingPercent,
    DestinationS3Uri: config.dataCaptureS3Uri,
    ...(config.kmsKeyId ? { KmsKeyId: config.kmsKeyId } : {}),
    CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
    // Without a declared content type, captured CSV would be stored base64-encoded (aws-facts §4.4).
    CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
  };
}

/**
 * A create or update that found the endpoint config (or endpoint) missing: a config created a moment ago may not be
 * visible yet (aws-facts §4.5), so retry. "Cannot update in-progress endpoint" (§4.1) is retried too.
 */
function retryIfNotFound(error: unknown, endpointName: string): never {
  if (isNotFound(error)) throw new RetryableError(`Endpoint ${endpointName} or its config is not visible yet; will retry`, { cause: error });
  if (isInProgress(error)) throw new RetryableError(`Endpoint ${endpointName} is being updated; will retry`, { cause: error });
  throw error;
}

/**
 * The `Endpoints` port over SageMaker.
 * - describe: DescribeEndpoint; not found → undefined.
 * - deploy: CreateModel and CreateEndpointConfig ("already existing" → done), then by the endpoint's state:
 *   missing → CreateEndpoint; serving or rolling out the spec's config → nothing; Failed → DeleteEndpoint and
 *   RetryableError (only delete is accepted then); Creating/Updating/SystemUpdating/RollingBack/Deleting →
 *   RetryableError; otherwise UpdateEndpoint with the rollout's DeploymentConfig. "Cannot update in-progress
 *   endpoint" and a not-yet-visible config → RetryableError.
 * - delete: DeleteEndpoint; not found → done; in progress → RetryableError.
 * - updateWeights: UpdateEndpointWeightsAndCapacities (weights only); in progress or not found → RetryableError.
 * An A/B spec (`challenger`, mode `ab`) creates both models and a two-variant config weighted 100 − share / share;
 * a shadow spec one production variant and the challenger as its shadow variant (weight share / 100).
 * @example
 * const endpoints = makeSageMakerEndpoints(clients.sagemaker, { executionRoleArn, dataCaptureS3Uri });
 * await endpoints.deploy(spec);
 */
export function makeSageMakerEndpoints(sagemaker: SageMakerClient, config: EndpointsConfig): Endpoints {
  async function describe(endpointName: string): Promise<EndpointObservation | undefined> {
    try {
      const out = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
      return {
        name: out.EndpointName ?? endpointName,
        status: (out.EndpointStatus ?? 'OutOfService') as EndpointStatus,
        configName: out.EndpointConfigName ?? '',
        pendingConfigName: out.PendingDeploymentSummary?.EndpointConfigName,
        failureReason: out.FailureReason,
      };
    } catch (error) {
      // DescribeEndpoint reports a missing endpoint as ValidationException "Could not find endpoint" (aws-facts §0.7).
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async function deleteEndpoint(endpointName: string): Promise<void> {
    try {
      await sagemaker.send(new DeleteEndpointCommand({ EndpointName: endpointName }));
    } catch (error) {
      if (isNotFound(error)) return;
      if (isInProgress(error)) throw new RetryableError(`Endpoint ${endpointName} is being updated and cannot be deleted yet; will retry`, { cause: error });
      throw error;
    }
  }

  async function ensureModelAndConfig(spec: EndpointSpec): Promise<void> {
    const tags = tagsOf(spec.tags);
    await ensureCreated(() =>
      sagemaker.send(
        new CreateModelCommand({
          ModelName: spec.modelName,
          PrimaryContainer: { ModelPackageName: spec.modelPackageArn },
          ExecutionRoleArn: config.executionRoleArn,
          Tags: tags,
        }),
      ),
    );
    const challenger = spec.challenger;
    if (challenger) {
      await ensureCreated(() =>
        sagemaker.send(
          new CreateModelCommand({ ModelName: challenger.modelName, PrimaryContainer: { ModelPackageName: challenger.modelPackageArn }, ExecutionRoleArn: config.executionRoleArn, Tags: tags }),
        ),
      );
    }
    const dataCapture = dataCaptureOf(spec, config);
    const variant = (VariantName: string, ModelName: string, InitialVariantWeight: number) => ({
      VariantName,
      ModelName,
      InstanceType: spec.instanceType as ProductionVariantInstanceType,
      InitialInstanceCount: spec.instanceCount,
      InitialVariantWeight,
    });
    // An A/B config: weights are relative, so percent shares are the weights (one variant: weight 1).
    const ab = challenger?.mode === 'ab';
    const variants = ab
      ? [variant(spec.variantName, spec.modelName, 100 - challenger.sharePercent), variant(challenger.variantName, challenger.modelName, challenger.sharePercent)]
      : [variant(spec.variantName, spec.modelName, 1)];
    // UNVERIFIED: a shadow variant is sent the share of requests its weight bears to the production variant's (1).
    const shadows = challenger?.mode === 'shadow' ? [variant(challenger.variantName, challenger.modelName, challenger.sharePercent / 100)] : undefined;
    await ensureCreated(() =>
      sagemaker.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: spec.endpointConfigName,
          ProductionVariants: variants,
          ...(shadows ? { ShadowProductionVariants: shadows } : {}),
          ...(dataCapture ? { DataCaptureConfig: dataCapture } : {}),
          ...(config.kmsKeyId ? { KmsKeyId: config.kmsKeyId } : {}),
          Tags: tags,
        }),
      ),
    );
  }

  async function deploy(spec: EndpointSpec): Promise<void> {
    // Checked before anything is created: a policy AWS would refuse is not worth a retry.
    const deploymentConfig = deploymentConfigOf(spec.rollout);
    await ensureModelAndConfig(spec);
    const name = spec.endpointName;
    const current = await describe(name);
    if (!current) {
      try {
        await ensureCreated(() =>
          sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: spec.endpointConfigName, Tags: tagsOf(spec.tags) })),
        );
      } catch (error) {
        retryIfNotFound(error, name);
      }
      return;
    }
    if (current.configName === spec.endpointConfigName || current.pendingConfigName === spec.endpointConfigName) return;
    if (current.status === 'Failed') {
      // A Failed endpoint accepts only DeleteEndpoint (aws-facts §4.7); the retry recreates it.
      await deleteEndpoint(name);
      throw new RetryableError(`Endpoint ${name} was Failed (${current.failureReason ?? 'no reason given'}); deleted, will recreate`);
    }
    if (BUSY.has(current.status)) throw new RetryableError(`Endpoint ${name} is ${current.status}; will retry the update to ${spec.endpointConfigName}`);
    try {
      await sagemaker.send(new UpdateEndpointCommand({ EndpointName: name, EndpointConfigName: spec.endpointConfigName, DeploymentConfig: deploymentConfig }));
    } catch (error) {
      retryIfNotFound(error, name);
    }
  }

  async function updateWeights(endpointName: string, weights: { variantName: string; weight: number }[]): Promise<void> {
    try {
      await sagemaker.send(
        new UpdateEndpointWeightsAndCapacitiesCommand({
          EndpointName: endpointName,
          DesiredWeightsAndCapacities: weights.map((w) => ({ VariantName: w.variantName, DesiredWeight: w.weight })),
        }),
      );
    } catch (error) {
      retryIfNotFound(error, endpointName);
    }
  }

  return { describe, deploy, delete: deleteEndpoint, updateWeights };
}
