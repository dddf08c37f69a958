/**
 * `mlops audit verify` over a directory laid out like the audit bucket (built in a temp dir by the real append use
 * case), untampered and tampered: one line per group, the first break with its key, exit 0 only if every chain is
 * whole.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { auditVerify, verdictLine } from '../../../scripts/mlops/commands/audit-verify';
import { makeDirectoryLedger } from '../../../scripts/mlops/ledger-directory';
import { appendRecord } from '../../../shared/governance/append-record';
import { hashOf } from '../../../shared/governance/ledger';
import { MemoryLedgerIndex, MemoryLedgerStore, sampleDomainEvent } from '../../support/ledger';

const RETAIL = 'credit-risk-retail';
const CARDS = 'credit-card-acme';
const key = (group: string, sequence: number) => `ledger/${group}/${String(sequence).padStart(12, '0')}.json`;

let dir: string;

/** Two chains (retail: genesis + 4 decisions; cards: genesis + 1) appended for real, then written to `dir`. */
async function buildLedger(): Promise<void> {
  const store = new MemoryLedgerStore();
  const deps = { store, index: new MemoryLedgerIndex(), clock: { now: () => '2026-11-28T12:00:00.000Z' } };
  for (const sample of ['model-gated', 'model-approved', 'canary-started', 'model-promoted']) {
    const { event, envelope } = sampleDomainEvent(sample);
    await appendRecord(deps, event, envelope);
  }
  const cards = sampleDomainEvent('model-gated', { modelGroup: CARDS, eventKey: `${CARDS}/v1/t0/ModelGated` });
  await appendRecord(deps, cards.event, cards.envelope);
  for (const [k, bytes] of store.objects) {
    mkdirSync(dirname(join(dir, k)), { recursive: true });
    writeFileSync(join(dir, k), bytes);
  }
}

const verify = (group?: string) => auditVerify({ ledger: makeDirectoryLedger(dir) }, { group });
const edit = (k: string, change: (text: string) => string) => writeFileSync(join(dir, k), change(readFileSync(join(dir, k), 'utf8')));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'creditai-ledger-'));
  await buildLedger();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Command: audit verify', () => {
  it('reports every chain whole with its head hash, exit 0', async () => {
    const result = await verify();

    expect(result.exitCode).toBe(0);
    expect(result.output.split('\n')).toEqual([
      `${CARDS}: 2 records, chain whole (head 1, sha256 ${hashOf(readFileSync(join(dir, key(CARDS, 1))))})`,
      `${RETAIL}: 5 records, chain whole (head 4, sha256 ${hashOf(readFileSync(join(dir, key(RETAIL, 4))))})`,
      `2 chains in ${join(dir, 'ledger/')}: 2 whole, 0 not.`,
    ]);
  });

  it('verifies one group with --group', async () => {
    const result = await verify(CARDS);

    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(new RegExp(`^${CARDS}: 2 records, chain whole`));
    expect(result.output).not.toContain(RETAIL);
  });

  it.each<[string, () => void, string]>([
    ['a changed byte', () => edit(key(RETAIL, 2), (t) => t.replace('jane.doe', 'jone.doe')), `BROKEN at ${key(RETAIL, 3)}: its previousHash`],
    ['a deleted record', () => unlinkSync(join(dir, key(RETAIL, 2))), `BROKEN at ${key(RETAIL, 3)}: record 2 is missing`],
    [
      'two swapped records',
      () => {
        const [two, three] = [readFileSync(join(dir, key(RETAIL, 2))), readFileSync(join(dir, key(RETAIL, 3)))];
        writeFileSync(join(dir, key(RETAIL, 2)), three);
        writeFileSync(join(dir, key(RETAIL, 3)), two);
      },
      `BROKEN at ${key(RETAIL, 2)}: holds record 3 under the key of record 2`,
    ],
    ['a removed genesis', () => unlinkSync(join(dir, key(RETAIL, 0))), `BROKEN at ${key(RETAIL, 1)}: the chain starts at record 1`],
    ['a stray file', () => writeFileSync(join(dir, 'ledger', RETAIL, 'notes.txt'), 'x'), `BROKEN at ledger/${RETAIL}/notes.txt`],
  ])('reports %s with its key and exit 2, and the other chain whole', async (_, tamper, expected) => {
    tamper();

    const result = await verify();

    expect(result.exitCode).toBe(2);
    expect(result.output).toContain(`${RETAIL}: ${expected}`);
    expect(result.output).toContain(`${CARDS}: 2 records, chain whole`);
    expect(result.output).toMatch(/2 chains in .*: 1 whole, 1 not\.$/);
  });

  it('reports an asked-for group without records as not whole, exit 2', async () => {
    const result = await verify('credit-unknown');

    expect(result.exitCode).toBe(2);
    expect(result.output).toContain('credit-unknown: no records');
  });

  it('refuses a group name with a path separator, exit 1', async () => {
    const result = await verify('../etc');

    expect(result).toEqual({ exitCode: 1, output: 'Not a model group name: ../etc' });
  });

  it('reports an empty ledger as nothing to verify, exit 1', async () => {
    rmSync(join(dir, 'ledger'), { recursive: true });
    mkdirSync(join(dir, 'ledger'));

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/^No ledger records under .*ledger\/: is this the audit bucket/);
  });

  it('refuses a directory without a ledger/ folder', () => {
    expect(() => makeDirectoryLedger(join(dir, 'ledger', RETAIL))).toThrow(/^No ledger\/ folder in /);
  });

  it('reads S3-style keys of nested files too, as a listing would', async () => {
    mkdirSync(join(dir, 'ledger', RETAIL, 'nested'));
    writeFileSync(join(dir, 'ledger', RETAIL, 'nested', '000000000009.json'), '{}');

    const result = await verify(RETAIL);

    expect(result.output).toContain(`BROKEN at ledger/${RETAIL}/nested/000000000009.json: not a ledger record key`);
  });
});

describe('Function: verdictLine', () => {
  it('says "no records" for an empty chain', () => {
    expect(verdictLine('g', { ok: true, records: 0 })).toBe('g: no records');
  });
});
