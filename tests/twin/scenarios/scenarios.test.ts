/**
 * Issue 4's scenarios are the integration tests: each runs on a fresh twin through the real functions and must
 * end as it says (its own check), with every function invocation succeeding and the ledger verifying; then what
 * each is about is asserted on the state it leaves.
 */
import { SCENARIOS } from '../../../scripts/twin/scenarios/catalogue';
import { DRIFTED_POPULATION } from '../../../scripts/twin/scenarios/drift-retrain';
import { decisionsOf, runScenario, type ScenarioResult } from '../../../scripts/twin/scenarios/run';
import { writeOutputs } from '../../../scripts/twin/scenarios/outputs';
import { auditDossier } from '../../../scripts/mlops/commands/audit-dossier';
import { makeDirectoryLedger } from '../../../scripts/mlops/ledger-directory';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

const scenario = (name: string) => SCENARIOS.find((s) => s.name === name)!;
const results = new Map<string, ScenarioResult>();
const out = mkdtempSync(join(tmpdir(), 'creditai-scenarios-'));

async function run(name: string): Promise<ScenarioResult> {
  const result = await runScenario(scenario(name));
  results.set(name, result);
  return result;
}

afterAll(() => {
  for (const r of results.values()) r.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('Twin scenarios', () => {
  it('lists every scenario the issue names, with a default', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual(['full-loop', 'happy-path', 'gate-rejected', 'manual-approval', 'canary-rollback', 'canary-judge', 'canary-judge-latency', 'drift-retrain', 'bias-recheck', 'pipeline-failure', 'duplicate-events', 'ab-test-wins', 'ab-test-harm', 'shadow-test']);
  });

  it.each(SCENARIOS.map((s) => s.name))('%s ends as it says, with no failed invocation and a verified ledger', async (name) => {
    const result = await run(name);
    expect(await result.scenario.check(result)).toEqual([]);
    expect(result.failedInvocations).toBe(0);
    const written = await writeOutputs(result, join(out, name));
    expect(written.verified).toBe(true);
    expect(result.summary.auditRecords).toBe(result.ledger.length);
  });

  it('report.html renders in headless Chromium and shows the timeline, the gates, the canary metrics and the drift histograms', () => {
    const result = results.get('drift-retrain')!;
    const file = join(out, 'drift-retrain', 'report.html');
    // Debian's chromium (installed by .ci/run); --dump-dom prints the DOM after the page has loaded and rendered.
    const dom = execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
    const rows = dom.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0].match(/<tr class="/g) ?? [];
    expect(rows).toHaveLength(result.timeline.length);
    expect(dom).toContain('RetrainRequested');
    expect(dom.match(/<section id="drift">[\s\S]*?<\/section>/)?.[0].match(/<svg /g)).toHaveLength(2);
    expect(dom.match(/<section id="canary">[\s\S]*?<\/section>/)?.[0].match(/<svg /g)).toHaveLength(3);
    expect(dom).toMatch(/chain <span class="pass">verified<\/span>/);
    // Self-contained: no script, no external reference.
    expect(readFileSync(file, 'utf8')).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('audit dossier works on the demo output: the retrained version\'s whole story, from the ledger copy alone', async () => {
    const result = results.get('drift-retrain')!;
    const files = new Map<string, string>();
    const verdict = await auditDossier(
      {
        ledger: makeDirectoryLedger(join(out, 'drift-retrain')),
        modelCards: () => {
          throw new Error('offline: no model cards');
        },
        writeFile: async (path, text) => void files.set(path, text),
        clock: { now: () => '2026-11-29T00:00:00.000Z' },
        modelInput: { label: 'default_90d', protectedAttribute: 'age_group' },
      },
      { packageArn: `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${result.group}/2`, out: join(out, 'dossier-v2') },
    );
    expect(verdict.exitCode).toBe(0);
    const json = files.get(join(out, 'dossier-v2.json'))!;
    // Drift on v1 started the run that trained v2; v2's gates, approval and promotion are all in its dossier.
    for (const kind of ['ModelGated', 'ModelApproved', 'ModelPromoted']) expect(json).toContain(`"${kind}"`);
    expect(files.get(join(out, 'dossier-v2.html'))).toContain('verified from the genesis record');
  });

  it('happy-path: measures the lead time from the push to production, and both versions passed every gate', () => {
    const { summary } = results.get('happy-path')!;
    expect(summary.leadTimeMs).toBeGreaterThan(30 * 60_000);
    expect(summary.leadTimeMs).toBeLessThan(3 * 3_600_000);
    expect([summary.versionsGated, summary.versionsPassedGates, summary.promotions, summary.liveVersion]).toEqual([2, 2, 2, 2]);
  });

  it('drift-retrain: the drift check reports the two shifted features above the threshold and the others below it, and retrains once', () => {
    const result = results.get('drift-retrain')!;
    const first = decisionsOf(result, 'DriftDetected')[0] as { features: { feature: string; distance: number; threshold: number; drifted: boolean }[] };
    const by = Object.fromEntries(first.features.map((f) => [f.feature, f]));
    expect(by.annual_income!.distance).toBeGreaterThan(by.annual_income!.threshold);
    expect(by.employment_years!.distance).toBeGreaterThan(by.employment_years!.threshold);
    for (const f of first.features.filter((x) => !['annual_income', 'employment_years'].includes(x.feature))) expect(f.distance).toBeLessThan(f.threshold);
    // One training run from the push, one from the drift: duplicated deliveries and a re-run check fold into it.
    const starts = result.world.twin.calls.filter((c) => c.operation === 'StartPipelineExecution');
    expect(new Set(starts.map((c) => (c.input as { ClientRequestToken: string }).ClientRequestToken)).size).toBe(2);
    expect(decisionsOf(result, 'RetrainRequested')).toHaveLength(1);
    expect(result.summary.driftDetectionMs).toBeLessThanOrEqual(2 * 3_600_000);
    expect(DRIFTED_POPULATION).toEqual({ incomeMean: 520_000, employmentBimodal: true });
  });

  it('canary-rollback: the alarm came from the requests\' latencies and the rollback took minutes, and paged', () => {
    const result = results.get('canary-rollback')!;
    expect(result.summary.rollbackTimeMs).toBeLessThan(15 * 60_000);
    expect(result.world.pagerDuty.events.filter((e) => e.action === 'trigger').map((e) => e.dedupKey)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^alarm:creditai-.*-p99-latency$/), expect.stringMatching(/^rollback:/)]),
    );
  });

  it('duplicate-events: the same versions end in the same phases with the same ledger decisions as with reliable delivery', async () => {
    const reliable = results.get('happy-path')!;
    const unreliable = results.get('duplicate-events')!;
    const phases = async (r: ScenarioResult) => (await r.world.state.load(r.group)).versions.map((v) => [v.version, v.phase]);
    expect(await phases(unreliable)).toEqual(await phases(reliable));
    // The canary judge's looks come once a minute, so their number moves with delivery delays: the decisions do not.
    const decisions = (r: ScenarioResult) =>
      r.ledger
        .map((o) => JSON.parse(o.body) as { kind: string; eventKey: string })
        .filter((d) => d.kind !== 'CanaryJudged')
        .map((d) => d.eventKey)
        .sort();
    expect(decisions(unreliable)).toEqual(decisions(reliable));
    expect(unreliable.world.eventBridge.attempts.some((a) => a.duplicate)).toBe(true);
  });
});
