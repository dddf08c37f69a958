/**
 * One logger and one metrics instance per function (Powertools), named after the function. Logs are structured;
 * nothing logs a secret or a whole environment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'CreditaiMlops';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

export function makeObservability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
  };
}
