/**
 * The Lambda shape of the drift check (its own module: the sweep, which shares the scheduled shape, must not carry
 * the drift statistics in its bundle).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ModelInputSchema } from '../contracts/model-input';
import { previousHour, runDriftCheck } from '../drift-check/drift-check';
import type { DriftCheckDeps } from '../drift-check/ports';
import type { BiasSpec } from '../judge/drift';
import { makeObservability } from './observability';

/**
 * The hourly drift check: the last whole hour of every managed group's production traffic. A failed group fails
 * the invocation after the others were checked (the scheduler retries; the check is idempotent per window).
 */
export function makeDriftCheckHandler(deps: () => DriftCheckDeps, schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>, bias?: BiasSpec) {
  const { logger, metrics } = makeObservability('drift-check');
  const run = async (_event: unknown) => {
    const d = deps();
    const window = previousHour(d.clock.now());
    const outcomes = await runDriftCheck(d, schema, window, bias);
    for (const o of outcomes) logger.info('Checked drift', { ...o });
    metrics.addMetric('GroupsWithDrift', MetricUnit.Count, outcomes.filter((o) => o.outcome === 'drift').length);
    return { window, outcomes };
  };
  return middy<unknown, unknown, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}
