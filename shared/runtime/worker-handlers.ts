/**
 * The Lambda shapes of the scheduled and queued entry points: the reconcile worker (SQS FIFO batches, partial
 * failures reported per message so one stuck group does not hold the others), the sweep, and the drift check.
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ModelInputSchema } from '../contracts/model-input';
import { previousHour, runDriftCheck } from '../drift-check/drift-check';
import type { DriftCheckDeps } from '../drift-check/ports';
import type { IngressDeps } from '../ingress/ingress';
import { sweep } from '../ingress/sweep';
import type { ReconcileDeps } from '../reconcile/reconcile-group';
import { handleReconcileRequest } from '../reconcile/reconcile-request-handler';
import { makeObservability } from './observability';

export function makeReconcileHandler(deps: () => ReconcileDeps) {
  const { logger, metrics } = makeObservability('reconcile');
  const processor = new SqsFifoPartialProcessorAsync();
  const run = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const done = new Set<string>();
    const record = async (r: SQSRecord) => {
      const outcome = await handleReconcileRequest(deps(), r.body, done);
      logger.info('Reconciled model group', { messageId: r.messageId, group: r.attributes.MessageGroupId, ...outcome, status: undefined });
      metrics.addMetric(`Reconcile_${outcome.outcome}`, MetricUnit.Count, 1);
      if (outcome.outcome === 'malformed' || outcome.outcome === 'terminal-error') logger.error('Reconcile request not carried out', { ...outcome, status: undefined });
    };
    // skipGroupOnError: a failed group's later messages wait for its retry; other groups go on.
    return processPartialResponse(event, record, processor, { context, skipGroupOnError: true, throwOnFullBatchFailure: false });
  };
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}

export function makeSweepHandler(deps: () => IngressDeps) {
  const { logger, metrics } = makeObservability('sweep');
  const run = async (_event: unknown, context: Context) => {
    const d = deps();
    const result = await sweep(d, `sweep-${context.awsRequestId}`, d.clock.now());
    logger.info('Swept model groups', { count: result.groups.length });
    metrics.addMetric('GroupsSwept', MetricUnit.Count, result.groups.length);
    return result;
  };
  return middy<unknown, { groups: string[] }, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}

/**
 * The hourly drift check: the last whole hour of every managed group's production traffic. A failed group fails
 * the invocation after the others were checked (the scheduler retries; the check is idempotent per window).
 */
export function makeDriftCheckHandler(deps: () => DriftCheckDeps, schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>) {
  const { logger, metrics } = makeObservability('drift-check');
  const run = async (_event: unknown) => {
    const d = deps();
    const window = previousHour(d.clock.now());
    const outcomes = await runDriftCheck(d, schema, window);
    for (const o of outcomes) logger.info('Checked drift', { ...o });
    metrics.addMetric('GroupsWithDrift', MetricUnit.Count, outcomes.filter((o) => o.outcome === 'drift').length);
    return { window, outcomes };
  };
  return middy<unknown, unknown, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}
