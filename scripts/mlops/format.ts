import { lastKnownGood as lastKnownGoodOf } from '../../shared/lifecycle/last-known-good';
/**
 * Pure formatting for the `mlops` CLI: aligned tables, times with their age, and the human summary of a group's
 * recorded status (what is Live, what is in flight, which version a rollback would go back to). No I/O.
 */
import type { Condition } from '../../shared/lifecycle/conditions';
import type { GroupStatus, VersionStatus } from '../../shared/lifecycle/model';
import { FINAL } from '../../shared/lifecycle/phases';

/** Exit codes of every command: 0 done, 1 usage or environment error, 2 refused (the state forbids it). */
export const EXIT = { ok: 0, usage: 1, refused: 2 } as const;

/** What every command returns: the process exit code and the text to print (stdout on 0, stderr otherwise). */
export interface CommandResult {
  exitCode: (typeof EXIT)[keyof typeof EXIT];
  output: string;
}

/** What an operator wants to know about a group at a glance. */
export interface GroupSummary {
  group: string;
  live?: VersionStatus;
  /** The version a rollback would redeploy; see {@link lastKnownGood}. */
  lastKnownGood?: VersionStatus;
  /** Versions neither Live nor final (Registered … Canary, Challenger), newest first. */
  inFlight: VersionStatus[];
  /** Group conditions, and conditions of the Live and in-flight versions, that need attention. */
  attention: { version?: number; condition: Condition }[];
  rollbackRequest?: GroupStatus['rollbackRequest'];
}

/** The Live version of a group, if any (decide keeps at most one). */
export function liveVersion(status: GroupStatus): VersionStatus | undefined {
  return status.versions.find((v) => v.phase === 'Live');
}

/**
 * The version the reconciler redeploys on a rollback: the newest Superseded version that once served production.
 * The rule itself is `shared/lifecycle/last-known-good.ts`, the one decide() applies.
 */
export function lastKnownGood(status: GroupStatus): VersionStatus | undefined {
  // The registry's approval state is not at hand here; decide() also skips a revoked target when it acts.
  return lastKnownGoodOf(status.versions, () => true);
}

/** Condition types that report a problem when True; every other type reports one when False. */
const NEGATIVE_CONDITIONS: ReadonlySet<string> = new Set(['RollbackBlocked', 'Degraded']);

/** Whether a condition reports trouble: a negative type that is True, a positive one that is False, or Unknown. */
export function needsAttention(c: Condition): boolean {
  if (c.status === 'Unknown') return true;
  return NEGATIVE_CONDITIONS.has(c.type) ? c.status === 'True' : c.status === 'False';
}

/** Summarises a recorded group status for display. */
export function summarise(status: GroupStatus): GroupSummary {
  const live = liveVersion(status);
  const inFlight = status.versions.filter((v) => v.phase !== 'Live' && !FINAL.has(v.phase)).sort((a, b) => b.version - a.version);
  const current = [...(live ? [live] : []), ...inFlight];
  return {
    group: status.group,
    live,
    lastKnownGood: lastKnownGood(status),
    inFlight,
    attention: [
      ...status.conditions.filter(needsAttention).map((condition) => ({ condition })),
      ...current.flatMap((v) => v.conditions.filter(needsAttention).map((condition) => ({ version: v.version, condition }))),
    ],
    rollbackRequest: status.rollbackRequest,
  };
}

/** Renders rows under headers with every column padded to its widest cell; no trailing blanks. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, i) => (cells[i] ?? '').padEnd(w))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Cuts a text to `max` characters with an ellipsis, on one line. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** How long ago `iso` was, coarsely (`just now`, `5m ago`, `3h ago`, `2d ago`). */
export function age(iso: string, now: string): string {
  const ms = Date.parse(now) - Date.parse(iso);
  if (!Number.isFinite(ms)) return '?';
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'just now';
  // A time to come (an experiment's deadline) reads "in …".
  const [before, after] = ms < 0 ? ['in ', ''] : ['', ' ago'];
  if (minutes < 60) return `${before}${minutes}m${after}`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${before}${hours}h${after}` : `${before}${Math.floor(hours / 24)}d${after}`;
}

/** `2026-11-28 10:04Z (3h ago)`: minute precision for tables, the exact value stays in `--json`. */
export function formatTime(iso: string | undefined, now: string): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')}Z (${age(iso, now)})`;
}

/** `v7 AwaitingApproval(production)`: the phase with what it waits for. */
export function phaseLabel(v: VersionStatus): string {
  return v.phase === 'AwaitingApproval' && v.awaiting ? `AwaitingApproval(${v.awaiting})` : v.phase;
}

/** `passed`, `failed: auc, disparate-impact` or `-` when the gates have not run. */
export function gatesLabel(v: VersionStatus): string {
  if (!v.gates) return '-';
  if (v.gates.passed) return 'passed';
  return `failed: ${v.gates.results.filter((r) => !r.passed).map((r) => r.gate).join(', ')}`;
}

/** The approver of record, or `-`. */
export function approverLabel(v: VersionStatus): string {
  return v.approval ? `${v.approval.actor.arn} (${v.approval.actor.kind})` : '-';
}

/** `RollbackBlocked: NoRollbackTarget` or `v7 ApprovalVerified/production=False: NoIdentifiedHuman`, for lists. */
function conditionLabel({ version, condition: c }: GroupSummary['attention'][number]): string {
  const prefix = version === undefined ? '' : `v${version} `;
  return c.status === 'True' ? `${prefix}${c.type}: ${c.reason}` : `${prefix}${c.type}=${c.status}: ${c.reason}`;
}

/** The one-table overview of every managed group (`mlops status`). */
export function formatOverview(statuses: readonly GroupStatus[], now: string): string {
  if (statuses.length === 0) return 'No managed model groups (the state table lists none).';
  const rows = statuses.map((status) => {
    const s = summarise(status);
    const notes = [
      ...s.attention.map(conditionLabel),
      ...(s.rollbackRequest ? [`RollbackRequested by ${s.rollbackRequest.by}`] : []),
    ];
    return [
      s.group,
      s.live ? `v${s.live.version} since ${formatTime(s.live.liveSince ?? s.live.since, now)}` : '-',
      s.lastKnownGood ? `v${s.lastKnownGood.version}` : '-',
      s.inFlight.map((v) => `v${v.version} ${phaseLabel(v)}`).join(', ') || '-',
      notes.join('; ') || '-',
    ];
  });
  return table(['GROUP', 'LIVE', 'LAST-KNOWN-GOOD', 'IN FLIGHT', 'CONDITIONS'], rows);
}

/** Conditions as an indented table, or `(none)`. */
function conditionsBlock(conditions: readonly Condition[], now: string): string {
  if (conditions.length === 0) return '  (none)';
  const rows = conditions.map((c) => [
    c.type,
    needsAttention(c) ? `${c.status} (!)` : c.status,
    c.reason,
    formatTime(c.lastTransitionTime, now),
    truncate(c.message, 100),
  ]);
  return table(['TYPE', 'STATUS', 'REASON', 'SINCE', 'MESSAGE'], rows)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** The detailed view of one group (`mlops status <group>`): its versions, newest first, then its conditions. */
export function formatGroup(status: GroupStatus, now: string): string {
  const s = summarise(status);
  const versions = [...status.versions].sort((a, b) => b.version - a.version);
  const lines = [
    `Model group ${status.group} (revision ${status.revision})`,
    `  Live:            ${s.live ? `v${s.live.version}` : 'none'}`,
    `  Last-known-good: ${s.lastKnownGood ? `v${s.lastKnownGood.version}` : 'none'}`,
  ];
  if (s.rollbackRequest) {
    lines.push(`  Rollback requested by ${s.rollbackRequest.by} at ${s.rollbackRequest.at}: ${s.rollbackRequest.reason}`);
  }
  lines.push('');
  if (versions.length === 0) {
    lines.push('No versions recorded.');
  } else {
    const rows = versions.map((v) => [
      `v${v.version}`,
      phaseLabel(v),
      formatTime(v.since, now),
      v.reason ? truncate(v.reason, 60) : '-',
      gatesLabel(v),
      approverLabel(v),
    ]);
    lines.push(table(['VERSION', 'PHASE', 'SINCE', 'REASON', 'GATES', 'APPROVED BY'], rows));
  }
  lines.push('', 'Group conditions:', conditionsBlock(status.conditions, now));
  const versionConditions = versions.flatMap((v) => v.conditions.map((c) => ({ v, c })));
  if (versionConditions.length > 0) {
    lines.push('', 'Version conditions:');
    const rows = versionConditions.map(({ v, c }) => [
      `v${v.version}`,
      c.type,
      needsAttention(c) ? `${c.status} (!)` : c.status,
      c.reason,
      truncate(c.message, 100),
    ]);
    lines.push(
      table(['VERSION', 'TYPE', 'STATUS', 'REASON', 'MESSAGE'], rows)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  return lines.join('\n');
}
