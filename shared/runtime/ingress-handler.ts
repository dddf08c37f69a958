/**
 * The one shape of every ingress Lambda: middy with Powertools logging and metrics, the event validated by its
 * zod schema (safe-parse, so a malformed event is rejected and recorded rather than thrown and retried), the
 * origin checked, then one call into shared/ingress. A failure of the call is logged, counted by kind and thrown:
 * Lambda retries it, then its on-failure destination (a DLQ) keeps the event, so nothing is lost even when a
 * retry cannot help (a refused permission); replay it from the DLQ once fixed.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import type { ParsedResult } from '@aws-lambda-powertools/parser/types';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { originProblem, rejectEvent, type Envelope, type IngressDeps, type IngressOutcome } from '../ingress/ingress';
import { classifyError, messageOf } from './errors';
import { makeObservability } from './observability';

/** The parser's ParseError carries the schema's issues as its cause (standard-schema issues). */
function describeIssues(error: Error): string {
  const issues = (Array.isArray(error.cause) ? error.cause : []) as { message: string; path?: (PropertyKey | { key: PropertyKey })[] }[];
  if (issues.length === 0) return error.message;
  const path = (p: (PropertyKey | { key: PropertyKey })[] = []) => p.map((k) => String(typeof k === 'object' ? k.key : k)).join('.') || '(root)';
  return issues.slice(0, 5).map((i) => `${path(i.path)}: ${i.message}`).join('; ');
}

export interface IngressHandlerOptions<S extends z.ZodType> {
  name: string;
  schema: S;
  deps: () => IngressDeps;
  ingest: (deps: IngressDeps, event: z.infer<S>) => Promise<IngressOutcome>;
}

export function makeIngressHandler<S extends z.ZodType>(options: IngressHandlerOptions<S>) {
  const { logger, metrics } = makeObservability(options.name);
  const run = async (parsed: ParsedResult<unknown, z.infer<S>>): Promise<IngressOutcome> => {
    const deps = options.deps();
    if (!parsed.success) {
      const event = parsed.originalEvent;
      const reason = `Malformed event: ${describeIssues(parsed.error)}`;
      logger.error('Rejected malformed event', { reason, eventId: (event as { id?: unknown })?.id });
      metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
      return rejectEvent(deps, event, reason);
    }
    const forged = originProblem(parsed.data as Envelope, deps.origin);
    if (forged) {
      logger.error('Rejected event from a foreign origin', { reason: forged, eventId: (parsed.data as Envelope).id });
      metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
      return rejectEvent(deps, parsed.data, `Forged or misrouted event: ${forged}`);
    }
    try {
      const outcome = await options.ingest(deps, parsed.data);
      logger.info('Ingested event', { eventId: (parsed.data as Envelope).id, ...outcome });
      metrics.addMetric(outcome.outcome === 'requested' ? 'ReconcilesRequested' : 'EventsIgnored', MetricUnit.Count, 1);
      return outcome;
    } catch (error) {
      const kind = classifyError(error);
      logger.error('Failed to ingest event', { error: messageOf(error), kind, eventId: (parsed.data as Envelope).id });
      metrics.addMetric(kind === 'retryable' ? 'RetryableErrors' : 'TerminalErrors', MetricUnit.Count, 1);
      throw error;
    }
  };
  // Lambda hands over raw JSON; the parser middleware replaces it with the safe-parse result before `run`.
  return middy<unknown, IngressOutcome, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .use(parser({ schema: options.schema, safeParse: true }) as unknown as middy.MiddlewareObj<unknown, IngressOutcome, Error, Context>)
    .handler((event) => run(event as ParsedResult<unknown, z.infer<S>>));
}
