/** Composition for the drift check: state, registry, S3 documents and capture files, bus, reconcile queue. */
import type { DriftCheckDeps } from '../../drift-check/ports';
import type { DriftCheckConfig } from '../../runtime/config';
import { dynamoDbDocumentClient, eventBridgeClient, s3Client, sageMakerClient, sqsClient } from '../clients';
import { makeDynamoDbStateStore } from '../dynamodb-state-store';
import { makeEventBridgeBus } from '../eventbridge-bus';
import { makeS3CaptureSource } from '../s3-capture';
import { makeS3Documents } from '../s3-documents';
import { makeSageMakerRegistry } from '../sagemaker-registry';
import { makeSqsReconcileQueue } from '../sqs-reconcile-queue';
import { systemClock } from './clock';

export function awsDriftCheckDeps(config: DriftCheckConfig): DriftCheckDeps {
  const region = { region: config.AWS_REGION };
  return {
    state: makeDynamoDbStateStore(dynamoDbDocumentClient(region), { tableName: config.STATE_TABLE }),
    registry: makeSageMakerRegistry(sageMakerClient(region)),
    documents: makeS3Documents(s3Client(region)),
    capture: makeS3CaptureSource(s3Client(region)),
    bus: makeEventBridgeBus(eventBridgeClient(region), { busName: config.EVENT_BUS_NAME }),
    queue: makeSqsReconcileQueue(sqsClient(region), { queueUrl: config.RECONCILE_QUEUE_URL }),
    clock: systemClock,
    captureUri: config.DATA_CAPTURE_S3_URI,
    reportsUri: config.DRIFT_REPORTS_S3_URI,
  };
}
