/**
 * The model dossier's data model and its HTML, built from a chain of sample domain events: what it gathers about
 * v7 of credit-risk-retail, what it leaves out (v8's records), how it reports a broken chain, and that the page is
 * self-contained and escaped.
 */
import { buildDossier, parsePackageArn, type DossierInput, type RegistryView } from '../../../shared/governance/dossier';
import { escapeHtml, renderDossierHtml } from '../../../shared/governance/dossier-html';
import { canonicalBytes, genesisRecord, ledgerKey, nextRecord, readRecord, type StoredObject } from '../../../shared/governance/ledger';
import type { RegisteredPackage } from '../../../shared/reconcile/ports';
import { sampleDomainEvent } from '../../support/ledger';

const GROUP = 'credit-risk-retail';
const ARN = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/7`;
const NOW = '2026-11-28T12:00:00.000Z';
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';
const OFFLINE: RegistryView = { reachable: false, reason: 'read from a directory copy of the ledger' };

/** The story of v7 (and one record of v8 and one of the group), as the audit function would have chained it. */
const STORY: [string, Record<string, unknown>?][] = [
  ['pipeline-failed'],
  ['model-gated'],
  ['deployment-started'],
  ['staging-verified'],
  ['approval-requested'],
  ['model-approved'],
  ['canary-started'],
  ['model-rejected'],
  ['model-promoted'],
  ['rollback-performed'],
  ['rollback-performed', { version: 9, toVersion: 7, eventKey: `${GROUP}/v9/t7/RollbackPerformed` }],
];

function chain(story = STORY): StoredObject[] {
  const genesis = genesisRecord(GROUP, NOW);
  const objects: StoredObject[] = [{ key: ledgerKey(GROUP, 0), bytes: canonicalBytes(genesis) }];
  let previous = { record: genesis, bytes: canonicalBytes(genesis) };
  for (const [dir, detail] of story) {
    const { event, envelope } = sampleDomainEvent(dir, detail);
    const record = nextRecord(previous, event, envelope, NOW);
    previous = { record, bytes: canonicalBytes(record) };
    objects.push({ key: ledgerKey(GROUP, record.sequence), bytes: previous.bytes });
  }
  return objects;
}

const input = (overrides: Partial<DossierInput> = {}): DossierInput => ({ packageArn: ARN, generatedAt: NOW, ledgerSource: '/copy/ledger/', objects: chain(), registry: OFFLINE, ...overrides });

describe('Function: parsePackageArn', () => {
  it.each<[string, ReturnType<typeof parsePackageArn>]>([
    [ARN, { modelGroup: GROUP, version: 7 }],
    ['arn:aws-cn:sagemaker:cn-north-1:111122223333:model-package/g1/12', { modelGroup: 'g1', version: 12 }],
    [`arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}`, undefined],
    ['arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/credit-risk-retail', undefined],
    [`arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/7/extra`, undefined],
  ])('%s', (arn, expected) => {
    expect(parsePackageArn(arn)).toEqual(expected);
  });
});

describe('Function: buildDossier', () => {
  it('gathers the records of v7 and rollbacks to it, and leaves v8 out', () => {
    const dossier = buildDossier(input());

    expect(dossier.subject).toEqual({ modelGroup: GROUP, version: 7, packageArn: ARN });
    expect(dossier.records.map((r) => [r.sequence, r.kind])).toEqual([
      [1, 'PipelineFailed'],
      [2, 'ModelGated'],
      [3, 'DeploymentStarted'],
      [4, 'StagingVerified'],
      [5, 'ApprovalRequested'],
      [6, 'ModelApproved'],
      [7, 'CanaryStarted'],
      [9, 'ModelPromoted'],
      [10, 'RollbackPerformed'],
      [11, 'RollbackPerformed'],
    ]);
    expect(dossier.ledger).toMatchObject({ whole: true, recordsVerified: 12, head: { sequence: 11 }, recordsOfVersion: 9 });
    expect(dossier.records.every((r) => r.verified && /^[0-9a-f]{64}$/.test(r.sha256))).toBe(true);
  });

  it('takes lineage, gates with evidence, bias and SHAP from the ModelGated record when the registry is not consulted', () => {
    const { raw } = sampleDomainEvent('model-gated');
    const dossier = buildDossier(input());

    expect(dossier.sources).toMatchObject({ registry: 'unreachable', note: expect.stringContaining('Built from the ledger records alone') });
    expect(dossier.lineage).toEqual({ source: 'ledger', value: raw.detail.lineage });
    expect(dossier.gates).toHaveLength(1);
    expect(dossier.gates[0]).toMatchObject({ sequence: 2, passed: true, evidence: raw.detail.evidence, thresholds: raw.detail.figures.thresholds });
    expect(dossier.bias).toEqual(raw.detail.figures.bias);
    expect(dossier.shap).toEqual([
      { label: 'label0', features: [{ feature: 'debt_to_income', value: 0.21 }, { feature: 'credit_utilisation', value: 0.17 }, { feature: 'annual_income', value: 0.06 }] },
    ]);
    expect(dossier.registry).toBeUndefined();
  });

  it('lists approvals with the approver identity and reason, deployments in ledger order, and group history', () => {
    const dossier = buildDossier(input());

    expect(dossier.approvals.map((a) => [a.kind, a.environment, a.actor?.arn])).toEqual([
      ['requested', 'production', undefined],
      ['approved', 'production', JANE],
    ]);
    expect(dossier.approvals[1]!.reason).toBe('Reviewed gate report and staging smoke test; ticket RISK-4211');
    expect(dossier.deployments.map((e) => e.kind)).toEqual(['DeploymentStarted', 'StagingVerified', 'CanaryStarted', 'ModelPromoted', 'RollbackPerformed', 'RollbackPerformed']);
    expect(dossier.driftAndRetraining.map((e) => [e.sequence, e.kind])).toEqual([[1, 'PipelineFailed']]);
  });

  it('lists an unverified approval and a rejection with who acted and why', () => {
    const { raw: unverified } = sampleDomainEvent('approval-unverified');
    const { raw: rejected } = sampleDomainEvent('model-rejected');
    const objects = chain([['model-gated'], ['approval-unverified'], ['model-rejected', { version: 7, eventKey: `${GROUP}/v7/t4/ModelRejected` }]]);

    const { approvals } = buildDossier(input({ objects }));

    expect(approvals).toEqual([
      { sequence: 2, verified: true, at: unverified.detail.occurredAt, kind: 'unverified', environment: 'production', ...(unverified.detail.actor ? { actor: unverified.detail.actor } : {}), reason: unverified.detail.reason },
      { sequence: 3, verified: true, at: rejected.detail.occurredAt, kind: 'rejected', actor: rejected.detail.rejectedBy, reason: rejected.detail.reasons.join('; ') },
    ]);
  });

  it('prefers the registry\'s lineage and shows its approval when the registry is reachable', () => {
    const pkg: RegisteredPackage = {
      version: 7,
      arn: ARN,
      createdAt: '2026-11-28T08:00:00.000Z',
      approvalStatus: 'Approved',
      approvalDescription: 'Reviewed gate report',
      lastModifiedBy: JANE,
      reportUris: { evaluation: 's3://r/v7/evaluation.json' },
      lineage: { trainingDataUri: 's3://d/train.csv', hyperparameters: { eta: '0.1' } },
    };

    const dossier = buildDossier(input({ registry: { reachable: true, package: pkg } }));

    expect(dossier.sources.registry).toBe('reachable');
    expect(dossier.lineage).toEqual({ source: 'registry', value: pkg.lineage });
    expect(dossier.registry).toEqual({ approvalStatus: 'Approved', approvalDescription: 'Reviewed gate report', lastModifiedBy: JANE, createdAt: pkg.createdAt, reportUris: pkg.reportUris });
  });

  it('reports a record changed after writing: the break at the next record, both unproven, earlier ones verified', () => {
    const objects = chain();
    const changed = readRecord(objects[6]!.bytes);
    if (!changed.ok) throw new Error('fixture');
    objects[6] = { key: objects[6]!.key, bytes: canonicalBytes({ ...changed.record, summary: 'v7 was approved by nobody in particular.' }) };

    const dossier = buildDossier(input({ objects }));

    expect(dossier.ledger).toMatchObject({ whole: false, recordsVerified: 7, break: { key: ledgerKey(GROUP, 7), code: 'previous-hash-mismatch' } });
    expect(dossier.ledger.head).toBeUndefined();
    expect(dossier.records.filter((r) => !r.verified).map((r) => r.sequence)).toEqual([6, 7, 9, 10, 11]);
    // What the changed record says is shown, marked as unproven, never as fact.
    expect(dossier.approvals.map((a) => [a.kind, a.verified])).toEqual([['requested', true], ['approved', false]]);
    expect(dossier.gates.map((g) => g.verified)).toEqual([true]);
    const html = renderDossierHtml(dossier);
    expect(html).toContain(`Reviewed gate report and staging smoke test; ticket RISK-4211 <span class="bad">[UNPROVEN: after the chain's break]</span>`);
    expect(html).toContain('and so is the record before it');
  });

  it('has nothing to say of a version the ledger does not know, and says so', () => {
    const dossier = buildDossier(input({ packageArn: `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/42` }));

    expect(dossier.ledger.recordsOfVersion).toBe(0);
    expect(dossier.lineage).toEqual({ source: 'none' });
    expect(dossier.gates).toEqual([]);
    expect(dossier.records.map((r) => r.kind)).toEqual(['PipelineFailed']);
  });

  it('refuses what is not a versioned package ARN', () => {
    expect(() => buildDossier(input({ packageArn: 'credit-risk-retail/7' }))).toThrow('Not a versioned model package ARN');
  });
});

describe('Function: renderDossierHtml', () => {
  it.each<[string, string]>([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"quoted" & 'single'`, '&quot;quoted&quot; &amp; &#39;single&#39;'],
  ])('escapes %s', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
  });

  it('renders an escaped, self-contained page with the verdict, lineage, evidence, approvals and records', () => {
    const hostile = chain([['model-gated'], ['model-approved', { reason: '<img src=x onerror=alert(1)> approved' }]]);

    const html = renderDossierHtml(buildDossier(input({ objects: hostile })));

    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('Chain whole: 3 records verified');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; approved');
    expect(html).not.toContain('<img');
    // No external asset: no script, link or frame, and no tag with a src or a remote href.
    expect(html).not.toMatch(/<(script|link|iframe)\b|<[^>]*\ssrc=|<[^>]*href="?https?:/i);
    const { raw } = sampleDomainEvent('model-gated');
    for (const e of raw.detail.evidence as { sha256: string }[]) expect(html).toContain(e.sha256);
    expect(html).toContain(escapeHtml(JANE));
    expect(html).toContain('Built from the ledger records alone');
  });

  it('shows a broken chain in red with its key', () => {
    const objects = chain([['model-gated'], ['model-approved']]);
    objects.splice(1, 1);

    const html = renderDossierHtml(buildDossier(input({ objects })));

    expect(html).toContain('<div class="banner bad">Chain BROKEN at <code>ledger/credit-risk-retail/000000000002.json</code> (sequence-gap)');
  });
});
