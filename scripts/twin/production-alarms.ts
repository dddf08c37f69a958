/**
 * The per-endpoint alarms terraform/modules/monitoring provisions, as the twin's CloudWatch defines them: the three
 * rollback alarms (p99 ModelLatency, 5XX error rate, the canary judge's harm signal) that SageMaker's deployment
 * guardrails watch and the control plane acts on, and the 4XX notice. A terraform test holds these to the module, so the twin alarms on what AWS
 * would alarm on.
 */
import type { AlarmDefinition, MetricSpec } from './services/cloudwatch';

/** The production variant's name (terraform/modules/monitoring `local.variant_name`). */
export const VARIANT_NAME = 'AllTraffic';

function sageMaker(endpointName: string, name: string, stat: string, period: number): MetricSpec {
  return { namespace: 'AWS/SageMaker', name, dimensions: { EndpointName: endpointName, VariantName: VARIANT_NAME }, stat, period };
}

/** The alarms of one production endpoint, as Terraform names and sets them. */
export function productionAlarms(endpointName: string): AlarmDefinition[] {
  const common = { comparison: 'GreaterThanThreshold', treatMissingData: 'notBreaching' } as const;
  return [
    {
      ...common,
      name: `creditai-${endpointName}-p99-latency`,
      metric: { ...sageMaker(endpointName, 'ModelLatency', 'p99', 60), unit: 'Microseconds' },
      threshold: 200_000,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    },
    {
      ...common,
      name: `creditai-${endpointName}-5xx-errors`,
      metric: sageMaker(endpointName, 'Invocation5XXErrors', 'Sum', 300),
      percentOf: sageMaker(endpointName, 'Invocations', 'Sum', 300),
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
    },
    {
      ...common,
      // The canary judge's harm verdict (shared/canary-judge): it puts CanaryHarm = 1, the guardrails revert.
      name: `creditai-${endpointName}-canary-harm`,
      metric: { namespace: 'CreditaiMlops/Judge', name: 'CanaryHarm', dimensions: { EndpointName: endpointName }, stat: 'Maximum', period: 60 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    },
    {
      ...common,
      name: `notice-${endpointName}-invocation-errors`,
      metric: sageMaker(endpointName, 'Invocation4XXErrors', 'Sum', 300),
      percentOf: sageMaker(endpointName, 'Invocations', 'Sum', 300),
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    },
  ];
}
