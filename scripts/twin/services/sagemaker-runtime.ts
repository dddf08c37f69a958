/**
 * The SageMaker Runtime twin: InvokeEndpoint against the SageMaker twin's endpoints. A text/csv body of encoded
 * feature rows is scored by the model serving the request (the endpoint's current fleet, or the new one for its
 * traffic share during an update) and answered as text/csv, one score per row. A package the training pipeline
 * registered scores with its trained model (its model artefact); any other with the `scorer` stand-in.
 *
 * Data Capture: when the endpoint config of the fleet that served a request has a DataCaptureConfig, the request
 * and its answer are captured (sampled per InitialSamplingPercentage) and the buffered JSON lines go to S3 when
 * `flushDataCapture` runs (the world does it once a virtual minute).
 *
 * Shadow variants: a request the route samples for the config's shadow is scored by the shadow's model too, after
 * the answer; the shadow's answer is never returned, its failures never reach the caller, and it is captured under
 * the shadow's variant name with the caller's InferenceId (UNVERIFIED, as the experiment judge reads it).
 */
import type { DataCaptureConfig } from '@aws-sdk/client-sagemaker';
import { TwinServiceError, type ServiceContext, type ServiceTwin } from '../core/types';
import { scoreRows, type LogisticModel } from '../ml/logistic';
import { createDataCapture } from './sagemaker-data-capture';
import type { Route } from './sagemaker-endpoints';

/** Scores encoded feature rows for the model `modelKey` (its registry package ARN, else its model name). */
export type Scorer = (modelKey: string, rows: number[][]) => number[];

/** How a model behaves when invoked (scenarios set it per model). */
export interface ModelBehaviour {
  /** Virtual time an invocation takes (ModelLatency), in milliseconds. Default 25. */
  latencyMs?: number;
  /**
   * A slow tail: this share of the model's requests takes `slowLatencyMs` instead, spread evenly and
   * deterministically like `errorRate` (request n is slow when ⌊(n + 1)·share⌋ > ⌊n·share⌋).
   */
  slowShare?: number;
  slowLatencyMs?: number;
  /** The container refuses every request with this message (ModelError, HTTP 424). */
  modelError?: string;
  /**
   * This share of the model's requests fails with a container 500 (ModelError), spread evenly and deterministically:
   * the model's request n (from 0) fails when ⌊(n + 1)·rate⌋ > ⌊n·rate⌋ (rate 0.05: every 20th request).
   */
  errorRate?: number;
}

/** The ModelLatency of the model's request `n`: its slow tail's, or its usual latency. */
function latencyAt(behaviour: ModelBehaviour, n: number): number {
  if (behaviour.slowShare !== undefined && failsAt(n, behaviour.slowShare)) return behaviour.slowLatencyMs ?? DEFAULT_LATENCY_MS;
  return behaviour.latencyMs ?? DEFAULT_LATENCY_MS;
}

/** Whether the model's request `n` (from 0) is one of the `rate` share that fails. */
export function failsAt(n: number, rate: number): boolean {
  return Math.floor((n + 1) * rate) > Math.floor(n * rate);
}

/** One invocation, as recorded for traffic metrics and assertions. */
export interface InvocationRecord extends Route {
  atMs: number;
  rows: number;
  latencyMs: number;
  /** The ModelError message when the model refused the request. */
  error?: string;
  /** The request's InferenceId, when the caller gave one. */
  inferenceId?: string;
  /** Whether Data Capture kept the request. */
  captured?: boolean;
  /** A shadow variant's copy of a request (its answer went nowhere). */
  mirrored?: true;
}

/** How the runtime twin is built. */
export interface SageMakerRuntimeTwinOptions {
  /** Where invocations go and what each endpoint config captures: the SageMaker twin. */
  endpoints: {
    route(endpointName: string, targetVariant?: string): Route | undefined;
    dataCaptureConfig?(endpointConfigName: string): DataCaptureConfig | undefined;
  };
  /** Writes one Data Capture file (the S3 twin's putObject); without it nothing is captured. */
  writeCapture?: (ctx: ServiceContext, uri: string, body: string) => Promise<void>;
  /** The scoring function of models without a trained artefact; {@link defaultScorer} when absent. */
  scorer?: Scorer;
  /** The trained model of a model key (package ARN), when it has one: pass the SageMaker twin's `trainedModel`. */
  trainedModels?: (modelKey: string) => Pick<LogisticModel, 'intercept' | 'coefficients'> | undefined;
  /** Behaviour per model key (package ARN or model name). */
  models?: Record<string, ModelBehaviour>;
}

/** The runtime twin: a `ServiceTwin` plus the invocation log and per-model behaviour. */
export interface SageMakerRuntimeTwin extends ServiceTwin {
  setModelBehaviour(modelKey: string, behaviour: ModelBehaviour): void;
  /** Every invocation so far, oldest first. */
  invocations(): InvocationRecord[];
  /** The invocations from the `from`-th on (0-based): what a reader that keeps its place has not seen yet. */
  invocationsSince(from: number): InvocationRecord[];
  /** The latest invocation that carried `inferenceId` (a copy), or undefined. */
  invocationOf(inferenceId: string): InvocationRecord | undefined;
  /** Writes the Data Capture lines buffered since the last flush; returns how many files. */
  flushDataCapture(ctx: ServiceContext): Promise<number>;
}

const DEFAULT_LATENCY_MS = 25;

/**
 * A fixed logistic function of the encoded features: scale-free (log1p of each magnitude, alternating signs), so
 * any row gives a real number in (0, 1) that changes with its features. Stands in until a trained model scores.
 */
export function defaultScorer(_modelKey: string, rows: number[][]): number[] {
  return rows.map((row) => {
    const z = row.reduce((sum, x, j) => sum + (j % 2 === 0 ? 1 : -1) * Math.sign(x) * Math.log1p(Math.abs(x)), 0) / Math.max(1, row.length);
    return 1 / (1 + Math.exp(-z));
  });
}

/** A ModelError as SageMaker Runtime raises it: the container's status and message, and where its logs are. */
function modelError(ctx: ServiceContext, endpointName: string, status: number, message: string): TwinServiceError {
  const logGroup = `/aws/sagemaker/Endpoints/${endpointName}`;
  const error = new TwinServiceError(
    'ModelError',
    `Received client error (${status}) from primary with message "${message}". See https://${ctx.region}.console.aws.amazon.com/cloudwatch/home?region=${ctx.region}#logEventViewer:group=${logGroup} in account ${ctx.account} for more information.`,
    424,
  );
  return Object.assign(error, { OriginalStatusCode: status, OriginalMessage: message, LogStreamArn: `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${logGroup}` });
}

/** The request body as text: the SDK hands the serializer a string or bytes. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error('SageMaker Runtime twin: InvokeEndpoint Body must be a string or a Uint8Array');
}

/** CSV rows of numbers, as an XGBoost-style container parses them; the offending cell otherwise. */
function parseRows(text: string): number[][] | { bad: string } {
  const rows: number[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const row: number[] = [];
    for (const cell of line.split(',')) {
      const value = Number(cell.trim());
      if (cell.trim() === '' || !Number.isFinite(value)) return { bad: cell };
      row.push(value);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Builds the SageMaker Runtime twin.
 * @example
 * const runtime = createSageMakerRuntimeTwin({ endpoints: sagemaker });
 */
export function createSageMakerRuntimeTwin(options: SageMakerRuntimeTwinOptions): SageMakerRuntimeTwin {
  const scorer = options.scorer ?? defaultScorer;
  const behaviours = new Map(Object.entries(options.models ?? {}));
  const log: InvocationRecord[] = [];
  // Requests each model has received, for its deterministic error rate.
  const requestsByModel = new Map<string, number>();
  const capture = options.writeCapture ? createDataCapture(options.writeCapture) : undefined;

  /** Scores a shadow's copy of a request and captures it; a failing shadow only logs its error. */
  function shadowCopy(shadow: Route, rows: number[][], inferenceId: string | undefined, ctx: ServiceContext, captureAs: (variantName: string, output: { contentType: string; body: string }) => boolean | undefined): void {
    const behaviour = behaviours.get(shadow.modelKey) ?? {};
    const n = requestsByModel.get(shadow.modelKey) ?? 0;
    requestsByModel.set(shadow.modelKey, n + 1);
    const entry: InvocationRecord = { ...shadow, atMs: ctx.clock.nowMs(), rows: rows.length, latencyMs: latencyAt(behaviour, n), mirrored: true, ...(inferenceId ? { inferenceId } : {}) };
    const trained = options.trainedModels?.(shadow.modelKey);
    const failure = behaviour.modelError ?? (behaviour.errorRate !== undefined && failsAt(n, behaviour.errorRate) ? 'Internal server error' : undefined) ?? (trained && rows.some((r) => r.length !== trained.coefficients.length) ? 'Feature shape mismatch' : undefined);
    if (failure !== undefined) {
      log.push({ ...entry, rows: 0, error: modelError(ctx, shadow.endpointName, 500, failure).message });
      return;
    }
    const scores = trained ? scoreRows(trained, rows) : scorer(shadow.modelKey, rows);
    const captured = captureAs(shadow.variantName, { contentType: 'text/csv; charset=utf-8', body: scores.map((s) => String(s)).join('\n') });
    log.push({ ...entry, ...(captured ? { captured: true } : {}) });
  }

  async function invokeEndpoint(input: Record<string, unknown>, ctx: ServiceContext): Promise<Record<string, unknown>> {
    const endpointName = String(input.EndpointName);
    const route = options.endpoints.route(endpointName, input.TargetVariant as string | undefined);
    if (!route) throw new TwinServiceError('ValidationError', `Endpoint ${endpointName} of account ${ctx.account} not found.`);
    const behaviour = behaviours.get(route.modelKey) ?? {};
    // The model's request index: its deterministic slow tail and error rate.
    const n = requestsByModel.get(route.modelKey) ?? 0;
    requestsByModel.set(route.modelKey, n + 1);
    const latencyMs = latencyAt(behaviour, n);
    const inferenceId = input.InferenceId === undefined ? undefined : String(input.InferenceId);
    const { shadow: _copyTo, ...served } = route;
    const record = (rows: number, extra: { error?: string; captured?: boolean } = {}) =>
      log.push({ ...served, atMs: ctx.clock.nowMs(), rows, latencyMs, ...(inferenceId ? { inferenceId } : {}), ...extra });
    const refuse = (status: number, message: string) => {
      const error = modelError(ctx, route.endpointName, status, message);
      record(0, { error: error.message });
      return error;
    };
    if (behaviour.modelError !== undefined) throw refuse(500, behaviour.modelError);
    if (behaviour.errorRate !== undefined && failsAt(n, behaviour.errorRate)) throw refuse(500, 'Internal server error: the model raised an exception while scoring');
    const observedContentType = String(input.ContentType ?? 'application/octet-stream');
    const contentType = observedContentType.split(';')[0]!.trim();
    if (contentType !== 'text/csv') throw refuse(415, `Content type ${contentType} is not supported by this model; use text/csv`);
    const accept = String(input.Accept ?? 'text/csv').split(';')[0]!.trim();
    if (accept !== 'text/csv' && accept !== '*/*') throw refuse(406, `Accept ${accept} is not supported by this model; use text/csv`);
    const body = bodyText(input.Body);
    const rows = parseRows(body);
    if (!Array.isArray(rows)) throw refuse(400, `could not convert string to float: '${rows.bad}'`);
    const trained = options.trainedModels?.(route.modelKey);
    const width = trained?.coefficients.length;
    // The model's container refuses rows of the wrong width, as a real one would (it cannot align the features).
    const wrong = width === undefined ? undefined : rows.find((r) => r.length !== width);
    if (wrong) throw refuse(400, `Feature shape mismatch, expected: ${width}, got ${wrong.length}`);
    const scores = trained ? scoreRows(trained, rows) : scorer(route.modelKey, rows);
    if (scores.length !== rows.length) throw new Error(`SageMaker Runtime twin: the scorer returned ${scores.length} scores for ${rows.length} rows`);
    const answer = { contentType: 'text/csv; charset=utf-8', body: scores.map((s) => String(s)).join('\n') };
    // Only answered requests are captured, with the config of the fleet that answered (old or new during an update).
    const captureConfig = capture && options.endpoints.dataCaptureConfig?.(route.endpointConfigName);
    const captureAs = (variantName: string, output: { contentType: string; body: string }) =>
      captureConfig &&
      capture.record(captureConfig, {
        endpointName: route.endpointName,
        variantName,
        atMs: ctx.clock.nowMs(),
        ...(inferenceId ? { inferenceId } : {}),
        eventId: ctx.nextId('capture-event'),
        input: { contentType: observedContentType, body },
        output,
      });
    const captured = captureAs(route.variantName, answer);
    record(rows.length, captured ? { captured: true } : {});
    if (route.shadow) shadowCopy(route.shadow, rows, inferenceId, ctx, captureAs);
    return {
      Body: new TextEncoder().encode(answer.body),
      ContentType: answer.contentType,
      InvokedProductionVariant: route.variantName,
    };
  }

  return {
    model: 'sagemaker-runtime',
    clientName: 'SageMakerRuntimeClient',
    operations: { InvokeEndpoint: invokeEndpoint },
    setModelBehaviour(modelKey, behaviour) {
      behaviours.set(modelKey, behaviour);
    },
    invocations: () => log.map((r) => ({ ...r })),
    invocationsSince: (from) => log.slice(from).map((r) => ({ ...r })),
    invocationOf(inferenceId) {
      // The latest first: a caller asks about the request it just sent (the answered one, not a shadow's copy).
      for (let i = log.length - 1; i >= 0; i--) if (log[i]!.inferenceId === inferenceId && !log[i]!.mirrored) return { ...log[i]! };
      return undefined;
    },
    flushDataCapture: async (ctx) => (capture ? capture.flush(ctx) : 0),
  };
}
