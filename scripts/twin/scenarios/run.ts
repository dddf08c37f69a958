/**
 * Runs a scenario on a fresh twin: the world, its timeline (printed as it grows), the marks the summary measures
 * from, and at the end the summary and what a report needs. Scenarios are the integration tests and the demo's
 * stories; each one asserts nothing itself, its test asserts on the state the run leaves.
 */
import { ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../shared/aws/clients';
import { createTwinWorld, TWIN_REGION, type TwinWorld, type TwinWorldOptions } from '../world';
import { summarise, type Marks, type ScenarioSummary } from './summary';
import { createTimeline, formatEntry, type TimelineEntry } from './timeline';

/** What a scenario's steps can use. */
export interface ScenarioRun {
  world: TwinWorld;
  group: string;
  /** Adds a line of the scenario's own (what a person or the traffic did) to the timeline. */
  note(text: string, version?: number): void;
  /** Remembers now as the start of something the summary measures (the first time only). */
  mark(name: keyof Marks): void;
  /** Lets `ms` of virtual time pass, with everything that follows from it delivered. */
  wait(ms: number): Promise<void>;
  /** Delivers what is pending without moving time further than it needs. */
  settle(): Promise<void>;
}

export interface Scenario {
  name: string;
  title: string;
  /** What it shows, in a sentence or two. */
  description: string;
  /** The model group it works on (default `credit-risk-retail`). */
  group?: string;
  /** How unreliable event delivery is in this scenario (default: reliable, in order). */
  delivery?: TwinWorldOptions['delivery'];
  run(run: ScenarioRun): Promise<void>;
  /** What must hold at the end, as problems (none when the run ended as the scenario says it does). */
  check(result: ScenarioResult): Promise<string[]> | string[];
}

/** A ledger object as the audit bucket holds it, by key. */
export interface LedgerObject {
  key: string;
  body: string;
}

export interface ScenarioResult {
  scenario: Scenario;
  group: string;
  startMs: number;
  endMs: number;
  timeline: TimelineEntry[];
  summary: ScenarioSummary;
  ledger: LedgerObject[];
  /** Function invocations that failed, and every AWS call made (each valid against the API models). */
  functionInvocations: number;
  failedInvocations: number;
  awsCalls: number;
  /** The twin, still running, for assertions; call `stop()` when done. */
  world: TwinWorld;
  stop(): void;
}

export interface RunOptions {
  /** Called with each timeline line as it happens. */
  print?: (line: string) => void;
  logLevel?: string;
}

const DEFAULT_GROUP = 'credit-risk-retail';

/** One version's gate decision. */
export interface GateRecord {
  version: number;
  passed: boolean;
  results: { gate: string; passed: boolean; message: string; observed?: number | string; threshold?: string }[];
}

async function readLedger(bucket: string): Promise<LedgerObject[]> {
  const s3 = s3Client({ region: TWIN_REGION });
  const out: LedgerObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'ledger/', ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
      out.push({ key: object.Key!, body: await got.Body!.transformToString() });
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const world = await createTwinWorld({ logLevel: options.logLevel ?? 'SILENT', ...(scenario.delivery ? { delivery: scenario.delivery } : {}) });
  const group = scenario.group ?? DEFAULT_GROUP;
  const timeline = createTimeline();
  const marks: Marks = {};
  const startMs = world.twin.clock.nowMs();
  let read = 0;
  const collect = () => {
    const log = world.eventBridge.log;
    for (; read < log.length; read++) {
      const entry = timeline.observe(log[read]!.event);
      if (entry) options.print?.(formatEntry(entry, startMs));
    }
  };
  const run: ScenarioRun = {
    world,
    group,
    note(text, version) {
      collect();
      options.print?.(formatEntry(timeline.note(world.twin.clock.nowMs(), text, version), startMs));
    },
    mark(name) {
      marks[name] ??= world.twin.clock.nowMs();
    },
    async wait(ms) {
      await world.advance(ms);
      collect();
    },
    async settle() {
      await world.runtime.drain();
      collect();
    },
  };
  try {
    await world.manage(group);
    await scenario.run(run);
    await run.settle();
  } catch (error) {
    world.stop();
    throw error;
  }
  const status = await world.state.load(group);
  const live = status.versions.find((v) => v.phase === 'Live');
  const gateResults = gateResultsOf(world);
  const ledger = await readLedger(world.runtime.environment.AUDIT_BUCKET!);
  const invocations = world.runtime.invocations;
  return {
    scenario,
    group,
    startMs,
    endMs: world.twin.clock.nowMs(),
    timeline: timeline.entries,
    summary: summarise(timeline.entries, marks, { auditRecords: ledger.length, gateResults, ...(live ? { liveVersion: live.version } : {}) }),
    ledger,
    functionInvocations: invocations.length,
    failedInvocations: invocations.filter((i) => i.outcome === 'error').length,
    awsCalls: world.twin.calls.length,
    world,
    stop: () => world.stop(),
  };
}

/** The decisions of one detail-type the control plane put on its bus during the run, once each (by event key). */
export function decisionsOf(result: Pick<ScenarioResult, 'world'>, detailType: string): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const { event } of result.world.eventBridge.log) {
    if (event.source === 'creditai.mlops' && event['detail-type'] === detailType) byKey.set(String(event.detail.eventKey), event.detail);
  }
  return [...byKey.values()];
}

/** The gate results per version, from the ModelGated decisions (the last one of each version). */
export function gateResultsOf(world: TwinWorld): GateRecord[] {
  const byVersion = new Map((decisionsOf({ world }, 'ModelGated') as unknown as GateRecord[]).map((d) => [d.version, { version: d.version, passed: d.passed, results: d.results }]));
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}
