/**
 * `npm run demo [-- --scenario <name>] [--list] [--out <dir>]`: a model group's life on the local twin of AWS, on a
 * virtual clock. The real functions (handlers, wiring, adapters, SDK clients) run against the twin's SageMaker, S3,
 * DynamoDB, EventBridge, SQS, SNS and CloudWatch; every request is checked against the AWS API models. It prints
 * the timeline as it happens (virtual time, who, event, version, why), then the summary, and writes report.html,
 * timeline.json, summary.json and the audit ledger (verified) to the output directory.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { DEFAULT_SCENARIO, SCENARIOS } from './twin/scenarios/catalogue';
import { writeOutputs } from './twin/scenarios/outputs';
import { runScenario } from './twin/scenarios/run';
import { formatDuration } from './twin/scenarios/summary';

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run demo --')
    .description('Runs a scenario of the model lifecycle on the local AWS twin')
    .option('--scenario <name>', 'the scenario to run', DEFAULT_SCENARIO)
    .option('--list', 'list the scenarios and exit')
    .option('--out <dir>', 'where the report, timeline, summary and ledger go', 'demo-output')
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const options = program.opts<{ scenario: string; list?: boolean; out: string }>();
  if (options.list) {
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(22)} ${s.description}`);
    return 0;
  }
  const scenario = SCENARIOS.find((s) => s.name === options.scenario);
  if (!scenario) {
    console.error(`No scenario "${options.scenario}". Scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const started = performance.now();
  console.log(`creditai-mlops demo: ${scenario.title}\n${scenario.description}\n`);
  const result = await runScenario(scenario, { print: (line) => console.log(line), logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT' });
  try {
    const out = resolve(options.out);
    const written = await writeOutputs(result, out);
    const problems = await scenario.check(result);
    const s = result.summary;
    console.log(`
Summary
  lead time push → production   ${formatDuration(s.leadTimeMs)}
  rollback time                 ${formatDuration(s.rollbackTimeMs)}
  drift detection time          ${formatDuration(s.driftDetectionMs)}
  gates passed                  ${s.versionsPassedGates} of ${s.versionsGated} versions (${s.gateChecksPassed} of ${s.gateChecksRun} checks)
  promotions / rollbacks        ${s.promotions} / ${s.rollbacks}
  retraining runs started       ${s.retrainsStarted}
  audit records written         ${s.auditRecords}, ledger ${written.verified ? 'verified' : 'BROKEN'}
  live in production            ${s.liveVersion !== undefined ? `v${s.liveVersion}` : 'none'}
  ${result.functionInvocations} function invocations (${result.failedInvocations} failed), ${result.awsCalls} AWS calls valid against the API models
  ${((performance.now() - started) / 1000).toFixed(1)} s of wall time for ${formatDuration(result.endMs - result.startMs)} of virtual time

Wrote ${out}/report.html, timeline.json, summary.json and ledger/ (npm run mlops -- audit verify --from ${options.out})`);
    for (const p of problems) console.error(`✗ ${p}`);
    if (problems.length === 0) console.log(`✓ ${scenario.name}: ended as the scenario says it does`);
    return problems.length === 0 && written.verified && result.failedInvocations === 0 ? 0 : 1;
  } finally {
    result.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if ((error as { code?: string }).code?.startsWith('commander.')) {
      process.exitCode = (error as { code: string }).code === 'commander.helpDisplayed' ? 0 : 2;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  },
);
