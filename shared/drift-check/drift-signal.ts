/**
 * What happens to a drift finding, whichever check found it (ours or Model Monitor's): it is recorded against the
 * version (the same window twice is one record), announced as one normalised DriftDetected event (the ledger and
 * on-call see it), and the group is reconciled, where the lifecycle triages it (decide, rule 6).
 */
import type { DomainEventDetail } from '../contracts/domain-events';
import type { DriftSignal } from '../lifecycle/drift-triage';
import type { DriftCheckDeps } from './ports';

export interface DriftFinding {
  group: string;
  signal: DriftSignal;
  /** Captured rows compared with the baseline. */
  records: number;
  /** Every judged feature, drifted or not (the event shows the full picture). */
  features: DomainEventDetail<'DriftDetected'>['features'];
  violationsUri?: string;
}

export async function reportDrift(deps: Pick<DriftCheckDeps, 'state' | 'bus' | 'queue' | 'clock'>, finding: DriftFinding): Promise<void> {
  const { group, signal } = finding;
  await deps.state.recordDriftSignal(group, signal);
  await deps.bus.publish([
    {
      detailType: 'DriftDetected',
      detail: {
        schemaVersion: 1,
        eventKey: `${group}/v${signal.version}/${signal.source}/${signal.windowEnd}/DriftDetected`,
        modelGroup: group,
        occurredAt: deps.clock.now(),
        version: signal.version,
        source: signal.source,
        windowStart: signal.windowStart,
        windowEnd: signal.windowEnd,
        records: finding.records,
        features: finding.features,
        ...(signal.reportUri ? { reportUri: signal.reportUri } : {}),
        ...(finding.violationsUri ? { violationsUri: finding.violationsUri } : {}),
      },
    },
  ]);
  const time = deps.clock.now();
  await deps.queue.request({
    modelGroup: group,
    reason: `Drift on v${signal.version} in the window ending ${signal.windowEnd}`,
    trigger: { source: 'creditai.mlops', detailType: 'DriftDetected', eventId: `${group}/v${signal.version}/${signal.windowEnd}`, time },
  });
}
