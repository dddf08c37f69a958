/**
 * `mlops challenge`: checks its arguments and the group's state, then records the request on the group and queues
 * a reconcile; the reconciler starts the A/B test.
 */
import { challenge } from '../../../scripts/mlops/commands/challenge';
import { CLI_SOURCE } from '../../../scripts/mlops/commands/rollback';
import { reconcileRequestSchema } from '../../../shared/contracts/reconcile-request';
import type { GroupStatus } from '../../../shared/lifecycle/model';
import { arnOf, FakeQueue, FakeStateStore, fixedClock, GROUP, groupStatus, NOW, superseded, version } from './fakes';

function world(versions: Parameters<typeof groupStatus>[0], extra: Partial<GroupStatus> = {}) {
  const state = new FakeStateStore(groupStatus(versions, extra));
  const queue = new FakeQueue();
  return { state, queue, deps: { state, queue, clock: fixedClock } };
}

const args = (overrides: Partial<Parameters<typeof challenge>[1]> = {}) => ({ group: GROUP, packageArn: arnOf(GROUP, 6), share: '10', reason: 'bureau v2 features', operator: 'alice', ...overrides });

describe('Command: challenge', () => {
  it('records the request on the group and queues a reconcile', async () => {
    const { state, queue, deps } = world([superseded(4), version(5, 'Live'), version(6, 'AwaitingApproval')]);
    const result = await challenge(deps, args());
    expect(result.exitCode).toBe(0);
    expect(state.challengeRequests).toEqual([{ group: GROUP, request: { version: 6, sharePercent: 10, mode: 'ab', by: 'alice', reason: 'bureau v2 features', at: NOW } }]);
    const request = queue.requests[0]!;
    expect(reconcileRequestSchema.parse(request)).toEqual(request);
    expect(request).toMatchObject({ modelGroup: GROUP, reason: 'Operator challenge of v6 requested by alice', trigger: { source: CLI_SOURCE, detailType: 'Operator Challenge Requested', time: NOW } });
    expect(result.output).toContain(`A/B test of ${GROUP}: v6 (challenger, 10 %) against v5 (champion, 90 %).`);
    expect(result.output).toContain('It starts once v6 is approved for production by a human (now AwaitingApproval).');
  });

  it('starts a shadow test with up to every request mirrored when the group policy says the challenger must not decide', async () => {
    const { state, deps } = world([version(5, 'Live'), version(6, 'Approved')]);
    state.policies.set(GROUP, { experiment: { mode: 'shadow' } });
    const result = await challenge(deps, args({ share: '100' }));
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain(`Shadow test of ${GROUP}: v6 (challenger, scores a copy of 100 % of requests, decides nothing) against v5 (champion, decides all).`);
    expect(state.challengeRequests[0]?.request.sharePercent).toBe(100);
    expect((await challenge(deps, args({ share: '101' }))).output).toContain('--share must be a whole percent from 1 to 100 in a shadow test, got "101"');
  });

  it('refuses a group that is not managed', async () => {
    const { deps } = world([version(5, 'Live'), version(6, 'Approved')]);
    const result = await challenge(deps, args({ group: 'unmanaged-group', packageArn: arnOf('unmanaged-group', 6) }));
    expect(result).toEqual({ exitCode: 2, output: 'Refused: model group unmanaged-group is not managed (it has no policy).' });
  });

  it('says nothing of waiting for an approval when the version is already Approved', async () => {
    const { deps } = world([version(5, 'Live'), version(6, 'Approved')]);
    const result = await challenge(deps, args({ share: '50' }));
    expect(result.exitCode).toBe(0);
    expect(result.output).not.toContain('It starts once');
  });

  it.each([
    ['a share of 0', { share: '0' }, '--share must be a whole percent from 1 to 50 in an A/B test, got "0"'],
    ['a share above half', { share: '60' }, '--share must be a whole percent from 1 to 50 in an A/B test, got "60"'],
    ['a fractional share', { share: '7.5' }, '--share must be a whole percent from 1 to 50 in an A/B test, got "7.5"'],
    ['no reason', { reason: '  ' }, '--reason is required'],
    ['an unversioned ARN', { packageArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/x' }, 'Not a versioned SageMaker model package ARN'],
    ['a package of another group', { packageArn: arnOf('other-group', 6) }, `is not in model group ${GROUP}`],
  ])('refuses %s as a usage error, requesting nothing', async (_, overrides, message) => {
    const { state, queue, deps } = world([version(5, 'Live'), version(6, 'Approved')]);
    const result = await challenge(deps, args(overrides));
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(message);
    expect(state.challengeRequests).toEqual([]);
    expect(queue.requests).toEqual([]);
  });

  it.each<[string, Parameters<typeof groupStatus>[0], Partial<GroupStatus>, string]>([
    ['no Live version', [version(6, 'Approved')], {}, `model group ${GROUP} has no Live version to challenge`],
    ['an unknown version', [version(5, 'Live')], {}, 'v6 is not recorded'],
    ['a version already out of the running', [version(5, 'Live'), version(6, 'Rejected')], {}, 'v6 is Rejected, not a candidate for production'],
    [
      'a running experiment',
      [version(5, 'Live'), version(6, 'Approved'), version(7, 'Challenger')],
      { experiment: { version: 7, championVersion: 5, sharePercent: 10, startedAt: NOW, endpointConfigName: 'c', plan: { challengerShare: 0.1, championDefaultRate: 0.05, minimumDetectableEffect: 0.01 } } },
      'v7 is already challenging v5',
    ],
  ])('refuses with %s', async (_, versions, extra, message) => {
    const { state, deps } = world(versions, extra);
    const result = await challenge(deps, args());
    expect(result.exitCode).toBe(2);
    expect(result.output).toContain(message);
    expect(state.challengeRequests).toEqual([]);
  });
});
