/**
 * `npm run build`: one minified CommonJS bundle per function under dist/<function>/index.js (AWS SDK bundled,
 * `mainFields: module,main` so the SDK tree-shakes), a source map beside it, and dist/<function>.zip for
 * Terraform. Zips are deterministic (fixed timestamps) so an unchanged bundle keeps its source_code_hash.
 * Prints each bundle's size against its budget and writes dist/sizes.json.
 */
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUDGET, FUNCTIONS } from '../functions';

const root = resolve(__dirname, '..', '..');
const dist = join(root, 'dist');
const FIXED_TIME = new Date('2026-01-01T00:00:00Z');

/** Bundles one function into `<outRoot>/<name>/index.js` (+ map) and `<outRoot>/<name>.zip`; returns the code size. */
export async function bundle(name: string, outRoot: string = dist): Promise<number> {
  const outdir = join(outRoot, name);
  await build({
    entryPoints: [join(root, 'functions', name, 'handler.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    // Lambda gives credentials in the environment: the SDK's full provider chain stays out of the bundle.
    alias: { '@aws-sdk/credential-provider-node': join(__dirname, 'lambda-credentials.ts') },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const code = readFileSync(join(outdir, 'index.js'));
  const map = readFileSync(join(outdir, 'index.js.map'));
  const zip = zipSync({ 'index.js': [code, { mtime: FIXED_TIME }], 'index.js.map': [map, { mtime: FIXED_TIME }] }, { level: 9 });
  writeFileSync(join(outRoot, `${name}.zip`), zip);
  return code.length;
}

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const sizes: Record<string, { bytes: number; budget: number }> = {};
  let over = false;
  for (const f of FUNCTIONS) {
    const bytes = await bundle(f.name);
    const budget = BUDGET[f.kind];
    sizes[f.name] = { bytes, budget };
    over ||= bytes > budget;
    console.log(`${f.name.padEnd(20)} ${(bytes / 1024).toFixed(0).padStart(5)} KB  (budget ${budget / 1024} KB)${bytes > budget ? '  OVER BUDGET' : ''}`);
  }
  writeFileSync(join(dist, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  // Budgets are measured and recorded (`npm run bench`), not enforced by the build: a deploy must not hinge on it.
  if (over) console.warn('A bundle is over its budget (DESIGN §11); see bench-results/bench.json.');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
