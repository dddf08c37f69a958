/**
 * The Lambda shape of the canary judge (its own module: the sweep, which shares the scheduled shape, must not carry
 * the judge's statistics in its bundle).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { runCanaryJudge } from '../canary-judge/canary-judge';
import type { CanaryJudgeDeps } from '../canary-judge/ports';
import { makeObservability } from './observability';

/**
 * The canary judge, once a minute: every managed group's baking canary. A failed group fails the invocation after
 * the others were judged (the scheduler retries; a look is idempotent per minute).
 */
export function makeJudgeHandler(deps: () => CanaryJudgeDeps) {
  const { logger, metrics } = makeObservability('judge');
  const run = async (_event: unknown) => {
    const outcomes = await runCanaryJudge(deps());
    for (const o of outcomes) if (o.outcome === 'judged') logger.info('Judged a canary', { ...o });
    metrics.addMetric('CanariesRolledBack', MetricUnit.Count, outcomes.filter((o) => o.outcome === 'judged' && o.decision === 'rollback').length);
    return { outcomes };
  };
  return middy<unknown, unknown, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}
