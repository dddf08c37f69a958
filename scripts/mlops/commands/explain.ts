/**
 * `mlops explain <package-arn> --input <application.json> [--top 4] [--explainer <file>] [--json]`: scores one
 * credit application with the version's explainer and prints its reason codes, the statements a credit decision
 * notice carries (`shared/governance/reason-codes.ts`).
 *
 * Steps:
 *   1. read the application (one JSON object, raw as the applicant gave it);
 *   2. read the explainer: `--explainer <file>`, else the package's CustomerMetadataProperties `explainer:uri`
 *      (DescribeModelPackage) and that S3 object;
 *   3. compute score, contributions and the top adverse features; print them (JSON with `--json`).
 */
import { explainerSchema, type Explainer } from '../../../shared/contracts/explainer';
import type { Application } from '../../../shared/contracts/model-input';
import { parsePackageArn } from '../../../shared/governance/dossier';
import { ReasonCodeError, reasonCodes, type ReasonCodeResult } from '../../../shared/governance/reason-codes';
import { EXIT, type CommandResult } from '../format';

export interface ExplainDeps {
  readText(path: string): Promise<string>;
  /** The package's `explainer:uri` metadata; undefined when it has none. */
  explainerUri(packageArn: string): Promise<string | undefined>;
  readJson(s3Uri: string): Promise<unknown>;
  /** Attributes no reason may rest on (the training pipeline's protected attribute). */
  protectedAttributes: readonly string[];
}

export interface ExplainArgs {
  packageArn: string;
  input?: string;
  top?: string;
  explainer?: string;
  json?: boolean;
}

/** The most reasons a notice is asked for; more would not be "principal" reasons. */
const MAX_TOP = 10;

const usage = (output: string): CommandResult => ({ exitCode: EXIT.usage, output });
const refused = (output: string): CommandResult => ({ exitCode: EXIT.refused, output: `Refused: ${output}` });
const signed = (n: number, digits = 3): string => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** A file that cannot be read or parsed: the operator's to fix (exit 1). */
class UsageError extends Error {}

async function readJsonFile(deps: ExplainDeps, path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await deps.readText(path);
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`The ${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** The explainer and where it came from, or the refusal. */
async function loadExplainer(deps: ExplainDeps, args: ExplainArgs): Promise<{ explainer: Explainer; source: string } | CommandResult> {
  let raw: unknown;
  let source: string;
  if (args.explainer) {
    source = args.explainer;
    raw = await readJsonFile(deps, args.explainer, 'explainer file');
  } else {
    const uri = await deps.explainerUri(args.packageArn);
    if (!uri) return refused(`${args.packageArn} has no explainer (CustomerMetadataProperties 'explainer:uri'); pass --explainer <file>.`);
    source = uri;
    raw = await deps.readJson(uri);
  }
  const parsed = explainerSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return refused(`${source} is not an explainer: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { explainer: parsed.data, source };
}

/** The reason codes as an operator (or a notice writer) reads them. */
export function formatReasons(subject: string, source: string, r: ReasonCodeResult): string {
  const lines = [
    `${subject}: probability of ${r.label} ${r.score.toFixed(4)} (log-odds ${signed(r.logOdds)}; average applicant ${signed(r.baselineLogOdds)})`,
    `Explainer: ${source} (fidelity R² ${r.fidelity.toFixed(3)})`,
  ];
  if (r.reasons.length === 0) {
    lines.push('No feature raised the default odds above the average applicant\'s: no adverse reason to state.');
  } else {
    lines.push('Principal reasons (the features that raised the default odds most):');
    const width = Math.max(...r.reasons.map((x) => x.statement.length));
    for (const x of r.reasons) lines.push(`  ${x.rank}. ${x.statement.padEnd(width)}  [${x.code}; value ${x.value}; ${signed(x.contribution)} log-odds]`);
  }
  return lines.join('\n');
}

/** Prints the reason codes of one application under the version's explainer. */
export async function explain(deps: ExplainDeps, args: ExplainArgs): Promise<CommandResult> {
  const subject = parsePackageArn(args.packageArn);
  if (!subject) return usage(`Not a versioned model package ARN (…:model-package/<group>/<version>): ${args.packageArn}`);
  if (!args.input) return usage('--input <application.json> is required: one application as a JSON object.');
  const top = args.top === undefined ? 4 : Number(args.top);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) return usage(`--top must be a whole number from 1 to ${MAX_TOP} (got ${args.top}).`);
  try {
    const application = await readJsonFile(deps, args.input, 'application file');
    if (typeof application !== 'object' || application === null || Array.isArray(application)) return refused(`${args.input} must hold one application as a JSON object.`);
    const loaded = await loadExplainer(deps, args);
    if ('exitCode' in loaded) return loaded;
    const result = reasonCodes(loaded.explainer, application as Application, { top, protectedAttributes: deps.protectedAttributes });
    const output = args.json
      ? JSON.stringify({ packageArn: args.packageArn, explainer: loaded.source, ...result }, null, 2)
      : formatReasons(`${subject.modelGroup} v${subject.version}`, loaded.source, result);
    return { exitCode: EXIT.ok, output };
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    if (error instanceof ReasonCodeError) return refused(error.message);
    throw error;
  }
}
