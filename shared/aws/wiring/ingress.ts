/** Composition for the ingress functions and the sweep: queue, state, bus, pipelines. */
import type { IngressDeps } from '../../ingress/ingress';
import type { IngressConfig } from '../../runtime/config';
import { dynamoDbDocumentClient, eventBridgeClient, sageMakerClient, sqsClient } from '../clients';
import { makeDynamoDbStateStore } from '../dynamodb-state-store';
import { makeEventBridgeBus } from '../eventbridge-bus';
import { makeSageMakerPipelines } from '../sagemaker-pipelines';
import { makeSqsReconcileQueue } from '../sqs-reconcile-queue';
import { systemClock } from './clock';

export function awsIngressDeps(config: IngressConfig): IngressDeps {
  const region = { region: config.AWS_REGION };
  return {
    queue: makeSqsReconcileQueue(sqsClient(region), { queueUrl: config.RECONCILE_QUEUE_URL }),
    state: makeDynamoDbStateStore(dynamoDbDocumentClient(region), { tableName: config.STATE_TABLE }),
    bus: makeEventBridgeBus(eventBridgeClient(region), { busName: config.EVENT_BUS_NAME }),
    pipelines: makeSageMakerPipelines(sageMakerClient(region)),
    clock: systemClock,
    origin: { account: config.EXPECTED_ACCOUNT_ID, region: config.AWS_REGION },
  };
}
