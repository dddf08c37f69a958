/**
 * Whether a retrain the drift triage asks for starts now, in one place: at most one run in flight per group (a
 * signal during a run is folded into it), a cooldown after each run, and a weekly budget. Every answer names its
 * reason, so "skipped: cooldown" is as visible in the ledger as a start.
 */
import type { Policy } from './policy';

/** What the group's retraining history says. */
export interface RetrainingHistory {
  /** The run in flight, if any. */
  inFlight?: { executionArn?: string; startedAt: string };
  /** When the last run ended (succeeded, failed or stopped). */
  lastEndedAt?: string;
  /** Start times of runs, any age (only the last 7 days count). */
  starts: string[];
}

export type RetrainDecision =
  | { start: true; reason: string }
  | { start: false; skip: 'in-flight' | 'cooldown' | 'weekly-budget'; reason: string; until?: string; executionArn?: string };

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

export function decideRetraining(history: RetrainingHistory, policy: Policy['retrain'], now: string): RetrainDecision {
  const nowMs = Date.parse(now);
  if (history.inFlight) {
    return {
      start: false,
      skip: 'in-flight',
      ...(history.inFlight.executionArn ? { executionArn: history.inFlight.executionArn } : {}),
      reason: `a retraining run started ${history.inFlight.startedAt} is still running; this signal is folded into it`,
    };
  }
  if (history.lastEndedAt !== undefined) {
    const until = Date.parse(history.lastEndedAt) + policy.cooldownHours * HOUR_MS;
    if (nowMs < until) {
      const iso = new Date(until).toISOString();
      return { start: false, skip: 'cooldown', until: iso, reason: `cooldown of ${policy.cooldownHours} h after the run that ended ${history.lastEndedAt}, until ${iso}` };
    }
  }
  const recent = history.starts.map(Date.parse).filter((t) => t > nowMs - WEEK_MS && t <= nowMs).sort((a, b) => a - b);
  if (recent.length >= policy.maxPerWeek) {
    const until = new Date((recent[recent.length - policy.maxPerWeek] ?? nowMs) + WEEK_MS).toISOString();
    return { start: false, skip: 'weekly-budget', until, reason: `weekly budget of ${policy.maxPerWeek} retraining runs spent (${recent.length} in the last 7 days), until ${until}` };
  }
  return { start: true, reason: `retraining run ${recent.length + 1} of ${policy.maxPerWeek} this week` };
}
