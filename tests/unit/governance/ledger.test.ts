/**
 * The audit ledger's records, by tables: what each detail-type records (summary, why, actor, evidence), the
 * canonical bytes and their hash, and the tamper tests: a chain of 6 records is changed as an attacker with write
 * access to the bucket would change it, and `verifyChain` reports each change at the right key, for the right reason.
 */
import {
  canonicalBytes,
  CONTROL_PLANE_ACTOR,
  GENESIS_PREVIOUS_HASH,
  genesisRecord,
  hashOf,
  ledgerGroupOf,
  ledgerKey,
  nextRecord,
  parseLedgerKey,
  readRecord,
  UNATTRIBUTED_GROUP,
  verifyChain,
  type LedgerRecord,
  type StoredObject,
} from '../../../shared/governance/ledger';
import { sampleDomainEvent, sampleKey } from '../../support/ledger';

const NOW = '2026-11-28T12:00:00.000Z';
const GROUP = 'credit-risk-retail';
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';

/** The record of one sample after a genesis record. */
function recordOf(dir: string, detail: Record<string, unknown> = {}): LedgerRecord {
  const { event, envelope } = sampleDomainEvent(dir, detail);
  const genesis = genesisRecord(event.detail.modelGroup, NOW);
  return nextRecord({ record: genesis, bytes: canonicalBytes(genesis) }, event, envelope, NOW);
}

/** A chain of 6 records (genesis and 5 decisions of v7) as stored objects, in key order. */
function chain(): (StoredObject & { bytes: string })[] {
  const genesis = genesisRecord(GROUP, NOW);
  const objects = [{ key: sampleKey(0), bytes: canonicalBytes(genesis) }];
  let previous = { record: genesis, bytes: objects[0]!.bytes };
  for (const dir of ['model-gated', 'model-approved', 'deployment-started', 'canary-started', 'model-promoted']) {
    const { event, envelope } = sampleDomainEvent(dir);
    const record = nextRecord(previous, event, envelope, NOW);
    previous = { record, bytes: canonicalBytes(record) };
    objects.push({ key: ledgerKey(GROUP, record.sequence), bytes: previous.bytes });
  }
  return objects;
}

/** `objects` with the bytes at `key` replaced by `edit(bytes)`. */
const edited = (objects: StoredObject[], key: string, edit: (bytes: string) => string) =>
  objects.map((o) => (o.key === key ? { key, bytes: edit(o.bytes as string) } : o));

/** The bytes of a record re-serialised after `change`: a canonical, well-formed, but different record. */
const rewritten = (bytes: string | Uint8Array, change: (r: LedgerRecord) => LedgerRecord) => {
  const read = readRecord(bytes);
  if (!read.ok) throw new Error('fixture is not a record');
  return canonicalBytes(change(read.record));
};

describe('Function: nextRecord (what each detail-type records)', () => {
  it.each<[string, Record<string, unknown>, Partial<LedgerRecord>]>([
    [
      'model-gated',
      {},
      {
        kind: 'ModelGated',
        summary: 'v7 of credit-risk-retail passed every gate.',
        actor: CONTROL_PLANE_ACTOR,
        why: expect.objectContaining({ figures: expect.objectContaining({ passed: true, results: expect.arrayContaining([expect.objectContaining({ gate: 'auc', observed: 0.8712, threshold: '>= 0.85' })]) }) }),
      },
    ],
    [
      'model-gated',
      { passed: false, results: [{ gate: 'auc', passed: false, observed: 0.8312, threshold: '>= 0.85', message: 'AUC 0.8312 is below the minimum 0.85' }, { gate: 'ks', passed: true, message: 'KS ok' }] },
      { summary: 'v7 of credit-risk-retail failed 1 of 2 gates (auc).', why: expect.objectContaining({ figures: expect.objectContaining({ passed: false }) }) },
    ],
    [
      'model-approved',
      {},
      {
        kind: 'ModelApproved',
        summary: `v7 of credit-risk-retail was approved for production by ${JANE}.`,
        actor: { arn: JANE, kind: 'human' },
        why: {
          rule: 'An identified human in an approver role approved it, with a stated reason',
          figures: { environment: 'production', approver: { arn: JANE, kind: 'human', source: 'cloudtrail' }, reason: 'Reviewed gate report and staging smoke test; ticket RISK-4211' },
        },
      },
    ],
    [
      'model-approved',
      { approver: { arn: 'creditai-mlops', kind: 'control-plane', source: 'control-plane' }, reason: 'Policy approves production automatically' },
      { actor: CONTROL_PLANE_ACTOR, why: expect.objectContaining({ rule: 'The group policy approves production automatically' }) },
    ],
    [
      'model-rejected',
      {},
      {
        kind: 'ModelRejected',
        summary: 'v8 of credit-risk-retail was rejected: AUC 0.8312 is below the minimum 0.85 (and 1 more).',
        actor: CONTROL_PLANE_ACTOR,
        why: expect.objectContaining({ rule: 'A version that fails a gate, its smoke test or its staging deployment is rejected' }),
      },
    ],
    [
      'model-rejected',
      { reasons: ['Fairness review failed'], rejectedBy: { arn: JANE, kind: 'human', source: 'cloudtrail' } },
      { summary: 'v8 of credit-risk-retail was rejected: Fairness review failed.', actor: { arn: JANE, kind: 'human' }, why: expect.objectContaining({ rule: 'A person rejected it (or revoked its approval) in the registry' }) },
    ],
    [
      'approval-unverified',
      {},
      {
        kind: 'ApprovalUnverified',
        actor: CONTROL_PLANE_ACTOR,
        why: expect.objectContaining({ figures: expect.objectContaining({ actor: expect.objectContaining({ arn: 'arn:aws:sts::111122223333:assumed-role/creditai-ci-deployer/codebuild', kind: 'service' }) }) }),
      },
    ],
    [
      'approval-requested',
      {},
      {
        kind: 'ApprovalRequested',
        summary: 'v7 of credit-risk-retail awaits production approval.',
        actor: CONTROL_PLANE_ACTOR,
        why: expect.objectContaining({
          rule: expect.stringContaining('Gates: AUC 0.874 ≥ 0.85; KS 0.44 ≥ 0.2'),
          figures: expect.objectContaining({ environment: 'production', gates: expect.objectContaining({ passed: true }), smokeTest: expect.objectContaining({ passed: true }) }),
        }),
      },
    ],
    [
      'approval-requested',
      { environment: 'staging', smokeTest: undefined },
      { summary: 'v7 of credit-risk-retail awaits staging approval.', why: expect.objectContaining({ figures: expect.objectContaining({ smokeTest: null }) }) },
    ],
    ['approval-unverified', { actor: undefined }, { why: expect.objectContaining({ figures: expect.objectContaining({ actor: null }) }) }],
    [
      'deployment-started',
      {},
      {
        kind: 'DeploymentStarted',
        summary: 'v7 of credit-risk-retail is being deployed to staging endpoint credit-risk-retail-staging (release, all-at-once).',
        why: expect.objectContaining({ rule: 'A gated version is deployed to staging for its smoke test' }),
      },
    ],
    ['deployment-started', { environment: 'production', strategy: 'canary' }, { why: expect.objectContaining({ rule: 'An approved version is rolled out to production' }) }],
    ['deployment-started', { kind: 'rollback' }, { why: expect.objectContaining({ rule: 'A rollback redeploys the last-known-good version' }) }],
    ['staging-verified', {}, { kind: 'StagingVerified', why: expect.objectContaining({ figures: expect.objectContaining({ checks: expect.arrayContaining([expect.objectContaining({ name: 'latency' })]) }) }) }],
    [
      'canary-started',
      {},
      {
        kind: 'CanaryStarted',
        summary: 'v7 of credit-risk-retail is taking 10 % of credit-risk-retail-prod for a 600 s bake.',
        why: expect.objectContaining({ figures: expect.objectContaining({ trafficPercent: 10, bakeSeconds: 600 }) }),
      },
    ],
    ['model-promoted', {}, { kind: 'ModelPromoted', summary: 'v7 of credit-risk-retail is Live on credit-risk-retail-prod, replacing v6.' }],
    ['model-promoted', { previousVersion: undefined }, { summary: 'v7 of credit-risk-retail is Live on credit-risk-retail-prod.', why: expect.objectContaining({ figures: expect.objectContaining({ previousVersion: null }) }) }],
    [
      'rollback-performed',
      {},
      {
        kind: 'RollbackPerformed',
        summary: 'v7 of credit-risk-retail was rolled back on credit-risk-retail-prod to v6 (by control-plane).',
        actor: CONTROL_PLANE_ACTOR,
        why: expect.objectContaining({ figures: expect.objectContaining({ initiator: 'control-plane', alarms: ['creditai-credit-risk-retail-prod-p99-latency'], toVersion: 6 }) }),
      },
    ],
    [
      'rollback-performed',
      { initiator: 'sagemaker-guardrails', toVersion: undefined },
      { summary: 'v7 of credit-risk-retail was rolled back on credit-risk-retail-prod (by sagemaker-guardrails).', actor: { arn: 'sagemaker-guardrails', kind: 'service' } },
    ],
    ['rollback-performed', { initiator: 'operator' }, { actor: CONTROL_PLANE_ACTOR, why: expect.objectContaining({ rule: 'An operator requested a rollback to the last-known-good version' }) }],
    [
      'pipeline-failed',
      {},
      {
        kind: 'PipelineFailed',
        summary: 'A training pipeline execution of credit-risk-retail failed at step TrainModel (missing-permission).',
        evidence: [{ uri: 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-credit-risk-retail/execution/k2v8x1q9m4tz' }],
        why: expect.objectContaining({ figures: expect.objectContaining({ diagnosis: expect.objectContaining({ action: 's3:GetObject' }) }) }),
      },
    ],
    ['pipeline-failed', { failedStep: undefined }, { summary: 'A training pipeline execution of credit-risk-retail failed (missing-permission).' }],
    [
      'reconcile-failed',
      {},
      { kind: 'ReconcileFailed', summary: 'Reconciling credit-risk-retail failed (critical): NoRollbackTarget.', why: expect.objectContaining({ figures: expect.objectContaining({ severity: 'critical' }) }) },
    ],
    ['reconcile-failed', { version: 7 }, { summary: 'Reconciling v7 of credit-risk-retail failed (critical): NoRollbackTarget.' }],
    [
      'event-rejected',
      {},
      {
        kind: 'EventRejected',
        summary: 'A SageMaker Model Package State Change event from aws.sagemaker (7d1e3f5a-9b2c-4d6e-8f0a-1b3c5d7e9f2a) was rejected and not acted on.',
        why: expect.objectContaining({ figures: expect.objectContaining({ reason: 'Event account 444455556666 is not this account 111122223333' }) }),
      },
    ],
  ])('%s %j', (dir, detail, expected) => {
    const record = recordOf(dir, detail);

    expect(record).toMatchObject(expected);
    expect(record.why.rule.length).toBeGreaterThan(20);
    expect(record.summary).toMatch(/\.$/);
  });

  it('carries the envelope id, the whole detail verbatim and the link to the previous record', () => {
    const { event, envelope, raw } = sampleDomainEvent('model-approved');
    const genesis = genesisRecord(GROUP, NOW);
    const bytes = canonicalBytes(genesis);

    const record = nextRecord({ sequence: 0, hash: hashOf(bytes) }, event, envelope, '2026-11-28T12:00:01.000Z');

    expect(record).toMatchObject({
      schemaVersion: 1,
      modelGroup: GROUP,
      sequence: 1,
      recordedAt: '2026-11-28T12:00:01.000Z',
      eventKey: 'credit-risk-retail/v7/t4/ModelApproved',
      occurredAt: '2026-11-28T09:15:40.000Z',
      triggerEventId: '0f1e2d3c-4b5a-4968-8776-000000000002',
      previousHash: hashOf(bytes),
      evidence: [],
    });
    expect(record.detail).toEqual(raw.detail);
    expect(nextRecord({ record: genesis, bytes }, event, envelope, '2026-11-28T12:00:01.000Z')).toEqual(record);
  });

  it('records an event whose group is no SageMaker group name (a forged EventRejected) in the unattributed chain', () => {
    const record = recordOf('event-rejected', { modelGroup: 'credit-risk-retail/000000000003.json' });

    expect(record.modelGroup).toBe(UNATTRIBUTED_GROUP);
    expect(record.detail?.modelGroup).toBe('credit-risk-retail/000000000003.json');
    expect(ledgerGroupOf('credit-risk-retail')).toBe('credit-risk-retail');
    expect(ledgerGroupOf('../x')).toBe(UNATTRIBUTED_GROUP);
    expect(ledgerGroupOf('a'.repeat(64))).toBe(UNATTRIBUTED_GROUP);
  });
});

describe('Function: genesisRecord', () => {
  it('opens a chain at sequence 0, linked to 64 zeros, decided by the control plane', () => {
    expect(genesisRecord(GROUP, NOW)).toEqual({
      schemaVersion: 1,
      modelGroup: GROUP,
      sequence: 0,
      recordedAt: NOW,
      kind: 'Genesis',
      eventKey: 'genesis',
      occurredAt: NOW,
      summary: 'The audit ledger of credit-risk-retail starts here.',
      why: { rule: expect.any(String), figures: {} },
      actor: CONTROL_PLANE_ACTOR,
      evidence: [],
      triggerEventId: null,
      detail: null,
      previousHash: GENESIS_PREVIOUS_HASH,
    });
    expect(GENESIS_PREVIOUS_HASH).toBe('0'.repeat(64));
  });
});

describe('Function: canonicalBytes and hashOf', () => {
  it('writes keys sorted at every depth (integer-like keys too), no whitespace, and one newline', () => {
    const record = { ...genesisRecord('g', NOW), why: { rule: 'r', figures: { b: [{ z: 1, a: 'x' }], a: { '10': 1, '9': 2 }, skipped: undefined } } };

    const bytes = canonicalBytes(record);

    expect(bytes).toBe(
      '{"actor":{"arn":"creditai-mlops","kind":"control-plane"},"detail":null,"eventKey":"genesis","evidence":[],"kind":"Genesis","modelGroup":"g",' +
        `"occurredAt":"${NOW}","previousHash":"${'0'.repeat(64)}","recordedAt":"${NOW}","schemaVersion":1,"sequence":0,` +
        '"summary":"The audit ledger of g starts here.","triggerEventId":null,"why":{"figures":{"a":{"10":1,"9":2},"b":[{"a":"x","z":1}]},"rule":"r"}}\n',
    );
  });

  it('is independent of the order the record was built in', () => {
    const record = recordOf('model-gated');
    const reversed = Object.fromEntries(Object.entries(record).reverse()) as unknown as LedgerRecord;

    expect(canonicalBytes(reversed)).toBe(canonicalBytes(record));
  });

  it('hashes the UTF-8 bytes with SHA-256, the same for text and bytes', () => {
    expect(hashOf('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashOf('é\n')).toBe(hashOf(new TextEncoder().encode('é\n')));
  });

  it.each<[string, unknown]>([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a function', () => 1],
    ['a bigint', BigInt(1)],
  ])('refuses %s, which JSON cannot hold', (_, value) => {
    const record = { ...genesisRecord('g', NOW), why: { rule: 'r', figures: { value } } };

    expect(() => canonicalBytes(record)).toThrow(TypeError);
  });

  it('writes undefined array items as null, as JSON does', () => {
    const record = { ...genesisRecord('g', NOW), why: { rule: 'r', figures: { list: [1, undefined] } } };

    expect(canonicalBytes(record)).toContain('"list":[1,null]');
  });
});

describe('Function: ledgerKey and parseLedgerKey', () => {
  it('pads the sequence to 12 digits so keys sort in chain order, and reads them back', () => {
    expect(ledgerKey(GROUP, 7)).toBe('ledger/credit-risk-retail/000000000007.json');
    expect(parseLedgerKey('ledger/credit-risk-retail/000000000007.json')).toEqual({ group: GROUP, sequence: 7 });
    expect(parseLedgerKey('ledger/credit-risk-retail/7.json')).toBeUndefined();
    expect(parseLedgerKey('ledger/a/b/000000000007.json')).toBeUndefined();
  });
});

describe('Function: readRecord', () => {
  const bytes = canonicalBytes(genesisRecord(GROUP, NOW));

  it('reads back what canonicalBytes wrote, from text or bytes', () => {
    expect(readRecord(bytes)).toEqual({ ok: true, record: genesisRecord(GROUP, NOW) });
    expect(readRecord(new TextEncoder().encode(bytes))).toEqual({ ok: true, record: genesisRecord(GROUP, NOW) });
  });

  it.each<[string, string | Uint8Array, string]>([
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'unparsable'],
    ['not JSON', bytes.slice(1), 'unparsable'],
    ['without its newline', bytes.trimEnd(), 'not-canonical'],
    ['pretty-printed', `${JSON.stringify(JSON.parse(bytes), null, 2)}\n`, 'not-canonical'],
    ['with an extra field', canonicalBytes({ ...genesisRecord(GROUP, NOW), extra: 1 } as LedgerRecord), 'malformed'],
    ['with a short previousHash', canonicalBytes({ ...genesisRecord(GROUP, NOW), previousHash: 'abc' }), 'malformed'],
    ['a JSON array', '[]\n', 'malformed'],
    ['a genesis record at sequence 3', canonicalBytes({ ...genesisRecord(GROUP, NOW), sequence: 3 }), 'malformed'],
    ['a decision at sequence 0', canonicalBytes({ ...recordOf('model-gated'), sequence: 0 }), 'malformed'],
  ])('refuses %s', (_, input, code) => {
    const read = readRecord(input);

    expect(read).toMatchObject({ ok: false, code });
  });
});

describe('Function: verifyChain (tamper tests)', () => {
  it('verifies an untampered chain and returns its head', () => {
    const objects = chain();

    expect(verifyChain(objects)).toEqual({ ok: true, records: 6, head: { sequence: 5, hash: hashOf(objects[5]!.bytes) } });
  });

  it('walks the objects in key order whatever order they are given in', () => {
    expect(verifyChain([...chain()].reverse())).toMatchObject({ ok: true, records: 6 });
  });

  it('verifies an empty chain as whole and empty', () => {
    expect(verifyChain([])).toEqual({ ok: true, records: 0 });
  });

  it('(a) catches a changed byte inside a value at the next record, whose link no longer matches', () => {
    const objects = edited(chain(), sampleKey(2), (b) => b.replace('jane.doe', 'jone.doe'));

    const verdict = verifyChain(objects);

    expect(verdict).toMatchObject({ ok: false, key: sampleKey(3), code: 'previous-hash-mismatch', records: 3 });
    expect(verdict.ok === false && verdict.reason).toContain(`is not the SHA-256 of ${sampleKey(2)}`);
  });

  it('(a) catches a changed byte that still parses but is not canonical (0.8712 → 0.8710) at that record', () => {
    const objects = edited(chain(), sampleKey(1), (b) => b.replace('"observed":0.8712', '"observed":0.8710'));

    expect(verifyChain(objects)).toMatchObject({ ok: false, key: sampleKey(1), code: 'not-canonical', records: 1 });
  });

  it('(a) catches a changed byte that breaks the JSON at that record', () => {
    const objects = edited(chain(), sampleKey(4), (b) => `[${b.slice(1)}`);

    expect(verifyChain(objects)).toMatchObject({ ok: false, key: sampleKey(4), code: 'unparsable', records: 4 });
  });

  it('(b) catches a deleted middle record as a gap at the record after it', () => {
    const objects = chain().filter((o) => o.key !== sampleKey(3));

    const verdict = verifyChain(objects);

    expect(verdict).toMatchObject({ ok: false, key: sampleKey(4), code: 'sequence-gap', records: 3 });
    expect(verdict.ok === false && verdict.reason).toBe(`record 3 is missing: record 2 (${sampleKey(2)}) is followed by record 4`);
  });

  it('(c) catches two records whose contents were swapped at the first of the two keys', () => {
    const objects = chain();
    const [two, three] = [objects[2]!.bytes, objects[3]!.bytes];
    const swapped = edited(edited(objects, sampleKey(2), () => three), sampleKey(3), () => two);

    expect(verifyChain(swapped)).toMatchObject({ ok: false, key: sampleKey(2), code: 'key-mismatch', records: 2 });
  });

  it('(c) catches a reorder that also renumbers the records, by the broken link', () => {
    const objects = chain();
    const [two, three] = [objects[2]!.bytes, objects[3]!.bytes];
    const reordered = edited(
      edited(objects, sampleKey(2), () => rewritten(three, (r) => ({ ...r, sequence: 2 }))),
      sampleKey(3),
      () => rewritten(two, (r) => ({ ...r, sequence: 3 })),
    );

    expect(verifyChain(reordered)).toMatchObject({ ok: false, key: sampleKey(2), code: 'previous-hash-mismatch', records: 2 });
  });

  it('(d) catches a removed genesis record at the first record left', () => {
    const objects = chain().slice(1);

    expect(verifyChain(objects)).toMatchObject({ ok: false, key: sampleKey(1), code: 'missing-genesis', records: 0 });
  });

  it('(d) catches a genesis record replaced by one that links to something', () => {
    const objects = edited(chain(), sampleKey(0), (b) => rewritten(b, (r) => ({ ...r, previousHash: 'a'.repeat(64) })));

    expect(verifyChain(objects)).toMatchObject({ ok: false, key: sampleKey(0), code: 'previous-hash-mismatch', reason: expect.stringContaining('not 64 zeros') });
  });

  it('(e) catches an appended record that links to a wrong hash', () => {
    const objects = chain();
    const { event, envelope } = sampleDomainEvent('rollback-performed');
    const forged = nextRecord({ sequence: 5, hash: 'f'.repeat(64) }, event, envelope, NOW);

    const verdict = verifyChain([...objects, { key: sampleKey(6), bytes: canonicalBytes(forged) }]);

    expect(verdict).toMatchObject({ ok: false, key: sampleKey(6), code: 'previous-hash-mismatch', records: 6 });
  });

  it('(e) accepts the same record appended with the right link', () => {
    const objects = chain();
    const { event, envelope } = sampleDomainEvent('rollback-performed');
    const record = nextRecord({ sequence: 5, hash: hashOf(objects[5]!.bytes) }, event, envelope, NOW);

    expect(verifyChain([...objects, { key: sampleKey(6), bytes: canonicalBytes(record) }])).toMatchObject({ ok: true, records: 7 });
  });

  it('catches an object put beside the records, a record of another group and two groups given as one', () => {
    const objects = chain();
    const otherGroup = rewritten(objects[3]!.bytes, (r) => ({ ...r, modelGroup: 'credit-card-acme' }));

    expect(verifyChain([...objects, { key: 'ledger/credit-risk-retail/notes.txt', bytes: 'hello' }])).toMatchObject({
      ok: false,
      key: 'ledger/credit-risk-retail/notes.txt',
      code: 'unexpected-key',
    });
    expect(verifyChain(edited(objects, sampleKey(3), () => otherGroup))).toMatchObject({ ok: false, key: sampleKey(3), code: 'group-mismatch' });
    expect(verifyChain([...objects, { key: ledgerKey('credit-card-acme', 0), bytes: canonicalBytes(genesisRecord('credit-card-acme', NOW)) }])).toMatchObject({
      ok: false,
      key: 'ledger/credit-risk-retail/000000000000.json',
      code: 'group-mismatch',
    });
  });

  it('catches a record copied to the next key (a duplicate) as a key mismatch', () => {
    const objects = chain();

    expect(verifyChain([...objects, { key: sampleKey(6), bytes: objects[5]!.bytes }])).toMatchObject({ ok: false, key: sampleKey(6), code: 'key-mismatch' });
  });
});
