/**
 * The project's own EventBridge bus as the `EventBus` port: domain events, source `creditai.mlops`.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DOMAIN_SOURCE, type DomainEvent } from '../contracts/domain-events';
import { RetryableError } from '../runtime/errors';
import type { EventBus } from '../reconcile/ports';

/** Which bus to publish on. */
export interface EventBusConfig {
  /** Name or ARN of the project bus. */
  busName: string;
}

/** PutEvents takes at most 10 entries per call. */
const ENTRIES_PER_CALL = 10;

/**
 * The `EventBus` port over EventBridge: PutEvents in chunks of 10. PutEvents succeeds at the HTTP level even when
 * entries fail, so `FailedEntryCount > 0` is turned into a RetryableError listing the error codes. Publishing
 * again is safe: every event carries a deterministic `eventKey` that consumers deduplicate on.
 * @example
 * await makeEventBridgeBus(clients.eventBridge, { busName: 'creditai-mlops' }).publish(events);
 */
export function makeEventBridgeBus(eventBridge: EventBridgeClient, config: EventBusConfig): EventBus {
  return {
    async publish(events: DomainEvent[]) {
      for (let i = 0; i < events.length; i += ENTRIES_PER_CALL) {
        const chunk = events.slice(i, i + ENTRIES_PER_CALL);
        const out = await eventBridge.send(
          new PutEventsCommand({
            Entries: chunk.map((event) => ({
              EventBusName: config.busName,
              Source: DOMAIN_SOURCE,
              DetailType: event.detailType,
              Detail: JSON.stringify(event.detail),
            })),
          }),
        );
        if ((out.FailedEntryCount ?? 0) > 0) {
          const failures = (out.Entries ?? []).flatMap((entry, j) =>
            entry.ErrorCode ? [`${chunk[j]?.detailType ?? 'entry'} ${chunk[j]?.detail.eventKey ?? j}: ${entry.ErrorCode}`] : [],
          );
          throw new RetryableError(`PutEvents failed for ${out.FailedEntryCount} of ${chunk.length} events: ${failures.join('; ')}`);
        }
      }
    },
  };
}
