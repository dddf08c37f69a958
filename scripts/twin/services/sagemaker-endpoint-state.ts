/**
 * How the SageMaker twin holds an endpoint, and how it reports one: DescribeEndpoint's variant and pending-deployment
 * summaries, and the `SageMaker Endpoint (Deployment) State Change` events (aws-facts §1.5, §1.6, §4.7).
 */
import type {
  DeploymentConfig,
  EndpointStatus,
  PendingDeploymentSummary,
  ProductionVariantInstanceType,
  ProductionVariantSummary,
  VariantStatus,
} from '@aws-sdk/client-sagemaker';
import type { ServiceContext } from '../core/types';

/** One production variant of a fleet (an endpoint config's variant, as deployed). */
export interface FleetVariant {
  name: string;
  modelName: string;
  instanceType?: ProductionVariantInstanceType;
  instanceCount: number;
  weight: number;
}

/** The instances serving one endpoint config. */
export interface Fleet {
  configName: string;
  variants: FleetVariant[];
  /** A shadow variant: sent a copy of its weight's share of the production variant's requests, never answering. */
  shadow?: FleetVariant;
}

/** Where a rollout is: the VariantStatus SageMaker shows for the new fleet, since when, and why. */
export interface RolloutStep {
  status: VariantStatus;
  message: string;
  startMs: number;
}

/** A create or an update in progress: the new fleet and how far traffic has moved to it. */
export interface Rollout {
  /** Distinguishes this rollout from an earlier one on the same endpoint, so stale timers do nothing. */
  id: number;
  kind: 'create' | 'update';
  fleet: Fleet;
  startMs: number;
  step: RolloutStep;
  /** Share of the endpoint's traffic the new fleet takes now (0 while it is created, 1 once all traffic moved). */
  share: number;
  /** Fraction of each new variant's instances taking traffic (the canary capacity, then all). */
  activeFraction: number;
  /** The policy the update runs under; undefined for a create. */
  policy?: DeploymentConfig;
}

/** An endpoint as the twin keeps it. */
export interface StoredEndpoint {
  name: string;
  arn: string;
  status: EndpointStatus;
  /** The fleet serving traffic; undefined until the first create completes. */
  current?: Fleet;
  rollout?: Rollout;
  /** The fleet of a create that ended Failed: DescribeEndpoint and the events still name its config. */
  failedFleet?: Fleet;
  creationMs: number;
  lastModifiedMs: number;
  tags: Record<string, string>;
  failureReason?: string;
  /** The DeploymentConfig of the last update (or the one stored at create, aws-facts §4.5). */
  lastDeploymentConfig?: DeploymentConfig;
  /** Invocations routed so far: drives the deterministic traffic split. */
  invocations: number;
}

/** `InService` → `IN_SERVICE`: Endpoint events spell statuses in upper snake case (aws-facts §0.3). */
export function eventStatus(status: EndpointStatus): string {
  return status.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** DescribeEndpoint's summaries of the serving fleet. */
export function currentVariantSummaries(fleet: Fleet): ProductionVariantSummary[] {
  return fleet.variants.map((v) => ({
    VariantName: v.name,
    CurrentWeight: v.weight,
    DesiredWeight: v.weight,
    CurrentInstanceCount: v.instanceCount,
    DesiredInstanceCount: v.instanceCount,
  }));
}

/** Instances of a new variant taking traffic at this point of the rollout. */
export function activeInstances(rollout: Rollout, variant: FleetVariant): number {
  if (rollout.activeFraction <= 0) return 0;
  return Math.min(variant.instanceCount, Math.max(1, Math.ceil(variant.instanceCount * rollout.activeFraction)));
}

/** DescribeEndpoint's `PendingDeploymentSummary` while a create or an update runs (aws-facts §4.7). */
export function pendingSummary(rollout: Rollout): PendingDeploymentSummary {
  return {
    EndpointConfigName: rollout.fleet.configName,
    StartTime: new Date(rollout.startMs),
    ProductionVariants: rollout.fleet.variants.map((v) => ({
      VariantName: v.name,
      CurrentWeight: v.weight * rollout.share,
      DesiredWeight: v.weight,
      CurrentInstanceCount: activeInstances(rollout, v),
      DesiredInstanceCount: v.instanceCount,
      ...(v.instanceType ? { InstanceType: v.instanceType } : {}),
      VariantStatus: [{ Status: rollout.step.status, StatusMessage: rollout.step.message, StartTime: new Date(rollout.step.startMs) }],
    })),
  };
}

/** The config an endpoint reports: the serving one, else the one being created, else the one that failed. */
export function reportedFleet(ep: StoredEndpoint): Fleet | undefined {
  return ep.current ?? ep.rollout?.fleet ?? ep.failedFleet;
}

/** Fields both Endpoint event types share; times are epoch-ms numbers, tags a map (aws-facts §1.5). */
function commonDetail(ep: StoredEndpoint, fleet: Fleet | undefined): Record<string, unknown> {
  return {
    EndpointName: ep.name,
    EndpointArn: ep.arn,
    EndpointConfigName: fleet?.configName ?? '',
    EndpointStatus: eventStatus(ep.status),
    CreationTime: ep.creationMs,
    LastModifiedTime: ep.lastModifiedMs,
    Tags: { ...ep.tags },
  };
}

/** Puts a `SageMaker Endpoint State Change` on the bus. Its variants carry no names (aws-facts §1.5). */
export function emitEndpointState(ctx: ServiceContext, ep: StoredEndpoint): void {
  const fleet = reportedFleet(ep);
  ctx.emit({
    source: 'aws.sagemaker',
    'detail-type': 'SageMaker Endpoint State Change',
    resources: [ep.arn],
    detail: {
      ...commonDetail(ep, fleet),
      ProductionVariants: (fleet?.variants ?? []).map((v) => ({ DesiredWeight: v.weight, DesiredInstanceCount: v.instanceCount })),
      // No FailureReason: whether AWS sends one is UNVERIFIED (aws-facts §1.5), so consumers must call DescribeEndpoint.
    },
  });
}

/** Puts a `SageMaker Endpoint Deployment State Change` on the bus: the serving fleet plus the pending one (aws-facts §1.6). */
export function emitDeploymentState(ctx: ServiceContext, ep: StoredEndpoint, rollout: Rollout): void {
  const pending = pendingSummary(rollout);
  ctx.emit({
    source: 'aws.sagemaker',
    'detail-type': 'SageMaker Endpoint Deployment State Change',
    resources: [ep.arn],
    detail: {
      ...commonDetail(ep, ep.current),
      ProductionVariants: ep.current ? currentVariantSummaries(ep.current) : [],
      PendingDeploymentSummary: {
        EndpointConfigName: pending.EndpointConfigName,
        StartTime: rollout.startMs,
        ProductionVariants: (pending.ProductionVariants ?? []).map((v) => ({
          ...v,
          VariantStatus: (v.VariantStatus ?? []).map((s) => ({ ...s, StartTime: s.StartTime?.getTime() })),
        })),
      },
    },
  });
}
