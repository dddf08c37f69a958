/**
 * The Lambda shapes of the two non-ingress entry points that drive reconciliation: the reconcile worker (SQS FIFO
 * batches, partial failures reported per message so one stuck group does not hold the others) and the sweep.
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
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

