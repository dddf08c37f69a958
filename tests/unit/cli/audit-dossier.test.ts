/**
 * `mlops audit dossier` over an in-memory ledger written by the real append path: files written, the verdict and
 * the source said, exit codes, the registry consulted only online, and the model card created, updated or refused
 * with a clear message.
 */
import { auditDossier, outputBase, type AuditDossierDeps } from '../../../scripts/mlops/commands/audit-dossier';
import type { ModelCardOutcome, ModelCards } from '../../../shared/aws/sagemaker-model-card';
import { appendRecord } from '../../../shared/governance/append-record';
import type { Dossier } from '../../../shared/governance/dossier';
import { MemoryLedgerIndex, MemoryLedgerStore, sampleDomainEvent } from '../../support/ledger';
import { arnOf, fixedClock, GROUP, NOW } from './fakes';

const ARN = arnOf(GROUP, 7);

async function ledgerOf(dirs = ['model-gated', 'model-approved', 'model-promoted']): Promise<MemoryLedgerStore> {
  const store = new MemoryLedgerStore();
  const deps = { store, index: new MemoryLedgerIndex(), clock: fixedClock };
  for (const dir of dirs) {
    const { event, envelope } = sampleDomainEvent(dir);
    await appendRecord(deps, event, envelope);
  }
  return store;
}

function depsOf(store: MemoryLedgerStore, extra: Partial<AuditDossierDeps> = {}) {
  const files = new Map<string, string>();
  const upserts: { name: string; content: string }[] = [];
  let cardResult: ModelCardOutcome | Error = { outcome: 'created', name: 'credit-risk-retail-v7', arn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-card/credit-risk-retail-v7' };
  const cards: ModelCards = {
    upsert: async (name, content) => {
      upserts.push({ name, content });
      if (cardResult instanceof Error) throw cardResult;
      return cardResult;
    },
  };
  const deps: AuditDossierDeps = {
    ledger: store.reader(),
    modelCards: () => cards,
    writeFile: async (path, text) => void files.set(path, text),
    clock: fixedClock,
    modelInput: { label: 'default_90d', protectedAttribute: 'age_group' },
    ...extra,
  };
  return { deps, files, upserts, setCard: (r: ModelCardOutcome | Error) => (cardResult = r) };
}

describe('Function: outputBase', () => {
  it.each<[string | undefined, string]>([
    [undefined, 'dossier-credit-risk-retail-v7'],
    ['out/v7', 'out/v7'],
    ['out/v7.html', 'out/v7'],
    ['out/v7.JSON', 'out/v7'],
    ['out/v7.htm', 'out/v7'],
  ])('%s → %s', (out, expected) => {
    expect(outputBase(out, GROUP, 7)).toBe(expected);
  });
});

describe('Command: audit dossier', () => {
  it('writes JSON and HTML from the ledger alone when offline, says so, and exits 0 on a whole chain', async () => {
    const { deps, files } = depsOf(await ledgerOf());

    const result = await auditDossier(deps, { packageArn: ARN, out: 'audit/v7.html' });

    expect(result.exitCode).toBe(0);
    expect([...files.keys()]).toEqual(['audit/v7.json', 'audit/v7.html']);
    const dossier = JSON.parse(files.get('audit/v7.json')!) as Dossier;
    expect(dossier).toMatchObject({ generatedAt: NOW, subject: { modelGroup: GROUP, version: 7 }, sources: { registry: 'unreachable' }, ledger: { whole: true, recordsVerified: 4, recordsOfVersion: 3 } });
    expect(files.get('audit/v7.html')).toContain('Built from the ledger records alone');
    expect(result.output.split('\n')).toEqual([
      `Dossier of ${GROUP} v7 (${ARN})`,
      expect.stringMatching(/^ {2}ledger memory:\/\/ledger\/: 4 records, chain whole \(head 3, sha256 [0-9a-f]{64}\)$/),
      '  3 record(s) concern v7; 1 gate decision(s), 1 approval(s), 1 deployment event(s)',
      expect.stringContaining('Built from the ledger records alone: the model registry was not consulted (the ledger was read from memory://ledger/, offline)'),
      '  wrote audit/v7.json and audit/v7.html',
    ]);
  });

  it('still writes the dossier of a broken chain, with the break, and exits 2', async () => {
    const store = await ledgerOf();
    store.objects.delete('ledger/credit-risk-retail/000000000002.json');
    const { deps, files } = depsOf(store);

    const result = await auditDossier(deps, { packageArn: ARN });

    expect(result.exitCode).toBe(2);
    expect(result.output).toContain('BROKEN at ledger/credit-risk-retail/000000000003.json');
    expect(JSON.parse(files.get('dossier-credit-risk-retail-v7.json')!).ledger).toMatchObject({ whole: false, break: { code: 'sequence-gap' } });
  });

  it('exits 2 when the group has no records there, and 1 for what is not a package ARN', async () => {
    const { deps } = depsOf(new MemoryLedgerStore());

    const none = await auditDossier(deps, { packageArn: ARN });
    const bad = await auditDossier(deps, { packageArn: 'credit-risk-retail/7' });

    expect(none.exitCode).toBe(2);
    expect(none.output).toContain('credit-risk-retail has no ledger records under memory://ledger/');
    expect(bad).toEqual({ exitCode: 1, output: 'Not a versioned model package ARN (…:model-package/<group>/<version>): credit-risk-retail/7' });
  });

  it('describes the package when the registry is given, and falls back to the ledger when it refuses', async () => {
    const described = { version: 7, arn: ARN, createdAt: NOW, approvalStatus: 'Approved' as const, reportUris: {}, lineage: { trainingDataUri: 's3://d/x.csv', hyperparameters: {} } };
    const online = depsOf(await ledgerOf(), { registry: { describePackage: async () => described } });
    const refusing = depsOf(await ledgerOf(), {
      registry: {
        describePackage: async () => {
          throw new Error('User is not authorized to perform: sagemaker:DescribeModelPackage');
        },
      },
    });

    await auditDossier(online.deps, { packageArn: ARN });
    await auditDossier(refusing.deps, { packageArn: ARN });

    expect(JSON.parse(online.files.get('dossier-credit-risk-retail-v7.json')!)).toMatchObject({ sources: { registry: 'reachable' }, lineage: { source: 'registry', value: described.lineage } });
    expect(JSON.parse(refusing.files.get('dossier-credit-risk-retail-v7.json')!)).toMatchObject({
      sources: { registry: 'unreachable', note: expect.stringContaining('DescribeModelPackage failed: User is not authorized') },
      lineage: { source: 'ledger' },
    });
  });

  it('creates the model card with the dossier content under the version\'s card name', async () => {
    const { deps, upserts } = depsOf(await ledgerOf());

    const result = await auditDossier(deps, { packageArn: ARN, modelCard: true });

    expect(result.exitCode).toBe(0);
    expect(upserts).toHaveLength(1);
    expect(upserts[0]!.name).toBe('credit-risk-retail-v7');
    expect(JSON.parse(upserts[0]!.content)).toMatchObject({ model_package_details: { model_package_arn: ARN, model_package_version: 7 }, intended_uses: { risk_rating: 'High' } });
    expect(result.output).toContain('model card credit-risk-retail-v7: created as Draft');
  });

  it.each<[string, ModelCardOutcome | Error, number, string]>([
    ['an update', { outcome: 'updated', name: 'credit-risk-retail-v7', arn: 'a', previousVersion: 3 }, 0, 'content updated (it was version 3; its status is unchanged)'],
    ['an archived card', { outcome: 'archived', name: 'credit-risk-retail-v7', arn: 'a' }, 0, 'Archived, left unchanged'],
    ['an account without model cards', Object.assign(new Error('Unknown operation'), { name: 'UnknownOperationException' }), 1, 'NOT written: SageMaker Model Cards are not available in this account or region. The dossier files above were written.'],
    ['a refused permission', Object.assign(new Error('denied'), { name: 'AccessDeniedException' }), 1, 'NOT written: the caller may not use model cards here'],
    ['any other error', Object.assign(new Error('Model card content is invalid'), { name: 'ValidationException' }), 1, 'NOT written: ValidationException: Model card content is invalid'],
  ])('reports %s', async (_, outcome, exitCode, line) => {
    const { deps, files, setCard } = depsOf(await ledgerOf());
    setCard(outcome);

    const result = await auditDossier(deps, { packageArn: ARN, modelCard: true });

    expect(result.exitCode).toBe(exitCode);
    expect(result.output).toContain(line);
    expect(files.size).toBe(2);
  });
});
