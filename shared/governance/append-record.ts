/**
 * Appending one domain event to its group's audit chain, over the ledger ports only.
 *
 * Steps (each safe to repeat, so a retried or redelivered event never forks or duplicates a chain):
 *   1. idempotency: an event the index already holds is not recorded again;
 *   2. the head: the index's last link of the group; none yet → the genesis record is written first;
 *   3. a conditional create of the next record (`If-None-Match: *`): a key is written once, ever. When it exists,
 *      someone wrote that sequence: our own earlier attempt (finish step 4 for it), or a record the index does not
 *      know yet (an invocation that stopped between 3 and 4, or a concurrent writer): it must link to the head,
 *      then the head is advanced to it and we retry from 2, at most {@link MAX_APPEND_ATTEMPTS} times;
 *   4. the index moves the head and records the event in one conditional transaction.
 * A crash between 3 and 4 is healed by the next append of the group (step 3's "exists" path).
 *
 * Concurrency: the audit function runs with reserved concurrency 1, so two writers of one chain are impossible
 * by design; should it happen anyway (a second deployment, a manual write), the conditional create detects it
 * and the writer that loses adopts the winner's record instead of forking (reported in `adopted`).
 */
import type { DomainEvent } from '../contracts/domain-events';
import type { Clock } from '../reconcile/ports';
import { RetryableError, TerminalError } from '../runtime/errors';
import { canonicalBytes, genesisRecord, hashOf, ledgerGroupOf, ledgerKey, nextRecord, readRecord, type ChainLink, type LedgerRecord } from './ledger';
import type { LedgerIndex, LedgerStore } from './ledger-ports';

/** How often one append re-reads a head that moved under it before giving up (and letting Lambda retry). */
export const MAX_APPEND_ATTEMPTS = 5;

/** What appending needs. */
export interface AppendDeps {
  store: LedgerStore;
  index: LedgerIndex;
  clock: Clock;
}

/** What an append did. `adopted`: sequences written outside this invocation that it indexed on its way. */
export type AppendOutcome =
  | { outcome: 'appended'; group: string; sequence: number; key: string; genesis: boolean; healed: boolean; adopted: number[] }
  | { outcome: 'duplicate'; group: string; sequence: number; adopted: number[] };

/** The stored ledger contradicts itself (a record that does not link to the head): no retry can fix it. */
export class LedgerIntegrityError extends TerminalError {
  override readonly name = 'LedgerIntegrityError';
}

/** Records `event` (received in the EventBridge envelope `envelope`) in its group's chain, once. */
export async function appendRecord(deps: AppendDeps, event: DomainEvent, envelope: { id: string }): Promise<AppendOutcome> {
  const group = ledgerGroupOf(event.detail.modelGroup);
  const eventKey = event.detail.eventKey;
  const now = deps.clock.now();
  const adopted: number[] = [];
  let genesis = false;
  for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
    const found = await deps.index.find(group, eventKey);
    if (found) return { outcome: 'duplicate', group, sequence: found.sequence, adopted };
    let head = await deps.index.head(group);
    if (!head) {
      head = await openChain(deps, group, now);
      if (!head) continue; // another writer opened it first: read its head
      genesis = true;
    }
    const record = nextRecord(head, event, envelope, now);
    const bytes = canonicalBytes(record);
    const key = ledgerKey(group, record.sequence);
    if ((await deps.store.create(key, bytes)) === 'created') {
      if ((await deps.index.advance(group, { sequence: record.sequence, hash: hashOf(bytes), eventKey }, head.sequence)) === 'advanced') {
        return { outcome: 'appended', group, sequence: record.sequence, key, genesis, healed: false, adopted };
      }
      continue; // the head moved: the next attempt finds out whether this record was indexed by whoever moved it
    }
    const existing = await successorOf(deps.store, group, head, key);
    if (existing.record.eventKey === eventKey) {
      // This event's own record, from an attempt that stopped before step 4: finish it.
      if ((await deps.index.advance(group, { ...existing.link, eventKey }, head.sequence)) === 'advanced') {
        return { outcome: 'appended', group, sequence: existing.link.sequence, key, genesis, healed: true, adopted };
      }
      continue;
    }
    // A stale head: index the record that is there and try the next sequence. Its event may already be indexed at
    // an earlier sequence (a duplicate written by a race): the head still moves past it, the index keeps the first.
    const indexed = await deps.index.find(group, existing.record.eventKey);
    const entry = indexed ? existing.link : { ...existing.link, eventKey: existing.record.eventKey };
    if ((await deps.index.advance(group, entry, head.sequence)) === 'advanced') adopted.push(existing.link.sequence);
  }
  throw new RetryableError(`The ledger head of ${group} kept moving during ${MAX_APPEND_ATTEMPTS} attempts to record ${eventKey}; retry later`);
}

/** Writes (or finds) the genesis record and makes it the head; undefined when another writer set a head first. */
async function openChain(deps: AppendDeps, group: string, now: string): Promise<ChainLink | undefined> {
  const key = ledgerKey(group, 0);
  let bytes: string | Uint8Array = canonicalBytes(genesisRecord(group, now));
  if ((await deps.store.create(key, bytes)) === 'exists') {
    // A genesis written by an invocation that stopped before indexing it: keep it, whatever its time.
    const stored = await readStored(deps.store, key);
    if (stored.record.modelGroup !== group || stored.record.kind !== 'Genesis') {
      throw new LedgerIntegrityError(`${key} is not the genesis record of ${group}; run \`mlops audit verify --group ${group}\``);
    }
    bytes = stored.bytes;
  }
  const link = { sequence: 0, hash: hashOf(bytes) };
  return (await deps.index.advance(group, link, undefined)) === 'advanced' ? link : undefined;
}

/** The record found at `key`, which must continue the chain right after `head`. */
async function successorOf(store: LedgerStore, group: string, head: ChainLink, key: string): Promise<{ record: LedgerRecord; link: ChainLink }> {
  const { record, bytes } = await readStored(store, key);
  const problem =
    record.modelGroup !== group
      ? `it belongs to ${record.modelGroup}`
      : record.sequence !== head.sequence + 1
        ? `it holds sequence ${record.sequence}`
        : record.previousHash !== head.hash
          ? `its previousHash ${record.previousHash} is not the head's ${head.hash}`
          : undefined;
  if (problem) {
    // Adopting it would fork the chain or vouch for a forged record: stop here and let the DLQ keep the event.
    throw new LedgerIntegrityError(`${key} does not continue the chain of ${group} after record ${head.sequence} (${problem}); run \`mlops audit verify --group ${group}\``);
  }
  return { record, link: { sequence: record.sequence, hash: hashOf(bytes) } };
}

async function readStored(store: LedgerStore, key: string): Promise<{ record: LedgerRecord; bytes: Uint8Array }> {
  const bytes = await store.get(key);
  // The create said "exists" but the read finds nothing: a delete marker hid it in between. Retry; verify will tell.
  if (!bytes) throw new RetryableError(`${key} exists but could not be read; retry`);
  const read = readRecord(bytes);
  if (!read.ok) throw new LedgerIntegrityError(`${key} is not a ledger record (${read.code}: ${read.reason})`);
  return { record: read.record, bytes };
}
