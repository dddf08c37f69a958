/**
 * The `ExperimentOutcomes` port over S3: the experiment's captured decisions (Data Capture, per variant:
 * `<capture>/<endpoint>/<variant>/yyyy/mm/dd/hh/*.jsonl`, eventMetadata.inferenceId, one score per row) joined by
 * inference id and row to the loan book's matured outcomes (`<outcomes>/<group>/yyyy/mm/dd/*.jsonl`, one JSON line
 * `{inferenceId, row?, label, value, maturedAt}` per approved application and label). Reads the experiment's days
 * only; keeps one compact record per captured application and the outcomes of the approved ones (bounded by the
 * enrolment window of the experiment).
 *
 * UNVERIFIED: in a shadow test, Data Capture writes the shadow variant's requests under its own variant name with
 * the caller's InferenceId, so a mirrored copy pairs with its original by inference id.
 */
import { captureCsv, captureRecordSchema } from '../judge/drift/capture';
import type { CaptureSource } from '../drift-check/ports';
import { countArms, pairShadowScores, type CapturedDecision } from '../experiment-judge/arm-counts';
import type { ExperimentData, ExperimentOutcomes } from '../experiment-judge/ports';

export interface ExperimentOutcomesConfig {
  /** DATA_CAPTURE_S3_URI. */
  captureUri: string;
  /** OUTCOMES_S3_URI. */
  outcomesUri: string;
}

const DAY_MS = 86_400_000;

/** `yyyy/mm/dd/` of every day from `from` to `until` (inclusive). */
export function dayPrefixes(from: string, until: string): string[] {
  const days: string[] = [];
  for (let t = Math.floor(Date.parse(from) / DAY_MS) * DAY_MS; t <= Date.parse(until); t += DAY_MS) {
    days.push(`${new Date(t).toISOString().slice(0, 10).replaceAll('-', '/')}/`);
  }
  return days;
}

/** The decisions of one capture line: one per row, keyed `<inferenceId>#<row>`; none without id, time or scores. */
export function decisionsOfLine(line: string, variant: string, threshold: number): CapturedDecision[] {
  const csv = captureCsv(line);
  const meta = captureRecordSchema.safeParse(JSON.parse(line)).data?.eventMetadata as { inferenceId?: string; inferenceTime?: string } | undefined;
  if (!csv?.scores || !meta?.inferenceId || !meta.inferenceTime) return [];
  return csv.scores.map((score, row) => ({ inferenceId: `${meta.inferenceId}#${row}`, variant, at: meta.inferenceTime!, score, approved: score <= threshold }));
}

/** One outcome line → `{label, key, value}`, or undefined (not an outcome). */
export function outcomeOfLine(line: string): { label: string; key: string; value: number } | undefined {
  const o = JSON.parse(line) as { inferenceId?: unknown; row?: unknown; label?: unknown; value?: unknown };
  if (typeof o.inferenceId !== 'string' || typeof o.label !== 'string' || (o.value !== 0 && o.value !== 1)) return undefined;
  return { label: o.label, key: `${o.inferenceId}#${typeof o.row === 'number' ? o.row : 0}`, value: o.value };
}

export function makeS3ExperimentOutcomes(source: CaptureSource, config: ExperimentOutcomesConfig): ExperimentOutcomes {
  const base = (uri: string) => uri.replace(/\/+$/, '');
  return {
    async armCounts(query) {
      const days = dayPrefixes(query.from, query.until);
      const decisions: CapturedDecision[] = [];
      for (const variant of [query.championVariant, query.challengerVariant]) {
        for (const day of days) {
          for await (const line of source.lines(`${base(config.captureUri)}/${query.endpointName}/${variant}/${day}`)) decisions.push(...decisionsOfLine(line, variant, query.decisionThreshold));
        }
      }
      // In a shadow test the champion's decision is the one made: its approvals are the ones with an outcome.
      const deciding = query.mode === 'shadow' ? decisions.filter((d) => d.variant === query.championVariant) : decisions;
      const approved = new Set(deciding.filter((d) => d.approved).map((d) => d.inferenceId));
      const early = query.mode === 'ab' ? query.earlyHarmLabel : undefined;
      const outcomes = new Map<string, number>();
      const earlyOutcomes = new Map<string, number>();
      for (const day of days) {
        for await (const line of source.lines(`${base(config.outcomesUri)}/${query.group}/${day}`)) {
          const outcome = outcomeOfLine(line);
          if (!outcome || !approved.has(outcome.key)) continue;
          if (outcome.label === query.label) outcomes.set(outcome.key, outcome.value);
          else if (outcome.label === early?.label) earlyOutcomes.set(outcome.key, outcome.value);
        }
      }
      if (query.mode === 'shadow') return pairShadowScores(decisions, outcomes, query);
      const data: ExperimentData = countArms(decisions, outcomes, query);
      return early ? { ...data, earlyHarm: countArms(decisions, earlyOutcomes, { ...query, labelMaturityDays: early.maturityDays }) } : data;
    },
  };
}
