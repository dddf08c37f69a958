/**
 * The audit Lambda: each domain event of the project bus becomes one record of the audit ledger. An audit trail
 * must not drop anything, so every failure is thrown, an unreadable event included: Lambda retries the async
 * invocation, then its on-failure destination (the rules DLQ) keeps the event for a replay once fixed.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { parseDomainEvent, type DomainEvent } from '../contracts/domain-events';
import { appendRecord, LedgerIntegrityError, type AppendDeps, type AppendOutcome } from '../governance/append-record';
import { classifyError, messageOf, TerminalError } from './errors';
import { makeObservability } from './observability';

/** The domain event and the envelope id it arrived with (the record's `triggerEventId`). */
export function toAuditInput(event: unknown): { event: DomainEvent; envelope: { id: string } } {
  const e = event as { id?: unknown; source: string; 'detail-type': string; detail: unknown } | null;
  if (typeof e?.id !== 'string' || e.id.length === 0) throw new TerminalError('Not an EventBridge event: it has no id');
  return { event: parseDomainEvent(e), envelope: { id: e.id } };
}

export function makeAuditHandler(deps: () => AppendDeps) {
  const { logger, metrics } = makeObservability('audit');
  const run = async (event: unknown, _context: Context): Promise<AppendOutcome> => {
    let input: ReturnType<typeof toAuditInput>;
    try {
      input = toAuditInput(event);
    } catch (error) {
      const e = event as { id?: unknown; source?: unknown; 'detail-type'?: unknown } | null;
      logger.error('Rejected an event the audit ledger cannot read; thrown so the DLQ keeps it', {
        error: messageOf(error).slice(0, 500),
        id: e?.id,
        source: e?.source,
        detailType: e?.['detail-type'],
      });
      metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
      throw error;
    }
    const { detail } = input.event;
    try {
      const outcome = await appendRecord(deps(), input.event, input.envelope);
      if (outcome.adopted.length > 0) {
        // Records this invocation did not write: an earlier one stopped before indexing them, or a second writer.
        logger.warn('Indexed ledger records written outside this invocation', { group: outcome.group, adopted: outcome.adopted });
        metrics.addMetric('LedgerRecordsAdopted', MetricUnit.Count, outcome.adopted.length);
      }
      logger.info(outcome.outcome === 'duplicate' ? 'Already recorded' : 'Recorded', { eventKey: detail.eventKey, ...outcome });
      metrics.addMetric(outcome.outcome === 'duplicate' ? 'DuplicatesSkipped' : 'RecordsAppended', MetricUnit.Count, 1);
      return outcome;
    } catch (error) {
      const broken = error instanceof LedgerIntegrityError;
      logger.error(broken ? 'The ledger contradicts itself; nothing appended' : 'Could not record the event', {
        eventKey: detail.eventKey,
        group: detail.modelGroup,
        error: messageOf(error),
        kind: classifyError(error),
      });
      metrics.addMetric(broken ? 'LedgerBroken' : 'AppendFailed', MetricUnit.Count, 1);
      throw error;
    }
  };
  return middy<unknown, AppendOutcome, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}
