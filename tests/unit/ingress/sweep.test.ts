/**
 * The scheduled sweep over the in-memory world: one reconcile request per managed group, so a lost event never
 * strands a model.
 */
import { reconcileRequestSchema } from '../../../shared/contracts/reconcile-request';
import { sweep } from '../../../shared/ingress/sweep';
import { FakeWorld } from '../../support/fake-world';

const SWEEP_ID = 'sweep-3f2a1c9e-7b6d-4e5f-8a9b-0c1d2e3f4a5b';
const TIME = '2026-11-28T09:00:00.000Z';

describe('Function: sweep', () => {
  it('requests exactly one reconcile per managed group and none for an unmanaged one', async () => {
    // Prepare
    const world = new FakeWorld();
    world.manage('credit-risk-retail');
    world.manage('credit-risk-sme', { approval: { production: 'auto' } });
    world.register('credit-risk-unmanaged', 1);

    // Act
    const result = await sweep(world.ingressDeps(), SWEEP_ID, TIME);

    // Assess
    expect(result.groups.sort()).toEqual(['credit-risk-retail', 'credit-risk-sme']);
    expect(world.queued.map((r) => r.modelGroup).sort()).toEqual(['credit-risk-retail', 'credit-risk-sme']);
    for (const request of world.queued) {
      expect(() => reconcileRequestSchema.parse(request)).not.toThrow();
      expect(request.reason).toBe('Scheduled sweep');
      expect(request.trigger).toEqual({ source: 'creditai.mlops.sweep', detailType: 'Scheduled Sweep', eventId: SWEEP_ID, time: TIME });
    }
    expect(world.published).toEqual([]);
  });

  it('requests nothing in a world with no managed group', async () => {
    // Prepare
    const world = new FakeWorld();

    // Act
    const result = await sweep(world.ingressDeps(), SWEEP_ID, TIME);

    // Assess
    expect(result).toEqual({ groups: [] });
    expect(world.queued).toEqual([]);
  });
});
