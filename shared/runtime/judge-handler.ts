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
import { runExperimentJudge } from '../experiment-judge/experiment-judge';
import type { ExperimentJudgeDeps } from '../experiment-judge/ports';
import { makeObservability } from './observability';

async function experimentLooks(deps: ExperimentJudgeDeps | undefined) {
  return deps ? runExperimentJudge(deps) : [];
}

/**
 * The canary judge and the experiment judge (when configured), once a minute: every managed group's baking canary. A failed group fails the invocation after
 * the others were judged (the scheduler retries; a look is idempotent per minute).
 */
export function makeJudgeHandler(deps: () => CanaryJudgeDeps, experimentDeps: () => ExperimentJudgeDeps | undefined = () => undefined) {
  const { logger, metrics } = makeObservability('judge');
  const run = async (_event: unknown) => {
    // Both judges run whatever the other does; a failure of either fails the invocation at the end.
    const [canary, experiment] = await Promise.allSettled([runCanaryJudge(deps()), experimentLooks(experimentDeps())]);
    const outcomes = canary.status === 'fulfilled' ? canary.value : [];
    for (const o of outcomes) if (o.outcome === 'judged') logger.info('Judged a canary', { ...o });
    metrics.addMetric('CanariesRolledBack', MetricUnit.Count, outcomes.filter((o) => o.outcome === 'judged' && o.decision === 'rollback').length);
    const experiments = experiment.status === 'fulfilled' ? experiment.value : [];
    for (const o of experiments) if (o.outcome === 'judged') logger.info('Judged an experiment', { ...o });
    if (canary.status === 'rejected') throw canary.reason;
    if (experiment.status === 'rejected') throw experiment.reason;
    return { outcomes, experiments };
  };
  return middy<unknown, unknown, Error, Context>().use(injectLambdaContext(logger)).use(logMetrics(metrics)).handler(run);
}
