/**
 * decide, rule 4 (rollback), which alarms count against the Live version: an alarm that went off during another
 * version's rollout that the guardrails reverted belongs to that rollout, not to the Live version; one that goes
 * off after the revert does count. And a guardrail revert names the version traffic went back to.
 */
import { aDeployment, anAlarm, aPackage, aSnapshot, aVersion, decideChecked, eventsOfType, humanApproval, LIVE_SINCE, NOW, P99_ALARM, PROD_ENDPOINT, prodServing, anEndpoint, configOf, DEPLOY_STARTED } from '../../support/lifecycle-fixtures';

const REVERTED_AT = '2026-11-02T09:20:00.000Z';

function afterRevert(alarmSince: string) {
  return aSnapshot({
    versions: [
      aVersion(1, 'Live', { liveSince: LIVE_SINCE }),
      aVersion(2, 'RolledBack', { since: REVERTED_AT, deployments: { production: aDeployment(2, 'production', { startedAt: DEPLOY_STARTED }) } }),
    ],
    packages: [aPackage(1, { approval: humanApproval }), aPackage(2, { approval: humanApproval })],
    endpoints: { production: prodServing(1) },
    alarms: [anAlarm(P99_ALARM, 'ALARM', alarmSince)],
  });
}

describe('decide: which alarms count against the Live version', () => {
  it('ignores an alarm still firing from a reverted rollout of another version', () => {
    const decision = decideChecked(afterRevert('2026-11-02T09:12:00.000Z'));
    expect(eventsOfType(decision, 'RollbackPerformed')).toEqual([]);
    expect(eventsOfType(decision, 'ReconcileFailed')).toEqual([]);
  });

  it('counts an alarm that went off after the revert (v1 has no last-known-good: the rollback is blocked and paged)', () => {
    const decision = decideChecked(afterRevert('2026-11-02T09:30:00.000Z'));
    expect(eventsOfType(decision, 'ReconcileFailed')).toEqual([expect.objectContaining({ reason: 'NoRollbackTarget' })]);
  });

  it('counts alarms from the Live version\'s own start when the reverted rollout came before it', () => {
    const snapshot = afterRevert('2026-11-02T09:30:00.000Z');
    snapshot.status.versions = [
      aVersion(1, 'RolledBack', { since: '2026-10-30T10:00:00.000Z', deployments: { production: aDeployment(1, 'production', { startedAt: '2026-10-30T09:00:00.000Z' }) } }),
      aVersion(2, 'RolledBack', { since: '2026-10-31T10:00:00.000Z', deployments: { staging: aDeployment(2, 'staging') } }),
      aVersion(3, 'Live', { liveSince: LIVE_SINCE }),
    ];
    snapshot.packages = [1, 2, 3].map((v) => aPackage(v, { approval: humanApproval }));
    snapshot.endpoints = { production: prodServing(3) };
    expect(eventsOfType(decideChecked(snapshot), 'ReconcileFailed')).toEqual([expect.objectContaining({ reason: 'NoRollbackTarget' })]);
  });

  it('names the Live version a guardrail revert returned traffic to', () => {
    const snapshot = aSnapshot({
      versions: [aVersion(1, 'Live', { liveSince: LIVE_SINCE }), aVersion(2, 'Canary', { deployments: { production: aDeployment(2, 'production') } })],
      packages: [aPackage(1, { approval: humanApproval }), aPackage(2, { approval: humanApproval })],
      endpoints: { production: anEndpoint(PROD_ENDPOINT, 'InService', configOf(1, 'production')) },
      alarms: [anAlarm(P99_ALARM, 'ALARM', NOW)],
    });
    expect(eventsOfType(decideChecked(snapshot), 'RollbackPerformed')).toEqual([expect.objectContaining({ version: 2, initiator: 'sagemaker-guardrails', toVersion: 1, alarms: [P99_ALARM] })]);
  });
});
