/**
 * The ports of the audit ledger: where records are stored (the Object Lock bucket), the index that makes appends
 * idempotent and knows each chain's head (the state table), and the read-only view `mlops audit verify` walks.
 */
import type { ChainLink } from './ledger-record';

/** Immutable record objects (S3 with Object Lock: `ledger/<group>/<sequence>.json`). */
export interface LedgerStore {
  /** Writes `bytes` at `key` only if nothing is there ('exists' otherwise): a retry can never overwrite a record. */
  create(key: string, bytes: string): Promise<'created' | 'exists'>;
  /** The exact stored bytes, or undefined when there is no object. */
  get(key: string): Promise<Uint8Array | undefined>;
}

/** Where a chain's head and the events already recorded are indexed (the state table, `pk = LEDGER#<group>`). */
export interface LedgerIndex {
  /** The sequence at which `eventKey` was recorded in `group`'s chain, if it was. */
  find(group: string, eventKey: string): Promise<{ sequence: number } | undefined>;
  /** The chain's last indexed record (sequence and the SHA-256 the writer computed), or undefined before genesis. */
  head(group: string): Promise<ChainLink | undefined>;
  /**
   * Moves the head to `entry` if it is still at `expectedSequence` (undefined: no head yet) and, with an
   * `eventKey`, indexes that event at the same time (both or neither). 'conflict' when the head moved or the
   * event was already indexed.
   */
  advance(group: string, entry: ChainLink & { eventKey?: string }, expectedSequence: number | undefined): Promise<'advanced' | 'conflict'>;
}

/** The ledger as an auditor reads it: the groups, each group's keys, each object's bytes. */
export interface LedgerReader {
  /** Where the ledger is read from, for messages (`s3://bucket/ledger/`, a directory). */
  readonly source: string;
  /** The groups that have a chain. */
  groups(): Promise<string[]>;
  /** Every key under `ledger/<group>/`, records or not, in key order. */
  keys(group: string): Promise<string[]>;
  /** The exact bytes of one object. */
  read(key: string): Promise<Uint8Array>;
}
