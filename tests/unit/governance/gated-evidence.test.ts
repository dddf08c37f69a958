/**
 * The ledger record of ModelGated (issue 5): its evidence cites every report the gates read with the SHA-256 of the
 * bytes read, and the training data (with its hash when that is a SHA-256); its why carries lineage and figures.
 */
import { canonicalBytes, genesisRecord, nextRecord, readRecord, type LedgerRecord } from '../../../shared/governance/ledger';
import { sampleDomainEvent } from '../../support/ledger';

const NOW = '2026-11-28T12:00:00.000Z';

function gatedRecord(detail: Record<string, unknown> = {}): LedgerRecord {
  const { event, envelope } = sampleDomainEvent('model-gated', detail);
  const genesis = genesisRecord(event.detail.modelGroup, NOW);
  return nextRecord({ record: genesis, bytes: canonicalBytes(genesis) }, event, envelope, NOW);
}

describe('Function: nextRecord (ModelGated evidence)', () => {
  it('cites the three reports with their hashes, then the training data with the hex of its sha256: hash', () => {
    const { raw } = sampleDomainEvent('model-gated');
    const record = gatedRecord();

    expect(record.evidence).toEqual([
      ...raw.detail.evidence.map((e: { uri: string; sha256: string }) => ({ uri: e.uri, sha256: e.sha256 })),
      { uri: raw.detail.lineage.trainingDataUri, sha256: raw.detail.lineage.trainingDataHash.slice('sha256:'.length) },
    ]);
    // The record is a valid v1 record: every cited hash is 64 hex digits.
    expect(readRecord(canonicalBytes(record)).ok).toBe(true);
  });

  it.each<[string, string | undefined, { uri: string; sha256?: string }]>([
    ['an S3 ETag is cited without a hash (it is no SHA-256 of the bytes)', '"9b2cf535f27731c974343645a3985328"', { uri: 's3://d/train.csv' }],
    ['a bare upper-case hex SHA-256 is cited in lower case', 'AB'.repeat(32), { uri: 's3://d/train.csv', sha256: 'ab'.repeat(32) }],
    ['no hash: the URI alone', undefined, { uri: 's3://d/train.csv' }],
  ])('%s', (_, hash, expected) => {
    const record = gatedRecord({ evidence: [], lineage: { trainingDataUri: 's3://d/train.csv', ...(hash === undefined ? {} : { trainingDataHash: hash }), hyperparameters: {} } });

    expect(record.evidence).toEqual([expected]);
  });

  it('puts lineage, thresholds, bias and SHAP figures in why.figures', () => {
    const { raw } = sampleDomainEvent('model-gated');
    const { figures } = gatedRecord().why;

    expect(figures).toMatchObject({
      lineage: raw.detail.lineage,
      thresholds: { minAuc: 0.85, disparateImpact: { min: 0.8, max: 1.25 } },
      bias: raw.detail.figures.bias,
      shap: raw.detail.figures.shap,
    });
  });

  it('records an event of the earlier shape (no lineage, evidence or figures) as before', () => {
    const { event, envelope } = sampleDomainEvent('model-gated');
    const { lineage: _l, evidence: _e, figures: _f, ...earlier } = event.detail as Record<string, unknown>;
    const genesis = genesisRecord('credit-risk-retail', NOW);
    const record = nextRecord({ record: genesis, bytes: canonicalBytes(genesis) }, { detailType: 'ModelGated', detail: earlier as never }, envelope, NOW);

    expect(record.evidence).toEqual([]);
    expect(Object.keys(record.why.figures).sort()).toEqual(['passed', 'results']);
  });
});
