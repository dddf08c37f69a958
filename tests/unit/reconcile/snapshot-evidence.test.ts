/**
 * The snapshot reads each registered report once, with the SHA-256 of the bytes read: the evidence ModelGated cites.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_POLICY } from '../../../shared/lifecycle/policy';
import { loadSnapshot } from '../../../shared/reconcile/snapshot';
import { FakeWorld } from '../../support/fake-world';

const GROUP = 'credit-risk-retail';
const sha256 = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('Function: loadSnapshot (report evidence)', () => {
  it('records each report URI with the SHA-256 of its bytes for a version still to be gated', async () => {
    const world = new FakeWorld();
    world.manage(GROUP);
    world.register(GROUP, 1);
    const prefix = `s3://creditai-artifacts/${GROUP}/v1`;

    const snapshot = await loadSnapshot(world.reconcileDeps(), GROUP, DEFAULT_POLICY);

    const [pkg] = snapshot.packages;
    expect(pkg!.evidence).toEqual({
      evaluation: { uri: `${prefix}/evaluation.json`, sha256: sha256(world.documents.get(`${prefix}/evaluation.json`)) },
      bias: { uri: `${prefix}/bias/analysis.json`, sha256: sha256(world.documents.get(`${prefix}/bias/analysis.json`)) },
      explainability: { uri: `${prefix}/explainability/analysis.json`, sha256: sha256(world.documents.get(`${prefix}/explainability/analysis.json`)) },
    });
    expect(pkg!.reports.evaluation?.binary_classification_metrics.auc.value).toBe(0.874);
  });

  it('cites no report that is not registered', async () => {
    const world = new FakeWorld();
    world.manage(GROUP);
    const arn = world.register(GROUP, 1);
    world.packages.get(arn)!.reportUris = { evaluation: world.packages.get(arn)!.reportUris.evaluation };

    const [pkg] = (await loadSnapshot(world.reconcileDeps(), GROUP, DEFAULT_POLICY)).packages;

    expect(Object.keys(pkg!.evidence ?? {})).toEqual(['evaluation']);
    expect(pkg!.reports.bias).toBeUndefined();
  });
});
