/**
 * reportDrift, whichever check found the drift: the signal is recorded, one DriftDetected announces it (with only
 * the URIs the finding has), and the group is reconciled.
 */
import { domainEventDetailSchemas } from '../../../shared/contracts/domain-events';
import { reportDrift } from '../../../shared/drift-check/drift-signal';
import type { DriftSignal } from '../../../shared/lifecycle/drift-triage';
import { FakeWorld } from '../../support/fake-world';

const GROUP = 'credit-risk-retail';
const feature = { feature: 'annual_income', method: 'linf_simple', distance: 0.31, threshold: 0.2, drifted: true, importance: 0.42 };
const monitorSignal: DriftSignal = {
  version: 4,
  source: 'model-monitor',
  windowStart: '2026-11-28T08:00:00.000Z',
  windowEnd: '2026-11-28T09:00:00.000Z',
  features: [feature],
};

describe('Function: reportDrift', () => {
  it('records, announces and reconciles a Model Monitor finding without report URIs', async () => {
    const world = new FakeWorld();
    const deps = world.driftCheckDeps({ captureUri: 's3://c/e', reportsUri: 's3://a/d' });

    await reportDrift(deps, { group: GROUP, signal: monitorSignal, records: 1200, features: [feature] });

    expect([...world.driftSignals.values()]).toEqual([monitorSignal]);
    expect(world.published).toEqual([
      {
        detailType: 'DriftDetected',
        detail: {
          schemaVersion: 1,
          eventKey: `${GROUP}/v4/model-monitor/2026-11-28T09:00:00.000Z/DriftDetected`,
          modelGroup: GROUP,
          occurredAt: world.iso(),
          version: 4,
          source: 'model-monitor',
          windowStart: '2026-11-28T08:00:00.000Z',
          windowEnd: '2026-11-28T09:00:00.000Z',
          records: 1200,
          features: [feature],
        },
      },
    ]);
    expect(() => domainEventDetailSchemas.DriftDetected.parse(world.published[0]!.detail)).not.toThrow();
    expect(world.queued).toEqual([
      {
        modelGroup: GROUP,
        reason: 'Drift on v4 in the window ending 2026-11-28T09:00:00.000Z',
        trigger: { source: 'creditai.mlops', detailType: 'DriftDetected', eventId: `${GROUP}/v4/2026-11-28T09:00:00.000Z`, time: world.iso() },
      },
    ]);
  });

  it('keeps the first record of a window reported twice', async () => {
    const world = new FakeWorld();
    const deps = world.driftCheckDeps({ captureUri: 's3://c/e', reportsUri: 's3://a/d' });

    await reportDrift(deps, { group: GROUP, signal: monitorSignal, records: 1200, features: [feature] });
    await reportDrift(deps, { group: GROUP, signal: { ...monitorSignal, features: [{ ...feature, distance: 0.5 }] }, records: 1300, features: [feature] });

    expect([...world.driftSignals.values()].map((s) => s.features[0]!.distance)).toEqual([0.31]);
  });
});
