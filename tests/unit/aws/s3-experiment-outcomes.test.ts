/**
 * The ExperimentOutcomes adapter over S3: Data Capture lines of both variants, the experiment's days only, joined by
 * inference id and row to the loan book's outcome lines; the early harm label counted on its own maturity; a shadow
 * test paired by inference id.
 */
import { createHash } from 'node:crypto';
import { dayPrefixes, decisionsOfLine, makeS3ExperimentOutcomes, outcomeOfLine } from '../../../shared/aws/s3-experiment-outcomes';
import type { ArmQuery } from '../../../shared/experiment-judge/ports';

const CAPTURE = 's3://capture';
const OUTCOMES = 's3://outcomes/';

/** One Data Capture line of a CSV request of `scores.length` rows. */
function captureLine(inferenceId: string, at: string, scores: number[]): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: scores.map(() => '1,2,3').join('\n'), encoding: 'CSV' },
      endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: scores.join('\n'), encoding: 'CSV' },
    },
    eventMetadata: { eventId: `e-${inferenceId}`, inferenceId, inferenceTime: at },
    eventVersion: '0',
  });
}

const outcome = (inferenceId: string, row: number, label: string, value: number) => JSON.stringify({ inferenceId, row, label, value, maturedAt: '2026-11-02T00:00:00.000Z' });

/** JSON lines objects over key → lines (ETag: the lines' hash); records every prefix listed and object read. */
function source(files: Record<string, string[]>) {
  const listed: string[] = [];
  const read: string[] = [];
  return {
    files,
    read: listed,
    objectsRead: read,
    async *objects(prefix: string) {
      listed.push(prefix);
      for (const [uri, lines] of Object.entries(files)) if (uri.startsWith(prefix)) yield { uri, etag: `"${createHash('md5').update(lines.join('\n')).digest('hex')}"` };
    },
    async objectLines(uri: string) {
      read.push(uri);
      return files[uri] ?? [];
    },
  };
}

const QUERY: ArmQuery = {
  group: 'credit-risk-retail',
  endpointName: 'credit-risk-retail-prod',
  championVariant: 'AllTraffic',
  challengerVariant: 'Challenger',
  from: '2026-11-01T00:00:00.000Z',
  until: '2026-11-03T00:00:00.000Z',
  mode: 'ab',
  label: 'default_12m',
  labelMaturityDays: 1,
  decisionThreshold: 0.5,
};

describe('Adapter: makeS3ExperimentOutcomes', () => {
  it('lists the days of the window, both ends included', () => {
    expect(dayPrefixes('2026-11-01T23:00:00.000Z', '2026-11-03T00:00:00.000Z')).toEqual(['2026/11/01/', '2026/11/02/', '2026/11/03/']);
  });

  it('reads one decision per row (keyed id#row), approved at or below the threshold; none without an id', () => {
    expect(decisionsOfLine(captureLine('r1', '2026-11-01T01:00:00.000Z', [0.2, 0.7]), 'AllTraffic', 0.5)).toEqual([
      { inferenceId: 'r1#0', variant: 'AllTraffic', at: '2026-11-01T01:00:00.000Z', score: 0.2, approved: true },
      { inferenceId: 'r1#1', variant: 'AllTraffic', at: '2026-11-01T01:00:00.000Z', score: 0.7, approved: false },
    ]);
    expect(decisionsOfLine(JSON.stringify({ captureData: {}, eventMetadata: {} }), 'AllTraffic', 0.5)).toEqual([]);
    expect(outcomeOfLine(JSON.stringify({ inferenceId: 'r1', label: 'x', value: 2 }))).toBeUndefined();
    expect(outcomeOfLine(JSON.stringify({ inferenceId: 'r1', label: 'x', value: 1 }))).toEqual({ label: 'x', key: 'r1#0', value: 1 });
  });

  it('joins outcomes to the approved decisions of each arm, the early harm label on its own maturity', async () => {
    const day1 = '2026/11/01/01/';
    const s3 = source({
      [`${CAPTURE}/credit-risk-retail-prod/AllTraffic/${day1}a.jsonl`]: [captureLine('c1', '2026-11-01T01:00:00.000Z', [0.1, 0.9]), captureLine('c2', '2026-11-02T12:00:00.000Z', [0.2])],
      [`${CAPTURE}/credit-risk-retail-prod/Challenger/${day1}b.jsonl`]: [captureLine('x1', '2026-11-01T01:00:00.000Z', [0.3])],
      [`s3://outcomes/credit-risk-retail/2026/11/02/o.jsonl`]: [
        outcome('c1', 0, 'default_12m', 1),
        outcome('c1', 1, 'default_12m', 1),
        outcome('c1', 0, 'dpd30_m3', 1),
        outcome('c2', 0, 'dpd30_m3', 0),
        outcome('x1', 0, 'dpd30_m3', 1),
        outcome('x1', 0, 'other', 0),
      ],
    });
    const outcomes = makeS3ExperimentOutcomes(s3, { captureUri: CAPTURE, outcomesUri: OUTCOMES });
    const data = await outcomes.armCounts({ ...QUERY, earlyHarmLabel: { label: 'dpd30_m3', maturityDays: 0.25 } });
    // c1#1 was declined: its outcome line is not counted. x1 has no 12-month label yet.
    expect(data.champion).toEqual({ assigned: 3, matured: 1, labelled: 1, defaults: 1 });
    expect(data.challenger).toEqual({ assigned: 1, matured: 1, labelled: 0, defaults: 0 });
    // c2 (12:00 on day 2) matured for the 6-hour early label by the look at day 3.
    expect(data.earlyHarm).toEqual({ champion: { assigned: 3, matured: 2, labelled: 2, defaults: 1 }, challenger: { assigned: 1, matured: 1, labelled: 1, defaults: 1 } });
    expect(data.shadow).toBeUndefined();
    expect(s3.read).toContain(`${CAPTURE}/credit-risk-retail-prod/Challenger/2026/11/03/`);
    expect(s3.read).toContain('s3://outcomes/credit-risk-retail/2026/11/01/');
  });

  it('pairs a shadow test by inference id, the champion\'s decision deciding which outcome exists', async () => {
    const at = '2026-11-01T01:00:00.000Z';
    const s3 = source({
      [`${CAPTURE}/credit-risk-retail-prod/AllTraffic/2026/11/01/01/a.jsonl`]: [captureLine('r1', at, [0.1, 0.6])],
      [`${CAPTURE}/credit-risk-retail-prod/Challenger/2026/11/01/01/b.jsonl`]: [captureLine('r1', at, [0.3, 0.2])],
      [`s3://outcomes/credit-risk-retail/2026/11/01/o.jsonl`]: [outcome('r1', 0, 'default_12m', 1), outcome('r1', 1, 'default_12m', 0)],
    });
    const data = await makeS3ExperimentOutcomes(s3, { captureUri: CAPTURE, outcomesUri: OUTCOMES }).armCounts({ ...QUERY, mode: 'shadow', earlyHarmLabel: { label: 'dpd30_m3', maturityDays: 0 } });
    // r1#1 was declined by the champion (0.6): its outcome line cannot be real and is ignored, whatever the shadow says.
    expect(data.shadow).toEqual({ labels: [1], champion: [0.1], challenger: [0.3] });
    expect(data.earlyHarm).toBeUndefined();
  });

  it('parses an object once while its ETag holds: a later look reads only new or rewritten objects', async () => {
    const at = '2026-11-01T01:00:00.000Z';
    const first = `${CAPTURE}/credit-risk-retail-prod/AllTraffic/2026/11/01/01/a.jsonl`;
    const s3 = source({
      [first]: [captureLine('r1', at, [0.1])],
      [`s3://outcomes/credit-risk-retail/2026/11/01/o.jsonl`]: [outcome('r1', 0, 'default_12m', 1)],
    });
    const outcomes = makeS3ExperimentOutcomes(s3, { captureUri: CAPTURE, outcomesUri: OUTCOMES });
    const before = await outcomes.armCounts(QUERY);
    expect(s3.objectsRead).toHaveLength(2);

    s3.files[`${CAPTURE}/credit-risk-retail-prod/Challenger/2026/11/01/01/b.jsonl`] = [captureLine('r2', at, [0.2])];
    const after = await outcomes.armCounts(QUERY);
    expect(s3.objectsRead).toHaveLength(3);
    expect(before.champion).toEqual({ assigned: 1, matured: 1, labelled: 1, defaults: 1 });
    expect(after.challenger).toEqual({ assigned: 1, matured: 1, labelled: 0, defaults: 0 });

    s3.files[first] = [captureLine('r1', at, [0.1]), captureLine('r3', at, [0.3])];
    const rewritten = await outcomes.armCounts(QUERY);
    expect(s3.objectsRead.slice(3)).toEqual([first]);
    expect(rewritten.champion.assigned).toBe(2);
    // Another decision threshold parses the same objects again: approval depends on it.
    await outcomes.armCounts({ ...QUERY, decisionThreshold: 0.05 });
    expect(s3.objectsRead).toHaveLength(6);
  });

  it('keeps each group\'s parsed objects: judging another group in between re-reads nothing', async () => {
    const at = '2026-11-01T01:00:00.000Z';
    const s3 = source({
      [`${CAPTURE}/credit-risk-retail-prod/AllTraffic/2026/11/01/01/a.jsonl`]: [captureLine('r1', at, [0.1])],
      [`${CAPTURE}/credit-card-acme-prod/AllTraffic/2026/11/01/01/a.jsonl`]: [captureLine('c1', at, [0.2])],
    });
    const outcomes = makeS3ExperimentOutcomes(s3, { captureUri: CAPTURE, outcomesUri: OUTCOMES });
    const other = { ...QUERY, group: 'credit-card-acme', endpointName: 'credit-card-acme-prod' };
    await outcomes.armCounts(QUERY);
    await outcomes.armCounts(other);
    const firstRound = s3.objectsRead.length;
    await outcomes.armCounts(QUERY);
    const again = await outcomes.armCounts(other);
    expect(firstRound).toBe(2);
    expect(s3.objectsRead).toHaveLength(2);
    expect(again.champion.assigned).toBe(1);
  });

  it('forgets the groups it is told to (their experiments ended): their objects are read again if asked', async () => {
    const at = '2026-11-01T01:00:00.000Z';
    const s3 = source({ [`${CAPTURE}/credit-risk-retail-prod/AllTraffic/2026/11/01/01/a.jsonl`]: [captureLine('r1', at, [0.1])] });
    const outcomes = makeS3ExperimentOutcomes(s3, { captureUri: CAPTURE, outcomesUri: OUTCOMES });
    await outcomes.armCounts(QUERY);
    outcomes.retain!([QUERY.group]);
    await outcomes.armCounts(QUERY);
    expect(s3.objectsRead).toHaveLength(1);
    outcomes.retain!([]);
    await outcomes.armCounts(QUERY);
    expect(s3.objectsRead).toHaveLength(2);
  });
});

