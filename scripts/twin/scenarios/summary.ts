/**
 * What a scenario run comes to, computed from its timeline: lead time from push to production, rollback time
 * from the alarm to the rollback, drift detection time from the shift in the data to the DriftDetected decision,
 * the gates passed, and the audit records written.
 */
import type { TimelineEntry } from './timeline';

export interface ScenarioSummary {
  /** Virtual milliseconds from the push to the first version live in production after it. */
  leadTimeMs?: number;
  /** From the first rollback alarm going to ALARM to the rollback decision. */
  rollbackTimeMs?: number;
  /** From the moment the traffic shifted to the first DriftDetected. */
  driftDetectionMs?: number;
  versionsGated: number;
  versionsPassedGates: number;
  gateChecksPassed: number;
  gateChecksRun: number;
  promotions: number;
  rollbacks: number;
  retrainsStarted: number;
  auditRecords: number;
  /** The version live in production at the end, if any. */
  liveVersion?: number;
}

/** Marks the scenario sets on its timeline (by note text is fragile; by name it is not). */
export interface Marks {
  push?: number;
  driftStart?: number;
}

const first = (entries: TimelineEntry[], test: (e: TimelineEntry) => boolean, afterMs = -Infinity) => entries.find((e) => e.atMs >= afterMs && test(e));

export function summarise(entries: TimelineEntry[], marks: Marks, details: { auditRecords: number; liveVersion?: number; gateResults: { passed: boolean; results: { passed: boolean }[] }[] }): ScenarioSummary {
  const decision = (type: string) => (e: TimelineEntry) => e.actor === 'control-plane' && e.type === type;
  const promoted = marks.push !== undefined ? first(entries, decision('ModelPromoted'), marks.push) : undefined;
  const alarm = first(entries, (e) => e.type === 'CloudWatch Alarm State Change' && / → ALARM:/.test(e.text) && /alarm creditai-/.test(e.text));
  const rollback = alarm ? first(entries, decision('RollbackPerformed'), alarm.atMs) : undefined;
  const drift = marks.driftStart !== undefined ? first(entries, decision('DriftDetected'), marks.driftStart) : undefined;
  const count = (type: string) => entries.filter(decision(type)).length;
  return {
    ...(promoted && marks.push !== undefined ? { leadTimeMs: promoted.atMs - marks.push } : {}),
    ...(alarm && rollback ? { rollbackTimeMs: rollback.atMs - alarm.atMs } : {}),
    ...(drift && marks.driftStart !== undefined ? { driftDetectionMs: drift.atMs - marks.driftStart } : {}),
    versionsGated: details.gateResults.length,
    versionsPassedGates: details.gateResults.filter((g) => g.passed).length,
    gateChecksPassed: details.gateResults.reduce((n, g) => n + g.results.filter((r) => r.passed).length, 0),
    gateChecksRun: details.gateResults.reduce((n, g) => n + g.results.length, 0),
    promotions: count('ModelPromoted'),
    rollbacks: count('RollbackPerformed'),
    retrainsStarted: count('RetrainRequested'),
    auditRecords: details.auditRecords,
    ...(details.liveVersion !== undefined ? { liveVersion: details.liveVersion } : {}),
  };
}

/** `1 h 02 min`, `3 min 20 s`, `45 s`: durations the way people read them. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${String(s % 60).padStart(2, '0')} s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
