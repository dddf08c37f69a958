/**
 * Publishes a human-readable notification to the project's SNS topic, with message attributes subscribers can
 * filter on (severity, model group, detail-type).
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

export type SnsPublisher = (subject: string, body: string, attributes: Record<string, string>) => Promise<void>;

export function makeSnsPublisher(sns: SNSClient, config: { topicArn: string }): SnsPublisher {
  return async (subject, body, attributes) => {
    await sns.send(
      new PublishCommand({
        TopicArn: config.topicArn,
        // SNS refuses subjects over 100 characters or with line breaks.
        Subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 100),
        Message: body,
        MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
      }),
    );
  };
}
