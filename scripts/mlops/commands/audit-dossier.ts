/**
 * `mlops audit dossier <package-arn> [--out <file>] (--from <dir> | --bucket <name>) [--model-card]`: exports one
 * version's dossier for an auditor, as JSON and as one self-contained HTML page.
 *
 * Steps:
 *   1. read every object of the group's chain (`ledger/<group>/`) and verify it (the verdict goes in the dossier);
 *   2. with `--bucket`, describe the package in the registry (lineage, reports, approval now); with `--from`, or
 *      when the registry refuses, build from the ledger records alone and say so;
 *   3. write `<out>.json` and `<out>.html` (default `dossier-<group>-v<version>`);
 *   4. with `--model-card`, create the version's SageMaker Model Card from the same content, or update it.
 *
 * Exit codes: 0 written and the chain whole; 2 written but the chain is broken, or the group has no ledger
 * records; 1 usage or environment errors (and a model card that could not be written).
 */
import { createHash } from 'node:crypto';
import type { ModelCardOutcome, ModelCards } from '../../../shared/aws/sagemaker-model-card';
import { buildDossier, parsePackageArn, type Dossier, type RegistryView } from '../../../shared/governance/dossier';
import { renderDossierHtml } from '../../../shared/governance/dossier-html';
import type { LedgerReader } from '../../../shared/governance/ledger-ports';
import { modelCardContent, modelCardContentString, modelCardName } from '../../../shared/governance/model-card';
import type { Clock, Registry } from '../../../shared/reconcile/ports';
import { EXIT, type CommandResult } from '../format';
import { readAll } from './audit-verify';

export interface AuditDossierDeps {
  ledger: LedgerReader;
  /** The registry, consulted only when the ledger is read from the bucket (undefined offline). */
  registry?: Pick<Registry, 'describePackage'>;
  /** SageMaker model cards, built on first use (only `--model-card` needs them). */
  modelCards(): ModelCards;
  writeFile(path: string, text: string): Promise<void>;
  clock: Clock;
  /** The training pipeline's label and protected attribute, for the model card's wording. */
  modelInput: { label: string; protectedAttribute: string };
}

export interface AuditDossierArgs {
  packageArn: string;
  out?: string;
  modelCard?: boolean;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `<out>` without a .json/.html extension: both files are written beside each other. */
export function outputBase(out: string | undefined, group: string, version: number): string {
  return (out ?? `dossier-${group}-v${version}`).replace(/\.(json|html?)$/i, '');
}

async function registryView(deps: AuditDossierDeps, packageArn: string): Promise<RegistryView> {
  if (!deps.registry) return { reachable: false, reason: `the ledger was read from ${deps.ledger.source}, offline` };
  try {
    return { reachable: true, package: await deps.registry.describePackage(packageArn) };
  } catch (error) {
    return { reachable: false, reason: `DescribeModelPackage failed: ${(error as Error).message}` };
  }
}

function summary(d: Dossier, files: string[]): string[] {
  const l = d.ledger;
  const chain = l.whole
    ? `${l.recordsVerified} records, chain whole${l.head ? ` (head ${l.head.sequence}, sha256 ${l.head.sha256})` : ''}`
    : `BROKEN at ${l.break?.key}: ${l.break?.reason} [${l.break?.code}; ${l.recordsVerified} records verified before it]`;
  return [
    `Dossier of ${d.subject.modelGroup} v${d.subject.version} (${d.subject.packageArn})`,
    `  ledger ${d.sources.ledger}: ${chain}`,
    `  ${l.recordsOfVersion} record(s) concern v${d.subject.version}; ${d.gates.length} gate decision(s), ${d.approvals.filter((a) => a.kind === 'approved').length} approval(s), ${d.deployments.length} deployment event(s)`,
    `  ${d.sources.note}`,
    `  wrote ${files.join(' and ')}`,
  ];
}

function cardLine(result: ModelCardOutcome): string {
  switch (result.outcome) {
    case 'created':
      return `  model card ${result.name}: created as Draft (${result.arn}); a risk officer reviews and approves it in SageMaker`;
    case 'updated':
      return `  model card ${result.name}: content updated (it was version ${result.previousVersion}; its status is unchanged)`;
    case 'archived':
      return `  model card ${result.name}: Archived, left unchanged (an archived card cannot be edited)`;
  }
}

/** Why a model card could not be written, for an operator: an account or region without model cards, or a permission. */
function cardFailure(name: string, error: unknown): string {
  const e = error as { name?: string; message?: string };
  const why =
    e?.name === 'AccessDeniedException'
      ? 'the caller may not use model cards here (sagemaker:DescribeModelCard, CreateModelCard, UpdateModelCard)'
      : e?.name === 'UnknownOperationException' || e?.name === 'InvalidAction'
        ? 'SageMaker Model Cards are not available in this account or region'
        : `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
  return `  model card ${name}: NOT written: ${why}. The dossier files above were written.`;
}

/** Builds and writes the dossier of one version; optionally its model card. */
export async function auditDossier(deps: AuditDossierDeps, args: AuditDossierArgs): Promise<CommandResult> {
  const subject = parsePackageArn(args.packageArn);
  if (!subject) return { exitCode: EXIT.usage, output: `Not a versioned model package ARN (…:model-package/<group>/<version>): ${args.packageArn}` };
  const keys = await deps.ledger.keys(subject.modelGroup);
  const registry = await registryView(deps, args.packageArn);
  const dossier = buildDossier({
    packageArn: args.packageArn,
    generatedAt: deps.clock.now(),
    ledgerSource: deps.ledger.source,
    objects: await readAll(deps.ledger, keys),
    registry,
  });
  const base = outputBase(args.out, subject.modelGroup, subject.version);
  const files = [`${base}.json`, `${base}.html`];
  await deps.writeFile(files[0]!, `${JSON.stringify(dossier, null, 2)}\n`);
  await deps.writeFile(files[1]!, renderDossierHtml(dossier));
  const lines = summary(dossier, files);
  let exitCode: CommandResult['exitCode'] = keys.length === 0 ? EXIT.refused : dossier.ledger.whole ? EXIT.ok : EXIT.refused;
  if (keys.length === 0) lines.push(`  ${subject.modelGroup} has no ledger records under ${deps.ledger.source}: is this the audit bucket (or a copy of its ledger/ prefix)?`);

  if (args.modelCard) {
    const name = modelCardName(subject.modelGroup, subject.version, sha256);
    try {
      const content = modelCardContentString(modelCardContent(dossier, deps.modelInput));
      lines.push(cardLine(await deps.modelCards().upsert(name, content)));
    } catch (error) {
      lines.push(cardFailure(name, error));
      exitCode = EXIT.usage;
    }
  }
  return { exitCode, output: lines.join('\n') };
}
