/**
 * The Lambda shape of the experiment judge: its own function, apart from the canary judge, so an experiment's data
 * (captures and outcomes held in memory between looks) can never stop the canary judge with it, and the canary judge
 * keeps no S3 or queue permission.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { runExperimentJudge } from '../experiment-judge/experiment-judge';
import type { ExperimentJudgeDeps } from '../experiment-judge/ports';
import { makeObservability } from './observability';

/**
 * The experiment judge, once a minute: every managed group's running A/B or shadow test. A failed group fails the
 * invocation after the others were judged (the scheduler retries; a look is idempotent per minute).
 */
export function makeExperimentJudgeHandler(deps: () => ExperimentJudgeDeps) {
  const { logger, metrics } = makeObservability('experiment-judge');
  const run = async (_event: unknown) => {
    const outcomes = await runExperimentJudge(deps());
    for (const o of outcomes) if (o.outcome === 'judged') logger.info('Judged an experiment', { ...o });
    metrics.addMetric('ExperimentVerdicts', MetricUnit.Count, outcomes.filter((o) => o.outcome === 'judged' && o.recorded).length);
    return { outcomes };
  };
  return middy<unknown, unknown, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}
