/**
 * The notify Lambda: a domain event from the project bus or a project alarm from the default bus, told to people
 * once. Delivery is at least once, so each notification is made idempotent on its own key (the domain event's
 * `eventKey`, or the alarm's name, state and transition time) with Powertools idempotency records in the state
 * table. An event of neither kind is logged and counted, never retried.
 */
import type { IdempotencyConfig as IdempotencyConfigType } from '@aws-lambda-powertools/idempotency';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { alarmStateChangeEventSchema } from '../contracts/aws-events';
import { DOMAIN_SOURCE, parseDomainEvent } from '../contracts/domain-events';
import { isRoutineLook, notify, type NotifyDeps, type NotifyInput } from '../notify/notify';
import { messageOf } from './errors';
import { makeObservability } from './observability';

/** The input with the key that makes its notification unique. */
export function toNotifyInput(event: unknown): { key: string; input: NotifyInput } {
  const e = event as { source?: string; 'detail-type'?: string; detail?: unknown };
  if (e?.source === DOMAIN_SOURCE) {
    const parsed = parseDomainEvent(e as { source: string; 'detail-type': string; detail: unknown });
    return { key: parsed.detail.eventKey, input: { kind: 'domain', event: parsed } };
  }
  const alarm = alarmStateChangeEventSchema.parse(event);
  return { key: `alarm/${alarm.detail.alarmName}/${alarm.detail.state.value}/${alarm.detail.state.timestamp}`, input: { kind: 'alarm', event: alarm } };
}

export function makeNotifyHandler(deps: () => { notify: NotifyDeps; persistence?: BasePersistenceLayer }) {
  const { logger, metrics } = makeObservability('notify');
  let sendOnce: ((payload: { key: string; input: NotifyInput }) => Promise<{ paged: boolean; subject: string }>) | undefined;
  const send = async (payload: { key: string; input: NotifyInput }) => {
    const result = await notify(deps().notify, payload.input);
    return { paged: result.paged, subject: result.notification.subject };
  };
  const config: IdempotencyConfigType = new IdempotencyConfig({ eventKeyJmesPath: 'key', expiresAfterSeconds: 7 * 24 * 3600 });
  const sender = () => {
    const persistence = deps().persistence;
    if (!persistence) return send;
    return (sendOnce ??= makeIdempotent(send, { persistenceStore: persistence, config }));
  };
  const run = async (event: unknown, context: Context) => {
    // Bounds an in-progress record by this invocation: a send cut short by a timeout is retried, not locked out.
    config.registerLambdaContext(context);
    let payload: { key: string; input: NotifyInput };
    try {
      payload = toNotifyInput(event);
    } catch (error) {
      logger.error('Rejected an event notify cannot read', { error: messageOf(error).slice(0, 500) });
      metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
      return { outcome: 'rejected' as const };
    }
    if (isRoutineLook(payload.input)) {
      // Every minute while a canary bakes or an experiment runs: in the ledger, told to nobody (no idempotency record).
      logger.debug('Routine judge look, not notified', { key: payload.key });
      return { outcome: 'routine' as const };
    }
    const result = await sender()(payload);
    logger.info('Notified', { key: payload.key, paged: result.paged });
    metrics.addMetric(result.paged ? 'Paged' : 'Notified', MetricUnit.Count, 1);
    return { outcome: 'notified' as const, ...result };
  };
  return middy<unknown, unknown, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}
