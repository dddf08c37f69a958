/**
 * The snapshot's view of retraining: nothing unless the training pipeline is configured; then the Live version's
 * drift findings (no other version's) and the in-flight run as SageMaker describes it.
 */
import type { DriftSignal } from '../../../shared/lifecycle/drift-triage';
import { DEFAULT_POLICY } from '../../../shared/lifecycle/policy';
import { loadSnapshot } from '../../../shared/reconcile/snapshot';
import { FakeWorld } from '../../support/fake-world';
import { aVersion } from '../../support/lifecycle-fixtures';

const GROUP = 'credit-risk-retail';
const TRAINING = { pipelineName: 'creditai-mlops-training', dataPrefix: 's3://creditai-data/applications/', codePrefix: 's3://creditai-artifacts/pipeline/code/' };

const signal = (version: number, windowEnd: string): DriftSignal => ({
  version,
  source: 'drift-check',
  windowStart: new Date(Date.parse(windowEnd) - 3_600_000).toISOString(),
  windowEnd,
  features: [{ feature: 'annual_income', method: 'linf_simple', distance: 0.26, threshold: 0.2, importance: 1 }],
});

async function world(options: { training?: boolean; live?: boolean } = {}): Promise<FakeWorld> {
  const w = new FakeWorld();
  if (options.training !== false) w.training = TRAINING;
  w.manage(GROUP);
  const state = w.reconcileDeps().state;
  await state.save({
    group: GROUP,
    revision: 0,
    versions: [aVersion(2, 'Superseded'), aVersion(3, options.live === false ? 'Canary' : 'Live')],
    conditions: [],
  });
  await state.recordDriftSignal(GROUP, signal(2, '2026-11-27T10:00:00.000Z'));
  await state.recordDriftSignal(GROUP, signal(3, '2026-11-28T09:00:00.000Z'));
  await state.recordDriftSignal(GROUP, signal(3, '2026-11-28T10:00:00.000Z'));
  return w;
}

describe('Function: loadSnapshot (retraining)', () => {
  it('observes nothing of retraining when no training pipeline is configured', async () => {
    const w = await world({ training: false });
    expect(await loadSnapshot(w.reconcileDeps(), GROUP, DEFAULT_POLICY)).not.toHaveProperty('retraining');
  });

  it("reads the Live version's drift findings only, newest first", async () => {
    const w = await world();
    const snapshot = await loadSnapshot(w.reconcileDeps(), GROUP, DEFAULT_POLICY);
    expect(snapshot.retraining).toEqual({ pipelineName: 'creditai-mlops-training', signals: [signal(3, '2026-11-28T10:00:00.000Z'), signal(3, '2026-11-28T09:00:00.000Z')] });
  });

  it('reads no findings without a Live version', async () => {
    const w = await world({ live: false });
    expect((await loadSnapshot(w.reconcileDeps(), GROUP, DEFAULT_POLICY)).retraining).toEqual({ pipelineName: 'creditai-mlops-training', signals: [] });
  });

  it.each([
    ['a running run, without an end', 'Executing', undefined],
    ['a finished run, with its end', 'Succeeded', '2026-11-28T13:00:00.000Z'],
  ])('describes %s', async (_name, status, endedAt) => {
    const w = await world();
    const { executionArn } = await w.pipelinesPort().startExecution({ pipelineName: TRAINING.pipelineName, clientToken: 't'.repeat(64), displayName: 'retrain', description: '', parameters: {} });
    w.now = new Date('2026-11-28T13:00:00.000Z');
    if (status !== 'Executing') w.finishExecution(executionArn, status as 'Succeeded');
    await w.reconcileDeps().state.save({ ...w.status(GROUP), retraining: { inFlight: { clientToken: 't'.repeat(64), startedAt: '2026-11-28T10:05:00.000Z', triggerWindowEnd: '2026-11-28T10:00:00.000Z', executionArn }, starts: [] } });

    const snapshot = await loadSnapshot(w.reconcileDeps(), GROUP, DEFAULT_POLICY);

    expect(snapshot.retraining?.run).toEqual({ executionArn, status, ...(endedAt ? { endedAt } : {}) });
  });
});
