/**
 * Issue 3, "Checks": every .tf file parses (@cdktf/hcl2json) and is laid out as `terraform fmt` would
 * (@cdktf/hcl-tools `format` leaves it unchanged; `npm run tf:fmt` fixes it). No Terraform binary is needed.
 */
import { format } from '@cdktf/hcl-tools';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { terraformFiles } from '../../scripts/terraform/fmt';
import { parseHcl, REPO, TF_ROOT } from '../support/terraform';

const files = terraformFiles(TF_ROOT).map((path) => [relative(REPO, path), path] as const);

describe('Terraform: syntax and layout', () => {
  it('finds the root module files', () => {
    expect(files.map(([rel]) => rel)).toEqual(
      expect.arrayContaining(['terraform/versions.tf', 'terraform/providers.tf', 'terraform/variables.tf', 'terraform/main.tf', 'terraform/outputs.tf']),
    );
  });

  it.each(files)('%s parses', async (rel, path) => {
    await expect(parseHcl(rel, readFileSync(path, 'utf8'))).resolves.toEqual(expect.any(Object));
  });

  it.each(files)('%s is formatted (run `npm run tf:fmt`)', async (_rel, path) => {
    const text = readFileSync(path, 'utf8');
    const formatted = await format(text);
    // A diff-like message: the first line that differs.
    const a = text.split('\n');
    const b = formatted.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    expect(line === -1 && a.length === b.length ? 'formatted' : `line ${line + 1}: ${JSON.stringify(a[line])} should be ${JSON.stringify(b[line])}`).toBe('formatted');
  });

  it('rejects invalid HCL with a diagnostic (the parse check can fail)', async () => {
    await expect(parseHcl('bad.tf', 'resource "x" "y" {\n  a = \n}\n')).rejects.toThrow(/bad\.tf/);
  });
});
