/**
 * Retraining never holds the lifecycle hostage: a start that fails for good is reported and given up (the rest of
 * the decision is saved, the cooldown starts), a transient failure is retried, and a run SageMaker no longer knows
 * is over.
 */
import { execute } from '../../../shared/reconcile/execute';
import { loadSnapshot } from '../../../shared/reconcile/snapshot';
import type { Action } from '../../../shared/lifecycle/actions';
import type { GroupStatus } from '../../../shared/lifecycle/model';
import { parsePolicy } from '../../../shared/lifecycle/policy';
import { RetryableError, TerminalError } from '../../../shared/runtime/errors';
import { FakeWorld } from '../../support/fake-world';

const GROUP = 'credit-risk-retail';
const TOKEN = 'a'.repeat(64);
const action: Extract<Action, { type: 'StartRetraining' }> = { type: 'StartRetraining', clientToken: TOKEN, commitId: 'c0ffee', reason: 'drift', triggerWindowEnd: '2026-11-28T10:00:00.000Z' };
const status = (): GroupStatus => ({ group: GROUP, revision: 3, versions: [], conditions: [], retraining: { inFlight: { clientToken: TOKEN, startedAt: '2026-11-28T10:10:00.000Z', triggerWindowEnd: '2026-11-28T10:00:00.000Z' }, starts: ['2026-11-28T10:10:00.000Z'] } });

function worldWith(startError: Error): FakeWorld {
  const world = new FakeWorld();
  world.training = { pipelineName: 'creditai-mlops-training', dataPrefix: 's3://creditai-data/applications/', codePrefix: 's3://creditai-artifacts/pipeline/code/' };
  const deps = world.reconcileDeps();
  deps.pipelines!.startExecution = async () => {
    throw startError;
  };
  return Object.assign(world, { reconcileDeps: () => deps });
}

describe('Retraining failures', () => {
  it('gives up a start that fails for good: nothing in flight, cooldown from now, on-call told, other events still published', async () => {
    const world = worldWith(new TerminalError('ValidationException: Pipeline creditai-mlops-training does not exist'));
    const publish = { type: 'PublishEvent', event: { detailType: 'DriftDetected', detail: {} } } as unknown as Action;
    const next = await execute(world.reconcileDeps(), [action, publish], status());
    expect(next.retraining).toEqual({ starts: ['2026-11-28T10:10:00.000Z'], lastEndedAt: world.iso() });
    const published = world.published.map((e) => e.detailType);
    expect(published.sort()).toEqual(['DriftDetected', 'ReconcileFailed']);
    expect(world.published.find((e) => e.detailType === 'ReconcileFailed')!.detail).toMatchObject({ reason: 'RetrainStartFailed', severity: 'error', message: expect.stringContaining('does not exist') });
  });

  it('retries a transient failure (the whole pass is retried, nothing is given up)', async () => {
    const world = worldWith(new RetryableError('ThrottlingException'));
    await expect(execute(world.reconcileDeps(), [action], status())).rejects.toThrow('ThrottlingException');
  });

  it('ends a run SageMaker no longer knows, and keeps one it cannot read right now in flight', async () => {
    const world = new FakeWorld();
    world.training = { pipelineName: 'creditai-mlops-training', dataPrefix: 's3://d/applications/', codePrefix: 's3://a/pipeline/code/' };
    world.manage(GROUP);
    const inFlight = { ...status(), retraining: { ...status().retraining!, inFlight: { ...status().retraining!.inFlight!, executionArn: 'arn:gone' } } };
    world.seedStatus(inFlight);
    const deps = world.reconcileDeps();
    deps.pipelines!.describeExecution = async () => {
      throw Object.assign(new Error('Pipeline execution arn:gone does not exist.'), { name: 'ResourceNotFound' });
    };
    expect((await loadSnapshot(deps, GROUP, parsePolicy())).retraining?.run).toMatchObject({ executionArn: 'arn:gone', status: 'Failed' });
    deps.pipelines!.describeExecution = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    expect((await loadSnapshot(deps, GROUP, parsePolicy())).retraining).not.toHaveProperty('run');
  });
});
