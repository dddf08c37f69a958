/**
 * Verifying one group's chain from its stored objects alone: every record is read back from its exact bytes, its
 * place is checked against its key and its predecessor, and its link is recomputed. The first break is reported
 * with its key, because everything after a break is unproven.
 */
import { GENESIS_PREVIOUS_HASH, hashOf, parseLedgerKey, readRecord, type ChainLink, type UnreadableCode } from './ledger-record';

/** One stored object of the ledger: its key and its exact bytes. */
export interface StoredObject {
  key: string;
  bytes: string | Uint8Array;
}

/** What kind of break was found. */
export type ChainBreakCode =
  | UnreadableCode
  /** A key that is not `ledger/<group>/<12 digits>.json` (an object put beside the records). */
  | 'unexpected-key'
  /** A record of another group, or objects of two groups given as one chain. */
  | 'group-mismatch'
  /** The first record is not the genesis record (it was deleted). */
  | 'missing-genesis'
  /** A record's sequence is not the one its key names (a record moved, swapped or copied to another key). */
  | 'key-mismatch'
  /** A sequence is missing between two records (a record was deleted). */
  | 'sequence-gap'
  /** A record's previousHash is not the SHA-256 of the record before it (one of the two was changed). */
  | 'previous-hash-mismatch';

/** A whole chain (`records` read, `head` its last link), or its first break. */
export type ChainVerdict =
  | { ok: true; records: number; head?: ChainLink }
  | { ok: false; key: string; code: ChainBreakCode; reason: string; records: number };

/**
 * Walks one group's objects in key order and reports the first break: unparsable bytes, bytes not in canonical
 * form (a changed byte that still parses), a malformed record, a foreign key or group, a missing genesis, a key
 * that holds another sequence, a gap, or a previousHash that is not the hash of the record before. `records`
 * counts the records verified before the break. An empty list is a whole, empty chain.
 *
 * What a chain alone cannot show: a change to its LAST record (nothing links to it yet; the next append exposes
 * it, since the audit function links to the hash it wrote, not to what is stored now), nor a record appended by
 * someone holding write access who links it correctly. The bucket's Object Lock keeps every original version.
 */
export function verifyChain(objects: readonly StoredObject[]): ChainVerdict {
  const sorted = [...objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let group: string | undefined;
  let previous: (ChainLink & { key: string }) | undefined;
  let records = 0;
  for (const { key, bytes } of sorted) {
    const broken = (code: ChainBreakCode, reason: string): ChainVerdict => ({ ok: false, key, code, reason, records });
    const named = parseLedgerKey(key);
    if (!named) return broken('unexpected-key', 'not a ledger record key (ledger/<group>/<12-digit sequence>.json)');
    group ??= named.group;
    if (named.group !== group) return broken('group-mismatch', `belongs to group ${named.group}, not to the chain of ${group}`);
    const read = readRecord(bytes);
    if (!read.ok) return broken(read.code, read.reason);
    const { record } = read;
    if (record.modelGroup !== group) return broken('group-mismatch', `holds a record of group ${record.modelGroup} in the chain of ${group}`);
    if (record.sequence !== named.sequence) {
      return broken('key-mismatch', `holds record ${record.sequence} under the key of record ${named.sequence}: records were moved, swapped or copied`);
    }
    if (!previous && record.sequence !== 0) return broken('missing-genesis', `the chain starts at record ${record.sequence}: its genesis record (and any before this one) is missing`);
    if (previous && record.sequence !== previous.sequence + 1) {
      return broken('sequence-gap', `record ${previous.sequence + 1} is missing: record ${previous.sequence} (${previous.key}) is followed by record ${record.sequence}`);
    }
    const expected = previous?.hash ?? GENESIS_PREVIOUS_HASH;
    if (record.previousHash !== expected) {
      return broken(
        'previous-hash-mismatch',
        previous
          ? `its previousHash ${record.previousHash} is not the SHA-256 of ${previous.key} (${previous.hash}): that record was changed after this one was written, or this one links to another`
          : `the genesis record's previousHash is ${record.previousHash}, not 64 zeros`,
      );
    }
    previous = { key, sequence: record.sequence, hash: hashOf(bytes) };
    records += 1;
  }
  return previous ? { ok: true, records, head: { sequence: previous.sequence, hash: previous.hash } } : { ok: true, records };
}
