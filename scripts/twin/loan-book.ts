/**
 * The lender's loan book, as the experiment's outcomes feed: once a minute it reports the outcomes that matured since
 * the last minute, for approved applications only (a declined applicant gets no loan to default on), as one JSON
 * lines object under `<outcomesUri>/<group>/yyyy/mm/dd/` with `{inferenceId, row, label, value, maturedAt}` per
 * application and label. The label's value is the synthetic applicant's true `default_90d`, so a better model
 * really defaults less. An early harm label (e.g. 30+ days past due by month 3) matures sooner: every applicant who
 * will default is already delinquent then, and a few who will not are too (they cure later: `cureShare`, drawn
 * from a seeded generator per application, so the feed is the same on every run).
 */
import { mulberry32 } from './ml/random';
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
  /** The early harm label the policy names (`experiment.earlyHarmLabel`), reported on its own maturity. */
  earlyLabel?: { label: string; maturityMs: number; cureShare?: number };
}

/** Delinquent at the early horizon: every eventual default, and `cureShare` of the others (seeded per application). */
export function earlyDelinquency(decision: Pick<Decision, 'inferenceId' | 'row' | 'outcome'>, cureShare: number): 0 | 1 {
  if (decision.outcome === 1) return 1;
  let seed = decision.row;
  for (const c of decision.inferenceId) seed = (Math.imul(seed, 31) + c.charCodeAt(0)) | 0;
  return mulberry32(seed)() < cureShare ? 1 : 0;
}

export function startLoanBook(world: TwinWorld, traffic: { decisionAt(index: number): Readonly<Decision> | undefined }, options: LoanBookOptions) {
  const feeds = [
    { label: options.label, maturityMs: options.maturityMs, value: (d: Readonly<Decision>) => d.outcome!, next: 0 },
    ...(options.earlyLabel
      ? [{ label: options.earlyLabel.label, maturityMs: options.earlyLabel.maturityMs, value: (d: Readonly<Decision>) => earlyDelinquency(d, options.earlyLabel!.cureShare ?? 0.03), next: 0 }]
      : []),
  ];
  let running = true;
  let reported = 0;
  const flush = async (nowMs: number) => {
    const lines: string[] = [];
    for (const feed of feeds) {
      // Decisions are appended in time order: walk forward while they have matured.
      for (let d = traffic.decisionAt(feed.next); d && d.atMs + feed.maturityMs <= nowMs; d = traffic.decisionAt(++feed.next)) {
        if (d.declined || d.outcome === undefined) continue;
        lines.push(JSON.stringify({ inferenceId: d.inferenceId, row: d.row, label: feed.label, value: feed.value(d), maturedAt: new Date(d.atMs + feed.maturityMs).toISOString() }));
      }
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
    /** Outcome lines reported so far (every label). */
    reported: () => reported,
    stop() {
      running = false;
    },
  };
}
