/** Composition for the experiment judge: captures and outcomes in S3, its looks, the reconcile queue, the bus. */
import type { ExperimentJudgeDeps } from '../../experiment-judge/ports';
import type { ExperimentJudgeConfig } from '../../runtime/config';
import { dynamoDbDocumentClient, eventBridgeClient, s3Client, sqsClient } from '../clients';
import { makeDynamoDbExperimentLooks } from '../dynamodb-experiment-looks';
import { makeDynamoDbStateStore } from '../dynamodb-state-store';
import { makeEventBridgeBus } from '../eventbridge-bus';
import { makeS3CaptureSource } from '../s3-capture';
import { makeS3ExperimentOutcomes } from '../s3-experiment-outcomes';
import { makeSqsReconcileQueue } from '../sqs-reconcile-queue';
import { systemClock } from './clock';

export function awsExperimentJudgeDeps(config: ExperimentJudgeConfig): ExperimentJudgeDeps {
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
