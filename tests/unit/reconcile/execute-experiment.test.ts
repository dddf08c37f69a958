/**
 * execute, DeployEndpoint of an experiment's config: a config SageMaker refuses for good (a quota, a refused shape)
 * is recorded on the experiment, so the next reconcile aborts the test instead of failing the group's whole
 * decision on every reconcile; a transient failure, an authorization failure (the control plane's own), a refusal
 * that no running experiment owns, or any failure of an ordinary deployment, is thrown as before.
 */
import { SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import type { EndpointSpec } from '../../../shared/lifecycle/actions';
import type { ExperimentState, GroupStatus } from '../../../shared/lifecycle/model';
import { execute } from '../../../shared/reconcile/execute';
import { RetryableError, TerminalError } from '../../../shared/runtime/errors';
import { FakeWorld } from '../../support/fake-world';
import { aVersion } from '../../support/lifecycle-fixtures';

const GROUP = 'credit-risk-retail';
const CONFIG = 'credit-risk-retail-v4-prod-1a2b3c4d';

const spec = (challenger: boolean): EndpointSpec => ({
  environment: 'production',
  endpointName: 'credit-risk-retail-prod',
  endpointConfigName: challenger ? CONFIG : 'credit-risk-retail-v4-prod-0a0b0c0d',
  modelName: 'credit-risk-retail-v4-9f8e7d6c',
  modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/4',
  variantName: 'AllTraffic',
  instanceType: 'ml.m5.xlarge',
  instanceCount: 2,
  dataCaptureSamplingPercent: 100,
  rollout: { strategy: 'all-at-once' },
  tags: {},
  ...(challenger ? { challenger: { mode: 'shadow' as const, variantName: 'Challenger', modelName: 'credit-risk-retail-v5-5e4d3c2b', modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/5', sharePercent: 100 } } : {}),
});

const EXPERIMENT: ExperimentState = {
  version: 5,
  championVersion: 4,
  mode: 'shadow',
  sharePercent: 100,
  startedAt: '2026-11-28T10:00:00.000Z',
  endpointConfigName: CONFIG,
  plan: { challengerShare: 1, championDefaultRate: 0.05, minimumDetectableEffect: 0.01, plannedDefaults: 600 },
  deployAttempts: 1,
};

const status = (experiment: ExperimentState | undefined = EXPERIMENT): GroupStatus => ({
  group: GROUP,
  revision: 3,
  versions: [aVersion(4, 'Live'), aVersion(5, 'Challenger')],
  conditions: [],
  ...(experiment ? { experiment } : {}),
});

const sageMakerError = (name: string, message: string) => new SageMakerServiceException({ name, $fault: 'client', $metadata: {}, message });

/** Reconcile deps whose endpoint deploys throw `error`. */
function failingDeploys(error: unknown) {
  const deps = new FakeWorld().reconcileDeps();
  return { ...deps, endpoints: { ...deps.endpoints, deploy: async () => Promise.reject(error) } };
}

describe('Function: execute (DeployEndpoint of an experiment)', () => {
  it.each([
    ['a quota', sageMakerError('ResourceLimitExceeded', 'The account-level service limit for ml.m5.xlarge for endpoint usage is 2 Instances')],
    ['a refused request', sageMakerError('ValidationException', 'An endpoint configuration with shadow variants must have exactly one production variant')],
  ])('records %s on the experiment and saves the rest of the decision', async (_, error) => {
    const next = await execute(failingDeploys(error), [{ type: 'DeployEndpoint', version: 5, spec: spec(true) }], status());
    expect(next.experiment).toEqual({ ...EXPERIMENT, deployError: (error as Error).message });
  });

  it.each([
    ['a transient failure of an experiment config', new RetryableError('Endpoint credit-risk-retail-prod is being updated; will retry'), true],
    ['an unknown failure of an experiment config', new Error('socket hang up'), true],
    ['a refused ordinary deployment', sageMakerError('ValidationException', 'refused'), false],
    // The control plane's own IAM: not the challenger's fault.
    ['a refused permission of an experiment config', new TerminalError('AccessDenied: not authorized to perform sagemaker:CreateEndpointConfig'), true],
    ['an access denial of an experiment config', sageMakerError('AccessDeniedException', 'not authorized'), true],
  ])('throws %s as before', async (_, error, challenger) => {
    await expect(execute(failingDeploys(error), [{ type: 'DeployEndpoint', version: 5, spec: spec(challenger) }], status())).rejects.toBe(error);
  });

  it('throws a refusal it cannot record (the running experiment is on another config)', async () => {
    const other = { ...EXPERIMENT, endpointConfigName: 'credit-risk-retail-v4-prod-99999999' };
    const error = sageMakerError('ResourceLimitExceeded', 'quota');
    await expect(execute(failingDeploys(error), [{ type: 'DeployEndpoint', version: 5, spec: spec(true) }], status(other))).rejects.toBe(error);
  });
});
