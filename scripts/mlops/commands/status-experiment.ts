/**
 * The A/B-test part of `mlops status`: a pending challenge request and what it waits for, the running experiment
 * (mode, arms, share, endpoint config, verdict, weight shift) and the judge's last look. Pure formatting, no I/O.
 */
import type { ExperimentLooks } from '../../../shared/experiment-judge/ports';
import type { ChallengeRequest, ExperimentArmFigures, ExperimentState, GroupStatus } from '../../../shared/lifecycle/model';
import { OVERTAKABLE } from '../../../shared/lifecycle/phases';
import { age, formatTime, phaseLabel, table, truncate } from '../format';

export type ExperimentMode = NonNullable<ExperimentState['mode']>;

/** The judge's last look of one experiment, as the ExperimentLooks port returns it. */
export type JudgeLook = NonNullable<Awaited<ReturnType<ExperimentLooks['last']>>>;

/** What the CLI could learn of the judge's looks: the last one (none yet when undefined), or why it could not read. */
export type JudgeLookView = { look: JudgeLook | undefined } | { error: string };

/** Width of the `  Label:` column the group view aligns its values to (as `  Last-known-good: `). */
const LABEL_WIDTH = 19;

const field = (label: string, value: string, indent = 2): string => `${' '.repeat(indent)}${`${label}:`.padEnd(LABEL_WIDTH - indent)}${value}`;

/** An experiment's mode; absent in records written before shadow tests existed, which were all A/B. */
export function modeOf(e: ExperimentState): ExperimentMode {
  return e.mode ?? 'ab';
}

const MODE_LABEL: Record<ExperimentMode, string> = { ab: 'A/B', shadow: 'shadow' };

/** What a pending challenge waits for, read from the recorded phase of its version (decide, rule 7). */
export function challengeWait(status: GroupStatus, request: ChallengeRequest): string {
  const v = status.versions.find((o) => o.version === request.version);
  const live = status.versions.find((o) => o.phase === 'Live');
  const refused = 'the next reconcile refuses it';
  if (!v) return `v${request.version} is not recorded: ${refused}`;
  if (v.phase === 'Approved' || OVERTAKABLE.has(v.phase)) {
    if (!live) return `no version is Live to challenge: ${refused}`;
    if (status.experiment) return `waiting for the running experiment (v${status.experiment.version}) to end`;
    if (v.phase === 'Approved') return 'approved; waiting for the production slot';
    if (v.phase === 'AwaitingApproval' && v.awaiting === 'production') return 'waiting for the production approval by a human';
    return `waiting for v${v.version} to reach its production approval (now ${phaseLabel(v)})`;
  }
  return `v${v.version} is ${v.phase}, not a candidate: ${refused}`;
}

/** `v8 at 10 % by alice, 2026-11-28 11:30Z (30m ago): "why"; waiting for …`. */
export function challengeLine(status: GroupStatus, request: ChallengeRequest, now: string): string {
  return `v${request.version} at ${request.sharePercent} % by ${request.by}, ${formatTime(request.at, now)}: "${truncate(request.reason, 60)}"; ${challengeWait(status, request)}`;
}

/** The Challenger version's role, for its line in the version table. */
export function challengerLabel(e: ExperimentState): string {
  return modeOf(e) === 'shadow'
    ? `shadow vs champion v${e.championVersion}: scored on a copy of ${e.sharePercent} % of requests`
    : `A/B vs champion v${e.championVersion}: ${e.sharePercent} % of traffic`;
}

/** `units 1,200, events 60 (5.00 %)`: matured approvals, defaults among them and the default rate (as in `--json`). */
export function armLabel(arm: ExperimentArmFigures): string {
  const rate = arm.units > 0 ? ` (${((100 * arm.events) / arm.units).toFixed(2)} %)` : '';
  return `units ${arm.units.toLocaleString('en-US')}, events ${arm.events.toLocaleString('en-US')}${rate}`;
}

function judgeLabel(view: JudgeLookView, now: string): string {
  if ('error' in view) return `looks not read (${truncate(view.error, 200)})`;
  if (!view.look) return 'no look yet';
  const { lookAt, state } = view.look;
  const plural = state.looks === 1 ? '' : 's';
  return `${state.looks} look${plural} taken, last ${formatTime(lookAt, now)}; min harm p ${state.minHarmPValue.toPrecision(2)}`;
}

/**
 * What the reconcile does with a recorded verdict (decide, rule 7): A/B moves all traffic to the winner's variant,
 * then deploys a clean one-variant config; shadow releases a winner through the canary or redeploys the champion alone.
 */
function afterVerdict(e: ExperimentState, now: string): [label: string, value: string] {
  const wins = e.verdict!.decision === 'challenger-wins';
  if (modeOf(e) === 'shadow') {
    if (!wins) return ['next', `v${e.championVersion} (champion) is redeployed alone`];
    if (e.shadowRemovedAt) return ['next', `v${e.championVersion} (champion) alone sent ${formatTime(e.shadowRemovedAt, now)}; once it serves, v${e.version} goes to production through the canary`];
    return ['next', `v${e.championVersion} (champion) is redeployed alone, then v${e.version} goes to production through the canary`];
  }
  const winner = wins ? `v${e.version} (challenger)` : `v${e.championVersion} (champion)`;
  if (e.weightsShiftedAt) return ['weights', `all traffic moved to ${winner} ${formatTime(e.weightsShiftedAt, now)}; a one-variant config follows`];
  return ['weights', `not shifted yet: the next reconcile moves all traffic to ${winner}`];
}

/** When the endpoint was first seen serving the experiment's config, or how often it was sent without being served. */
function servingLabel(e: ExperimentState, now: string): string {
  if (e.deployError) return `refused by SageMaker (${truncate(e.deployError, 120)}): the next reconcile aborts the test`;
  if (e.servingSince) return `serving since ${formatTime(e.servingSince, now)}`;
  const attempts = e.deployAttempts ?? 1;
  return attempts > 1 ? `not served yet (config sent ${attempts} times)` : 'not served yet';
}

/** The running experiment as indented `label: value` lines (the judge line only when its looks were read). */
export function experimentLines(e: ExperimentState, now: string, judge?: JudgeLookView): string[] {
  const arms =
    modeOf(e) === 'shadow'
      ? `v${e.version} (challenger) scored on a copy of ${e.sharePercent} % of requests, decides nothing; v${e.championVersion} (champion) serves all`
      : `v${e.version} (challenger, ${e.sharePercent} %) against v${e.championVersion} (champion, ${100 - e.sharePercent} %)`;
  const lines = [
    field('Experiment', `${MODE_LABEL[modeOf(e)]}: ${arms}`),
    field('config', e.endpointConfigName, 4),
    field('started', `${formatTime(e.startedAt, now)}; ${servingLabel(e, now)}`, 4),
  ];
  if (e.labels) {
    const early = e.labels.earlyHarm ? `; harm on ${e.labels.earlyHarm.label} after ${e.labels.earlyHarm.maturityDays} days` : '';
    lines.push(field('labels', `${e.labels.label} after ${e.labels.maturityDays} days${early}; approved at score ≤ ${e.labels.decisionThreshold}`, 4));
  }
  if (e.deadline && !e.verdict) lines.push(field('deadline', `${formatTime(e.deadline, now)}: no verdict by then keeps the champion`, 4));
  if (judge) lines.push(field('judge', judgeLabel(judge, now), 4));
  if (!e.verdict) {
    lines.push(field('verdict', 'none yet', 4));
    return lines;
  }
  const v = e.verdict;
  lines.push(
    field('verdict', `${v.decision} at ${formatTime(v.lookAt, now)}: ${truncate(v.reason, 100)}`, 4),
    field('arms', `champion v${e.championVersion} ${armLabel(v.champion)}; challenger v${e.version} ${armLabel(v.challenger)}`, 4),
    field(...afterVerdict(e, now), 4),
  );
  return lines;
}

/** The challenge and experiment lines of one group's header block; empty when there is neither. */
export function challengeAndExperimentLines(status: GroupStatus, now: string, judge?: JudgeLookView): string[] {
  return [
    ...(status.challengeRequest ? [field('Challenge', challengeLine(status, status.challengeRequest, now))] : []),
    ...(status.experiment ? experimentLines(status.experiment, now, judge) : []),
  ];
}

/**
 * A copy of the status for display whose Challenger version's reason names its champion, share and mode (the
 * recorded reason is decide's wording of the same, written when the test started).
 */
export function withChallengerRole(status: GroupStatus): GroupStatus {
  const e = status.experiment;
  if (!e) return status;
  return {
    ...status,
    versions: status.versions.map((v) => (v.version === e.version && v.phase === 'Challenger' ? { ...v, reason: challengerLabel(e) } : v)),
  };
}

function experimentState(e: ExperimentState, now: string): string {
  if (!e.verdict) return `started ${age(e.startedAt, now)}, no verdict yet`;
  if (modeOf(e) === 'shadow') return `${e.verdict.decision}; concluding`;
  const shift = e.weightsShiftedAt ? 'weights shifted, clean config next' : 'weights not shifted yet';
  return `${e.verdict.decision}; ${shift}`;
}

/** The overview's table of running experiments and pending challenges; undefined when no group has either. */
export function experimentsOverview(statuses: readonly GroupStatus[], now: string): string | undefined {
  const rows = statuses.flatMap((s) => {
    const live = s.versions.find((v) => v.phase === 'Live');
    const e = s.experiment;
    const r = s.challengeRequest;
    return [
      ...(e ? [[s.group, `v${e.version}`, `v${e.championVersion}`, `${e.sharePercent} %`, MODE_LABEL[modeOf(e)], experimentState(e, now)]] : []),
      ...(r
        ? [[s.group, `v${r.version}`, live ? `v${live.version}` : '-', `${r.sharePercent} %`, 'requested', `by ${r.by} ${age(r.at, now)}; ${challengeWait(s, r)}`]]
        : []),
    ];
  });
  if (rows.length === 0) return undefined;
  return table(['GROUP', 'CHALLENGER', 'CHAMPION', 'SHARE', 'MODE', 'STATE'], rows);
}
