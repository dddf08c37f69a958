/**
 * The audit ledger's record: its layout, its stored bytes, its hash and its key. Pure: no AWS, no clock.
 *
 * A record is stored as canonical JSON plus a newline: keys sorted recursively by UTF-16 code units, no whitespace,
 * numbers and strings as ECMAScript's JSON.stringify writes them, i.e. the JSON Canonicalization Scheme (RFC 8785).
 * The form is fixed so that anyone can recompute a record's SHA-256 from its bytes in 7 years, with any JCS
 * implementation, and so that a changed byte that still parses (`0.85` → `0.850`) is caught as not canonical.
 */
import { createHash } from 'node:crypto';
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';
import type { DomainDetailType, DomainEvent } from '../contracts/domain-events';
import { canonicalJson } from '../contracts/canonical-json';

/** `previousHash` of a genesis record: there is nothing before it. */
export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);
/** `eventKey` of a genesis record (never a domain event's key: those name a group, a version or an event id). */
export const GENESIS_EVENT_KEY = 'genesis';
/** Where the chains live in the audit bucket: `ledger/<group>/<sequence, 12 digits>.json`. */
export const LEDGER_PREFIX = 'ledger/';
/**
 * The ledger of events whose `modelGroup` is not a SageMaker group name. EventRejected copies the group from the
 * refused (possibly forged) event: a `/` in it would otherwise write into another group's chain. `_` cannot occur
 * in a SageMaker group name, so this ledger never collides with a real group.
 */
export const UNATTRIBUTED_GROUP = '_unattributed';

/** Who took a decision: an approver's IAM identity, or the control plane itself. */
export interface RecordActor {
  arn: string;
  kind: 'human' | 'control-plane' | 'service' | 'unknown';
}

/** The control plane as the actor of its own decisions. */
export const CONTROL_PLANE_ACTOR: RecordActor = { arn: 'creditai-mlops', kind: 'control-plane' };

/** A document the decision rests on; `sha256` when its content hash is known. */
export interface Evidence {
  uri: string;
  sha256?: string;
}

/** Why a decision was taken: the rule, in words, and the figures it compared (taken from the domain event). */
export interface Why {
  rule: string;
  figures: Record<string, unknown>;
}

/** One immutable record of the audit ledger (schemaVersion 1). */
export interface LedgerRecord {
  schemaVersion: 1;
  /** The chain this record belongs to (see {@link ledgerGroupOf}). */
  modelGroup: string;
  /** 0 for the genesis record, then +1 per record, without gaps. */
  sequence: number;
  /** When the audit function wrote it (ISO 8601). */
  recordedAt: string;
  kind: 'Genesis' | DomainDetailType;
  /** The domain event's deterministic key (idempotency); {@link GENESIS_EVENT_KEY} for the genesis record. */
  eventKey: string;
  /** When the decision was taken (the domain event's `occurredAt`). */
  occurredAt: string;
  /** One sentence: what was decided. */
  summary: string;
  why: Why;
  actor: RecordActor;
  evidence: Evidence[];
  /** The EventBridge id of the domain event; null for the genesis record. */
  triggerEventId: string | null;
  /** The whole domain event detail, verbatim; null for the genesis record. */
  detail: DomainEvent['detail'] | null;
  /** SHA-256 (hex) of the previous record's stored bytes; 64 zeros for the genesis record. */
  previousHash: string;
}

/** What an appended record links to: the sequence and hash of the chain's last record. */
export interface ChainLink {
  sequence: number;
  hash: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SAGEMAKER_GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const KEY = /^ledger\/([^/]+)\/(\d{12})\.json$/;

/** The shape a stored record must have; anything else (an extra field included) is not a v1 record. */
const ledgerRecordSchema = z.strictObject({
  schemaVersion: z.literal(1),
  modelGroup: z.string().min(1),
  sequence: z.number().int().nonnegative(),
  recordedAt: z.string(),
  kind: z.string().min(1),
  eventKey: z.string().min(1),
  occurredAt: z.string(),
  summary: z.string(),
  why: z.strictObject({ rule: z.string(), figures: z.record(z.string(), z.unknown()) }),
  actor: z.strictObject({ arn: z.string(), kind: z.enum(['human', 'control-plane', 'service', 'unknown']) }),
  evidence: z.array(z.strictObject({ uri: z.string(), sha256: z.string().regex(SHA256_HEX).optional() })),
  triggerEventId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  previousHash: z.string().regex(SHA256_HEX),
});


/** The exact bytes a record is stored as (and hashed over): canonical JSON and a newline, as UTF-8 text. */
export function canonicalBytes(record: LedgerRecord): string {
  return `${canonicalJson(record)}\n`;
}

/** SHA-256 (hex) of stored bytes; text is hashed as UTF-8. */
export function hashOf(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The chain a domain event is recorded in: its group, or {@link UNATTRIBUTED_GROUP} when that is no group name. */
export function ledgerGroupOf(modelGroup: string): string {
  return SAGEMAKER_GROUP_NAME.test(modelGroup) ? modelGroup : UNATTRIBUTED_GROUP;
}

/** The object key of a record: `ledger/<group>/<sequence zero-padded to 12>.json`, so keys sort in chain order. */
export function ledgerKey(group: string, sequence: number): string {
  return `${LEDGER_PREFIX}${group}/${String(sequence).padStart(12, '0')}.json`;
}

/** The group and sequence a key names; undefined for anything that is not a record key. */
export function parseLedgerKey(key: string): { group: string; sequence: number } | undefined {
  const match = KEY.exec(key);
  return match ? { group: match[1]!, sequence: Number(match[2]) } : undefined;
}

/** Why stored bytes are not a record. */
export type UnreadableCode = 'unparsable' | 'not-canonical' | 'malformed';

/** Stored bytes read back: the record, or why they are not one. */
export type ReadRecord = { ok: true; record: LedgerRecord } | { ok: false; code: UnreadableCode; reason: string };

// fatal: invalid UTF-8 is an error, not U+FFFD; ignoreBOM: a byte-order mark stays in the text (and is not JSON).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads stored bytes back into a record, refusing bytes that are not UTF-8 JSON, that are not in canonical form
 * (the writer only ever writes canonical bytes, so any other form was edited), or that do not have the v1 shape.
 */
export function readRecord(bytes: string | Uint8Array): ReadRecord {
  let text: string;
  let value: unknown;
  try {
    text = typeof bytes === 'string' ? bytes : utf8.decode(bytes);
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'unparsable', reason: `not UTF-8 JSON (${(error as Error).message})` };
  }
  if (`${canonicalJson(value)}\n` !== text) {
    return { ok: false, code: 'not-canonical', reason: 'the bytes parse but are not in the canonical form the ledger writes: edited after writing' };
  }
  const parsed = ledgerRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, code: 'malformed', reason: `not a ledger record: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const record = parsed.data as LedgerRecord;
  if ((record.kind === 'Genesis') !== (record.sequence === 0)) {
    return { ok: false, code: 'malformed', reason: `a ${record.kind} record at sequence ${record.sequence}: the genesis record is sequence 0, and only it` };
  }
  return { ok: true, record };
}
