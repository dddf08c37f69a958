/**
 * `npm run tf:fmt`: formats every .tf file under terraform/ as `terraform fmt` lays it out (@cdktf/hcl-tools);
 * `--check` only lists the files that are not formatted and exits 1. No Terraform binary is needed.
 */
import { format } from '@cdktf/hcl-tools';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

/** Every .tf file below `dir`. */
export function terraformFiles(dir = join(root, 'terraform')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '.terraform' ? [] : terraformFiles(path);
    return path.endsWith('.tf') ? [path] : [];
  });
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const unformatted: string[] = [];
  for (const file of terraformFiles()) {
    const text = readFileSync(file, 'utf8');
    const formatted = await format(text);
    if (formatted === text) continue;
    unformatted.push(relative(root, file));
    if (!check) writeFileSync(file, formatted);
  }
  if (unformatted.length === 0) return console.log('All Terraform files are formatted.');
  console.log(`${check ? 'Not formatted' : 'Formatted'}:\n  ${unformatted.join('\n  ')}`);
  if (check) process.exitCode = 1;
}

if (require.main === module) void main();
