/**
 * The local twin's contracts. The twin plugs in beneath the AWS SDK clients (a serialize-step middleware on each
 * client answers the command with the twin's service instead of sending a request), so the adapters in shared/aws
 * and the real function handlers run unchanged. Every request is validated against the extracted AWS API models
 * before a service sees it.
 */

/** A virtual clock: time moves only when the twin advances it. */
export interface VirtualClock {
  /** Milliseconds since the epoch, virtual. */
  nowMs(): number;
  /** ISO-8601 of `nowMs()`. */
  iso(): string;
  /** Moves time forward; timers due in the window fire in order. */
  advance(ms: number): Promise<void>;
  /** Runs `fn` at virtual time `atMs` (or at once if already past, on the next advance). */
  at(atMs: number, fn: () => void | Promise<void>): void;
}

/** An EventBridge event as AWS delivers it (envelope + detail). */
export interface TwinEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** What a service can reach while it answers a request. */
export interface ServiceContext {
  clock: VirtualClock;
  account: string;
  region: string;
  /** Puts an AWS service event (e.g. `aws.sagemaker` Endpoint State Change) on the default bus. */
  emit(event: Omit<TwinEvent, 'version' | 'id' | 'account' | 'region' | 'time'> & { time?: string }): void;
  /** A deterministic id (the twin is seeded: same scenario, same ids). */
  nextId(prefix?: string): string;
}

/** An AWS error as the SDK v3 raises it: `name` is the error code, `$fault` client or server. */
export class TwinServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, message: string, httpStatusCode = 400) {
    super(message);
    this.name = name;
    this.$fault = httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode };
  }
}

/** One operation: the SDK command's input in, its output out (both as the SDK's JS objects). */
export type Operation = (input: Record<string, unknown>, ctx: ServiceContext) => Promise<Record<string, unknown>>;

/**
 * One AWS service of the twin. `model` is its folder in aws-models/ (`sagemaker`, `s3`, `dynamodb`, …); `clientName`
 * is the SDK client's class name (`SageMakerClient`, …) the middleware sees in the handler context.
 */
export interface ServiceTwin {
  model: string;
  clientName: string;
  /** Keyed by operation name (`CreateEndpoint`), not command name. */
  operations: Record<string, Operation>;
}
