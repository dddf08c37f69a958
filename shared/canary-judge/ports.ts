/** What the canary judge reads and writes through, beyond the state store, the bus and the clock. */
import type { ArmCounts } from '../judge/data-quality';
import type { Clock, EventBus, StateStore } from '../reconcile/ports';

/** One fleet of a production endpoint during a blue/green rollout: its endpoint config. */
export interface FleetQuery {
  endpointName: string;
  variantName: string;
  endpointConfigName: string;
}

/**
 * Per-fleet endpoint metrics (CloudWatch `AWS/SageMaker` with the EndpointConfigName dimension) and the judge's own
 * harm signal (`CreditaiMlops/Judge` CanaryHarm) that the canary-harm rollback alarm watches.
 */
export interface FleetMetrics {
  /** Sum of Invocations (units) and Invocation5XXErrors (events) of each fleet over [start, end), whole minutes. */
  invocationCounts(fleets: FleetQuery[], start: string, end: string): Promise<ArmCounts[]>;
  /**
   * Of each fleet's ModelLatency datapoints over [start, end), whole minutes: how many (units) and how many above
   * `thresholdMs` (events), the requests that missed the latency SLO.
   */
  latencySloMisses(fleets: FleetQuery[], thresholdMs: number, start: string, end: string): Promise<ArmCounts[]>;
  /** Puts CanaryHarm = 1 for the endpoint at `at`. */
  raiseCanaryHarm(endpointName: string, at: string): Promise<void>;
}

export interface CanaryJudgeDeps {
  state: Pick<StateStore, 'listGroups' | 'policyOverrides' | 'load'>;
  bus: EventBus;
  clock: Clock;
  metrics: FleetMetrics;
}
