/**
 * The lender's loan book, as the A/B test's outcomes feed: once a minute it reports the outcomes that matured since
 * the last minute, for approved applications only (a declined applicant gets no loan to default on), as one JSON
 * lines object under `<outcomesUri>/<group>/yyyy/mm/dd/` with `{inferenceId, row, label, value, maturedAt}` per
 * application. The value is the synthetic applicant's true `default_90d`, so a better model really defaults less.
 */
import type { Decision } from './traffic';
import type { TwinWorld } from './world';

const MINUTE_MS = 60_000;

export interface LoanBookOptions {
  group: string;
  /** OUTCOMES_S3_URI. */
  outcomesUri: string;
  /** The label name the policy's experiment reads. */
  label: string;
  /** How long after the decision an outcome is known. */
  maturityMs: number;
}

export function startLoanBook(world: TwinWorld, traffic: { decisionAt(index: number): Readonly<Decision> | undefined }, options: LoanBookOptions) {
  let next = 0;
  let running = true;
  let reported = 0;
  const flush = async (nowMs: number) => {
    const lines: string[] = [];
    // Decisions are appended in time order: walk forward while they have matured.
    for (let d = traffic.decisionAt(next); d && d.atMs + options.maturityMs <= nowMs; d = traffic.decisionAt(++next)) {
      if (d.declined || d.outcome === undefined) continue;
      lines.push(JSON.stringify({ inferenceId: d.inferenceId, row: d.row, label: options.label, value: d.outcome, maturedAt: new Date(d.atMs + options.maturityMs).toISOString() }));
    }
    if (lines.length === 0) return;
    reported += lines.length;
    const day = new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '/');
    const uri = `${options.outcomesUri.replace(/\/+$/, '')}/${options.group}/${day}/outcomes-${nowMs}.jsonl`;
    await world.s3.putObject(world.twin.context, uri, `${lines.join('\n')}\n`, 'application/jsonlines');
  };
  const tick = (atMs: number) =>
    world.twin.clock.at(atMs, async () => {
      if (!running) return;
      await flush(atMs);
      tick(atMs + MINUTE_MS);
    });
  tick(Math.floor(world.twin.clock.nowMs() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  return {
    /** Outcomes reported so far. */
    reported: () => reported,
    stop() {
      running = false;
    },
  };
}
