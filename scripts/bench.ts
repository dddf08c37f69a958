/**
 * `npm run bench`: measures what DESIGN §11 budgets and writes bench-results/bench.json. Figures are measured on
 * this machine every run, never asserted by tests:
 *   - each function bundle's minified size against its budget (runs the build first);
 *   - cold module load of each bundle versus a bare `node -e ''` start (medians of nine runs each, alternated);
 *   - decide() per call on a group with many versions;
 *   - the drift check on a window of a million captured records (throughput, peak memory), in its own process so
 *     its peak memory is its own;
 *   - the whole happy path on the twin (wall time; budget 5 s).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decide } from '../shared/lifecycle/decide';
import type { Snapshot, VersionStatus } from '../shared/lifecycle/model';
import { DEFAULT_POLICY } from '../shared/lifecycle/policy';
import { BUDGET, FUNCTIONS } from './functions';

const root = resolve(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time of one `node <args>` run, in milliseconds. */
function timeNodeOnce(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Median load time of `args` and of a bare `node -e ''`, run alternately: the machine's speed drifts over a bench
 * (other tenants, CPU frequency), so each function is compared with bare starts taken in the same seconds.
 */
function pairedTimes(args: string[], runs = 9): { loadMs: number; bareMs: number } {
  const load: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(timeNodeOnce(['-e', '']));
    load.push(timeNodeOnce(args));
  }
  return { loadMs: median(load), bareMs: median(bare) };
}

/** A group with 40 superseded versions, one Live and one fresh registration: a busy year's worth of state. */
function bigSnapshot(): Snapshot {
  const arn = (v: number) => `arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/${v}`;
  const versions: VersionStatus[] = Array.from({ length: 41 }, (_, i) => ({
    version: i + 1,
    arn: arn(i + 1),
    phase: i === 40 ? 'Live' : 'Superseded',
    since: '2026-01-01T00:00:00.000Z',
    transitions: 8,
    conditions: [],
    deployments: { production: { endpointName: 'credit-risk-retail-prod', endpointConfigName: `cfg-${i + 1}`, modelName: `m-${i + 1}`, strategy: 'canary', kind: 'release', startedAt: '2026-01-01T00:00:00.000Z' } },
    liveSince: '2026-01-01T00:00:00.000Z',
  }));
  const reports = {
    evaluation: { binary_classification_metrics: { auc: { value: 0.88 }, ks: { value: 0.45 } } },
    bias: { post_training_bias_metrics: { facets: { age_group: [{ value_or_threshold: 'under_25', metrics: [{ name: 'DI', value: 0.92 }, { name: 'DPPL', value: 0.02 }] }] } } },
    explainability: { explanations: { kernel_shap: { label0: { global_shap_values: { annual_income: 0.2 } } } } },
  };
  const packages = Array.from({ length: 42 }, (_, i) => ({
    version: i + 1,
    arn: arn(i + 1),
    createdAt: '2026-01-01T00:00:00.000Z',
    approval: { status: 'PendingManualApproval' as const },
    reports,
    lineage: { trainingDataUri: 's3://d/t.csv', trainingDataHash: 'sha256:ab', commitId: 'c0ffee', hyperparameters: { eta: '0.1' } },
  }));
  return {
    group: 'credit-risk-retail',
    status: { group: 'credit-risk-retail', revision: 90, versions, conditions: [] },
    packages,
    endpoints: { production: { name: 'credit-risk-retail-prod', status: 'InService', configName: 'cfg-41' } },
    alarms: [],
  };
}

function benchDecide(): { perCallMs: number; calls: number } {
  const snapshot = bigSnapshot();
  for (let i = 0; i < 200; i++) decide(snapshot, DEFAULT_POLICY, '2026-11-28T10:00:00.000Z');
  const calls = 2000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) decide(snapshot, DEFAULT_POLICY, '2026-11-28T10:00:00.000Z');
  return { perCallMs: Number(process.hrtime.bigint() - start) / 1e6 / calls, calls };
}

/** A child process's JSON output (the drift bench prints its figures as JSON). */
function jsonOf(args: string[]): unknown {
  const out = execFileSync('npx', ['tsx', ...args], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.slice(out.indexOf('{')));
}

function main(): void {
  execFileSync('npx', ['tsx', 'scripts/build/index.ts'], { cwd: root, stdio: 'inherit' });
  const sizes = JSON.parse(readFileSync(join(root, 'dist', 'sizes.json'), 'utf8')) as Record<string, { bytes: number; budget: number }>;
  const bareStarts: number[] = [];
  const functions = FUNCTIONS.map((f) => {
    const { loadMs, bareMs } = pairedTimes(['-e', `require('./dist/${f.name}/index.js')`]);
    bareStarts.push(bareMs);
    const { bytes } = sizes[f.name]!;
    return { name: f.name, kind: f.kind, bytes, budgetBytes: BUDGET[f.kind], withinSize: bytes <= BUDGET[f.kind], loadMs: Math.round(loadMs), bareMs: Math.round(bareMs), loadRatio: Number((loadMs / bareMs).toFixed(2)), withinLoad: loadMs <= 2.5 * bareMs };
  });
  const bareMs = median(bareStarts);
  const decideResult = benchDecide();
  const driftCheck = jsonOf(['scripts/bench/drift.ts', '1000000']);
  const happyPath = jsonOf(['scripts/bench/happy-path.ts']) as { wallSeconds: number };
  const result = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    bareNodeStartMs: Math.round(bareMs),
    functions,
    decide: { perCallMs: Number(decideResult.perCallMs.toFixed(4)), budgetMs: 1, withinBudget: decideResult.perCallMs <= 1, versionsInGroup: 42 },
    driftCheck,
    happyPath: { ...happyPath, budgetSeconds: 5, withinBudget: happyPath.wallSeconds <= 5 },
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nbare node start ${result.bareNodeStartMs} ms`);
  for (const f of functions) console.log(`${f.name.padEnd(20)} ${(f.bytes / 1024).toFixed(0).padStart(5)} KB ${f.withinSize ? 'ok  ' : 'OVER'}  load ${String(f.loadMs).padStart(4)} ms (${f.loadRatio}x bare) ${f.withinLoad ? 'ok' : 'OVER'}`);
  console.log(`decide() ${result.decide.perCallMs} ms per call (budget 1 ms) ${result.decide.withinBudget ? 'ok' : 'OVER'}`);
  console.log(`drift check ${JSON.stringify(driftCheck)}`);
  console.log(`happy path on the twin ${happyPath.wallSeconds} s (budget 5 s) ${result.happyPath.withinBudget ? 'ok' : 'OVER'}`);
}

main();
