/**
 * Reconcile one model group until it settles:
 *   1. read the group's policy (an unmanaged group is left alone; a bad policy is reported, not retried);
 *   2. load the snapshot, decide, execute the actions, record their outcomes;
 *   3. write the status with a conditional write (a concurrent writer makes it retry);
 *   4. repeat while the status changes, at most MAX_PASSES times (one reconcile may take several steps).
 */
import { decide } from '../lifecycle/decide';
import type { GroupStatus } from '../lifecycle/model';
import { parsePolicy, type Policy } from '../lifecycle/policy';
import { shortHash } from '../lifecycle/names';
import { messageOf } from '../runtime/errors';
import { canonicalJson as canonical } from '../contracts/canonical-json';
import { execute, type ExecuteDeps } from './execute';
import { loadSnapshot, type SnapshotDeps } from './snapshot';

export type ReconcileDeps = SnapshotDeps & ExecuteDeps;

export interface ReconcileOutcome {
  outcome: 'settled' | 'unmanaged' | 'invalid-policy' | 'pass-limit';
  passes: number;
  status?: GroupStatus;
}

export const MAX_PASSES = 8;


async function policyOf(deps: ReconcileDeps, group: string): Promise<Policy | 'unmanaged' | 'invalid'> {
  const overrides = await deps.state.policyOverrides(group);
  if (overrides === undefined) return 'unmanaged';
  try {
    return parsePolicy(overrides);
  } catch (error) {
    const message = `The policy of ${group} is invalid and was not applied: ${messageOf(error)}`;
    await deps.bus.publish([
      {
        detailType: 'ReconcileFailed',
        detail: {
          schemaVersion: 1,
          eventKey: `${group}/policy/${shortHash(JSON.stringify(overrides))}/ReconcileFailed`,
          modelGroup: group,
          occurredAt: deps.clock.now(),
          severity: 'error',
          reason: 'InvalidPolicy',
          message: message.slice(0, 2000),
        },
      },
    ]);
    return 'invalid';
  }
}

export async function reconcileGroup(deps: ReconcileDeps, group: string): Promise<ReconcileOutcome> {
  const policy = await policyOf(deps, group);
  if (policy === 'unmanaged') return { outcome: 'unmanaged', passes: 0 };
  if (policy === 'invalid') return { outcome: 'invalid-policy', passes: 0 };
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const snapshot = await loadSnapshot(deps, group, policy);
    const decision = decide(snapshot, policy, deps.clock.now());
    const next = await execute(deps, decision.actions, decision.status);
    if (canonical(next) === canonical(snapshot.status)) return { outcome: 'settled', passes: pass, status: next };
    await deps.state.save(next, snapshot.status);
  }
  return { outcome: 'pass-limit', passes: MAX_PASSES };
}
