/**
 * Appending to the audit ledger over in-memory ports: the first append opens the chain, a redelivered event is a
 * no-op, a crash between the create and the index is healed by the next append, a second writer's record is
 * detected and the chain continues after it, a record that does not link stops everything, retries are bounded.
 * Every scenario ends with `verifyChain` over what was stored.
 */
import { appendRecord, LedgerIntegrityError, MAX_APPEND_ATTEMPTS, type AppendDeps } from '../../../shared/governance/append-record';
import { canonicalBytes, genesisRecord, hashOf, ledgerKey, nextRecord, UNATTRIBUTED_GROUP, verifyChain } from '../../../shared/governance/ledger';
import { RetryableError } from '../../../shared/runtime/errors';
import { MemoryLedgerIndex, MemoryLedgerStore, sampleDomainEvent, sampleKey } from '../../support/ledger';

const GROUP = 'credit-risk-retail';
const NOW = '2026-11-28T12:00:00.000Z';

function world() {
  const store = new MemoryLedgerStore();
  const index = new MemoryLedgerIndex();
  let now = NOW;
  const deps: AppendDeps = { store, index, clock: { now: () => now } };
  return { store, index, deps, setNow: (t: string) => void (now = t) };
}

/** What verifyChain says of the group's stored objects. */
const verify = (store: MemoryLedgerStore, group = GROUP) => verifyChain(store.keysOf(group).map((key) => ({ key, bytes: store.objects.get(key)! })));

const gated = sampleDomainEvent('model-gated');
const approved = sampleDomainEvent('model-approved');
const promoted = sampleDomainEvent('model-promoted');

/** A correctly linked record of `sample` at the chain's current head, as a second writer would store it. */
async function foreignRecord(store: MemoryLedgerStore, index: MemoryLedgerIndex, sample: ReturnType<typeof sampleDomainEvent>) {
  const head = (await index.head(GROUP))!;
  const record = nextRecord(head, sample.event, sample.envelope, NOW);
  store.put(ledgerKey(GROUP, record.sequence), canonicalBytes(record));
  return record;
}

describe('Function: appendRecord', () => {
  it('opens the chain with a genesis record on the first append, then appends the event after it', async () => {
    const { store, index, deps } = world();

    const outcome = await appendRecord(deps, gated.event, gated.envelope);

    expect(outcome).toEqual({ outcome: 'appended', group: GROUP, sequence: 1, key: sampleKey(1), genesis: true, healed: false, adopted: [] });
    expect(store.keysOf(GROUP)).toEqual([sampleKey(0), sampleKey(1)]);
    expect(store.text(sampleKey(0))).toBe(canonicalBytes(genesisRecord(GROUP, NOW)));
    expect(JSON.parse(store.text(sampleKey(1)))).toMatchObject({ sequence: 1, eventKey: gated.event.detail.eventKey, triggerEventId: gated.envelope.id });
    expect(index.heads.get(GROUP)).toEqual({ sequence: 1, hash: hashOf(store.objects.get(sampleKey(1))!) });
    expect(await index.find(GROUP, gated.event.detail.eventKey)).toEqual({ sequence: 1 });
    expect(verify(store)).toMatchObject({ ok: true, records: 2 });
  });

  it('appends later events after the head without writing a second genesis', async () => {
    const { store, deps } = world();
    await appendRecord(deps, gated.event, gated.envelope);

    const outcome = await appendRecord(deps, approved.event, approved.envelope);

    expect(outcome).toMatchObject({ outcome: 'appended', sequence: 2, genesis: false });
    expect(store.creates.map((c) => c.key)).toEqual([sampleKey(0), sampleKey(1), sampleKey(2)]);
    expect(verify(store)).toMatchObject({ ok: true, records: 3 });
  });

  it('does nothing for an event already recorded (a redelivery)', async () => {
    const { store, deps } = world();
    await appendRecord(deps, gated.event, gated.envelope);
    const creates = store.creates.length;

    const outcome = await appendRecord(deps, gated.event, { id: 'another-delivery' });

    expect(outcome).toEqual({ outcome: 'duplicate', group: GROUP, sequence: 1, adopted: [] });
    expect(store.creates).toHaveLength(creates);
  });

  it('records an event of no real group (a forged EventRejected) in the unattributed chain', async () => {
    const { store, deps } = world();
    const forged = sampleDomainEvent('event-rejected', { modelGroup: 'credit-risk-retail/000000000001.json' });

    const outcome = await appendRecord(deps, forged.event, forged.envelope);

    expect(outcome).toMatchObject({ outcome: 'appended', group: UNATTRIBUTED_GROUP, key: ledgerKey(UNATTRIBUTED_GROUP, 1) });
    expect(store.keysOf(GROUP)).toEqual([]);
    expect(verify(store, UNATTRIBUTED_GROUP)).toMatchObject({ ok: true, records: 2 });
  });

  describe('a crash between the create and the index', () => {
    /** An index whose next advance for `eventKey` throws, as a Lambda timeout would cut it short. */
    function crashOnce(index: MemoryLedgerIndex, eventKey: string) {
      const advance = index.advance.bind(index);
      let crashed = false;
      index.advance = async (group, entry, expected) => {
        if (!crashed && entry.eventKey === eventKey) {
          crashed = true;
          throw new Error('Task timed out');
        }
        return advance(group, entry, expected);
      };
    }

    it('is healed by the redelivery of the same event: its record is indexed, not written again', async () => {
      const { store, index, deps } = world();
      await appendRecord(deps, gated.event, gated.envelope);
      crashOnce(index, approved.event.detail.eventKey);
      await expect(appendRecord(deps, approved.event, approved.envelope)).rejects.toThrow('Task timed out');
      expect(index.heads.get(GROUP)?.sequence).toBe(1);

      const outcome = await appendRecord(deps, approved.event, approved.envelope);

      expect(outcome).toMatchObject({ outcome: 'appended', sequence: 2, healed: true, adopted: [] });
      expect(store.keysOf(GROUP)).toHaveLength(3);
      expect(index.heads.get(GROUP)).toEqual({ sequence: 2, hash: hashOf(store.objects.get(sampleKey(2))!) });
      expect(verify(store)).toMatchObject({ ok: true, records: 3 });
    });

    it('is healed by the next event of the group, which indexes the record it finds and continues after it', async () => {
      const { store, index, deps } = world();
      await appendRecord(deps, gated.event, gated.envelope);
      crashOnce(index, approved.event.detail.eventKey);
      await expect(appendRecord(deps, approved.event, approved.envelope)).rejects.toThrow();

      const next = await appendRecord(deps, promoted.event, promoted.envelope);
      const redelivered = await appendRecord(deps, approved.event, approved.envelope);

      expect(next).toMatchObject({ outcome: 'appended', sequence: 3, adopted: [2] });
      expect(redelivered).toMatchObject({ outcome: 'duplicate', sequence: 2 });
      expect(verify(store)).toMatchObject({ ok: true, records: 4 });
    });

    it('keeps a genesis record written before the crash (its own time), instead of writing another', async () => {
      const { store, index, deps, setNow } = world();
      const advance = index.advance.bind(index);
      let first = true;
      index.advance = async (group, entry, expected) => {
        if (first) {
          first = false;
          throw new Error('Task timed out');
        }
        return advance(group, entry, expected);
      };
      await expect(appendRecord(deps, gated.event, gated.envelope)).rejects.toThrow();
      setNow('2026-11-28T13:00:00.000Z');

      const outcome = await appendRecord(deps, gated.event, gated.envelope);

      expect(outcome).toMatchObject({ outcome: 'appended', sequence: 1, genesis: true });
      expect(JSON.parse(store.text(sampleKey(0))).recordedAt).toBe(NOW);
      expect(verify(store)).toMatchObject({ ok: true, records: 2 });
    });
  });

  describe('a second writer', () => {
    it('is detected by the conditional create: its record at the next sequence is indexed and the chain continues after it', async () => {
      const { store, index, deps } = world();
      await appendRecord(deps, gated.event, gated.envelope);
      store.beforeCreate = async (key) => {
        store.beforeCreate = undefined;
        if (key === sampleKey(2)) await foreignRecord(store, index, promoted);
      };

      const outcome = await appendRecord(deps, approved.event, approved.envelope);

      expect(outcome).toMatchObject({ outcome: 'appended', sequence: 3, adopted: [2] });
      expect(store.creates.slice(-2)).toEqual([
        { key: sampleKey(2), result: 'exists' },
        { key: sampleKey(3), result: 'created' },
      ]);
      expect(await index.find(GROUP, promoted.event.detail.eventKey)).toEqual({ sequence: 2 });
      expect(verify(store)).toMatchObject({ ok: true, records: 4 });
    });

    it('that opened the chain first: its genesis is kept', async () => {
      const { store, index, deps } = world();
      const theirs = canonicalBytes(genesisRecord(GROUP, '2026-11-28T11:59:59.000Z'));
      store.beforeCreate = async (key) => {
        store.beforeCreate = undefined;
        store.put(key, theirs);
        await index.advance(GROUP, { sequence: 0, hash: hashOf(theirs) }, undefined);
      };

      const outcome = await appendRecord(deps, gated.event, gated.envelope);

      expect(outcome).toMatchObject({ outcome: 'appended', sequence: 1, genesis: false });
      expect(store.text(sampleKey(0))).toBe(theirs);
      expect(verify(store)).toMatchObject({ ok: true, records: 2 });
    });

    it('that indexed this invocation\'s record before it could: the append ends as already recorded', async () => {
      const { store, index, deps } = world();
      await appendRecord(deps, gated.event, gated.envelope);
      const advance = index.advance.bind(index);
      index.advance = async (group, entry, expected) => {
        index.advance = advance;
        await advance(group, entry, expected); // the other writer adopts the record first
        return advance(group, entry, expected);
      };

      const outcome = await appendRecord(deps, approved.event, approved.envelope);

      expect(outcome).toMatchObject({ outcome: 'duplicate', sequence: 2 });
      expect(verify(store)).toMatchObject({ ok: true, records: 3 });
    });

    it('moves the head past a duplicate record a race left in the chain, keeping the first in the index', async () => {
      const { store, index, deps } = world();
      await appendRecord(deps, gated.event, gated.envelope);
      await foreignRecord(store, index, gated); // the same event again at sequence 2, never indexed

      const outcome = await appendRecord(deps, approved.event, approved.envelope);

      expect(outcome).toMatchObject({ outcome: 'appended', sequence: 3, adopted: [2] });
      expect(await index.find(GROUP, gated.event.detail.eventKey)).toEqual({ sequence: 1 });
      expect(verify(store)).toMatchObject({ ok: true, records: 4 });
    });

    it('is given up on after a bounded number of attempts (RetryableError: Lambda retries later)', async () => {
      const { store, index, deps } = world();
      await appendRecord(deps, gated.event, gated.envelope);
      let n = 0;
      store.beforeCreate = async () => {
        await foreignRecord(store, index, sampleDomainEvent('model-promoted', { eventKey: `other-${(n += 1)}` }));
      };

      const error = await appendRecord(deps, approved.event, approved.envelope).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RetryableError);
      expect((error as Error).message).toContain(`${MAX_APPEND_ATTEMPTS} attempts`);
      expect(n).toBe(MAX_APPEND_ATTEMPTS);
      expect(await index.find(GROUP, approved.event.detail.eventKey)).toBeUndefined();
      store.beforeCreate = undefined;
      expect(verify(store)).toMatchObject({ ok: true, records: 2 + MAX_APPEND_ATTEMPTS });
    });

    it('re-reads the head when finishing its own record conflicts', async () => {
      const { store, index, deps } = world();
      await appendRecord(deps, gated.event, gated.envelope);
      const ours = nextRecord((await index.head(GROUP))!, approved.event, approved.envelope, NOW);
      store.put(sampleKey(2), canonicalBytes(ours));
      const advance = index.advance.bind(index);
      let conflicts = 1;
      index.advance = async (group, entry, expected) => (conflicts-- > 0 ? 'conflict' : advance(group, entry, expected));

      const outcome = await appendRecord(deps, approved.event, approved.envelope);

      expect(outcome).toMatchObject({ outcome: 'appended', sequence: 2, healed: true });
    });
  });

  describe('a ledger that contradicts itself', () => {
    it.each<[string, (store: MemoryLedgerStore, head: { sequence: number; hash: string }) => void]>([
      ['a record that links to another hash', (store, head) => store.put(sampleKey(2), canonicalBytes(nextRecord({ ...head, hash: 'f'.repeat(64) }, promoted.event, promoted.envelope, NOW)))],
      ['a record of another sequence', (store, head) => store.put(sampleKey(2), canonicalBytes(nextRecord({ ...head, sequence: 5 }, promoted.event, promoted.envelope, NOW)))],
      ['a record of another group', (store, head) => store.put(sampleKey(2), canonicalBytes({ ...nextRecord(head, promoted.event, promoted.envelope, NOW), modelGroup: 'credit-card-acme' }))],
      ['bytes that are no record', (store) => store.put(sampleKey(2), 'not json')],
    ])('stops at %s in the next key, appends nothing and indexes nothing', async (_, tamper) => {
      const { store, index, deps } = world();
      await appendRecord(deps, gated.event, gated.envelope);
      tamper(store, (await index.head(GROUP))!);

      const error = await appendRecord(deps, approved.event, approved.envelope).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(LedgerIntegrityError);
      expect((error as Error).message).toContain(sampleKey(2));
      expect(index.heads.get(GROUP)?.sequence).toBe(1);
      expect(store.keysOf(GROUP)).toHaveLength(3);
    });

    it('stops at a first key that holds no genesis record of the group', async () => {
      const { store, deps } = world();
      store.put(sampleKey(0), canonicalBytes(genesisRecord('credit-card-acme', NOW)));

      await expect(appendRecord(deps, gated.event, gated.envelope)).rejects.toBeInstanceOf(LedgerIntegrityError);
    });

    it('retries when a key said to exist cannot be read', async () => {
      const { store, deps } = world();
      store.get = async () => undefined;
      store.put(sampleKey(0), 'hidden');

      await expect(appendRecord(deps, gated.event, gated.envelope)).rejects.toBeInstanceOf(RetryableError);
    });
  });
});
