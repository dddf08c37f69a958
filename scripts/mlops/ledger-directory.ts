/**
 * The audit ledger read from a directory laid out like the bucket (`<dir>/ledger/<group>/<sequence>.json`), e.g. a
 * copy an auditor made with `aws s3 sync s3://<audit bucket>/ledger <dir>/ledger`, so a chain can be verified
 * offline, without AWS credentials.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { LEDGER_PREFIX } from '../../shared/governance/ledger';
import type { LedgerReader } from '../../shared/governance/ledger-ports';

/** Every file under `dir`, as paths relative to `root` with `/` separators (keys, as S3 would list them). */
async function filesUnder(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => (e.isDirectory() ? filesUnder(root, join(dir, e.name)) : [relative(root, join(dir, e.name)).split(sep).join('/')])),
  );
  return nested.flat();
}

/**
 * A `LedgerReader` over `dir`. Like an S3 listing, `keys(group)` returns every file under the group's folder
 * (nested ones and strays included), so the verification sees what is there, not only what looks like a record.
 * @throws Error when `dir` has no `ledger/` folder (the CLI reports it as an environment error)
 */
export function makeDirectoryLedger(dir: string): LedgerReader {
  const root = resolve(dir);
  const ledgerDir = join(root, LEDGER_PREFIX);
  if (!existsSync(ledgerDir) || !statSync(ledgerDir).isDirectory()) {
    throw new Error(`No ${LEDGER_PREFIX} folder in ${root}: point --from at a copy of the audit bucket (aws s3 sync s3://<bucket>/ledger ${dir}/ledger)`);
  }
  return {
    source: ledgerDir,
    async groups() {
      const entries = await readdir(ledgerDir, { withFileTypes: true });
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    },
    async keys(group) {
      const groupDir = join(ledgerDir, group);
      if (!existsSync(groupDir)) return [];
      return (await filesUnder(root, groupDir)).sort();
    },
    async read(key) {
      return new Uint8Array(await readFile(join(root, key)));
    },
  };
}
