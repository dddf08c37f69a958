import { createHash } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deduplicationId, makeSqsReconcileQueue } from '../../../shared/aws/sqs-reconcile-queue';
import type { ReconcileRequest } from '../../../shared/contracts/reconcile-request';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const sqs = mockClient(SQSClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(sqs)) expectValidAwsInput('sqs', command);
  } finally {
    sqs.reset();
  }
});

const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/creditai-reconcile.fifo';
const request: ReconcileRequest = {
  modelGroup: 'credit-card-acme',
  reason: 'Model Package State Change: Approved',
  trigger: { source: 'aws.sagemaker', detailType: 'SageMaker Model Package State Change', eventId: '7d3e0a52-1111-2222-3333-444455556666', time: '2026-03-01T12:00:00Z' },
};

describe('Function: makeSqsReconcileQueue', () => {
  it('sends the request to the FIFO queue, grouped by model group, deduplicated by trigger', async () => {
    await makeSqsReconcileQueue(new SQSClient({}), { queueUrl }).request(request);
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(request),
      MessageGroupId: 'credit-card-acme',
      MessageDeduplicationId: createHash('sha256').update('credit-card-acme\n7d3e0a52-1111-2222-3333-444455556666').digest('hex'),
    });
  });

  it('derives a 64-character id that differs when group and event id split differently', () => {
    const a = deduplicationId({ ...request, modelGroup: 'a-b', trigger: { ...request.trigger, eventId: 'c' } });
    const b = deduplicationId({ ...request, modelGroup: 'a', trigger: { ...request.trigger, eventId: '-bc' } });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(deduplicationId({ ...request, reason: 'another reason' })).toBe(deduplicationId(request));
  });

  it('propagates send errors', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('boom'));
    await expect(makeSqsReconcileQueue(new SQSClient({}), { queueUrl }).request(request)).rejects.toThrow('boom');
  });
});
