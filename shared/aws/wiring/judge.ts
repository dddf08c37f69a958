/** Composition for the canary judge: state, CloudWatch fleet metrics and the harm signal, the bus. */
import type { CanaryJudgeDeps } from '../../canary-judge/ports';
import type { JudgeConfig } from '../../runtime/config';
import { cloudWatchClient, dynamoDbDocumentClient, eventBridgeClient } from '../clients';
import { makeCloudWatchFleetMetrics } from '../cloudwatch-fleet-metrics';
import { makeDynamoDbStateStore } from '../dynamodb-state-store';
import { makeEventBridgeBus } from '../eventbridge-bus';
import { systemClock } from './clock';

export function awsJudgeDeps(config: JudgeConfig): CanaryJudgeDeps {
  const region = { region: config.AWS_REGION };
  return {
    state: makeDynamoDbStateStore(dynamoDbDocumentClient(region), { tableName: config.STATE_TABLE }),
    metrics: makeCloudWatchFleetMetrics(cloudWatchClient(region)),
    bus: makeEventBridgeBus(eventBridgeClient(region), { busName: config.EVENT_BUS_NAME }),
    clock: systemClock,
  };
}
