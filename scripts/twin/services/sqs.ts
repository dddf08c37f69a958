/**
 * The SQS twin: FIFO queues (message groups delivered in order, one in-flight batch per group, a 5-minute
 * deduplication window on the virtual clock, per queue or per message group), standard queues, visibility
 * timeouts, and redrive to a dead-letter queue after `maxReceiveCount` receives. `SendMessage` and
 * `SendMessageBatch` answer SDK calls; `receiveBatch` and `deleteMessage` are for the Lambda runtime's event source
 * mapping (the functions never receive themselves).
 */
import { createHash } from 'node:crypto';
import { TwinServiceError, type ServiceContext, type ServiceTwin } from '../core/types';

type Json = Record<string, unknown>;

/** How a queue is configured (the reconcile queue's values are in terraform/modules/messaging). */
export interface QueueOptions {
  /** 30 s by default, as SQS. */
  visibilityTimeoutSeconds?: number;
  /** Seconds before a new message becomes visible (standard queues may also set it per message). */
  delaySeconds?: number;
  /** FIFO: deduplicate on the SHA-256 of the body when no MessageDeduplicationId is given. */
  contentBasedDeduplication?: boolean;
  /** FIFO: whether deduplication ids are unique per queue (default) or per message group. */
  deduplicationScope?: 'queue' | 'messageGroup';
  /** Move a message to `deadLetterQueue` (a queue name) once it was received `maxReceiveCount` times. */
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

/** A message in a queue, as the twin keeps it. */
export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Json;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  sentMs: number;
  /** When it is (again) receivable: after a delay, or when its visibility timeout ends. */
  visibleAtMs: number;
  receiveCount: number;
  firstReceiveMs?: number;
  /** Set while a receive holds it (until deleted or its visibility timeout ends). */
  receiptHandle?: string;
}

/** A received message: the stored message at the moment of the receive, with its receipt handle. */
export type ReceivedMessage = Readonly<StoredMessage> & { receiptHandle: string; queueArn: string };

/** The SQS twin: a ServiceTwin plus what the runtime and tests drive. */
export interface SqsTwin extends ServiceTwin {
  /** Lends the queues the twin's clock and ids outside SDK calls (idempotent). */
  connect(context: ServiceContext): void;
  /** Creates a queue (FIFO when the name ends in `.fifo`) and returns its URL; an existing one is kept. */
  createQueue(name: string, options?: QueueOptions): string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** Receives up to `max` messages (by queue name or URL) and starts their visibility timeout. */
  receiveBatch(queue: string, max: number): ReceivedMessage[];
  /** Deletes a received message; false when the receipt handle is no longer current. */
  deleteMessage(queue: string, receiptHandle: string): boolean;
  /** Every message of a queue (waiting, delayed or in flight), oldest first. */
  messages(queue: string): readonly StoredMessage[];
  /** When a message of the queue can next be received: now or later, undefined when none is waiting. */
  nextReceivableMs(queue: string): number | undefined;
  /** Calls `listener` whenever a message of the queue may have become receivable; returns an unsubscribe. */
  onReceivable(queue: string, listener: () => void): () => void;
}

interface Queue {
  name: string;
  fifo: boolean;
  options: QueueOptions;
  messages: StoredMessage[];
  /** Deduplication id (scoped) → the first send's answer and when the window closes. */
  dedup: Map<string, { result: Json; untilMs: number }>;
  listeners: Set<() => void>;
}

/** SQS keeps a deduplication id for 5 minutes. */
const DEDUP_WINDOW_MS = 5 * 60_000;
/** The largest message (body and attributes), 1 MiB since 2025. */
const MAX_MESSAGE_BYTES = 1_048_576;
const MAX_BATCH_ENTRIES = 10;
/** Characters SQS accepts in a body: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. */
const VALID_BODY = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** MessageGroupId and MessageDeduplicationId: 1–128 alphanumeric or punctuation characters. */
const VALID_TOKEN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');
const invalid = (message: string) => new TwinServiceError('InvalidParameterValue', message);

/** SQS's MD5 of message attributes: names sorted, each as length-prefixed name, type, transport byte and value. */
export function md5OfMessageAttributes(attributes: Json): string {
  const parts: Buffer[] = [];
  const field = (b: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    parts.push(length, b);
  };
  for (const name of Object.keys(attributes).sort()) {
    const a = attributes[name] as { DataType: string; StringValue?: string; BinaryValue?: Uint8Array };
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(a.DataType, 'utf8'));
    const binary = a.DataType.startsWith('Binary');
    parts.push(Buffer.from([binary ? 2 : 1]));
    field(binary ? Buffer.from(a.BinaryValue ?? []) : Buffer.from(a.StringValue ?? '', 'utf8'));
  }
  return md5(Buffer.concat(parts));
}

function attributesSize(attributes: Json): number {
  return Object.entries(attributes).reduce((n, [name, v]) => {
    const a = v as { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array };
    return n + Buffer.byteLength(name) + Buffer.byteLength(a.DataType ?? '') + Buffer.byteLength(a.StringValue ?? '') + (a.BinaryValue?.length ?? 0);
  }, 0);
}

function checkAttributes(attributes: Json): void {
  const names = Object.keys(attributes);
  if (names.length > 10) throw invalid(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  for (const name of names) {
    const a = attributes[name] as { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array };
    if (!/^(String|Number|Binary)(\..+)?$/.test(a.DataType ?? '')) throw invalid(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    const binary = a.DataType!.startsWith('Binary');
    if (binary ? !a.BinaryValue?.length : !a.StringValue) throw invalid(`Message (user) attribute '${name}' must contain a non-empty value of type '${a.DataType}'.`);
  }
}

/**
 * Builds the SQS twin (model `sqs`, client `SQSClient`).
 * @example
 * const sqs = createSqsService();
 * const url = sqs.createQueue('creditai-mlops-reconcile.fifo', { visibilityTimeoutSeconds: 1800, redrive: { deadLetterQueue: 'dlq.fifo', maxReceiveCount: 5 } });
 */
export function createSqsService(): SqsTwin {
  const queues = new Map<string, Queue>();
  let context: ServiceContext | undefined;
  let sequence = 0n;
  let receipts = 0;

  const ctx = (): ServiceContext => {
    if (!context) throw new Error('SQS twin: not connected to a twin (call connect(context) or send it a request first)');
    return context;
  };
  const urlOf = (name: string) => `https://sqs.${ctx().region}.amazonaws.com/${ctx().account}/${name}`;
  const arnOf = (name: string) => `arn:aws:sqs:${ctx().region}:${ctx().account}:${name}`;

  /** A queue by name or URL (of this account), or QueueDoesNotExist as SQS answers it. */
  function queueOf(nameOrUrl: string): Queue {
    const url = /^https:\/\/(?:sqs\.[a-z0-9-]+\.amazonaws\.com|[a-z0-9-]+\.queue\.amazonaws\.com)\/(\d{12})\/([^/]+)$/.exec(nameOrUrl);
    const queue = url ? (url[1] === ctx().account ? queues.get(url[2]!) : undefined) : queues.get(nameOrUrl);
    if (!queue) throw new TwinServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  function notify(queue: Queue): void {
    for (const listener of [...queue.listeners]) listener();
  }

  /** Tells listeners at `atMs` that a delayed or invisible message may be receivable again. */
  function notifyAt(queue: Queue, atMs: number): void {
    ctx().clock.at(atMs, () => notify(queue));
  }

  /** Validates one message for `queue` and stores it (or finds it deduplicated); returns SendMessage's answer. */
  function send(queue: Queue, entry: Json): Json {
    const now = ctx().clock.nowMs();
    const body = entry.MessageBody;
    if (typeof body !== 'string' || body.length === 0) throw new TwinServiceError('MissingParameter', 'The request must contain the parameter MessageBody.');
    if (!VALID_BODY.test(body)) {
      throw new TwinServiceError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
    }
    const attributes = (entry.MessageAttributes ?? {}) as Json;
    checkAttributes(attributes);
    if (Buffer.byteLength(body) + attributesSize(attributes) > MAX_MESSAGE_BYTES) throw invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`);
    const group = entry.MessageGroupId as string | undefined;
    let dedupId = entry.MessageDeduplicationId as string | undefined;
    const delay = entry.DelaySeconds as number | undefined;
    if (delay !== undefined && (delay < 0 || delay > 900)) throw invalid(`Value ${delay} for parameter DelaySeconds is invalid. Reason: Must be >= 0 and <= 900.`);
    for (const [member, value] of [['MessageGroupId', group], ['MessageDeduplicationId', dedupId]] as const) {
      if (value !== undefined && !VALID_TOKEN.test(value)) throw invalid(`Value ${value} for parameter ${member} is invalid. Reason: ${member} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
    }
    if (queue.fifo) {
      if (group === undefined) throw new TwinServiceError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      if (delay !== undefined && delay > 0) throw invalid(`Value ${delay} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
      if (dedupId === undefined) {
        if (!queue.options.contentBasedDeduplication) throw invalid('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
        dedupId = createHash('sha256').update(body).digest('hex');
      }
    } else if (dedupId !== undefined) {
      throw invalid(`Value ${dedupId} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.`);
    }

    const dedupKey = queue.fifo ? (queue.options.deduplicationScope === 'messageGroup' ? `${group}\u0000${dedupId}` : dedupId!) : undefined;
    const seen = dedupKey === undefined ? undefined : queue.dedup.get(dedupKey);
    // Within the window a duplicate is accepted (the first send's answer) but not enqueued again.
    if (seen && seen.untilMs > now) return { ...seen.result };

    const messageId = ctx().nextId();
    const hasAttributes = Object.keys(attributes).length > 0;
    const message: StoredMessage = {
      messageId,
      body,
      md5OfBody: md5(body),
      messageAttributes: structuredClone(attributes),
      ...(queue.fifo ? { groupId: group!, deduplicationId: dedupId!, sequenceNumber: String(18_849_496_460_467_696_128n + ++sequence * 65_536n) } : {}),
      sentMs: now,
      visibleAtMs: now + 1000 * (delay ?? queue.options.delaySeconds ?? 0),
      receiveCount: 0,
    };
    queue.messages.push(message);
    const result: Json = {
      MessageId: messageId,
      MD5OfMessageBody: message.md5OfBody,
      ...(hasAttributes ? { MD5OfMessageAttributes: md5OfMessageAttributes(attributes) } : {}),
      ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    };
    if (dedupKey !== undefined) queue.dedup.set(dedupKey, { result, untilMs: now + DEDUP_WINDOW_MS });
    if (message.visibleAtMs > now) notifyAt(queue, message.visibleAtMs);
    else notify(queue);
    return { ...result };
  }

  /** Moves a message that was received `maxReceiveCount` times to the dead-letter queue (same id, body, group). */
  function redriveIfExhausted(queue: Queue, message: StoredMessage): boolean {
    const redrive = queue.options.redrive;
    if (!redrive || message.receiveCount < redrive.maxReceiveCount) return false;
    const dlq = queueOf(redrive.deadLetterQueue);
    queue.messages.splice(queue.messages.indexOf(message), 1);
    const { receiptHandle: _held, ...rest } = message;
    dlq.messages.push({ ...rest, visibleAtMs: ctx().clock.nowMs() });
    notify(dlq);
    return true;
  }

  /** The messages a receive may return now, in order: for FIFO, the head of each group not held by a receive. */
  function receivable(queue: Queue, now: number): StoredMessage[] {
    if (!queue.fifo) return queue.messages.filter((m) => m.visibleAtMs <= now);
    const blocked = new Set<string>();
    const out: StoredMessage[] = [];
    for (const m of queue.messages) {
      if (blocked.has(m.groupId!)) continue;
      // One in-flight batch per group: a held (or delayed) message holds back the rest of its group.
      if (m.visibleAtMs > now) blocked.add(m.groupId!);
      else out.push(m);
    }
    return out;
  }

  function receiveBatch(nameOrUrl: string, max: number): ReceivedMessage[] {
    const queue = queueOf(nameOrUrl);
    const now = ctx().clock.nowMs();
    const visibilityMs = 1000 * (queue.options.visibilityTimeoutSeconds ?? 30);
    // One in-flight batch per group: a group with a held (or delayed) message gives nothing to this receive. Within
    // the batch a group's messages come in order, as many as fit.
    const held = new Set(queue.messages.filter((m) => m.visibleAtMs > now).map((m) => m.groupId));
    const out: ReceivedMessage[] = [];
    for (const message of [...queue.messages]) {
      if (out.length >= max) break;
      if (queue.fifo ? held.has(message.groupId) : message.visibleAtMs > now) continue;
      if (redriveIfExhausted(queue, message)) continue;
      message.receiveCount += 1;
      message.firstReceiveMs ??= now;
      message.receiptHandle = Buffer.from(`${queue.name}:${message.messageId}:${++receipts}`).toString('base64');
      message.visibleAtMs = now + visibilityMs;
      out.push({ ...structuredClone(message), receiptHandle: message.receiptHandle, queueArn: arnOf(queue.name) });
    }
    if (out.length > 0) notifyAt(queue, now + visibilityMs);
    return out;
  }

  async function SendMessage(input: Json, c: ServiceContext): Promise<Json> {
    context ??= c;
    return send(queueOf(String(input.QueueUrl)), input);
  }

  async function SendMessageBatch(input: Json, c: ServiceContext): Promise<Json> {
    context ??= c;
    const queue = queueOf(String(input.QueueUrl));
    const entries = (input.Entries ?? []) as Json[];
    if (entries.length === 0) throw new TwinServiceError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    if (entries.length > MAX_BATCH_ENTRIES) throw new TwinServiceError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`);
    const ids = new Set<string>();
    for (const { Id } of entries) {
      const id = String(Id);
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw new TwinServiceError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
      if (ids.has(id)) throw new TwinServiceError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
      ids.add(id);
    }
    const total = entries.reduce((n, e) => n + Buffer.byteLength(String(e.MessageBody ?? '')) + attributesSize((e.MessageAttributes ?? {}) as Json), 0);
    if (total > MAX_MESSAGE_BYTES) throw new TwinServiceError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes. You have sent ${total} bytes.`);
    const Successful: Json[] = [];
    const Failed: Json[] = [];
    for (const entry of entries) {
      try {
        Successful.push({ Id: entry.Id, ...send(queue, entry) });
      } catch (error) {
        if (!(error instanceof TwinServiceError)) throw error;
        Failed.push({ Id: entry.Id, SenderFault: true, Code: error.name, Message: error.message });
      }
    }
    return { Successful, Failed };
  }

  return {
    model: 'sqs',
    clientName: 'SQSClient',
    operations: { SendMessage, SendMessageBatch },
    connect(c) {
      context = c;
    },
    createQueue(name, options = {}) {
      if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name) || name.length > 80) throw new Error(`SQS twin: ${name} is not a valid queue name`);
      if (!queues.has(name)) queues.set(name, { name, fifo: name.endsWith('.fifo'), options: { ...options }, messages: [], dedup: new Map(), listeners: new Set() });
      return urlOf(name);
    },
    queueUrl: (name) => urlOf(queueOf(name).name),
    queueArn: (name) => arnOf(queueOf(name).name),
    receiveBatch,
    deleteMessage(nameOrUrl, receiptHandle) {
      const queue = queueOf(nameOrUrl);
      const index = queue.messages.findIndex((m) => m.receiptHandle === receiptHandle && m.visibleAtMs > ctx().clock.nowMs());
      if (index < 0) return false;
      queue.messages.splice(index, 1);
      // The group's next message is receivable now.
      notify(queue);
      return true;
    },
    messages: (nameOrUrl) => queueOf(nameOrUrl).messages.map((m) => structuredClone(m)),
    nextReceivableMs(nameOrUrl) {
      const queue = queueOf(nameOrUrl);
      if (queue.messages.length === 0) return undefined;
      const now = ctx().clock.nowMs();
      if (receivable(queue, now).length > 0) return now;
      // Nothing now: the earliest time a held or delayed message (the head of its group, for FIFO) comes back.
      const heads = queue.fifo ? queue.messages.filter((m, i) => queue.messages.findIndex((o) => o.groupId === m.groupId) === i) : queue.messages;
      return Math.min(...heads.map((m) => m.visibleAtMs));
    },
    onReceivable(nameOrUrl, listener) {
      const queue = queueOf(nameOrUrl);
      queue.listeners.add(listener);
      return () => void queue.listeners.delete(listener);
    },
  };
}
