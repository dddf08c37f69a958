/** Composition for notify: the SNS publisher, the secret reader and the idempotency records. */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { NotifyConfig } from '../../runtime/config';
import { dynamoDbDocumentClient, secretsManagerClient, snsClient, ssmClient } from '../clients';
import { makeSecretReader, type ReadSecret } from '../secrets';
import { makeSnsPublisher, type SnsPublisher } from '../sns-publisher';

export interface NotifyPorts {
  publishSns: SnsPublisher;
  /** The approvals topic's publisher, where APPROVALS_TOPIC_ARN is set. */
  publishApprovals?: SnsPublisher;
  readSecret: ReadSecret;
  /** Powertools idempotency records, in the state table under their own partition. */
  persistence: DynamoDBPersistenceLayer;
}

export function awsNotifyPorts(config: NotifyConfig): NotifyPorts {
  const region = { region: config.AWS_REGION };
  const approvalsTopicArn = config.APPROVALS_TOPIC_ARN;
  return {
    publishSns: makeSnsPublisher(snsClient(region), { topicArn: config.NOTIFY_TOPIC_ARN }),
    ...(approvalsTopicArn ? { publishApprovals: makeSnsPublisher(snsClient(region), { topicArn: approvalsTopicArn }) } : {}),
    readSecret: makeSecretReader(ssmClient(region), secretsManagerClient(region)),
    persistence: new DynamoDBPersistenceLayer({
      tableName: config.STATE_TABLE,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: 'IDEMPOTENCY#notify',
      // The persistence layer takes the plain DynamoDB client under the DocumentClient.
      awsSdkV3Client: dynamoDbDocumentClient(region) as never,
    }),
  };
}
