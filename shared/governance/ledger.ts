/**
 * The tamper-evident audit ledger (DESIGN §1 duty 4, §6): one immutable JSON record per decision of the control
 * plane, i.e. per domain event, chained per model group by the SHA-256 of the previous record's stored bytes.
 * Pure: building, serialising, hashing and verifying records; `append-record.ts` stores them.
 *
 * Layout of a record: see {@link LedgerRecord}; bytes: {@link canonicalBytes}; keys: {@link ledgerKey}.
 */
import type { DomainEvent } from '../contracts/domain-events';
import { explain } from './ledger-explain';
import { CONTROL_PLANE_ACTOR, GENESIS_EVENT_KEY, GENESIS_PREVIOUS_HASH, hashOf, ledgerGroupOf, type ChainLink, type LedgerRecord } from './ledger-record';

export * from './ledger-record';
export { explain, type Explanation } from './ledger-explain';
export { verifyChain, type ChainBreakCode, type ChainVerdict, type StoredObject } from './ledger-verify';

/** A record with the exact bytes it is stored as. */
export interface StoredRecord {
  record: LedgerRecord;
  bytes: string | Uint8Array;
}

/** The first record of a group's chain: it records nothing but the chain's start, and links to 64 zeros. */
export function genesisRecord(group: string, now: string): LedgerRecord {
  return {
    schemaVersion: 1,
    modelGroup: group,
    sequence: 0,
    recordedAt: now,
    kind: 'Genesis',
    eventKey: GENESIS_EVENT_KEY,
    occurredAt: now,
    summary: `The audit ledger of ${group} starts here.`,
    why: { rule: 'Every chain starts with a genesis record; each later record carries the SHA-256 of the one before it', figures: {} },
    actor: CONTROL_PLANE_ACTOR,
    evidence: [],
    triggerEventId: null,
    detail: null,
    previousHash: GENESIS_PREVIOUS_HASH,
  };
}

/**
 * The record of `event` after `previous`, the chain's last link. The link is the sequence and hash the writer
 * recorded (the ledger index head), never the hash of what is stored now: re-reading the stored head would let a
 * record edited in place be linked to, and so vouched for, by the next one.
 *
 * @param previous the last link (`{ sequence, hash }`), or the last record with its stored bytes (hashed here)
 * @param envelope the EventBridge envelope of the domain event (its `id` becomes `triggerEventId`)
 * @param now when the record is written (ISO 8601)
 */
export function nextRecord(previous: ChainLink | StoredRecord, event: DomainEvent, envelope: { id: string }, now: string): LedgerRecord {
  const link = 'bytes' in previous ? { sequence: previous.record.sequence, hash: hashOf(previous.bytes) } : previous;
  const { summary, why, actor, evidence } = explain(event);
  return {
    schemaVersion: 1,
    modelGroup: ledgerGroupOf(event.detail.modelGroup),
    sequence: link.sequence + 1,
    recordedAt: now,
    kind: event.detailType,
    eventKey: event.detail.eventKey,
    occurredAt: event.detail.occurredAt,
    summary,
    why,
    actor,
    evidence,
    triggerEventId: envelope.id,
    detail: event.detail,
    previousHash: link.hash,
  };
}
