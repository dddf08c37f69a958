/**
 * The SNS twin: topics and `Publish`, with the checks SNS makes on a message (subject, size, attributes). Published
 * messages are captured in order (no subscribers): the demo prints them and scenarios assert on them.
 */
import { TwinServiceError, type ServiceContext, type ServiceTwin } from '../core/types';

type Json = Record<string, unknown>;

/** A message SNS accepted. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  /** String and Number attributes by name (Binary ones as base64). */
  attributes: Record<string, string>;
  /** Virtual time of the publish, ISO-8601. */
  time: string;
}

/** The SNS twin: a ServiceTwin plus its topics and what was published. */
export interface SnsTwin extends ServiceTwin {
  /** Creates a topic (idempotent) and returns its ARN; needs the twin's account and region. */
  createTopic(name: string, context: Pick<ServiceContext, 'account' | 'region'>): string;
  readonly published: readonly PublishedMessage[];
}

/** SNS's limit on a message with its attributes: 256 KiB. */
const MAX_MESSAGE_BYTES = 262_144;
const MAX_SUBJECT_CHARS = 100;
const MAX_ATTRIBUTES = 10;

const invalidParameter = (what: string) => new TwinServiceError('InvalidParameterException', `Invalid parameter: ${what}`);
const invalidValue = (message: string) => new TwinServiceError('InvalidParameterValueException', message);

/** Subjects are UTF-8 text without line breaks or control characters, at most 100 characters (not empty). */
function checkSubject(subject: unknown): void {
  if (subject === undefined) return;
  if (typeof subject !== 'string' || subject.length === 0 || [...subject].length > MAX_SUBJECT_CHARS || /\p{Cc}/u.test(subject)) throw invalidParameter('Subject');
}

function checkAttributes(attributes: Json): Record<string, string> {
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) throw invalidValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  const out: Record<string, string> = {};
  for (const name of names) {
    const a = attributes[name] as { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array };
    const type = a.DataType ?? '';
    if (!/^(String|String\.Array|Number|Binary)(\..+)?$/.test(type)) {
      throw invalidValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (type.startsWith('Binary')) {
      if (!a.BinaryValue?.length) throw invalidValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
      out[name] = Buffer.from(a.BinaryValue).toString('base64');
    } else {
      if (!a.StringValue) throw invalidValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
      if (type.startsWith('Number') && !Number.isFinite(Number(a.StringValue))) throw invalidValue(`Could not cast message attribute '${name}' value to number.`);
      out[name] = a.StringValue;
    }
  }
  return out;
}

/**
 * Builds the SNS twin (model `sns`, client `SNSClient`). `topics` are topic ARNs that exist from the start.
 * @example
 * const sns = createSnsService();
 * const topicArn = sns.createTopic('creditai-mlops-notices', twin.context);
 */
export function createSnsService(topics: string[] = []): SnsTwin {
  const existing = new Set(topics);
  const published: PublishedMessage[] = [];

  async function Publish(input: Json, ctx: ServiceContext): Promise<Json> {
    if (input.PhoneNumber !== undefined) throw new Error('SNS twin: publishing to a phone number (SMS) is not implemented');
    const topicArn = (input.TopicArn ?? input.TargetArn) as string | undefined;
    if (!topicArn) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    if (!existing.has(topicArn)) throw new TwinServiceError('NotFoundException', 'Topic does not exist', 404);
    checkSubject(input.Subject);
    const message = input.Message;
    if (typeof message !== 'string' || message.length === 0) throw invalidParameter('Empty message');
    if (input.MessageStructure !== undefined) {
      if (input.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        throw invalidParameter('Message Structure - JSON message body failed to parse');
      }
      if (typeof (parsed as Json)?.default !== 'string') throw invalidParameter('Message Structure - No default entry in JSON message body');
    }
    const attributes = checkAttributes((input.MessageAttributes ?? {}) as Json);
    const size = Buffer.byteLength(message) + Object.entries(attributes).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
    const messageId = ctx.nextId();
    published.push({
      messageId,
      topicArn,
      ...(typeof input.Subject === 'string' ? { subject: input.Subject } : {}),
      message,
      attributes,
      time: ctx.clock.iso(),
    });
    return { MessageId: messageId };
  }

  return {
    model: 'sns',
    clientName: 'SNSClient',
    operations: { Publish },
    createTopic(name, context) {
      if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name)) throw new Error(`SNS twin: ${name} is not a valid topic name`);
      const arn = `arn:aws:sns:${context.region}:${context.account}:${name}`;
      existing.add(arn);
      return arn;
    },
    published,
  };
}
