/**
 * Composition for the judge: the canary judge (state, CloudWatch fleet metrics and the harm signal, bus) and, when
 * OUTCOMES_S3_URI is configured, the experiment judge (captures and outcomes in S3, its looks, the reconcile queue).
 */
import type { CanaryJudgeDeps } from '../../canary-judge/ports';
import type { ExperimentJudgeDeps } from '../../experiment-judge/ports';
import type { JudgeConfig } from '../../runtime/config';
import { cloudWatchClient, dynamoDbDocumentClient, eventBridgeClient, s3Client, sqsClient } from '../clients';
import { makeCloudWatchFleetMetrics } from '../cloudwatch-fleet-metrics';
import { makeDynamoDbExperimentLooks } from '../dynamodb-experiment-looks';
import { makeS3CaptureSource } from '../s3-capture';
import { makeS3ExperimentOutcomes } from '../s3-experiment-outcomes';
import { makeSqsReconcileQueue } from '../sqs-reconcile-queue';
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

/** The experiment judge's dependencies; undefined when A/B tests are not configured. */
export function awsExperimentJudgeDeps(config: JudgeConfig): ExperimentJudgeDeps | undefined {
  if (!config.OUTCOMES_S3_URI || !config.DATA_CAPTURE_S3_URI || !config.RECONCILE_QUEUE_URL) return undefined;
  const region = { region: config.AWS_REGION };
  const db = dynamoDbDocumentClient(region);
  return {
    state: makeDynamoDbStateStore(db, { tableName: config.STATE_TABLE }),
    looks: makeDynamoDbExperimentLooks(db, { tableName: config.STATE_TABLE }),
    outcomes: makeS3ExperimentOutcomes(makeS3CaptureSource(s3Client(region)), { captureUri: config.DATA_CAPTURE_S3_URI, outcomesUri: config.OUTCOMES_S3_URI }),
    bus: makeEventBridgeBus(eventBridgeClient(region), { busName: config.EVENT_BUS_NAME }),
    queue: makeSqsReconcileQueue(sqsClient(region), { queueUrl: config.RECONCILE_QUEUE_URL }),
    clock: systemClock,
  };
}
