/**
 * The reconcile FIFO queue as the `ReconcileQueue` port: one message group per model group, so reconciles of a
 * group never run concurrently (no two deployments race one endpoint).
 */
import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReconcileRequest } from '../contracts/reconcile-request';
import type { ReconcileQueue } from '../reconcile/ports';

/** Which queue to send to. */
export interface ReconcileQueueConfig {
  /** URL of the FIFO queue (`….fifo`). */
  queueUrl: string;
}

/**
 * The deduplication id of a request: SHA-256 hex (64 characters, within SQS's 128) of group and triggering
 * event, so a redelivered trigger within SQS's 5-minute window is enqueued once. The separator keeps
 * (`a-b`, `c`) and (`a`, `-bc`) apart.
 */
export function deduplicationId(request: ReconcileRequest): string {
  return createHash('sha256').update(`${request.modelGroup}\n${request.trigger.eventId}`).digest('hex');
}

/**
 * The `ReconcileQueue` port over SQS: SendMessage with MessageGroupId = model group and a deterministic
 * MessageDeduplicationId. Errors propagate (all are worth a retry of the ingress handler).
 * @example
 * await makeSqsReconcileQueue(clients.sqs, { queueUrl }).request(request);
 */
export function makeSqsReconcileQueue(sqs: SQSClient, config: ReconcileQueueConfig): ReconcileQueue {
  return {
    async request(request) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: config.queueUrl,
          MessageBody: JSON.stringify(request),
          MessageGroupId: request.modelGroup,
          MessageDeduplicationId: deduplicationId(request),
        }),
      );
    },
  };
}
