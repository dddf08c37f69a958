/**
 * execute, StartRetraining: the training pipeline is started with the parameters the build gives it (group, commit
 * of the Live version, the group's data, the commit's code) and why; the run's ARN lands on the in-flight entry;
 * without a configured pipeline or a commit nothing starts.
 */
import type { Action } from '../../../shared/lifecycle/actions';
import type { GroupStatus } from '../../../shared/lifecycle/model';
import { execute } from '../../../shared/reconcile/execute';
import { TerminalError } from '../../../shared/runtime/errors';
import { validateInput } from '../../support/aws-model-validator';
import { FakeWorld } from '../../support/fake-world';
import { aVersion } from '../../support/lifecycle-fixtures';

const GROUP = 'credit-risk-retail';
const COMMIT = '4be1c0d3a9f8e7d6c5b4a39281706f5e4d3c2b1a';
const TOKEN = 'c0ffee'.repeat(10) + 'c0ff';
const TRAINING = { pipelineName: 'creditai-mlops-training', dataPrefix: 's3://creditai-data/applications/', codePrefix: 's3://creditai-artifacts/pipeline/code/' };

type StartRetraining = Extract<Action, { type: 'StartRetraining' }>;
const action = (overrides: Partial<StartRetraining> = {}): StartRetraining => ({
  type: 'StartRetraining',
  clientToken: TOKEN,
  commitId: COMMIT,
  reason: 'persistent drift in 2 consecutive windows on annual_income 0.26 > 0.2 (100% of importance); retraining run 1 of 2 this week',
  triggerWindowEnd: '2026-11-28T10:00:00.000Z',
  reportUri: 's3://creditai-artifacts/drift/credit-risk-retail/v3/2026-11-28T10-00-00-000Z/report.json',
  ...overrides,
});

function statusWithInFlight(clientToken = TOKEN): GroupStatus {
  return {
    group: GROUP,
    revision: 4,
    versions: [aVersion(3, 'Live')],
    conditions: [],
    retraining: { inFlight: { clientToken, startedAt: '2026-11-28T10:05:00.000Z', triggerWindowEnd: '2026-11-28T10:00:00.000Z' }, starts: ['2026-11-28T10:05:00.000Z'], lastTriagedWindow: '2026-11-28T10:00:00.000Z' },
  };
}

function worldWithTraining(): FakeWorld {
  const world = new FakeWorld();
  world.training = TRAINING;
  return world;
}

describe('Function: execute (StartRetraining)', () => {
  it("starts the training pipeline with the build's parameters, the window's token and why", async () => {
    const world = worldWithTraining();

    await execute(world.reconcileDeps(), [action()], statusWithInFlight());

    expect([...world.started.values()]).toEqual([
      {
        pipelineName: 'creditai-mlops-training',
        clientToken: TOKEN,
        displayName: 'retrain-credit-risk-retail',
        description: `Drift retraining of credit-risk-retail for the window ending 2026-11-28T10:00:00.000Z: ${action().reason}. Drift report: ${action().reportUri}`,
        parameters: {
          ModelPackageGroupName: GROUP,
          CommitId: COMMIT,
          InputDataUri: 's3://creditai-data/applications/credit-risk-retail/',
          CodeUri: `s3://creditai-artifacts/pipeline/code/${COMMIT}/`,
          Trigger: `drift:${action().reportUri}`,
        },
        executionArn: 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-mlops-training/execution/run1',
      },
    ]);
  });

  it('records the started run on the in-flight entry of its token', async () => {
    const world = worldWithTraining();

    const next = await execute(world.reconcileDeps(), [action()], statusWithInFlight());

    expect(next.retraining).toEqual({ ...statusWithInFlight().retraining, inFlight: { ...statusWithInFlight().retraining!.inFlight, executionArn: 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-mlops-training/execution/run1' } });
  });

  it.each([
    ['another token in flight', statusWithInFlight('another-token')],
    ['no retraining state', { ...statusWithInFlight(), retraining: undefined }],
  ])('leaves the status alone with %s', async (_name, status) => {
    const world = worldWithTraining();
    const next = await execute(world.reconcileDeps(), [action()], status);
    expect(next).toEqual(status);
    expect(world.started.size).toBe(1);
  });

  it('leaves the report out of the description when the signal had none', async () => {
    const world = worldWithTraining();
    const { reportUri: _reportUri, ...withoutReport } = action();
    await execute(world.reconcileDeps(), [withoutReport], statusWithInFlight());
    expect([...world.started.values()][0]!.description).toBe(`Drift retraining of credit-risk-retail for the window ending 2026-11-28T10:00:00.000Z: ${action().reason}`);
  });

  it('keeps a long reason within what StartPipelineExecution accepts', async () => {
    const world = worldWithTraining();
    await execute(world.reconcileDeps(), [action({ reason: 'persistent drift on '.repeat(400) })], statusWithInFlight());
    const start = [...world.started.values()][0]!;
    expect(start.description).toHaveLength(3072);
    const input = {
      PipelineName: start.pipelineName,
      ClientRequestToken: start.clientToken,
      PipelineExecutionDisplayName: start.displayName,
      PipelineExecutionDescription: start.description,
      PipelineParameters: Object.entries(start.parameters).map(([Name, Value]) => ({ Name, Value })),
    };
    expect(validateInput('sagemaker', 'StartPipelineExecution', input)).toEqual([]);
  });

  it.each([
    ['without a configured training pipeline', (w: FakeWorld) => void (w.training = undefined), action(), 'StartRetraining without a configured training pipeline (TRAINING_PIPELINE_NAME)'],
    ['when the Live version records no commit', () => undefined, action({ commitId: undefined }), 'Cannot retrain credit-risk-retail: the Live version records no commit to train with'],
  ])('gives up %s: starts nothing, reports why, and the rest of the decision stands', async (_name, configure, start, message) => {
    const world = worldWithTraining();
    configure(world);
    const event = { detailType: 'RetrainRequested', detail: {} } as never;

    const next = await execute(world.reconcileDeps(), [start, { type: 'PublishEvent', event }], statusWithInFlight());

    expect(world.started.size).toBe(0);
    expect(next.retraining?.inFlight).toBeUndefined();
    expect(world.published.map((e) => e.detailType).sort()).toEqual(['ReconcileFailed', 'RetrainRequested']);
    expect(world.published.find((e) => e.detailType === 'ReconcileFailed')!.detail).toMatchObject({ reason: 'RetrainStartFailed', message: expect.stringContaining(message) });
  });

});
