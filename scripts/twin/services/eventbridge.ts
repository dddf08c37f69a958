/**
 * The EventBridge twin: the `default` bus and named buses, the rules the catalogue deploys (the same pattern files
 * Terraform reads), `PutEvents`, and delivery of every matched event to a target registry (the Lambda runtime sets
 * it) as EventBridge delivers to Lambda: asynchronously, on the virtual clock, AT LEAST ONCE (a seeded share of the
 * deliveries is made twice, with the same event id), retried when the target fails, then dead-lettered.
 *
 * AWS service events (`ServiceContext.emit`) reach the default bus through `connect(twin)`.
 */
import { mulberry32 } from '../ml/random';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileEventPattern, type CompiledPattern, type Json } from '../../../shared/contracts/event-pattern';
import { TwinServiceError, type ServiceContext, type ServiceTwin, type TwinEvent } from '../core/types';

/** A rule's state as Terraform sets it from the catalogue. */
export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** One rule on one bus, with the function its single target invokes. */
export interface RuleDefinition {
  name: string;
  /** `default` or a custom bus name. */
  bus: string;
  pattern: Json;
  state: RuleState;
  /** The target's name (`functions/<target>`). */
  target: string;
}

/** What a target receives: an event as EventBridge delivers it, or a schedule's payload. */
export type DeliveryPayload = TwinEvent | Record<string, unknown>;

/** Targets by rule name (or schedule name); the Lambda runtime fills it. */
export type TargetRegistry = Record<string, (event: DeliveryPayload) => Promise<void>>;

/** An event a bus accepted, with the rules it matched. */
export interface BusEvent {
  bus: string;
  event: TwinEvent;
  matchedRules: string[];
}

/** One delivery attempt and how it ended. */
export interface DeliveryAttempt {
  target: string;
  eventId?: string;
  attempt: number;
  atMs: number;
  outcome: 'delivered' | 'failed';
  error?: string;
  /** A second delivery of the same event (at least once). */
  duplicate: boolean;
}

/** A delivery that failed every attempt. */
export interface DeadLetter {
  target: string;
  payload: DeliveryPayload;
  attempts: number;
  error: string;
}

/** Options of {@link createEventBridgeService}. */
export interface EventBridgeOptions {
  /** The rules (e.g. `loadRulesFromCatalogue('events')`); the buses they name are created. */
  rules?: RuleDefinition[];
  /** More custom buses. */
  buses?: string[];
  /** Share (0–1) of deliveries made twice, decided by a seeded generator; 0 by default. */
  duplicateRate?: number;
  /** Seed of that generator (same seed, same duplicates). */
  seed?: number;
  /**
   * Each delivery (and each duplicate) waits a seeded random delay of up to this many milliseconds, so events put
   * close together can arrive in another order, as EventBridge does not promise order; 0 by default.
   */
  deliveryJitterMs?: number;
  /** Retries after a failed delivery before the dead-letter list; Lambda's asynchronous default is 2. */
  maxRetries?: number;
  /** Delay before retry `n` (1-based); Lambda waits about a minute, then two. */
  retryDelayMs?: (retry: number) => number;
}

/** The EventBridge twin: a ServiceTwin plus what the runtime, scenarios and tests drive. */
export interface EventBridgeTwin extends ServiceTwin {
  /** Subscribes the default bus to the twin's emitted AWS events and lends it the clock (idempotent). */
  connect(twin: { context: ServiceContext; onEvent(listener: (event: TwinEvent) => void): () => void }): void;
  /** Replaces the target registry (rule name → target). */
  setTargets(targets: TargetRegistry): void;
  /** Puts a fully formed event on a bus (the default bus for AWS service events) and matches it. */
  putEvent(event: TwinEvent, bus?: string): void;
  /** Delivers `payload` to the target registered as `target` with the same semantics (schedules use it). */
  deliver(target: string, payload: DeliveryPayload): void;
  createBus(name: string): void;
  readonly buses: readonly string[];
  readonly rules: readonly RuleDefinition[];
  /** Every event accepted by a bus, in order. */
  readonly log: readonly BusEvent[];
  readonly attempts: readonly DeliveryAttempt[];
  readonly deadLetters: readonly DeadLetter[];
  /** Deliveries not yet made (including retries waiting for their time). */
  pendingDeliveries(): number;
  /** Virtual time of the earliest pending delivery. */
  nextDueMs(): number | undefined;
}

interface Delivery {
  target: string;
  payload: DeliveryPayload;
  attempt: number;
  dueMs: number;
  duplicate: boolean;
}

/** PutEvents takes 1–10 entries (the model's limit, checked here too for direct callers). */
const MAX_ENTRIES = 10;
/** EventBridge's limit on the total size of one PutEvents request (calculate-putevents-entry-size). */
const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * Reads `events/catalogue.json` and the pattern file of each rule, as Terraform does (`file(...)`), and compiles
 * every pattern so an invalid one fails here, naming the rule.
 */
export function loadRulesFromCatalogue(eventsDir: string): RuleDefinition[] {
  const catalogue = JSON.parse(readFileSync(join(eventsDir, 'catalogue.json'), 'utf8')) as {
    rules: { name: string; pattern: string; bus: string; target: string; state: RuleState }[];
  };
  return catalogue.rules.map((r) => {
    const pattern = JSON.parse(readFileSync(join(eventsDir, r.pattern), 'utf8')) as Json;
    try {
      compileEventPattern(pattern);
    } catch (error) {
      throw new Error(`Rule ${r.name} (${r.pattern}): ${(error as Error).message}`);
    }
    return { name: r.name, bus: r.bus, pattern, state: r.state, target: r.target };
  });
}

/** Events on a bus carry second precision (`2026-11-28T09:12:10Z`), as AWS writes them. */
const envelopeTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const byteLength = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));

/** The size EventBridge counts for one entry: 14 bytes for Time, then the UTF-8 of Source, DetailType, Detail, Resources. */
function entrySize(entry: Json): number {
  const resources = Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [];
  return (entry.Time ? 14 : 0) + byteLength(entry.Source as string) + byteLength(entry.DetailType as string) + byteLength(entry.Detail as string) + resources.reduce((n, r) => n + byteLength(r), 0);
}

/**
 * A CloudTrail management event that only reads. Rules in state ENABLED do not receive those; rules in
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS do (aws-facts §1.10 reads the API reference as "all management
 * events"; the twin follows the narrower, read-only reading, so the approval trail's state is exercised either way).
 */
function isReadOnlyManagementEvent(event: TwinEvent): boolean {
  return event['detail-type'] === 'AWS API Call via CloudTrail' && event.detail.readOnly === true && event.detail.managementEvent !== false;
}

/**
 * Builds the EventBridge twin (model `events`, client `EventBridgeClient`).
 * @example
 * const events = createEventBridgeService({ rules: loadRulesFromCatalogue('events'), duplicateRate: 0.1, seed: 7 });
 * const twin = createTwin({ ..., services: [events] });
 * events.connect(twin);
 */
export function createEventBridgeService(options: EventBridgeOptions = {}): EventBridgeTwin {
  const rules = options.rules ?? [];
  const buses = new Set(['default', ...rules.map((r) => r.bus), ...(options.buses ?? [])]);
  const compiled = new Map<string, CompiledPattern>(rules.map((r) => [r.name, compileEventPattern(r.pattern)]));
  // Seeded: which deliveries are duplicated, and how late each arrives, is the same on every run.
  const random = mulberry32(options.seed ?? 1);
  const duplicateRate = options.duplicateRate ?? 0;
  const jitterMs = options.deliveryJitterMs ?? 0;
  const maxRetries = options.maxRetries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? ((n: number) => n * 60_000);
  if (!(duplicateRate >= 0 && duplicateRate <= 1)) throw new Error(`EventBridge twin: duplicateRate ${duplicateRate} is not within 0–1`);

  let context: ServiceContext | undefined;
  let connected: { twin: object; unsubscribe: () => void } | undefined;
  let targets: TargetRegistry = {};
  const log: BusEvent[] = [];
  const attempts: DeliveryAttempt[] = [];
  const deadLetters: DeadLetter[] = [];
  const pending = new Set<Delivery>();

  const ctx = (): ServiceContext => {
    if (!context) throw new Error('EventBridge twin: not connected to a twin (call connect(twin) or send it a request first)');
    return context;
  };

  function schedule(delivery: Delivery): void {
    pending.add(delivery);
    // Asynchronous: the delivery runs as a clock timer, never inside the call that put the event.
    ctx().clock.at(delivery.dueMs, () => attempt(delivery));
  }

  async function attempt(delivery: Delivery): Promise<void> {
    if (!pending.delete(delivery)) return;
    const clock = ctx().clock;
    const eventId = typeof delivery.payload.id === 'string' ? delivery.payload.id : undefined;
    const record = { target: delivery.target, ...(eventId ? { eventId } : {}), attempt: delivery.attempt, atMs: clock.nowMs(), duplicate: delivery.duplicate };
    const target = targets[delivery.target];
    try {
      if (!target) throw new Error(`no target registered for ${delivery.target}`);
      // Each delivery gets its own copy: a handler that mutates its event cannot change another's.
      await target(structuredClone(delivery.payload));
      attempts.push({ ...record, outcome: 'delivered' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      attempts.push({ ...record, outcome: 'failed', error: message });
      if (delivery.attempt <= maxRetries) schedule({ ...delivery, attempt: delivery.attempt + 1, dueMs: clock.nowMs() + retryDelayMs(delivery.attempt) });
      else deadLetters.push({ target: delivery.target, payload: delivery.payload, attempts: delivery.attempt, error: message });
    }
  }

  function deliver(target: string, payload: DeliveryPayload): void {
    const now = ctx().clock.nowMs();
    const due = () => now + Math.floor(random() * jitterMs);
    schedule({ target, payload, attempt: 1, dueMs: jitterMs > 0 ? due() : now, duplicate: false });
    if (duplicateRate > 0 && random() < duplicateRate) schedule({ target, payload, attempt: 1, dueMs: jitterMs > 0 ? due() : now, duplicate: true });
  }

  function putEvent(event: TwinEvent, bus = 'default'): void {
    if (!buses.has(bus)) throw new Error(`EventBridge twin: event bus ${bus} does not exist`);
    const matched = rules.filter(
      (r) =>
        r.bus === bus &&
        r.state !== 'DISABLED' &&
        (r.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' || !isReadOnlyManagementEvent(event)) &&
        compiled.get(r.name)!(event as unknown as Json),
    );
    log.push({ bus, event: structuredClone(event), matchedRules: matched.map((r) => r.name) });
    // A rule whose target is not deployed (not in the registry) matches but delivers nowhere, like a rule without targets.
    for (const rule of matched) if (targets[rule.name]) deliver(rule.name, event);
  }

  /** `name` or `arn:aws:events:<region>:<account>:event-bus/<name>` → the bus name, if it is one of ours. */
  function busOf(nameOrArn: unknown, c: ServiceContext): string | undefined {
    const value = typeof nameOrArn === 'string' && nameOrArn !== '' ? nameOrArn : 'default';
    const arn = /^arn:aws[\w-]*:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(value);
    if (arn && (arn[1] !== c.region || arn[2] !== c.account)) return undefined;
    const name = arn ? arn[3]! : value;
    return buses.has(name) ? name : undefined;
  }

  /** One PutEvents entry: its result entry, and the event when it was accepted. */
  function acceptEntry(entry: Json, c: ServiceContext): { result: Json; event?: TwinEvent; bus?: string } {
    const failed = (code: string, message: string) => ({ result: { ErrorCode: code, ErrorMessage: message } });
    for (const member of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[member] !== 'string' || entry[member] === '') return failed('InvalidArgument', `Parameter ${member} is not valid. Reason: ${member} is a required argument.`);
    }
    const source = entry.Source as string;
    // Only AWS services may put events with an `aws.` source (observed: NotAuthorizedForSourceException).
    if (source.startsWith('aws.')) return failed('NotAuthorizedForSourceException', 'Not authorized for the source.');
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail as string);
    } catch {
      return failed('MalformedDetail', 'Detail is malformed.');
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return failed('MalformedDetail', 'Detail is malformed.');
    const bus = busOf(entry.EventBusName, c);
    if (!bus) return failed('ResourceNotFoundException', `Event bus ${String(entry.EventBusName)} does not exist.`);
    const time = entry.Time instanceof Date ? entry.Time.getTime() : c.clock.nowMs();
    const event: TwinEvent = {
      version: '0',
      id: c.nextId(),
      'detail-type': entry.DetailType as string,
      source,
      account: c.account,
      time: envelopeTime(time),
      region: c.region,
      resources: Array.isArray(entry.Resources) ? [...(entry.Resources as string[])] : [],
      detail: detail as Record<string, unknown>,
    };
    return { result: { EventId: event.id }, event, bus };
  }

  async function PutEvents(input: Json, c: ServiceContext): Promise<Json> {
    context ??= c;
    const entries = Array.isArray(input.Entries) ? (input.Entries as Json[]) : [];
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new TwinServiceError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES} and greater than or equal to 1`);
    }
    // The limit is documented; the message is the twin's wording (UNVERIFIED against a real response).
    if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_REQUEST_BYTES) throw new TwinServiceError('ValidationException', 'Total size of the entries in the request is over the limit.');
    const accepted = entries.map((e) => acceptEntry(e, c));
    for (const { event, bus } of accepted) if (event && bus) putEvent(event, bus);
    return { FailedEntryCount: accepted.filter((a) => !a.event).length, Entries: accepted.map((a) => a.result) };
  }

  return {
    model: 'events',
    clientName: 'EventBridgeClient',
    operations: { PutEvents },
    connect(twin) {
      context = twin.context;
      if (connected?.twin === twin) return;
      connected?.unsubscribe();
      connected = { twin, unsubscribe: twin.onEvent((event) => putEvent(event, 'default')) };
    },
    setTargets(registry) {
      targets = { ...registry };
    },
    putEvent,
    deliver,
    createBus(name) {
      buses.add(name);
    },
    get buses() {
      return [...buses];
    },
    rules,
    log,
    attempts,
    deadLetters,
    pendingDeliveries: () => pending.size,
    nextDueMs: () => (pending.size === 0 ? undefined : Math.min(...[...pending].map((d) => d.dueMs))),
  };
}
