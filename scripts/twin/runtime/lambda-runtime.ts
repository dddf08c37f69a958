/**
 * The twin's Lambda runtime: "deploys" the control plane's functions into this process and runs them as Lambda
 * would, on the twin's virtual clock:
 * - the environment their config schemas read, pointed at the twin's table, queue, bus, topic and buckets;
 * - the twin installed on the memoised SDK clients of shared/aws/clients.ts before any handler is imported;
 * - EventBridge rule targets (catalogue `target` → handler), invoked asynchronously, at least once;
 * - the reconcile FIFO queue → the reconcile handler as SQS events (partial batch failures honoured);
 * - the scheduled sweep, every 15 minutes of virtual time, the drift check, hourly at ten past, and the canary
 *   judge and the experiment judge, each minute at half past (after the endpoints' metrics of the minute before are
 *   in);
 * - `drain()`, which lets virtual time run until no event delivery or queued message is pending.
 *
 * One runtime per process at a time: process.env and the handlers' memoised configuration are process-wide (each
 * handler reads its configuration once, at its first invocation, like a Lambda cold start).
 */
import type { Context } from 'aws-lambda';
import * as clients from '../../../shared/aws/clients';
import type { FunctionName } from '../../functions';
import type { SdkClientLike, Twin } from '../core/twin';
import type { DeliveryPayload, EventBridgeTwin, TargetRegistry } from '../services/eventbridge';
import type { SnsTwin } from '../services/sns';
import type { SqsTwin } from '../services/sqs';
import { FUNCTION_PREFIX, FUNCTION_SETTINGS, functionEnvironment, loadHandler, type LambdaHandler } from './functions';
import { timeSource } from '../../../shared/aws/wiring/clock';
import { startSqsEventSource, type SqsEventSource } from './sqs-event-source';

/** What {@link createLambdaRuntime} needs. */
export interface LambdaRuntimeOptions {
  twin: Twin;
  eventBridge: EventBridgeTwin;
  sqs: SqsTwin;
  /** When given, the notify topic is created on it. */
  sns?: SnsTwin;
  /** Environment variables that override the runtime's (e.g. `{ POWERTOOLS_LOG_LEVEL: 'SILENT' }`). */
  env?: Record<string, string>;
  /** The functions to deploy; all of them by default. */
  functions?: readonly FunctionName[];
  /** Virtual milliseconds between sweeps (terraform: rate(15 minutes)); `false` for none. */
  sweepEveryMs?: number | false;
  /** Run the drift check hourly at ten past (terraform: cron(10 * * * ? *)); default true. */
  driftCheck?: boolean;
  /** Run the canary judge and the experiment judge each minute, 30 s past (terraform: rate(1 minute)); default true. */
  judge?: boolean;
  /** Messages per reconcile batch (terraform: 10) and batches at once (its reserved concurrency: 5). */
  reconcileBatchSize?: number;
  reconcileConcurrency?: number;
  /** Where handlers come from: `functions/<name>/handler.ts` unless replaced (tests of the runtime itself). */
  loadHandler?: (name: FunctionName) => Promise<LambdaHandler>;
}

/** One invocation of a function. */
export interface Invocation {
  function: FunctionName;
  requestId: string;
  trigger: 'eventbridge' | 'sqs' | 'schedule' | 'direct';
  /** Virtual time it started, ISO-8601. */
  time: string;
  outcome: 'ok' | 'error';
  error?: string;
  result?: unknown;
}

/** How a drain ended. */
export interface DrainResult {
  /** True when nothing was left pending; false when the horizon came first. */
  settled: boolean;
  /** Virtual milliseconds the drain moved the clock. */
  elapsedMs: number;
  pendingDeliveries: number;
  pendingMessages: number;
}

/** Options of {@link LambdaRuntime.drain}. */
export interface DrainOptions {
  /**
   * How far the drain may move virtual time to reach pending work (retries, messages waiting out a visibility
   * timeout); 6 hours by default: five 30-minute visibility timeouts (the reconcile queue's redrive) fit in it.
   */
  horizonMs?: number;
  /** A guard against a drain that never settles: this many clock steps, then it throws. */
  maxSteps?: number;
}

/** A deployed set of functions. */
export interface LambdaRuntime {
  /** The environment the functions run with. */
  readonly environment: Readonly<Record<string, string>>;
  readonly reconcileQueueUrl: string;
  readonly invocations: readonly Invocation[];
  /** Invokes a function synchronously (as `mlops replay` does) and returns its result. */
  invoke(name: FunctionName, event: unknown): Promise<unknown>;
  /** Delivers events and messages, moving virtual time to pending retries, until nothing is pending. */
  drain(options?: DrainOptions): Promise<DrainResult>;
  /** Stops the schedules and the queue mapping, removes the targets and restores process.env. */
  stop(): void;
}

const NAME_PREFIX = 'creditai-mlops';
const FIFTEEN_MINUTES = 15 * 60_000;
const SWEEP_TARGET = 'schedule:sweep';
const DRIFT_CHECK_TARGET = 'schedule:drift-check';
const JUDGE_TARGET = 'schedule:judge';
const EXPERIMENT_JUDGE_TARGET = 'schedule:experiment-judge';
const HOUR = 3_600_000;
const MINUTE = 60_000;
const ALL_FUNCTIONS = Object.keys(FUNCTION_SETTINGS) as FunctionName[];

/** The reconcile queue and its DLQ, as terraform/modules/messaging configures them. */
function createReconcileQueues(sqs: SqsTwin): string {
  const dlq = `${NAME_PREFIX}-reconcile-dlq.fifo`;
  sqs.createQueue(dlq);
  return sqs.createQueue(`${NAME_PREFIX}-reconcile.fifo`, {
    visibilityTimeoutSeconds: 1800,
    deduplicationScope: 'messageGroup',
    redrive: { deadLetterQueue: dlq, maxReceiveCount: 5 },
  });
}

/** Every client factory of shared/aws/clients.ts, built for `region` and answered by the twin. */
function installOnClients(twin: Twin, region: string): void {
  const factories = [
    clients.sageMakerClient,
    clients.sageMakerRuntimeClient,
    clients.eventBridgeClient,
    clients.snsClient,
    clients.s3Client,
    clients.cloudWatchClient,
    clients.dynamoDbDocumentClient,
    clients.sqsClient,
    clients.ssmClient,
    clients.secretsManagerClient,
  ];
  for (const factory of factories) twin.install(factory({ region }) as unknown as SdkClientLike);
}

/** Lambda request ids are UUIDs; the runtime counts its own so event ids do not depend on invocations. */
const requestIdOf = (n: number) => `00000000-0000-4000-b000-${n.toString(16).padStart(12, '0')}`;

/**
 * Deploys the functions on the twin. Call `drain()` after the scenario moves the clock or puts events.
 * @example
 * const runtime = createLambdaRuntime({ twin, eventBridge, sqs, sns, env: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
 * await runtime.drain();
 */
export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntime {
  const { twin, eventBridge, sqs } = options;
  const { clock, account, region } = twin.context;
  // The functions stamp their decisions with the scenario's virtual time, not the machine's.
  const wallClock = timeSource.nowMs;
  timeSource.nowMs = () => clock.nowMs();
  const deployed = new Set(options.functions ?? ALL_FUNCTIONS);
  eventBridge.connect(twin);
  sqs.connect(twin.context);

  const reconcileQueueUrl = createReconcileQueues(sqs);
  const busName = eventBridge.rules.find((r) => r.bus !== 'default')?.bus ?? NAME_PREFIX;
  eventBridge.createBus(busName);
  const notifyTopicArn = options.sns?.createTopic(`${NAME_PREFIX}-notices`, twin.context) ?? `arn:aws:sns:${region}:${account}:${NAME_PREFIX}-notices`;
  const approvalsTopicArn = options.sns?.createTopic(`${NAME_PREFIX}-approvals`, twin.context) ?? `arn:aws:sns:${region}:${account}:${NAME_PREFIX}-approvals`;
  const environment = functionEnvironment({ account, region, busName, reconcileQueueUrl, notifyTopicArn, approvalsTopicArn, namePrefix: NAME_PREFIX }, options.env);

  // The environment first, then the clients: both before any handler module is imported.
  const previousEnv = new Map(Object.keys(environment).map((k) => [k, process.env[k]]));
  Object.assign(process.env, environment);
  installOnClients(twin, region);

  const invocations: Invocation[] = [];
  let requests = 0;
  let stopped = false;

  async function run(name: FunctionName, event: unknown, trigger: Invocation['trigger']): Promise<unknown> {
    if (!deployed.has(name)) throw new Error(`Function ${name} is not deployed in this runtime`);
    const handler = await (options.loadHandler ?? loadHandler)(name);
    const settings = FUNCTION_SETTINGS[name];
    const functionName = `${FUNCTION_PREFIX}${name}`;
    const requestId = requestIdOf(++requests);
    const deadline = clock.nowMs() + settings.timeoutSeconds * 1000;
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
      memoryLimitInMB: String(settings.memoryMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `${clock.iso().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${requestId.replace(/-/g, '')}`,
      // Virtual time: it does not move while a handler runs, so a handler always has its whole timeout.
      getRemainingTimeInMillis: () => Math.max(0, deadline - clock.nowMs()),
      done: () => {
        throw new Error('callback-style completion is not supported by the twin runtime');
      },
      fail: () => {
        throw new Error('callback-style completion is not supported by the twin runtime');
      },
      succeed: () => {
        throw new Error('callback-style completion is not supported by the twin runtime');
      },
    };
    const record: Invocation = { function: name, requestId, trigger, time: clock.iso(), outcome: 'ok' };
    invocations.push(record);
    try {
      const result = await handler(event, context);
      if (result !== undefined) record.result = result;
      return result;
    } catch (error) {
      record.outcome = 'error';
      record.error = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  // EventBridge rule targets, and the sweep's schedule (EventBridge Scheduler delivers the same way: async, retried).
  const targets: TargetRegistry = {};
  for (const rule of eventBridge.rules) {
    const target = rule.target as FunctionName;
    if (deployed.has(target)) targets[rule.name] = async (event: DeliveryPayload) => void (await run(target, event, 'eventbridge'));
  }
  if (deployed.has('sweep')) targets[SWEEP_TARGET] = async (payload: DeliveryPayload) => void (await run('sweep', payload, 'schedule'));
  if (deployed.has('drift-check')) targets[DRIFT_CHECK_TARGET] = async (payload: DeliveryPayload) => void (await run('drift-check', payload, 'schedule'));
  if (deployed.has('judge')) targets[JUDGE_TARGET] = async (payload: DeliveryPayload) => void (await run('judge', payload, 'schedule'));
  if (deployed.has('experiment-judge')) targets[EXPERIMENT_JUDGE_TARGET] = async (payload: DeliveryPayload) => void (await run('experiment-judge', payload, 'schedule'));
  eventBridge.setTargets(targets);

  const source: SqsEventSource | undefined = deployed.has('reconcile')
    ? startSqsEventSource({
        sqs,
        queue: reconcileQueueUrl,
        clock,
        region,
        invoke: (event) => run('reconcile', event, 'sqs'),
        batchSize: options.reconcileBatchSize ?? 10,
        concurrency: options.reconcileConcurrency ?? 5,
      })
    : undefined;

  const sweepEveryMs = options.sweepEveryMs ?? FIFTEEN_MINUTES;
  if (sweepEveryMs !== false && deployed.has('sweep')) {
    const arm = (atMs: number) =>
      clock.at(atMs, () => {
        if (stopped) return;
        // EventBridge Scheduler invokes with the schedule's input; the sweep's has none: an empty object.
        eventBridge.deliver(SWEEP_TARGET, {});
        arm(atMs + sweepEveryMs);
      });
    arm(clock.nowMs() + sweepEveryMs);
  }

  if (options.driftCheck !== false && deployed.has('drift-check')) {
    const hourly = (atMs: number) =>
      clock.at(atMs, () => {
        if (stopped) return;
        eventBridge.deliver(DRIFT_CHECK_TARGET, {});
        hourly(atMs + HOUR);
      });
    hourly(Math.floor(clock.nowMs() / HOUR) * HOUR + HOUR + 10 * 60_000);
  }

  // Both judges half a minute past: the world's endpoints report the minute before at the minute, so every look
  // reads whole minutes, and a harm signal put now is in the minute the canary-harm alarm evaluates next.
  const judges = [
    [JUDGE_TARGET, 'judge'],
    [EXPERIMENT_JUDGE_TARGET, 'experiment-judge'],
  ] as const;
  for (const [target, name] of judges) {
    if (options.judge === false || !deployed.has(name)) continue;
    const everyMinute = (atMs: number) =>
      clock.at(atMs, () => {
        if (stopped) return;
        eventBridge.deliver(target, {});
        everyMinute(atMs + MINUTE);
      });
    everyMinute(Math.floor(clock.nowMs() / MINUTE) * MINUTE + MINUTE + 30_000);
  }

  async function drain(drainOptions: DrainOptions = {}): Promise<DrainResult> {
    const start = clock.nowMs();
    const until = start + (drainOptions.horizonMs ?? 6 * 60 * 60_000);
    const maxSteps = drainOptions.maxSteps ?? 10_000;
    const pending = () => ({ pendingDeliveries: eventBridge.pendingDeliveries(), pendingMessages: sqs.messages(reconcileQueueUrl).length });
    for (let step = 0; step < maxSteps; step++) {
      const due = [eventBridge.nextDueMs(), source?.nextDueMs()].filter((t): t is number => t !== undefined);
      if (due.length === 0) return { settled: true, elapsedMs: clock.nowMs() - start, ...pending() };
      const next = Math.min(...due);
      if (next > until) return { settled: false, elapsedMs: clock.nowMs() - start, ...pending() };
      if (next <= clock.nowMs()) source?.kick();
      await clock.advance(Math.max(0, next - clock.nowMs()));
    }
    throw new Error(`drain: still not settled after ${maxSteps} steps (${pending().pendingDeliveries} deliveries, ${pending().pendingMessages} messages pending)`);
  }

  return {
    environment,
    reconcileQueueUrl,
    invocations,
    invoke: (name, event) => run(name, event, 'direct'),
    drain,
    stop() {
      stopped = true;
      timeSource.nowMs = wallClock;
      source?.stop();
      eventBridge.setTargets({});
      for (const [key, value] of previousEnv) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
