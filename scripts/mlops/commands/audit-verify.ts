/**
 * `mlops audit verify [--group G] [--from <dir> | --bucket <name>]`: walks the audit ledger's chains, recomputes
 * every hash and reports, per group, the chain whole or its first break with its key.
 *
 * Steps:
 *   1. the groups: `--group`, else every group with a chain under `ledger/`;
 *   2. per group: read every object under `ledger/<group>/` (its exact bytes) and verify the chain
 *      (`shared/governance/ledger-verify.ts`);
 *   3. print one line per group and exit 0 only if every chain is whole (2 when a chain is broken or an asked-for
 *      group has no chain; 1 when there is no ledger at all where it was pointed).
 */
import type { LedgerReader } from '../../../shared/governance/ledger-ports';
import { verifyChain, type ChainVerdict } from '../../../shared/governance/ledger';
import { EXIT, type CommandResult } from '../format';

/** The ports `audit verify` works through. */
export interface AuditVerifyDeps {
  ledger: LedgerReader;
}

export interface AuditVerifyArgs {
  group?: string;
}

/** Objects read from S3 at once per group: enough to hide latency, few enough to stay under request rates. */
const READ_CONCURRENCY = 16;

/** The exact bytes of every key, read a batch at a time. */
export async function readAll(ledger: LedgerReader, keys: string[]): Promise<{ key: string; bytes: Uint8Array }[]> {
  const objects: { key: string; bytes: Uint8Array }[] = [];
  for (let i = 0; i < keys.length; i += READ_CONCURRENCY) {
    const batch = keys.slice(i, i + READ_CONCURRENCY);
    objects.push(...(await Promise.all(batch.map(async (key) => ({ key, bytes: await ledger.read(key) })))));
  }
  return objects;
}

/** One line per group: what an auditor reads and may keep (the head hash anchors the next verification). */
export function verdictLine(group: string, verdict: ChainVerdict): string {
  if (!verdict.ok) return `${group}: BROKEN at ${verdict.key}: ${verdict.reason} [${verdict.code}; ${verdict.records} records verified before it]`;
  if (!verdict.head) return `${group}: no records`;
  return `${group}: ${verdict.records} records, chain whole (head ${verdict.head.sequence}, sha256 ${verdict.head.hash})`;
}

/** Verifies the chains of the ledger `deps.ledger` reads. */
export async function auditVerify(deps: AuditVerifyDeps, args: AuditVerifyArgs): Promise<CommandResult> {
  if (args.group !== undefined && !/^[^/\\]+$/.test(args.group)) return { exitCode: EXIT.usage, output: `Not a model group name: ${args.group}` };
  const groups = args.group ? [args.group] : await deps.ledger.groups();
  if (groups.length === 0) {
    return { exitCode: EXIT.usage, output: `No ledger records under ${deps.ledger.source}: is this the audit bucket (or a copy of its ledger/ prefix)?` };
  }
  const lines: string[] = [];
  let broken = 0;
  for (const group of groups) {
    const keys = await deps.ledger.keys(group);
    const verdict = verifyChain(await readAll(deps.ledger, keys));
    // An asked-for group without a chain is not a whole chain: its records are missing, or the name is wrong.
    if (!verdict.ok || keys.length === 0) broken += 1;
    lines.push(verdictLine(group, verdict));
  }
  const whole = groups.length - broken;
  lines.push(`${groups.length} chain${groups.length === 1 ? '' : 's'} in ${deps.ledger.source}: ${whole} whole, ${broken} not.`);
  return { exitCode: broken === 0 ? EXIT.ok : EXIT.refused, output: lines.join('\n') };
}
