/**
 * The SQS, SNS, SSM and Secrets Manager twins, driven through real SDK clients (and the real adapters where the
 * control plane has one): FIFO ordering, deduplication, visibility and redrive; SNS's checks and capture; secrets.
 */
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { makeSecretReader } from '../../shared/aws/secrets';
import { makeSnsPublisher } from '../../shared/aws/sns-publisher';
import { deduplicationId, makeSqsReconcileQueue } from '../../shared/aws/sqs-reconcile-queue';
import { createTwin, type SdkClientLike, type Twin } from '../../scripts/twin/core/twin';
import { createSnsService, type SnsTwin } from '../../scripts/twin/services/sns';
import { createSqsService, md5OfMessageAttributes, type SqsTwin } from '../../scripts/twin/services/sqs';
import { createSecretsManagerService, createSsmService } from '../../scripts/twin/services/ssm-secrets';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const START = '2026-11-28T09:00:00.000Z';

interface Setup {
  twin: Twin;
  sqs: SqsTwin;
  sns: SnsTwin;
  sqsClient: SQSClient;
  snsClient: SNSClient;
  fifoUrl: string;
  standardUrl: string;
}

function setup(): Setup {
  const sqs = createSqsService();
  const sns = createSnsService();
  const twin = createTwin({
    start: START,
    account: ACCOUNT,
    region: REGION,
    services: [sqs, sns, createSsmService({ '/creditai/pagerduty/routing-key': 'R0UT1NG', '/creditai/plain': { value: 'x', type: 'String' } }), createSecretsManagerService({ 'creditai/pagerduty': 'S3CRET' })],
  });
  sqs.connect(twin.context);
  const standardUrl = sqs.createQueue('dlq', {});
  const fifoUrl = sqs.createQueue('reconcile.fifo', { visibilityTimeoutSeconds: 30, redrive: { deadLetterQueue: 'dlq', maxReceiveCount: 2 } });
  const sqsClient = new SQSClient({ region: REGION });
  const snsClient = new SNSClient({ region: REGION });
  for (const client of [sqsClient, snsClient]) twin.install(client as unknown as SdkClientLike);
  return { twin, sqs, sns, sqsClient, snsClient, fifoUrl, standardUrl };
}

const fifo = (QueueUrl: string, body: string, group: string, dedup = body) => new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup });
const bodies = (messages: readonly { body: string }[]) => messages.map((m) => m.body);

describe('SQS twin: SendMessage', () => {
  it('answers MessageId, the MD5 the SDK checks and a sequence number for FIFO queues', async () => {
    const { sqsClient, sqs, fifoUrl } = setup();

    const out = await sqsClient.send(fifo(fifoUrl, 'hello', 'g1'));

    expect(out).toMatchObject({ MessageId: expect.any(String), MD5OfMessageBody: '5d41402abc4b2a76b9719d911017c592', SequenceNumber: expect.stringMatching(/^\d{20}$/) });
    expect(bodies(sqs.messages(fifoUrl))).toEqual(['hello']);
  });

  it('sends through the reconcile queue adapter with group and deduplication id', async () => {
    const { sqsClient, sqs, fifoUrl } = setup();
    const request = { modelGroup: 'credit-risk-retail', reason: 'test', trigger: { source: 'aws.sagemaker', detailType: 'x', eventId: 'e-1', time: START } };

    await makeSqsReconcileQueue(sqsClient, { queueUrl: fifoUrl }).request(request);

    expect(sqs.messages(fifoUrl)).toMatchObject([{ groupId: 'credit-risk-retail', deduplicationId: deduplicationId(request), body: JSON.stringify(request) }]);
  });

  it.each<[string, (url: string) => SendMessageCommand, string, RegExp]>([
    ['a FIFO message without MessageGroupId', (url) => new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', MessageDeduplicationId: 'd' }), 'MissingParameter', /MessageGroupId/],
    ['a FIFO message without deduplication', (url) => new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', MessageGroupId: 'g' }), 'InvalidParameterValue', /ContentBasedDeduplication/],
    ['a per-message delay on a FIFO queue', (url) => new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 }), 'InvalidParameterValue', /DelaySeconds/],
    ['a group id with a space', (url) => fifo(url, 'b', 'a group'), 'InvalidParameterValue', /MessageGroupId can only include/],
    ['characters SQS does not accept', (url) => fifo(url, 'bell\u0007', 'g'), 'InvalidMessageContents', /Invalid characters found/],
    ['a queue that does not exist', (url) => fifo(url.replace('reconcile.fifo', 'nope.fifo'), 'b', 'g'), 'QueueDoesNotExist', /does not exist/],
  ])('refuses %s', async (_, command, name, message) => {
    const { sqsClient, fifoUrl } = setup();

    await expect(sqsClient.send(command(fifoUrl))).rejects.toMatchObject({ name, message: expect.stringMatching(message) });
  });

  it('refuses a deduplication id on a standard queue and honours its delay', async () => {
    const { sqsClient, sqs, twin, standardUrl } = setup();

    await expect(sqsClient.send(new SendMessageCommand({ QueueUrl: standardUrl, MessageBody: 'b', MessageDeduplicationId: 'd' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await sqsClient.send(new SendMessageCommand({ QueueUrl: standardUrl, MessageBody: 'later', DelaySeconds: 60 }));

    expect(sqs.receiveBatch(standardUrl, 10)).toEqual([]);
    expect(sqs.nextReceivableMs(standardUrl)).toBe(Date.parse(START) + 60_000);
    await twin.clock.advance(60_000);
    expect(bodies(sqs.receiveBatch(standardUrl, 10))).toEqual(['later']);
  });

  it('answers the MD5 of message attributes', async () => {
    const { sqsClient, standardUrl } = setup();
    const MessageAttributes = { severity: { DataType: 'String', StringValue: 'high' }, count: { DataType: 'Number', StringValue: '3' } };

    const out = await sqsClient.send(new SendMessageCommand({ QueueUrl: standardUrl, MessageBody: 'b', MessageAttributes }));

    expect(out.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(MessageAttributes));
    expect(out.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('SQS twin: FIFO deduplication', () => {
  it('accepts a duplicate within 5 minutes with the first answer, but enqueues it once', async () => {
    const { sqsClient, sqs, twin, fifoUrl } = setup();

    const first = await sqsClient.send(fifo(fifoUrl, 'a', 'g1', 'dedup-1'));
    await twin.clock.advance(4 * 60_000);
    const again = await sqsClient.send(fifo(fifoUrl, 'a', 'g1', 'dedup-1'));

    expect(again.MessageId).toBe(first.MessageId);
    expect(sqs.messages(fifoUrl)).toHaveLength(1);
  });

  it('enqueues the same deduplication id again once the window has passed', async () => {
    const { sqsClient, sqs, twin, fifoUrl } = setup();

    await sqsClient.send(fifo(fifoUrl, 'a', 'g1', 'dedup-1'));
    await twin.clock.advance(5 * 60_000 + 1);
    await sqsClient.send(fifo(fifoUrl, 'a', 'g1', 'dedup-1'));

    expect(sqs.messages(fifoUrl)).toHaveLength(2);
  });

  it('scopes deduplication per message group when the queue says so', async () => {
    const { sqsClient, sqs } = setup();
    const perGroup = sqs.createQueue('per-group.fifo', { deduplicationScope: 'messageGroup' });
    const perQueue = sqs.createQueue('per-queue.fifo', {});

    for (const url of [perGroup, perQueue]) for (const group of ['g1', 'g2']) await sqsClient.send(fifo(url, 'a', group, 'same'));

    expect(sqs.messages(perGroup)).toHaveLength(2);
    expect(sqs.messages(perQueue)).toHaveLength(1);
  });

  it('deduplicates on the body with content-based deduplication', async () => {
    const { sqsClient, sqs } = setup();
    const url = sqs.createQueue('content.fifo', { contentBasedDeduplication: true });

    for (const body of ['a', 'a', 'b']) await sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g' }));

    expect(bodies(sqs.messages(url))).toEqual(['a', 'b']);
  });
});

describe('SQS twin: FIFO order, visibility and redrive', () => {
  it('delivers each group in order, with one in-flight batch per group', async () => {
    const { sqsClient, sqs, fifoUrl } = setup();
    for (const [body, group] of [['a1', 'a'], ['b1', 'b'], ['a2', 'a'], ['a3', 'a'], ['b2', 'b']] as const) await sqsClient.send(fifo(fifoUrl, body, group));

    const first = sqs.receiveBatch(fifoUrl, 2);
    const second = sqs.receiveBatch(fifoUrl, 10);
    const third = sqs.receiveBatch(fifoUrl, 10);

    expect(bodies(first)).toEqual(['a1', 'b1']);
    // Both groups are held by the first batch: nothing for anyone else until it is done.
    expect(second).toEqual([]);
    expect(third).toEqual([]);
    for (const m of first) expect(sqs.deleteMessage(fifoUrl, m.receiptHandle)).toBe(true);
    expect(bodies(sqs.receiveBatch(fifoUrl, 10))).toEqual(['a2', 'a3', 'b2']);
  });

  it('holds a group behind its unfinished message until the visibility timeout ends', async () => {
    const { sqsClient, sqs, twin, fifoUrl } = setup();
    await sqsClient.send(fifo(fifoUrl, 'a1', 'a'));
    await sqsClient.send(fifo(fifoUrl, 'a2', 'a'));
    await sqsClient.send(fifo(fifoUrl, 'b1', 'b'));

    const [a1] = sqs.receiveBatch(fifoUrl, 1);
    expect(a1?.body).toBe('a1');
    expect(bodies(sqs.receiveBatch(fifoUrl, 10))).toEqual(['b1']);
    expect(sqs.nextReceivableMs(fifoUrl)).toBe(Date.parse(START) + 30_000);

    await twin.clock.advance(30_000);
    // b1 was never deleted either: it comes back with its group's order intact.
    const again = sqs.receiveBatch(fifoUrl, 10);
    expect(bodies(again)).toEqual(['a1', 'a2', 'b1']);
    expect(again[0]).toMatchObject({ messageId: a1?.messageId, receiveCount: 2 });
    // The first receipt handle is no longer current.
    expect(sqs.deleteMessage(fifoUrl, a1!.receiptHandle)).toBe(false);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives, unblocking its group', async () => {
    const { sqsClient, sqs, twin, fifoUrl, standardUrl } = setup();
    await sqsClient.send(fifo(fifoUrl, 'poison', 'a'));
    await sqsClient.send(fifo(fifoUrl, 'next', 'a'));

    const poison = sqs.receiveBatch(fifoUrl, 1)[0]!;
    await twin.clock.advance(30_000);
    expect(bodies(sqs.receiveBatch(fifoUrl, 1))).toEqual(['poison']);
    await twin.clock.advance(30_000);

    expect(bodies(sqs.receiveBatch(fifoUrl, 1))).toEqual(['next']);
    expect(sqs.messages(standardUrl)).toMatchObject([{ messageId: poison.messageId, body: 'poison', receiveCount: 2 }]);
  });

  it('tells listeners when a message becomes receivable, now or after a timeout', async () => {
    const { sqsClient, sqs, twin, fifoUrl } = setup();
    const heard: number[] = [];
    sqs.onReceivable(fifoUrl, () => heard.push(twin.clock.nowMs()));

    await sqsClient.send(fifo(fifoUrl, 'a1', 'a'));
    sqs.receiveBatch(fifoUrl, 1);
    await twin.clock.advance(60_000);

    const t0 = Date.parse(START);
    expect(heard).toEqual([t0, t0 + 30_000]);
  });
});

describe('SQS twin: SendMessageBatch', () => {
  it('answers per entry: the valid ones succeed, the others fail with their error', async () => {
    const { sqsClient, sqs, fifoUrl } = setup();

    const out = await sqsClient.send(
      new SendMessageBatchCommand({
        QueueUrl: fifoUrl,
        Entries: [
          { Id: 'one', MessageBody: 'a', MessageGroupId: 'g', MessageDeduplicationId: '1' },
          { Id: 'two', MessageBody: 'b', MessageDeduplicationId: '2' },
          { Id: 'three', MessageBody: 'c', MessageGroupId: 'g', MessageDeduplicationId: '3' },
        ],
      }),
    );

    expect(out.Successful?.map((s) => s.Id)).toEqual(['one', 'three']);
    expect(out.Failed).toEqual([{ Id: 'two', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageGroupId.' }]);
    expect(bodies(sqs.messages(fifoUrl))).toEqual(['a', 'c']);
  });

  it.each<[string, { Id: string; MessageBody: string }[], string]>([
    ['more than 10 entries', Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })), 'TooManyEntriesInBatchRequest'],
    ['repeated ids', [{ Id: 'm', MessageBody: 'x' }, { Id: 'm', MessageBody: 'y' }], 'BatchEntryIdsNotDistinct'],
    ['an id with a dot', [{ Id: 'm.1', MessageBody: 'x' }], 'InvalidBatchEntryId'],
  ])('refuses %s', async (_, Entries, name) => {
    const { sqsClient, standardUrl } = setup();

    await expect(sqsClient.send(new SendMessageBatchCommand({ QueueUrl: standardUrl, Entries }))).rejects.toMatchObject({ name });
  });
});

describe('SNS twin: Publish', () => {
  const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:creditai-mlops-notices`;

  it('captures what the notify adapter publishes, subject cut at 100 characters', async () => {
    const { sns, twin, snsClient } = setup();
    sns.createTopic('creditai-mlops-notices', twin.context);

    await makeSnsPublisher(snsClient, { topicArn: TOPIC })(`${'x'.repeat(120)}\nsecond line`, 'body', { severity: 'page', modelGroup: 'g' });

    expect(sns.published).toEqual([
      { messageId: expect.any(String), topicArn: TOPIC, subject: 'x'.repeat(100), message: 'body', attributes: { severity: 'page', modelGroup: 'g' }, time: START },
    ]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a subject over 100 characters', { Subject: 'x'.repeat(101) }, 'InvalidParameterException', 'Invalid parameter: Subject'],
    ['a subject with a line break', { Subject: 'a\nb' }, 'InvalidParameterException', 'Invalid parameter: Subject'],
    ['an empty message', { Message: '' }, 'InvalidParameterException', 'Invalid parameter: Empty message'],
    ['a message over 256 KB', { Message: 'x'.repeat(262_145) }, 'InvalidParameterException', 'Invalid parameter: Message too long'],
    ['a String attribute without a value', { MessageAttributes: { a: { DataType: 'String', StringValue: '' } } }, 'InvalidParameterValueException', "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'."],
    ['a topic that does not exist', { TopicArn: `${TOPIC}-other` }, 'NotFoundException', 'Topic does not exist'],
  ])('refuses %s', async (_, change, name, message) => {
    const { sns, twin, snsClient } = setup();
    sns.createTopic('creditai-mlops-notices', twin.context);

    await expect(snsClient.send(new PublishCommand({ TopicArn: TOPIC, Subject: 'ok', Message: 'body', ...change }))).rejects.toMatchObject({ name, message });
    expect(sns.published).toEqual([]);
  });
});

describe('SSM and Secrets Manager twins', () => {
  function reader() {
    const { twin } = setup();
    const ssm = new SSMClient({ region: REGION });
    const secrets = new SecretsManagerClient({ region: REGION });
    for (const client of [ssm, secrets]) twin.install(client as unknown as SdkClientLike);
    return makeSecretReader(ssm, secrets);
  }

  it('reads a SecureString parameter and a secret through the secret reader', async () => {
    const read = reader();

    await expect(read('/creditai/pagerduty/routing-key')).resolves.toBe('R0UT1NG');
    await expect(read('creditai/pagerduty')).resolves.toBe('S3CRET');
  });

  it('reports a missing parameter or secret, and a plain String parameter, as the adapter expects', async () => {
    const read = reader();

    await expect(read('/creditai/missing')).rejects.toThrow('Secret /creditai/missing does not exist');
    await expect(read('creditai/missing')).rejects.toThrow('Secret creditai/missing does not exist');
    await expect(read('/creditai/plain')).rejects.toThrow(/is not a SecureString/);
  });
});
