/**
 * What `decide` asks the shell to do: a discriminated union, executed in order, each action idempotent.
 */
import type { DomainEvent } from '../contracts/domain-events';
import type { Environment } from './phases';

/** How a new config reaches an endpoint. */
export type Rollout =
  | { strategy: 'all-at-once' }
  | {
      strategy: 'canary';
      trafficPercent: number;
      bakeSeconds: number;
      terminationWaitSeconds: number;
      maxExecutionSeconds: number;
      /** Auto-rollback alarms SageMaker watches while baking. */
      rollbackAlarms: string[];
    };

/** Everything needed to make an endpoint serve a version: model, endpoint config, endpoint. */
export interface EndpointSpec {
  environment: Environment;
  endpointName: string;
  endpointConfigName: string;
  modelName: string;
  modelPackageArn: string;
  /** Blue/green needs the same variant name in the old and the new config. */
  variantName: string;
  instanceType: string;
  instanceCount: number;
  dataCaptureSamplingPercent: number;
  rollout: Rollout;
  tags: Record<string, string>;
  /**
   * An experiment's challenger. `ab`: a second production variant deciding `sharePercent` of the traffic; `shadow`: a
   * shadow variant scoring a copy of `sharePercent` of the requests, its answers never returned.
   */
  challenger?: { mode: 'ab' | 'shadow'; variantName: string; modelName: string; modelPackageArn: string; sharePercent: number };
}

export interface SmokeTestLimits {
  maxLatencyMs: number;
  minScore: number;
  maxScore: number;
}

export type Action =
  /** Set the package's ModelApprovalStatus to Rejected with the reasons (UpdateModelPackage). */
  | { type: 'RejectPackage'; version: number; modelPackageArn: string; reason: string; clientToken: string }
  /** Approve the package on the policy's behalf (approval mode `auto`). */
  | { type: 'ApprovePackage'; version: number; modelPackageArn: string; reason: string; clientToken: string }
  /** Ensure model and endpoint config exist, then create or update the endpoint to serve the spec's config. */
  | { type: 'DeployEndpoint'; version: number; spec: EndpointSpec }
  /** Delete an endpoint that SageMaker left in Failed (the only call it accepts then). */
  | { type: 'DeleteEndpoint'; endpointName: string }
  /** Invoke the staging endpoint with the sample payloads; its outcome is recorded on the version. */
  | { type: 'SmokeTest'; version: number; endpointName: string; endpointConfigName: string; limits: SmokeTestLimits }
  /**
   * Start the group's training pipeline for drift (StartPipelineExecution with this client token, so a retry starts
   * nothing new); the execution ARN is recorded on the group's retraining state.
   */
  | { type: 'StartRetraining'; clientToken: string; commitId: string; reason: string; triggerWindowEnd: string; reportUri?: string }
  /** Set the variants' traffic weights on a serving endpoint (UpdateEndpointWeightsAndCapacities). */
  | { type: 'UpdateEndpointWeights'; endpointName: string; weights: { variantName: string; weight: number }[] }
  /** Put a domain event on the project bus. */
  | { type: 'PublishEvent'; event: DomainEvent };

export type ActionType = Action['type'];
