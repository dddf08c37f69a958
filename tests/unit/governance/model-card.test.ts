/**
 * The model card content built from a dossier: the schema's sections with the dossier's figures, the limits the
 * API and the schema set, and the card's name.
 */
import { createHash } from 'node:crypto';
import { buildDossier } from '../../../shared/governance/dossier';
import { canonicalBytes, genesisRecord, ledgerKey, nextRecord, type StoredObject } from '../../../shared/governance/ledger';
import { MAX_CONTENT_CHARS, modelCardContent, modelCardContentString, modelCardName } from '../../../shared/governance/model-card';
import { sampleDomainEvent } from '../../support/ledger';

const GROUP = 'credit-risk-retail';
const ARN = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/7`;
const NOW = '2026-11-28T12:00:00.000Z';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function dossier(story: [string, Record<string, unknown>?][] = [['model-gated'], ['model-approved']]) {
  const genesis = genesisRecord(GROUP, NOW);
  const objects: StoredObject[] = [{ key: ledgerKey(GROUP, 0), bytes: canonicalBytes(genesis) }];
  let previous = { record: genesis, bytes: canonicalBytes(genesis) };
  for (const [dir, detail] of story) {
    const { event, envelope } = sampleDomainEvent(dir, detail);
    const record = nextRecord(previous, event, envelope, NOW);
    previous = { record, bytes: canonicalBytes(record) };
    objects.push({ key: ledgerKey(GROUP, record.sequence), bytes: previous.bytes });
  }
  return buildDossier({ packageArn: ARN, generatedAt: NOW, ledgerSource: 's3://audit/ledger/', objects, registry: { reachable: false, reason: 'test' } });
}

describe('Function: modelCardContent', () => {
  it('fills the schema sections from the dossier: overview, uses, training lineage, gates with report hashes, approval', () => {
    const { raw } = sampleDomainEvent('model-gated');
    const content = modelCardContent(dossier(), { label: 'default_90d', protectedAttribute: 'age_group' });

    expect(Object.keys(content).sort()).toEqual(['additional_information', 'evaluation_details', 'intended_uses', 'model_overview', 'model_package_details', 'training_details']);
    expect(content.model_overview).toMatchObject({ model_version: 7, problem_type: 'Binary Classification' });
    expect(content.intended_uses).toMatchObject({ risk_rating: 'High', purpose_of_model: 'Estimates the probability of default_90d for a credit application.' });
    expect(content.training_details.objective_function.function).toEqual({ function: 'Maximize', facet: 'AUC', condition: 'AUC >= 0.85 on the held-out set' });
    expect(content.training_details.training_job_details).toEqual({
      training_datasets: [raw.detail.lineage.trainingDataUri],
      // The ledger stores canonical JSON: hyperparameters come back in key order.
      hyper_parameters: [{ name: 'eta', value: '0.1' }, { name: 'max_depth', value: '5' }, { name: 'num_round', value: '300' }],
    });
    const [gates] = content.evaluation_details;
    expect(gates!.name).toBe('Gates of v7 (ledger record 1)');
    expect(gates!.datasets).toEqual(raw.detail.evidence.map((e: { uri: string }) => e.uri));
    expect(gates!.metadata).toEqual(Object.fromEntries(raw.detail.evidence.map((e: { report: string; sha256: string }) => [`${e.report}_report_sha256`, e.sha256])));
    expect(gates!.metric_groups.map((g) => g.name)).toEqual(['quality', 'pre-training bias age_group=under_25', 'post-training bias age_group=under_25', 'global SHAP label0']);
    expect(gates!.metric_groups[0]!.metric_data).toEqual([
      { name: 'AUC', type: 'number', value: 0.8712, notes: 'threshold >= 0.85' },
      { name: 'KS', type: 'number', value: 0.4531, notes: 'threshold >= 0.3' },
    ]);
    expect(content.additional_information.custom_details).toMatchObject({
      model_package_arn: ARN,
      approved_by: 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com',
      approval_reason: 'Reviewed gate report and staging smoke test; ticket RISK-4211',
      ledger_verdict: 'whole, 3 records',
    });
    expect(content.additional_information.ethical_considerations).toContain('age_group, which is not a model input');
    expect(content.model_package_details).toEqual({ model_package_arn: ARN, model_package_group_name: GROUP, model_package_version: 7 });
  });

  it('keeps the documented limits: names ≤ 63, keys [a-zA-Z_][a-zA-Z0-9_]*, values ≤ 1024', () => {
    const long = 'x'.repeat(5000);
    const content = modelCardContent(dossier([['model-gated'], ['model-approved', { reason: long }]]));

    const details = content.additional_information.custom_details;
    expect(Object.keys(details).every((k) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k))).toBe(true);
    expect(Object.values(details).every((v) => [...v].length <= 1024)).toBe(true);
    expect(details.approval_reason!.endsWith('…')).toBe(true);
    const groups = content.evaluation_details.flatMap((e) => [e.name, ...e.metric_groups.map((g) => g.name)]);
    expect(groups.every((n) => n.length >= 1 && n.length <= 63)).toBe(true);
    expect(Object.keys(content.evaluation_details[0]!.metadata!).every((k) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k))).toBe(true);
  });

  it('writes no evaluation and says so when no gate decision is recorded', () => {
    const content = modelCardContent(dossier([]));

    expect(content.evaluation_details).toEqual([]);
    expect(content.training_details.training_observations).toBe('No lineage is recorded for this version.');
  });
});

describe('Function: modelCardContentString', () => {
  it('is one line of JSON, U+2028 escaped, that parses back to the content', () => {
    const content = modelCardContent(dossier([['model-gated'], ['model-approved', { reason: 'line\u2028break' }]]));

    const text = modelCardContentString(content);

    expect(text).toMatch(/^[^\n\r\u2028\u2029]*$/);
    expect(JSON.parse(text)).toEqual(content);
  });

  it('refuses content over 100,000 characters', () => {
    const content = modelCardContent(dossier());
    content.intended_uses.intended_uses = 'y'.repeat(MAX_CONTENT_CHARS);

    expect(() => modelCardContentString(content)).toThrow('over the 100000 CreateModelCard accepts');
  });
});

describe('Function: modelCardName', () => {
  it.each<[string, number, string]>([
    ['credit-risk-retail', 7, 'credit-risk-retail-v7'],
    // 63 − 13 characters of suffix (`-<8 hex>-v12`) leave 50 of the group.
    ['g'.repeat(60), 12, `${'g'.repeat(50)}-${sha256(`${'g'.repeat(60)}-v12`).slice(0, 8)}-v12`],
    // The cut ends on a hyphen: it is dropped, so the name never holds `--<hash>` after a dangling hyphen.
    [`${'a'.repeat(50)}-${'b'.repeat(17)}`, 3, `${'a'.repeat(50)}-${sha256(`${'a'.repeat(50)}-${'b'.repeat(17)}-v3`).slice(0, 8)}-v3`],
  ])('%s v%d → %s', (group, version, expected) => {
    const name = modelCardName(group, version, sha256);

    expect(name).toBe(expected);
    expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  });
});
