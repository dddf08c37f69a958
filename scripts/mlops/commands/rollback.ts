/**
 * `mlops rollback <group> [--reason <text>]`: the on-call engineer's one-command rollback.
 *
 * Steps:
 *   1. read the group's recorded status; refuse (exit 2) when nothing is Live or no last-known-good exists;
 *   2. print the plan: Live version → last-known-good, and whether a production rollout must end first;
 *   3. record the request on the group (StateStore.requestRollback), then queue a reconcile so it happens now
 *      rather than at the next sweep. The reconciler does the rollback; the CLI only asks for it.
 */
import { reconcileRequestSchema, type ReconcileRequest } from '../../../shared/contracts/reconcile-request';
import { shortHash } from '../../../shared/lifecycle/names';
import type { Clock, ReconcileQueue, StateStore } from '../../../shared/reconcile/ports';
import { EXIT, formatTime, summarise, type CommandResult } from '../format';

/** The ports `rollback` works through. */
export interface RollbackDeps {
  state: Pick<StateStore, 'load' | 'requestRollback'>;
  queue: ReconcileQueue;
  clock: Clock;
}

export interface RollbackArgs {
  group: string;
  reason?: string;
  /** Who asks (`--as`, CREDITAI_OPERATOR or the OS user name). */
  operator: string;
  /** Print the plan only. */
  dryRun?: boolean;
}

/** The trigger source of requests the CLI makes, as the reconciler's logs and the ledger show it. */
export const CLI_SOURCE = 'creditai.mlops.cli';

const DEFAULT_REASON = 'no reason given';

/** The reconcile request of an operator rollback; its event id is unique per operator and moment. */
export function rollbackReconcileRequest(group: string, by: string, reason: string, at: string): ReconcileRequest {
  return reconcileRequestSchema.parse({
    modelGroup: group,
    reason: `Operator rollback requested by ${by}: ${reason}`.slice(0, 512),
    trigger: { source: CLI_SOURCE, detailType: 'Operator Rollback Requested', eventId: `cli-rollback-${shortHash(`${group}|${by}|${at}`, 24)}`, time: at },
  });
}

/**
 * Requests a rollback of the group's Live version to its last-known-good.
 *
 * @returns exit 0 when requested (or planned, with `dryRun`); 1 on an invalid group name; 2 when there is no Live
 * version or no last-known-good to go back to.
 */
export async function rollback(deps: RollbackDeps, args: RollbackArgs): Promise<CommandResult> {
  if (!reconcileRequestSchema.shape.modelGroup.safeParse(args.group).success) {
    return { exitCode: EXIT.usage, output: `Not a model package group name: ${args.group}` };
  }
  const recorded = await deps.state.load(args.group);
  const now = deps.clock.now();
  const s = summarise(recorded);
  if (!s.live) {
    const hint = recorded.revision === 0 ? ' No status is recorded for it: check the name with `mlops status`.' : '';
    return { exitCode: EXIT.refused, output: `Refused: model group ${args.group} has no Live version, so there is nothing to roll back.${hint}` };
  }
  if (!s.lastKnownGood) {
    return {
      exitCode: EXIT.refused,
      output:
        `Refused: model group ${args.group} has no last-known-good version to go back to (v${s.live.version} is Live and no earlier ` +
        `version that served production is kept). Release a fixed version through the pipeline instead.`,
    };
  }
  const reason = args.reason?.trim() || DEFAULT_REASON;
  const lines = [
    `Rollback of ${args.group}: v${s.live.version} (Live since ${formatTime(s.live.liveSince ?? s.live.since, now)}) → v${s.lastKnownGood.version} (last-known-good).`,
    `  requested by: ${args.operator}`,
    `  reason:       ${reason}`,
    `The reconciler marks v${s.live.version} RolledBack and redeploys v${s.lastKnownGood.version} to production all at once.`,
  ];
  const rollingOut = s.inFlight.find((v) => v.phase === 'Canary');
  if (rollingOut) lines.push(`Note: v${rollingOut.version} is rolling out to production (Canary); the rollback starts when that rollout ends.`);
  if (s.rollbackRequest) lines.push(`Note: a rollback requested by ${s.rollbackRequest.by} at ${s.rollbackRequest.at} is still pending; this request replaces it.`);
  if (args.dryRun) {
    lines.push('Dry run: nothing was requested.');
    return { exitCode: EXIT.ok, output: lines.join('\n') };
  }
  const request = rollbackReconcileRequest(args.group, args.operator, reason, now);
  await deps.state.requestRollback(args.group, { by: args.operator, reason, at: now });
  await deps.queue.request(request);
  lines.push(`Reconcile queued (trigger ${request.trigger.eventId}). Follow it with: mlops status ${args.group}`);
  return { exitCode: EXIT.ok, output: lines.join('\n') };
}
