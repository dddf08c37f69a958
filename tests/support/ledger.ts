/**
 * In-memory audit ledger for tests: the two ports of `appendRecord` (a store with create-once semantics, an index
 * with conditional advances), a reader over the store for `audit verify`, and domain events from the samples.
 */
import { parseDomainEvent, type DomainEvent } from '../../shared/contracts/domain-events';
import { ledgerKey, type ChainLink } from '../../shared/governance/ledger';
import type { LedgerIndex, LedgerReader, LedgerStore } from '../../shared/governance/ledger-ports';
import { loadSample } from './events';

const encode = (text: string) => new TextEncoder().encode(text);

/** A bucket that writes a key once (like `If-None-Match: *`) and records every call. */
export class MemoryLedgerStore implements LedgerStore {
  readonly objects = new Map<string, Uint8Array>();
  readonly creates: { key: string; result: 'created' | 'exists' }[] = [];
  /** Called before each create; a test throws from it to simulate a crash or lets another writer in. */
  beforeCreate?: (key: string) => void | Promise<void>;

  async create(key: string, bytes: string): Promise<'created' | 'exists'> {
    await this.beforeCreate?.(key);
    const result = this.objects.has(key) ? 'exists' : 'created';
    if (result === 'created') this.objects.set(key, encode(bytes));
    this.creates.push({ key, result });
    return result;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key);
  }

  /** Writes (or overwrites) an object as someone with direct bucket access would. */
  put(key: string, bytes: string | Uint8Array): void {
    this.objects.set(key, typeof bytes === 'string' ? encode(bytes) : bytes);
  }

  text(key: string): string {
    return new TextDecoder().decode(this.objects.get(key));
  }

  /** Keys of a group's chain, in key order. */
  keysOf(group: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(`ledger/${group}/`)).sort();
  }

  /** A `LedgerReader` over this store, for `audit verify`. */
  reader(): LedgerReader {
    return {
      source: 'memory://ledger/',
      groups: async () => [...new Set([...this.objects.keys()].map((k) => k.split('/')[1]!))].sort(),
      keys: async (group) => this.keysOf(group),
      read: async (key) => this.objects.get(key)!,
    };
  }
}

/** The index as DynamoDB would keep it: a head per group, conditional on the expected sequence, and events. */
export class MemoryLedgerIndex implements LedgerIndex {
  readonly heads = new Map<string, ChainLink>();
  readonly events = new Map<string, { sequence: number; hash: string }>();
  readonly advances: { group: string; sequence: number; eventKey?: string; result: 'advanced' | 'conflict' }[] = [];

  async find(group: string, eventKey: string) {
    const found = this.events.get(`${group}|${eventKey}`);
    return found ? { sequence: found.sequence } : undefined;
  }

  async head(group: string) {
    const head = this.heads.get(group);
    return head ? { ...head } : undefined;
  }

  async advance(group: string, entry: ChainLink & { eventKey?: string }, expectedSequence: number | undefined) {
    const head = this.heads.get(group);
    const headOk = expectedSequence === undefined ? head === undefined : head?.sequence === expectedSequence;
    const eventOk = entry.eventKey === undefined || !this.events.has(`${group}|${entry.eventKey}`);
    const result = headOk && eventOk ? 'advanced' : 'conflict';
    if (result === 'advanced') {
      this.heads.set(group, { sequence: entry.sequence, hash: entry.hash });
      if (entry.eventKey !== undefined) this.events.set(`${group}|${entry.eventKey}`, { sequence: entry.sequence, hash: entry.hash });
    }
    this.advances.push({ group, sequence: entry.sequence, ...(entry.eventKey === undefined ? {} : { eventKey: entry.eventKey }), result });
    return result;
  }
}

/** The sample domain event of `dir` (`model-gated`, …) with its envelope; `detail` overrides merge into its detail. */
export function sampleDomainEvent(dir: string, detail: Record<string, unknown> = {}): { event: DomainEvent; envelope: { id: string }; raw: Record<string, any> } {
  const raw = loadSample(`creditai.mlops/${dir}/base.json`);
  Object.assign(raw.detail, detail);
  return { event: parseDomainEvent(raw as never), envelope: { id: raw.id as string }, raw };
}

/** The sample directories of every domain detail-type. */
export const DOMAIN_SAMPLE_DIRS = [
  'model-gated',
  'model-approved',
  'model-rejected',
  'approval-unverified',
  'deployment-started',
  'staging-verified',
  'canary-started',
  'model-promoted',
  'rollback-performed',
  'pipeline-failed',
  'reconcile-failed',
  'event-rejected',
] as const;

/** `ledger/<group>/<seq>.json` of the sample group. */
export const sampleKey = (sequence: number, group = 'credit-risk-retail') => ledgerKey(group, sequence);
