/** Composition for the reconcile worker: every port the reconciler reads and acts through. */
import type { ExecuteDeps } from '../../reconcile/execute';
import type { ReconcileDeps } from '../../reconcile/reconcile-group';
import type { ReconcileConfig } from '../../runtime/config';
import { cloudWatchClient, dynamoDbDocumentClient, eventBridgeClient, s3Client, sageMakerClient, sageMakerRuntimeClient } from '../clients';
import { makeCloudWatchAlarms } from '../cloudwatch-alarms';
import { makeDynamoDbStateStore } from '../dynamodb-state-store';
import { makeEventBridgeBus } from '../eventbridge-bus';
import { makeS3Documents } from '../s3-documents';
import { makeSageMakerEndpoints } from '../sagemaker-endpoints';
import { makeSageMakerPipelines } from '../sagemaker-pipelines';
import { makeSageMakerRegistry } from '../sagemaker-registry';
import { makeSageMakerScorer } from '../sagemaker-scorer';
import { systemClock } from './clock';

export function awsReconcileDeps(config: ReconcileConfig, smokeSamples: ExecuteDeps['smokeSamples']): ReconcileDeps {
  const region = { region: config.AWS_REGION };
  return {
    state: makeDynamoDbStateStore(dynamoDbDocumentClient(region), { tableName: config.STATE_TABLE }),
    registry: makeSageMakerRegistry(sageMakerClient(region)),
    documents: makeS3Documents(s3Client(region)),
    endpoints: makeSageMakerEndpoints(sageMakerClient(region), {
      executionRoleArn: config.SAGEMAKER_EXECUTION_ROLE_ARN,
      dataCaptureS3Uri: config.DATA_CAPTURE_S3_URI,
      ...(config.ENDPOINT_KMS_KEY_ID ? { kmsKeyId: config.ENDPOINT_KMS_KEY_ID } : {}),
    }),
    alarms: makeCloudWatchAlarms(cloudWatchClient(region)),
    scorer: makeSageMakerScorer(sageMakerRuntimeClient(region)),
    bus: makeEventBridgeBus(eventBridgeClient(region), { busName: config.EVENT_BUS_NAME }),
    clock: systemClock,
    identity: { approverRoles: config.APPROVER_ROLES, controlPlaneRoles: config.CONTROL_PLANE_ROLES },
    smokeSamples,
    pipelines: makeSageMakerPipelines(sageMakerClient(region)),
    ...(config.TRAINING_PIPELINE_NAME && config.TRAINING_DATA_PREFIX && config.PIPELINE_CODE_PREFIX
      ? { training: { pipelineName: config.TRAINING_PIPELINE_NAME, dataPrefix: config.TRAINING_DATA_PREFIX, codePrefix: config.PIPELINE_CODE_PREFIX } }
      : {}),
  };
}
