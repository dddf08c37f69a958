/**
 * `mlops challenge <group> <package-arn> --share <percent> --reason <text>`: start an experiment of a candidate
 * version against the group's Live version: an A/B test, or a shadow test when the group's policy says the
 * challenger must not decide (`experiment.mode: shadow`).
 *
 * Steps:
 *   1. check the package ARN belongs to the group and the share is a whole percent from 1 to 50 (A/B: the
 *      challenger decides it) or to 100 (shadow: the share of requests mirrored to it);
 *   2. read the group's recorded status; refuse (exit 2) when nothing is Live, the version is unknown or not a
 *      candidate for production, or an experiment already runs;
 *   3. record the request on the group (StateStore.requestChallenge), then queue a reconcile. The reconciler starts
 *      the test once the version is approved for production by a human (and the endpoint is free).
 */
import { modelPackageVersionFromArn } from '../../../shared/contracts/aws-events';
import { reconcileRequestSchema, type ReconcileRequest } from '../../../shared/contracts/reconcile-request';
import { MAX_AB_SHARE_PERCENT } from '../../../shared/lifecycle/decide';
import { shortHash } from '../../../shared/lifecycle/names';
import { parsePolicy } from '../../../shared/lifecycle/policy';
import type { Clock, ReconcileQueue, StateStore } from '../../../shared/reconcile/ports';
import { EXIT, type CommandResult } from '../format';
import { CLI_SOURCE } from './rollback';

export interface ChallengeDeps {
  state: Pick<StateStore, 'load' | 'requestChallenge' | 'policyOverrides'>;
  queue: ReconcileQueue;
  clock: Clock;
}

export interface ChallengeArgs {
  group: string;
  packageArn: string;
  /** A/B: percent of production traffic the challenger decides; shadow: percent mirrored to it (`--share`, as typed). */
  share: string;
  reason?: string;
  operator: string;
}

/** The largest share: an A/B challenger decides at most half (decide's limit); a shadow may see every request. */
export const MAX_SHARE_PERCENT = { ab: MAX_AB_SHARE_PERCENT, shadow: 100 } as const;

/** Phases from which a version may still become a challenger (on its way to production, not yet in it). */
const CANDIDATE_PHASES = new Set(['Registered', 'Gated', 'AwaitingApproval', 'DeployingStaging', 'StagingVerified', 'Approved']);

export function challengeReconcileRequest(group: string, version: number, by: string, at: string): ReconcileRequest {
  return reconcileRequestSchema.parse({
    modelGroup: group,
    reason: `Operator challenge of v${version} requested by ${by}`.slice(0, 512),
    trigger: { source: CLI_SOURCE, detailType: 'Operator Challenge Requested', eventId: `cli-challenge-${shortHash(`${group}|${version}|${by}|${at}`, 24)}`, time: at },
  });
}

/**
 * Requests an A/B test of a package version against the Live version.
 *
 * @returns exit 0 when requested; 1 on a bad argument; 2 when the group's state refuses it.
 */
export async function challenge(deps: ChallengeDeps, args: ChallengeArgs): Promise<CommandResult> {
  let version: number;
  try {
    version = modelPackageVersionFromArn(args.packageArn);
  } catch (error) {
    return { exitCode: EXIT.usage, output: (error as Error).message };
  }
  if (!args.packageArn.toLowerCase().includes(`:model-package/${args.group.toLowerCase()}/`)) {
    return { exitCode: EXIT.usage, output: `Package ${args.packageArn} is not in model group ${args.group}` };
  }
  const overrides = await deps.state.policyOverrides(args.group);
  if (overrides === undefined) return { exitCode: EXIT.refused, output: `Refused: model group ${args.group} is not managed (it has no policy).` };
  const mode = parsePolicy(overrides).experiment.mode;
  const share = Number(args.share);
  if (!Number.isInteger(share) || share < 1 || share > MAX_SHARE_PERCENT[mode]) {
    return { exitCode: EXIT.usage, output: `--share must be a whole percent from 1 to ${MAX_SHARE_PERCENT[mode]} in ${mode === 'ab' ? 'an A/B' : 'a shadow'} test, got "${args.share}"` };
  }
  const reason = args.reason?.trim();
  if (!reason) return { exitCode: EXIT.usage, output: '--reason is required: it is recorded on the request and in the audit ledger' };
  const status = await deps.state.load(args.group);
  const live = status.versions.find((v) => v.phase === 'Live');
  const candidate = status.versions.find((v) => v.version === version);
  const refusal = !live
    ? `model group ${args.group} has no Live version to challenge`
    : status.experiment
      ? `v${status.experiment.version} is already challenging v${status.experiment.championVersion}; wait for its conclusion`
      : !candidate
        ? `v${version} is not recorded for ${args.group} yet (wait for the registration to be reconciled)`
        : !CANDIDATE_PHASES.has(candidate.phase)
          ? `v${version} is ${candidate.phase}, not a candidate for production`
          : undefined;
  if (refusal) return { exitCode: EXIT.refused, output: `Refused: ${refusal}.` };
  const now = deps.clock.now();
  await deps.state.requestChallenge(args.group, { version, sharePercent: share, mode, by: args.operator, reason, at: now });
  const request = challengeReconcileRequest(args.group, version, args.operator, now);
  await deps.queue.request(request);
  const waits = candidate!.phase === 'Approved' ? '' : ` It starts once v${version} is approved for production by a human (now ${candidate!.phase}).`;
  return {
    exitCode: EXIT.ok,
    output: [
      mode === 'ab'
        ? `A/B test of ${args.group}: v${version} (challenger, ${share} %) against v${live!.version} (champion, ${100 - share} %).`
        : `Shadow test of ${args.group}: v${version} (challenger, scores a copy of ${share} % of requests, decides nothing) against v${live!.version} (champion, decides all).`,
      `  requested by: ${args.operator}`,
      `  reason:       ${reason}`,
      `Reconcile queued (trigger ${request.trigger.eventId}).${waits} Follow it with: mlops status ${args.group}`,
    ].join('\n'),
  };
}
