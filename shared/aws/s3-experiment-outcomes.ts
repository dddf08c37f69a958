/**
 * The `ExperimentOutcomes` port over S3: the experiment's captured decisions (Data Capture, per variant:
 * `<capture>/<endpoint>/<variant>/yyyy/mm/dd/hh/*.jsonl`, eventMetadata.inferenceId, one score per row) joined by
 * inference id and row to the loan book's matured outcomes (`<outcomes>/<group>/yyyy/mm/dd/*.jsonl`, one JSON line
 * `{inferenceId, row?, label, value, maturedAt}` per approved application and label). Reads the experiment's days
 * only, and of those only the objects it has not parsed yet (by ETag, while the container is warm); keeps one compact
 * record per captured application and outcome of the experiment: about 100 bytes each, so a 90-day test at 10,000
 * applications a day holds ~1.8 million records (~200 MB) — beyond that, a tally persisted between looks is needed.
 *
 * UNVERIFIED: in a shadow test, Data Capture writes the shadow variant's requests under its own variant name with
 * the caller's InferenceId, so a mirrored copy pairs with its original by inference id.
 */
import { captureCsv, captureRecordSchema } from '../judge/drift/capture';
import type { JsonLinesObjects } from './s3-capture';
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

/** One outcome line, parsed. */
interface OutcomeRecord {
  label: string;
  key: string;
  value: number;
}

/**
 * What was parsed of each object, by URI and ETag, for as long as the container lives: S3 objects are immutable
 * (a rewrite changes the ETag), so a warm judge parses only the objects that appeared since its last look. One
 * entry per group (a group runs one experiment at a time): a look keeps what it read again and forgets the rest
 * (an expired file, the group's previous experiment), and one group's look never evicts another's.
 */
function parsedObjects<T>(source: JsonLinesObjects) {
  const byGroup = new Map<string, Map<string, T[]>>();
  return {
    /** One look of `group`: read through it, then `end()` keeps only what this look read. */
    look(group: string) {
      const cache = byGroup.get(group) ?? new Map<string, T[]>();
      const fresh = new Map<string, T[]>();
      return {
        async read(prefixUri: string, parse: (line: string) => T[], variantKey = ''): Promise<T[][]> {
          const parts: T[][] = [];
          for await (const object of source.objects(prefixUri)) {
            const id = `${object.uri}#${object.etag}#${variantKey}`;
            let parsed = fresh.get(id) ?? cache.get(id);
            if (!parsed) parsed = (await source.objectLines(object.uri)).flatMap(parse);
            fresh.set(id, parsed);
            parts.push(parsed);
          }
          return parts;
        },
        end() {
          byGroup.set(group, fresh);
        },
      };
    },
    retain(groups: readonly string[]) {
      for (const group of [...byGroup.keys()]) if (!groups.includes(group)) byGroup.delete(group);
    },
  };
}

/**
 * @example
 * const outcomes = makeS3ExperimentOutcomes(makeS3CaptureSource(s3), { captureUri, outcomesUri });
 * const { champion, challenger } = await outcomes.armCounts(query);
 */
export function makeS3ExperimentOutcomes(source: JsonLinesObjects, config: ExperimentOutcomesConfig): ExperimentOutcomes {
  const base = (uri: string) => uri.replace(/\/+$/, '');
  const captures = parsedObjects<CapturedDecision>(source);
  const outcomeLines = parsedObjects<OutcomeRecord>(source);
  return {
    retain(groups) {
      captures.retain(groups);
      outcomeLines.retain(groups);
    },
    async armCounts(query) {
      const days = dayPrefixes(query.from, query.until);
      const decisions: CapturedDecision[] = [];
      const captured = captures.look(query.group);
      const reported = outcomeLines.look(query.group);
      for (const variant of [query.championVariant, query.challengerVariant]) {
        for (const day of days) {
          const parts = await captured.read(`${base(config.captureUri)}/${query.endpointName}/${variant}/${day}`, (line) => decisionsOfLine(line, variant, query.decisionThreshold), `${variant}@${query.decisionThreshold}`);
          for (const part of parts) for (const d of part) decisions.push(d);
        }
      }
      // In a shadow test the champion's decision is the one made: its approvals are the ones with an outcome.
      const deciding = query.mode === 'shadow' ? decisions.filter((d) => d.variant === query.championVariant) : decisions;
      const approved = new Set(deciding.filter((d) => d.approved).map((d) => d.inferenceId));
      const early = query.mode === 'ab' ? query.earlyHarmLabel : undefined;
      const outcomes = new Map<string, number>();
      const earlyOutcomes = new Map<string, number>();
      for (const day of days) {
        // Kept only for the experiment's approved decisions (an outcome matures long after its decision is captured),
        // not for the loans of the days' other applications.
        for (const part of await reported.read(`${base(config.outcomesUri)}/${query.group}/${day}`, (line) => {
          const outcome = outcomeOfLine(line);
          return outcome && approved.has(outcome.key) ? [outcome] : [];
        })) {
          for (const outcome of part) {
            if (!approved.has(outcome.key)) continue;
            if (outcome.label === query.label) outcomes.set(outcome.key, outcome.value);
            else if (outcome.label === early?.label) earlyOutcomes.set(outcome.key, outcome.value);
          }
        }
      }
      captured.end();
      reported.end();
      if (query.mode === 'shadow') return pairShadowScores(decisions, outcomes, query);
      const data: ExperimentData = countArms(decisions, outcomes, query);
      return early ? { ...data, earlyHarm: countArms(decisions, earlyOutcomes, { ...query, labelMaturityDays: early.maturityDays }) } : data;
    },
  };
}
