/**
 * Models, endpoint configs and real-time endpoints of the SageMaker twin, with the errors SageMaker gives for them
 * (aws-facts §0.7, §4.1, §4.3–4.8) and the traffic routing the runtime twin uses.
 */
import type {
  CreateEndpointConfigInput,
  CreateEndpointInput,
  CreateModelInput,
  DataCaptureConfig,
  DescribeEndpointConfigOutput,
  DescribeEndpointOutput,
  DescribeModelOutput,
  UpdateEndpointInput,
  UpdateEndpointWeightsAndCapacitiesInput,
} from '@aws-sdk/client-sagemaker';
import type { ServiceContext } from '../core/types';
import { copy, dropUndefined, nameKey, notImplemented, sageMakerArn, tagMap, validationError } from './sagemaker-common';
import { currentVariantSummaries, emitEndpointState, pendingSummary, reportedFleet, type Fleet, type StoredEndpoint } from './sagemaker-endpoint-state';
import { createRolloutDriver, type RolloutTimings } from './sagemaker-rollouts';

/** Statuses in which SageMaker refuses an update or a delete: "Cannot update in-progress endpoint" (aws-facts §4.1). */
const IN_PROGRESS = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']);

/** Statuses in which the endpoint answers InvokeEndpoint (the old fleet keeps serving during an update). */
/** How long an UpdateEndpointWeightsAndCapacities keeps the endpoint Updating (UNVERIFIED: minutes at most). */
const WEIGHTS_UPDATE_MS = 60_000;
const INVOCABLE = new Set(['InService', 'Updating', 'SystemUpdating', 'RollingBack']);

/** Where an invocation lands. */
export interface Route {
  endpointName: string;
  endpointConfigName: string;
  variantName: string;
  modelName: string;
  /** The model's registry package ARN (PrimaryContainer.ModelPackageName), else the model name. */
  modelKey: string;
  /** The shadow variant a copy of this request also goes to, when its config has one and the request is sampled. */
  shadow?: Omit<Route, 'shadow'>;
}

/** Options of the endpoints part. */
export interface EndpointsOptions {
  timings?: Partial<RolloutTimings> & { deletionMs?: number };
  alarmState?: (name: string) => string | undefined;
  /** Whether a registry package exists (CreateModel from a package checks it). */
  packageExists?: (arn: string) => boolean;
}

/** The key a model is known by to scenarios and scorers: its package ARN, else its name. */
function modelKeyOf(model: Omit<DescribeModelOutput, '$metadata'>): string {
  return model.PrimaryContainer?.ModelPackageName ?? model.Containers?.[0]?.ModelPackageName ?? model.ModelName!;
}

/** The endpoints part of the SageMaker twin. */
export function createEndpoints(options: EndpointsOptions = {}) {
  const models = new Map<string, Omit<DescribeModelOutput, '$metadata'>>();
  const configs = new Map<string, Omit<DescribeEndpointConfigOutput, '$metadata'>>();
  const endpoints = new Map<string, StoredEndpoint>();
  /** Scenario-made deployment failures: model key → FailureReason. */
  const failures = new Map<string, string>();
  const deletionMs = options.timings?.deletionMs ?? 60_000;

  const driver = createRolloutDriver({
    timings: { provisioningMs: options.timings?.provisioningMs ?? 6 * 60_000, trafficShiftMs: options.timings?.trafficShiftMs ?? 30_000 },
    alarmState: options.alarmState,
    isCurrent: (ep) => endpoints.get(nameKey(ep.name)) === ep,
    provisioningFailure(fleet) {
      for (const v of [...fleet.variants, ...(fleet.shadow ? [fleet.shadow] : [])]) {
        const model = models.get(nameKey(v.modelName));
        const reason = model ? failures.get(modelKeyOf(model)) : undefined;
        if (reason !== undefined) return reason;
      }
      return undefined;
    },
  });

  function endpointOf(ctx: ServiceContext, name: string): StoredEndpoint {
    const ep = endpoints.get(nameKey(name));
    if (!ep) throw validationError(`Could not find endpoint "${sageMakerArn(ctx, 'endpoint', name)}".`);
    return ep;
  }

  function fleetOf(ctx: ServiceContext, configName: string): Fleet {
    const config = configs.get(nameKey(configName));
    if (!config) throw validationError(`Could not find endpoint configuration "${sageMakerArn(ctx, 'endpoint-config', configName)}".`);
    const variant = (v: NonNullable<typeof config.ProductionVariants>[number]) => ({
      name: v.VariantName!,
      modelName: v.ModelName ?? '',
      ...(v.InstanceType ? { instanceType: v.InstanceType } : {}),
      instanceCount: v.InitialInstanceCount ?? 1,
      weight: v.InitialVariantWeight ?? 1,
    });
    const shadow = config.ShadowProductionVariants?.[0];
    return { configName: config.EndpointConfigName!, variants: (config.ProductionVariants ?? []).map(variant), ...(shadow ? { shadow: variant(shadow) } : {}) };
  }

  function createModel(ctx: ServiceContext, input: CreateModelInput) {
    const arn = sageMakerArn(ctx, 'model', input.ModelName!);
    if (models.has(nameKey(input.ModelName!))) throw validationError(`Cannot create already existing model "${arn}".`);
    for (const container of [input.PrimaryContainer, ...(input.Containers ?? [])]) {
      const pkg = container?.ModelPackageName;
      if (pkg && options.packageExists && !options.packageExists(pkg)) throw validationError(`ModelPackage ${pkg} does not exist.`);
    }
    models.set(nameKey(input.ModelName!), {
      ModelName: input.ModelName!,
      PrimaryContainer: copy(input.PrimaryContainer),
      Containers: copy(input.Containers),
      InferenceExecutionConfig: copy(input.InferenceExecutionConfig),
      ExecutionRoleArn: input.ExecutionRoleArn,
      VpcConfig: copy(input.VpcConfig),
      CreationTime: new Date(ctx.clock.nowMs()),
      ModelArn: arn,
      EnableNetworkIsolation: input.EnableNetworkIsolation ?? false,
    });
    return { ModelArn: arn };
  }

  function describeModel(ctx: ServiceContext, input: { ModelName?: string }) {
    const model = models.get(nameKey(input.ModelName!));
    if (!model) throw validationError(`Could not find model "${sageMakerArn(ctx, 'model', input.ModelName!)}".`);
    return dropUndefined(copy(model));
  }

  function createEndpointConfig(ctx: ServiceContext, input: CreateEndpointConfigInput) {
    const arn = sageMakerArn(ctx, 'endpoint-config', input.EndpointConfigName!);
    if (configs.has(nameKey(input.EndpointConfigName!))) throw validationError(`Cannot create already existing endpoint configuration "${arn}".`);
    for (const v of [...(input.ProductionVariants ?? []), ...(input.ShadowProductionVariants ?? [])]) {
      if (v.ModelName && !models.has(nameKey(v.ModelName))) throw validationError(`Could not find model "${sageMakerArn(ctx, 'model', v.ModelName)}".`);
    }
    // aws-facts §4.4 (UNVERIFIED wording): with a shadow there is exactly one production and one shadow variant.
    if ((input.ShadowProductionVariants?.length ?? 0) > 0 && ((input.ProductionVariants?.length ?? 0) !== 1 || input.ShadowProductionVariants!.length !== 1)) {
      throw validationError('An endpoint configuration with shadow variants must have exactly one production variant and one shadow variant.');
    }
    configs.set(nameKey(input.EndpointConfigName!), {
      EndpointConfigName: input.EndpointConfigName!,
      EndpointConfigArn: arn,
      // Described variants carry the default weight SageMaker applies (1.0, aws-facts §4.4).
      ProductionVariants: (input.ProductionVariants ?? []).map((v) => ({ ...copy(v), InitialVariantWeight: v.InitialVariantWeight ?? 1 })),
      DataCaptureConfig: copy(input.DataCaptureConfig),
      KmsKeyId: input.KmsKeyId,
      CreationTime: new Date(ctx.clock.nowMs()),
      AsyncInferenceConfig: copy(input.AsyncInferenceConfig),
      ExplainerConfig: copy(input.ExplainerConfig),
      ShadowProductionVariants: copy(input.ShadowProductionVariants),
      ExecutionRoleArn: input.ExecutionRoleArn,
      VpcConfig: copy(input.VpcConfig),
      EnableNetworkIsolation: input.EnableNetworkIsolation,
      MetricsConfig: copy(input.MetricsConfig),
    });
    return { EndpointConfigArn: arn };
  }

  function describeEndpointConfig(ctx: ServiceContext, input: { EndpointConfigName?: string }) {
    const config = configs.get(nameKey(input.EndpointConfigName!));
    if (!config) throw validationError(`Could not find endpoint configuration "${sageMakerArn(ctx, 'endpoint-config', input.EndpointConfigName!)}".`);
    return dropUndefined(copy(config));
  }

  function createEndpoint(ctx: ServiceContext, input: CreateEndpointInput) {
    const arn = sageMakerArn(ctx, 'endpoint', input.EndpointName!);
    if (endpoints.has(nameKey(input.EndpointName!))) throw validationError(`Cannot create already existing endpoint "${arn}".`);
    const fleet = fleetOf(ctx, input.EndpointConfigName!);
    const now = ctx.clock.nowMs();
    const ep: StoredEndpoint = {
      name: input.EndpointName!,
      arn,
      status: 'Creating',
      creationMs: now,
      lastModifiedMs: now,
      tags: tagMap(input.Tags),
      // Stored for later updates only: a create is never blue/green (aws-facts §4.5).
      ...(input.DeploymentConfig ? { lastDeploymentConfig: copy(input.DeploymentConfig) } : {}),
      invocations: 0,
    };
    endpoints.set(nameKey(ep.name), ep);
    driver.start(ctx, ep, fleet);
    return { EndpointArn: arn };
  }

  function updateEndpoint(ctx: ServiceContext, input: UpdateEndpointInput) {
    const ep = endpointOf(ctx, input.EndpointName!);
    if (IN_PROGRESS.has(ep.status)) throw validationError(`Cannot update in-progress endpoint "${ep.arn}".`);
    // UNVERIFIED wording: a Failed endpoint accepts only DeleteEndpoint (aws-facts §4.7).
    if (ep.status === 'Failed') throw validationError(`Cannot update failed endpoint "${ep.arn}".`);
    if (input.RetainAllVariantProperties) throw notImplemented('UpdateEndpoint with RetainAllVariantProperties');
    const fleet = fleetOf(ctx, input.EndpointConfigName!);
    const policy = input.RetainDeploymentConfig ? ep.lastDeploymentConfig : input.DeploymentConfig;
    driver.start(ctx, ep, fleet, copy(policy));
    return { EndpointArn: ep.arn };
  }

  /**
   * UpdateEndpointWeightsAndCapacities: new weights (and instance counts) for the variants the endpoint serves,
   * without a new config; the endpoint is Updating for a minute, then InService again. Only an InService endpoint
   * takes it, and only for variants it has (UNVERIFIED wording of the latter error).
   */
  function updateWeights(ctx: ServiceContext, input: UpdateEndpointWeightsAndCapacitiesInput) {
    const ep = endpointOf(ctx, input.EndpointName!);
    if (ep.status !== 'InService' || !ep.current) throw validationError(`Cannot update in-progress endpoint "${ep.arn}".`);
    const desired = input.DesiredWeightsAndCapacities ?? [];
    const unknown = desired.filter((d) => !ep.current!.variants.some((v) => nameKey(v.name) === nameKey(d.VariantName!))).map((d) => d.VariantName);
    if (unknown.length > 0) throw validationError(`The variant name(s) "[${unknown.join(', ')}]" is/are not present in the endpoint "${ep.arn}".`);
    ep.current = {
      ...ep.current,
      variants: ep.current.variants.map((v) => {
        const d = desired.find((x) => nameKey(x.VariantName!) === nameKey(v.name));
        return d ? { ...v, weight: d.DesiredWeight ?? v.weight, instanceCount: d.DesiredInstanceCount ?? v.instanceCount } : v;
      }),
    };
    ep.status = 'Updating';
    ep.lastModifiedMs = ctx.clock.nowMs();
    emitEndpointState(ctx, ep);
    ctx.clock.at(ctx.clock.nowMs() + WEIGHTS_UPDATE_MS, () => {
      if (endpoints.get(nameKey(ep.name)) !== ep || ep.status !== 'Updating') return;
      ep.status = 'InService';
      ep.lastModifiedMs = ctx.clock.nowMs();
      emitEndpointState(ctx, ep);
    });
    return { EndpointArn: ep.arn };
  }

  function deleteEndpoint(ctx: ServiceContext, input: { EndpointName?: string }) {
    const ep = endpointOf(ctx, input.EndpointName!);
    if (IN_PROGRESS.has(ep.status)) throw validationError(`Cannot update in-progress endpoint "${ep.arn}".`);
    ep.status = 'Deleting';
    ep.rollout = undefined;
    ep.lastModifiedMs = ctx.clock.nowMs();
    emitEndpointState(ctx, ep);
    ctx.clock.at(ctx.clock.nowMs() + deletionMs, () => {
      if (endpoints.get(nameKey(ep.name)) === ep) endpoints.delete(nameKey(ep.name));
    });
    return {};
  }

  function describeEndpoint(ctx: ServiceContext, input: { EndpointName?: string }): Omit<DescribeEndpointOutput, '$metadata'> {
    const ep = endpointOf(ctx, input.EndpointName!);
    const fleet = reportedFleet(ep);
    const capture = ep.current ? configs.get(nameKey(ep.current.configName))?.DataCaptureConfig : undefined;
    return dropUndefined({
      EndpointName: ep.name,
      EndpointArn: ep.arn,
      EndpointConfigName: fleet?.configName,
      ProductionVariants: ep.current ? currentVariantSummaries(ep.current) : undefined,
      DataCaptureConfig: capture
        ? {
            EnableCapture: capture.EnableCapture ?? true,
            CaptureStatus: (capture.EnableCapture ?? true) ? 'Started' : 'Stopped',
            CurrentSamplingPercentage: capture.InitialSamplingPercentage,
            DestinationS3Uri: capture.DestinationS3Uri,
            KmsKeyId: capture.KmsKeyId,
          }
        : undefined,
      EndpointStatus: ep.status,
      FailureReason: ep.failureReason,
      CreationTime: new Date(ep.creationMs),
      LastModifiedTime: new Date(ep.lastModifiedMs),
      LastDeploymentConfig: copy(ep.lastDeploymentConfig),
      PendingDeploymentSummary: ep.rollout ? pendingSummary(ep.rollout) : undefined,
    });
  }

  /**
   * Where the next invocation of `endpointName` goes, or undefined when the endpoint cannot answer (missing, being
   * created, Failed, Deleting). During an update the new fleet takes its current traffic share; the split is
   * deterministic (request n goes to the new fleet when ⌊(n+1)·share⌋ > ⌊n·share⌋), so scenarios repeat exactly.
   */
  function route(endpointName: string, targetVariant?: string): Route | undefined {
    const ep = endpoints.get(nameKey(endpointName));
    if (!ep || !INVOCABLE.has(ep.status) || !ep.current) return undefined;
    const n = ep.invocations++;
    const share = ep.rollout?.share ?? 0;
    const fleet = ep.rollout && Math.floor((n + 1) * share) > Math.floor(n * share) ? ep.rollout.fleet : ep.current;
    const variants = targetVariant ? fleet.variants.filter((v) => nameKey(v.name) === nameKey(targetVariant)) : fleet.variants;
    const total = variants.reduce((s, v) => s + v.weight, 0);
    // Weighted split across variants, deterministic like the fleet split.
    let point = total > 0 ? ((n * 0.6180339887) % 1) * total : 0;
    const variant = variants.find((v) => (point -= v.weight) < 0) ?? variants[0];
    if (!variant) return undefined;
    const at = (v: { name: string; modelName: string }) => {
      const model = models.get(nameKey(v.modelName));
      return { endpointName: ep.name, endpointConfigName: fleet.configName, variantName: v.name, modelName: v.modelName, modelKey: model ? modelKeyOf(model) : v.modelName };
    };
    // UNVERIFIED: the shadow gets the share of requests its weight bears to the production variant's, at most all.
    const mirror = fleet.shadow ? Math.min(1, fleet.shadow.weight / variant.weight) : 0;
    const mirrored = fleet.shadow !== undefined && Math.floor((n + 1) * mirror) > Math.floor(n * mirror);
    return { ...at(variant), ...(mirrored ? { shadow: at(fleet.shadow!) } : {}) };
  }

  return {
    operations: {
      CreateModel: createModel,
      DescribeModel: describeModel,
      CreateEndpointConfig: createEndpointConfig,
      DescribeEndpointConfig: describeEndpointConfig,
      CreateEndpoint: createEndpoint,
      UpdateEndpoint: updateEndpoint,
      DeleteEndpoint: deleteEndpoint,
      DescribeEndpoint: describeEndpoint,
      UpdateEndpointWeightsAndCapacities: updateWeights,
    },
    route,
    /** The DataCaptureConfig of an endpoint config as created (a copy), or undefined (no such config, no capture). */
    dataCaptureConfig(endpointConfigName: string): DataCaptureConfig | undefined {
      return copy(configs.get(nameKey(endpointConfigName))?.DataCaptureConfig);
    },
    /**
     * Makes every fleet of the model `modelKey` (package ARN or model name) fail to come up with `reason` (a create
     * ends Failed, an update is reverted).
     */
    setDeploymentFailure(modelKey: string, reason = 'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.') {
      failures.set(modelKey, reason);
    },
    /** Undoes `setDeploymentFailure`. */
    clearDeploymentFailure(modelKey: string) {
      failures.delete(modelKey);
    },
  };
}
