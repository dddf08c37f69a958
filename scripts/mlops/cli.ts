/**
 * `mlops`: the operator CLI of the control plane (`npm run mlops -- <command>`, or
 * `npx tsx scripts/mlops/cli.ts <command>`). Each command is a function over ports in `commands/`; this file only
 * declares the commander program, wires AWS through `wiring.ts`, prints and sets the exit code.
 *
 * Exit codes: 0 done, 1 usage or environment error (bad arguments, no credentials, missing table/queue/function),
 * 2 refused (the recorded state or the input forbids it: no reason given, nothing to roll back, invalid event).
 */
import { Command, Option } from 'commander';
import { approve } from './commands/approve';
import { auditDossier } from './commands/audit-dossier';
import { auditVerify } from './commands/audit-verify';
import { explain } from './commands/explain';
import { reject } from './commands/reject';
import { replay } from './commands/replay';
import { challenge } from './commands/challenge';
import { rollback } from './commands/rollback';
import { status } from './commands/status';
import { EXIT, type CommandResult } from './format';
import { CliEnvironmentError, DEFAULT_TABLE, makeWiring, operatorIdentity, resolveOptions, type GlobalOptions, type Wiring } from './wiring';

/** What the program needs from its surroundings; tests pass fakes. */
export interface CliEnvironment {
  /** Builds the per-command dependencies from the resolved global options. */
  wiring(options: GlobalOptions): Wiring;
  /** The operator identity from `--as` (or the environment). */
  operator(as: string | undefined): string;
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Receives the exit code of the command that ran. */
  exit(code: number): void;
}

interface RawGlobals {
  region?: string;
  table?: string;
  queueUrl?: string;
  as?: string;
}

const APPROVER_NOTE = `
Approver of record: the AWS identity that runs this command. CloudTrail records
the UpdateModelPackage call with its principal and the control plane reads the
approver from there (never from --as or CREDITAI_OPERATOR). The reason becomes
the package's ApprovalDescription and goes into the audit ledger.`;

const AUDIT_NOTE = `
Exit codes: 0 every chain whole; 2 a chain is broken (or the group has none);
1 nothing to verify there, or a usage or environment error. Each whole chain's
head hash is printed: keep it, a later verification must still reach it.`;

const DOSSIER_NOTE = `
Writes <out>.json and <out>.html (one self-contained page). With --bucket the
registry is asked for the package's description too; with --from (a copy of the
ledger) nothing else is read and the dossier says it was built from the ledger
records alone. --model-card creates the version's SageMaker Model Card (Draft)
or updates its content. Exit codes: 0 written and the chain whole; 2 written
but the chain is broken (or the group has no records); 1 usage or environment
error, or a model card that could not be written.`;

const EXPLAIN_NOTE = `
The application is one JSON object with the model's raw inputs, e.g.
  {"annual_income": 210000, "employment_years": 1, "age": 23, "debt_to_income": 0.47,
   "credit_lines": 2, "delinquencies": 1, "loan_amount": 60000,
   "home_ownership": "rent", "purpose": "car"}
Reasons are the features that raised the default log-odds most above the
average training applicant (exact SHAP values of the version's linear explainer).`;

const FOOTER = `
Environment:
  AWS_PROFILE, AWS_REGION          credentials and region, as the AWS SDK reads them
  CREDITAI_STATE_TABLE             default for --table (else ${DEFAULT_TABLE})
  CREDITAI_RECONCILE_QUEUE_URL     default for --queue-url
  CREDITAI_OPERATOR                default for --as
  MLOPS_DEBUG=1                    print stack traces of unexpected errors

Exit codes: 0 done, 1 usage or environment error, 2 refused.`;

/** Runs one command: prints its output (stdout on success, stderr otherwise) and reports its exit code. */
async function run(env: CliEnvironment, command: () => Promise<CommandResult>): Promise<void> {
  try {
    const result = await command();
    (result.exitCode === EXIT.ok ? env.stdout : env.stderr)(result.output);
    env.exit(result.exitCode);
  } catch (error) {
    if (error instanceof CliEnvironmentError) {
      env.stderr(error.message);
    } else {
      const e = error as Error;
      env.stderr(`Unexpected error (${e?.name ?? 'Error'}): ${e?.message ?? String(error)}`);
      if (env.env.MLOPS_DEBUG) env.stderr(String(e?.stack ?? ''));
    }
    env.exit(EXIT.usage);
  }
}

/** Builds the `mlops` program over the given environment. */
export function buildProgram(env: CliEnvironment): Command {
  const program = new Command('mlops')
    .description('Operate the creditai-mlops control plane: status, approvals, rollback, event replay, audit, reason codes.')
    .option('--region <region>', 'AWS region (default: AWS_REGION, else the profile)')
    .option('--table <name>', `lifecycle state table (default: CREDITAI_STATE_TABLE or ${DEFAULT_TABLE})`)
    .option('--queue-url <url>', 'reconcile FIFO queue URL (default: CREDITAI_RECONCILE_QUEUE_URL)')
    .option('--as <arn-or-name>', 'who you are, for rollback requests (default: CREDITAI_OPERATOR, else your OS user)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', FOOTER);
  program.configureOutput({ writeOut: (s) => env.stdout(s.trimEnd()), writeErr: (s) => env.stderr(s.trimEnd()) });

  const globals = (command: Command): RawGlobals => command.optsWithGlobals<RawGlobals>();
  const wiring = (command: Command): Wiring => env.wiring(resolveOptions(globals(command), env.env));

  program
    .command('status')
    .description('Managed groups at a glance, or one group\'s versions and conditions')
    .argument('[group]', 'a model package group; omit for all managed groups')
    .option('--json', 'print the recorded status as JSON')
    .action((group: string | undefined, opts: { json?: boolean }, command: Command) =>
      run(env, () => status(wiring(command).status(), { group, json: opts.json })),
    );

  const stageOption = () => new Option('--stage <stage>', 'production (ModelApprovalStatus) or staging (ModelLifeCycle: not supported yet)').choices(['production', 'staging']).default('production');

  program
    .command('approve')
    .description('Approve a package version for production, with a stated reason')
    .argument('<package-arn>', 'versioned model package ARN (…:model-package/<group>/<version>)')
    .option('--reason <text>', 'why it is approved (required; becomes the ApprovalDescription)')
    .addOption(stageOption())
    .addHelpText('after', APPROVER_NOTE)
    .action((packageArn: string, opts: { reason?: string; stage: 'production' | 'staging' }, command: Command) =>
      run(env, () => approve(wiring(command).approval(), { packageArn, reason: opts.reason, stage: opts.stage })),
    );

  program
    .command('reject')
    .description('Reject a package version (revokes an approval), with a stated reason')
    .argument('<package-arn>', 'versioned model package ARN (…:model-package/<group>/<version>)')
    .option('--reason <text>', 'why it is rejected (required; becomes the ApprovalDescription)')
    .addOption(stageOption())
    .addHelpText('after', APPROVER_NOTE)
    .action((packageArn: string, opts: { reason?: string; stage: 'production' | 'staging' }, command: Command) =>
      run(env, () => reject(wiring(command).approval(), { packageArn, reason: opts.reason, stage: opts.stage })),
    );

  program
    .command('rollback')
    .description('Roll a group\'s Live version back to its last-known-good, now')
    .argument('<group>', 'model package group')
    .option('--reason <text>', 'why (recorded on the request and in the audit ledger)')
    .option('--dry-run', 'show what would happen; request nothing')
    .action((group: string, opts: { reason?: string; dryRun?: boolean }, command: Command) =>
      run(env, async () => {
        const operator = env.operator(globals(command).as);
        return rollback(wiring(command).rollback({ dryRun: opts.dryRun }), { group, reason: opts.reason, operator, dryRun: opts.dryRun });
      }),
    );

  program
    .command('challenge')
    .description('Start an experiment: a candidate version serves a share of production beside the Live version (A/B), or scores a copy of it deciding nothing (shadow, when the group policy says experiment.mode shadow), until the judge decides')
    .argument('<group>', 'model package group')
    .argument('<package-arn>', 'versioned model package ARN of the challenger (…:model-package/<group>/<version>)')
    .option('--share <percent>', 'A/B: percent of production the challenger decides (1–50); shadow: percent of requests mirrored to it (1–100)', '10')
    .option('--reason <text>', 'why (required; recorded on the request and in the audit ledger)')
    .action((group: string, packageArn: string, opts: { share: string; reason?: string }, command: Command) =>
      run(env, async () => {
        const operator = env.operator(globals(command).as);
        return challenge(wiring(command).challenge(), { group, packageArn, share: opts.share, reason: opts.reason, operator });
      }),
    );

  const audit = program.command('audit').description('The tamper-evident audit ledger: one record per decision, hash-chained per model group');
  audit
    .command('verify')
    .description('Recompute every chain of the audit ledger; report each chain whole, or its first break and its key')
    .option('--group <group>', 'one model group (default: every group in the ledger)')
    .option('--from <dir>', 'a directory laid out like the bucket (<dir>/ledger/<group>/*.json)')
    .option('--bucket <name>', 'the audit bucket (terraform output audit_bucket_name)')
    .addHelpText('after', AUDIT_NOTE)
    .action((opts: { group?: string; from?: string; bucket?: string }, command: Command) =>
      run(env, () => auditVerify(wiring(command).ledger({ from: opts.from, bucket: opts.bucket }), { group: opts.group })),
    );

  audit
    .command('dossier')
    .description('Export one version\'s dossier (lineage, gates, bias and SHAP, approvals, deployments, ledger records and their verification) as JSON and HTML')
    .argument('<package-arn>', 'versioned model package ARN (…:model-package/<group>/<version>)')
    .option('--out <file>', 'output path without extension, or ending in .json/.html (default: dossier-<group>-v<version>)')
    .option('--from <dir>', 'a directory laid out like the bucket (<dir>/ledger/<group>/*.json): offline, ledger only')
    .option('--bucket <name>', 'the audit bucket (terraform output audit_bucket_name); the registry is consulted too')
    .option('--model-card', 'create or update the version\'s SageMaker Model Card with the same content')
    .addHelpText('after', DOSSIER_NOTE)
    .action((packageArn: string, opts: { out?: string; from?: string; bucket?: string; modelCard?: boolean }, command: Command) =>
      run(env, () => auditDossier(wiring(command).dossier({ from: opts.from, bucket: opts.bucket }), { packageArn, out: opts.out, modelCard: opts.modelCard })),
    );

  program
    .command('explain')
    .description('Score one application with a version\'s explainer and print its reason codes (the top adverse features)')
    .argument('<package-arn>', 'versioned model package ARN (…:model-package/<group>/<version>)')
    .option('--input <file>', 'the application: one JSON object of raw model inputs (required)')
    .option('--top <n>', 'how many reasons at most (1-10)', '4')
    .option('--explainer <file>', 'read the explainer from this file instead of the package\'s explainer:uri')
    .option('--json', 'print the score, every contribution and the reasons as JSON')
    .addHelpText('after', EXPLAIN_NOTE)
    .action((packageArn: string, opts: { input?: string; top?: string; explainer?: string; json?: boolean }, command: Command) =>
      run(env, () => explain(wiring(command).explain(), { packageArn, ...opts })),
    );

  program
    .command('replay')
    .description('Validate a recorded event and invoke the function its rule targets')
    .argument('<event-file>', 'JSON file holding one EventBridge event')
    .option('--dry-run', 'only validate and show the target function')
    .option('--function-name <name>', 'invoke this function instead of creditai-mlops-<target>')
    .action((file: string, opts: { dryRun?: boolean; functionName?: string }, command: Command) =>
      run(env, () => replay(wiring(command).replay(), { file, dryRun: opts.dryRun, functionName: opts.functionName })),
    );

  return program;
}

/** The real environment: AWS wiring, process streams, process exit code. */
export const processEnvironment: CliEnvironment = {
  wiring: makeWiring,
  operator: (as) => operatorIdentity(as),
  env: process.env,
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  exit: (code) => {
    process.exitCode = code;
  },
};

if (require.main === module) {
  buildProgram(processEnvironment)
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = EXIT.usage;
    });
}
