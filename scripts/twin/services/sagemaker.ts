/**
 * The SageMaker twin: the model registry, models, endpoint configs, endpoints with blue/green deployment guardrails,
 * and pipeline executions, each in its own module (sagemaker-*.ts); this file puts them behind one `ServiceTwin`.
 *
 * Calls through the SDK are made by the control plane's role (`callerArn`); scenarios act as other principals
 * through `updateAsHuman` and seed state with `registerPackage` and `recordExecution`.
 */
import type { UpdateModelPackageInput } from '@aws-sdk/client-sagemaker';
import type { Operation, ServiceContext, ServiceTwin } from '../core/types';
import { notImplemented } from './sagemaker-common';
import { createEndpoints, type Route } from './sagemaker-endpoints';
import { createPipelines, type ExecutionSeed } from './sagemaker-pipelines';
import { createRegistry, type PackageSeed } from './sagemaker-registry';

export type { ExecutionSeed, PackageSeed, Route };

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
  const pipelines = createPipelines(options.callerArn);
  const parts: Record<string, (ctx: ServiceContext, input: never) => object> = { ...registry.operations, ...endpoints.operations, ...pipelines.operations };

  return {
    model: 'sagemaker',
    clientName: 'SageMakerClient',
    operations: {
      ...Object.fromEntries(Object.entries(parts).map(([name, fn]) => [name, operation(fn)])),
      // Left for a later slice (A/B tests): failing loudly beats pretending the weights moved.
      UpdateEndpointWeightsAndCapacities: async () => {
        throw notImplemented('UpdateEndpointWeightsAndCapacities');
      },
    },
    registerPackage: registry.registerPackage,
    createGroup: (ctx, name, description) => void registry.ensureGroup(ctx, name, description),
    updateAsHuman: registry.updateAsHuman,
    recordExecution: pipelines.recordExecution,
    setDeploymentFailure: endpoints.setDeploymentFailure,
    clearDeploymentFailure: endpoints.clearDeploymentFailure,
    route: endpoints.route,
  };
}
