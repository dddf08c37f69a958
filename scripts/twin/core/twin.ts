/**
 * The twin: a virtual clock, the service twins, the events they emit and the calls they answer. `install(client)`
 * plugs it beneath an AWS SDK v3 client (see sdk-middleware.ts), so the real adapters and handlers run unchanged.
 */
import { makeVirtualClock, type TwinClock } from './clock';
import { installTwinMiddleware, type SdkAwareServiceTwin, type SdkClientLike, type TwinCall, type TwinDispatch } from './sdk-middleware';
import type { ServiceContext, ServiceTwin, TwinEvent } from './types';

export type { SdkAwareServiceTwin, SdkCall, SdkClientLike, TwinCall } from './sdk-middleware';

/** What {@link createTwin} needs. */
export interface TwinOptions {
  /** Virtual start time, ISO-8601. */
  start: string;
  /** The AWS account id the services answer for (12 digits). */
  account: string;
  region: string;
  services: ServiceTwin[];
}

/** A running twin. */
export interface Twin {
  clock: TwinClock;
  /** What every service sees while it answers: clock, account, region, emit, nextId. */
  context: ServiceContext;
  /** Answers `client`'s commands with the twin from now on (idempotent; replaces another twin's middleware). */
  install(client: SdkClientLike): void;
  /** Every event emitted, in order. */
  readonly events: readonly TwinEvent[];
  /** Calls `listener` with each event as it is emitted; returns a function that stops it. */
  onEvent(listener: (event: TwinEvent) => void): () => void;
  /** Every call answered, in order. */
  readonly calls: readonly TwinCall[];
}

/**
 * A UUID-shaped id from a counter: `00000000-0000-4000-<variant>-<12 hex digits>` (a valid version-4 layout, so
 * code that checks the shape of an event id or request id accepts it), the same on every run.
 */
export function counterUuid(variant: '8000' | 'a000', n: number): string {
  return `00000000-0000-4000-${variant}-${n.toString(16).padStart(12, '0')}`;
}

/**
 * Builds a twin over `services` (each SDK client name served by one service).
 * - `context.nextId()` → a UUID-shaped id (event ids use it); `context.nextId('ep')` → `ep-000001`, one counter per
 *   prefix, so adding a request of one kind does not shift the ids of another.
 * - `context.emit(e)` fills `version`, `id`, `account`, `region` and `time` (the virtual now unless given), stores it
 *   in `events` as JSON would carry it, and calls the listeners synchronously; a listener that throws fails the
 *   emitting call, loudly.
 * @example
 * const twin = createTwin({ start: '2025-03-01T09:00:00Z', account: '123456789012', region: 'eu-west-1', services: [dynamo] });
 * twin.install(dynamoDbDocumentClient({ region: 'eu-west-1' }));
 */
export function createTwin(options: TwinOptions): Twin {
  const clock = makeVirtualClock(options.start);
  const events: TwinEvent[] = [];
  const calls: TwinCall[] = [];
  const listeners = new Set<(event: TwinEvent) => void>();
  const counters = new Map<string, number>();
  let uuids = 0;
  let requests = 0;

  const byClient = new Map<string, SdkAwareServiceTwin>();
  for (const service of options.services) {
    const other = byClient.get(service.clientName);
    if (other) throw new Error(`createTwin: services ${other.model} and ${service.model} both serve ${service.clientName}`);
    byClient.set(service.clientName, service);
  }

  const context: ServiceContext = {
    clock,
    account: options.account,
    region: options.region,
    nextId(prefix) {
      if (prefix === undefined) return counterUuid('8000', ++uuids);
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}-${String(n).padStart(6, '0')}`;
    },
    emit(event) {
      // Through JSON, as EventBridge delivers it: a Date in the detail arrives as an ISO string, undefined drops out,
      // and later changes to the service's own objects do not rewrite history.
      const full: TwinEvent = JSON.parse(
        JSON.stringify({
          version: '0',
          id: context.nextId(),
          'detail-type': event['detail-type'],
          source: event.source,
          account: options.account,
          time: event.time ?? clock.iso(),
          region: options.region,
          resources: event.resources,
          detail: event.detail,
        }),
      ) as TwinEvent;
      events.push(full);
      for (const listener of [...listeners]) listener(full);
    },
  };

  const dispatch: TwinDispatch = {
    serviceFor: (clientName) => byClient.get(clientName),
    record: (call) => void calls.push(call),
    context,
    // Request ids have their own counter, so event ids do not depend on how many calls came before.
    nextRequestId: () => counterUuid('a000', ++requests),
  };

  return {
    clock,
    context,
    install: (client) => installTwinMiddleware(client, dispatch),
    events,
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    calls,
  };
}
