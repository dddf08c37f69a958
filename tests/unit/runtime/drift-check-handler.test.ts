/**
 * The drift check as its Lambda handler (middy, Powertools) over the in-memory world: the last whole hour before
 * the clock, every managed group, and a failing group failing the invocation so the scheduler retries.
 */
import type { Context } from 'aws-lambda';
import { makeDriftCheckHandler } from '../../../shared/runtime/drift-check-handler';
import { FakeWorld } from '../../support/fake-world';
import { aVersion } from '../../support/lifecycle-fixtures';
import { applications, capture, CAPTURE_URI, REPORTS_URI, SCHEMA, trainingBaseline } from '../drift-check/traffic';

const GROUP = 'credit-risk-retail';
const context = { functionName: 'creditai-mlops-drift-check', awsRequestId: 'req-1' } as unknown as Context;
const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events' };

async function driftedWorld(): Promise<FakeWorld> {
  const world = new FakeWorld();
  world.now = new Date('2026-11-28T10:02:30.000Z');
  world.manage(GROUP);
  const arn = world.register(GROUP, 3);
  world.registerBaseline(arn, trainingBaseline());
  await world.reconcileDeps().state.save({ group: GROUP, revision: 0, versions: [aVersion(3, 'Live')], conditions: [] });
  capture(world, `${GROUP}-prod`, '2026-11-28T09:00:00.000Z', applications('drifted', 11));
  return world;
}

describe('Function: makeDriftCheckHandler', () => {
  it('checks the last whole hour before now and returns every outcome', async () => {
    const world = await driftedWorld();
    world.manage('credit-risk-sme');
    const handler = makeDriftCheckHandler(() => world.driftCheckDeps({ captureUri: CAPTURE_URI, reportsUri: REPORTS_URI }), SCHEMA);

    const result = (await handler(scheduled, context)) as { window: unknown; outcomes: { group: string; outcome: string }[] };

    expect(result.window).toEqual({ start: '2026-11-28T09:00:00.000Z', end: '2026-11-28T10:00:00.000Z' });
    expect(result.outcomes.map((o) => [o.group, o.outcome])).toEqual([
      [GROUP, 'drift'],
      ['credit-risk-sme', 'no-live-version'],
    ]);
    expect(world.detailTypes()).toEqual(['DriftDetected']);
    expect(world.queued.map((r) => r.modelGroup)).toEqual([GROUP]);
  });

  it('reads nothing of the current, unfinished hour', async () => {
    const world = await driftedWorld();
    world.captureObjects.clear();
    capture(world, `${GROUP}-prod`, '2026-11-28T10:00:00.000Z', applications('drifted', 11));
    const handler = makeDriftCheckHandler(() => world.driftCheckDeps({ captureUri: CAPTURE_URI, reportsUri: REPORTS_URI }), SCHEMA);

    const result = (await handler(scheduled, context)) as { outcomes: { outcome: string }[] };

    expect(result.outcomes).toEqual([{ group: GROUP, outcome: 'no-traffic', version: 3 }]);
  });

  it('fails the invocation naming the failed group, after the others were checked', async () => {
    const world = await driftedWorld();
    world.manage('credit-risk-sme', { drift: { threshold: 7 } });
    const handler = makeDriftCheckHandler(() => world.driftCheckDeps({ captureUri: CAPTURE_URI, reportsUri: REPORTS_URI }), SCHEMA);

    // The run failed before its metric was added: Powertools warns about publishing none.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    await expect(handler(scheduled, context).finally(() => warn.mockRestore())).rejects.toThrow('Drift check failed for credit-risk-sme (the others were checked)');
    expect(world.detailTypes()).toEqual(['DriftDetected']);
  });
});
