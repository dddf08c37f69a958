/**
 * Lambda's SQS event source mapping, on the twin's queue and clock: polls when a message becomes receivable, hands
 * each batch to the function as an SQS event, deletes the messages it processed and leaves those it reports in
 * `batchItemFailures` (or the whole batch, when it throws) to come back after their visibility timeout.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { VirtualClock } from '../core/types';
import type { ReceivedMessage, SqsTwin } from '../services/sqs';

/** What the mapping needs. */
export interface SqsEventSourceOptions {
  sqs: SqsTwin;
  /** Queue name or URL. */
  queue: string;
  clock: VirtualClock;
  region: string;
  /** Invokes the function with one batch and returns its response. */
  invoke(event: SQSEvent): Promise<unknown>;
  /** Messages per batch (terraform: 10). */
  batchSize: number;
  /** Batches at once (terraform: the reconcile function's reserved concurrency, 5). */
  concurrency: number;
}

/** A running mapping. */
export interface SqsEventSource {
  /** Makes sure a poll runs at the current virtual time (the drain calls it when messages wait). */
  kick(): void;
  /** When a message can next be received, if any waits. */
  nextDueMs(): number | undefined;
  stop(): void;
}

/** The SQS record Lambda builds from a received message. */
export function toSqsRecord(message: ReceivedMessage, region: string): SQSRecord {
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentMs),
    SenderId: message.queueArn.split(':')[4] ?? '',
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveMs ?? message.sentMs),
    ...(message.groupId !== undefined ? { MessageGroupId: message.groupId, MessageDeduplicationId: message.deduplicationId!, SequenceNumber: message.sequenceNumber! } : {}),
  };
  const messageAttributes = Object.fromEntries(
    Object.entries(message.messageAttributes).map(([name, value]) => {
      const a = value as { DataType: string; StringValue?: string; BinaryValue?: Uint8Array };
      return [
        name,
        {
          dataType: a.DataType,
          ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
          ...(a.BinaryValue !== undefined ? { binaryValue: Buffer.from(a.BinaryValue).toString('base64') } : {}),
          stringListValues: [],
          binaryListValues: [],
        },
      ];
    }),
  );
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes,
    messageAttributes,
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: message.queueArn,
    awsRegion: region,
  };
}

/** The message ids a response reports as failed (Lambda's ReportBatchItemFailures contract). */
function failedIds(response: unknown): Set<string> {
  const failures = (response as { batchItemFailures?: { itemIdentifier?: unknown }[] } | undefined)?.batchItemFailures ?? [];
  return new Set(failures.map((f) => String(f.itemIdentifier)));
}

/** Starts the mapping: it polls whenever the queue says a message may be receivable. */
export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const { sqs, queue, clock } = options;
  let scheduled = false;
  let stopped = false;

  const kick = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    clock.at(clock.nowMs(), poll);
  };
  const unsubscribe = sqs.onReceivable(queue, kick);

  async function runBatch(batch: ReceivedMessage[]): Promise<void> {
    let failed: Set<string>;
    try {
      failed = failedIds(await options.invoke({ Records: batch.map((m) => toSqsRecord(m, options.region)) }));
    } catch {
      // A function error fails the whole batch: every message comes back after its visibility timeout.
      failed = new Set(batch.map((m) => m.messageId));
    }
    for (const message of batch) if (!failed.has(message.messageId)) sqs.deleteMessage(queue, message.receiptHandle);
  }

  async function poll(): Promise<void> {
    scheduled = false;
    if (stopped) return;
    const batches: ReceivedMessage[][] = [];
    for (let i = 0; i < options.concurrency; i++) {
      const batch = sqs.receiveBatch(queue, options.batchSize);
      if (batch.length === 0) break;
      batches.push(batch);
    }
    await Promise.all(batches.map(runBatch));
  }

  return {
    kick,
    nextDueMs: () => (stopped ? undefined : sqs.nextReceivableMs(queue)),
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
