/**
 * `npm run pipeline:definition`: writes what scripts/pipeline/definition.ts defines into pipeline/ —
 * definition.json (the SageMaker pipeline definition, `${...}` placeholders for Terraform's templatefile()),
 * images.json (the SageMaker images per region), steps/config.json and steps/analysis_config.json (what the step
 * scripts read). `--check` writes nothing, lists the files that differ from what the generator produces and exits
 * 1, so the TypeScript stays the one source. Refuses to write a definition whose references do not resolve.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { definitionProblems, placeholdersIn } from './check';
import { clarifyAnalysisConfig, PLACEHOLDERS, pipelineDefinition, stepConfig } from './definition';
import { imagesDocument } from './images';

const root = resolve(__dirname, '..', '..');
/** Where the generated files go. */
export const PIPELINE_DIR = join(root, 'pipeline');

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The generated files, path relative to the repository root → content. */
export function renderAll(): Record<string, string> {
  const definition = pipelineDefinition();
  const problems = definitionProblems(definition);
  if (problems.length > 0) throw new Error(`The pipeline definition is inconsistent:\n  - ${problems.join('\n  - ')}`);
  const text = json(definition);
  // templatefile() interpolates every ${...} and %{...}: only the declared placeholders may appear.
  const known = Object.values(PLACEHOLDERS).map((p) => p.slice(2, -1));
  const unknown = placeholdersIn(text).filter((p) => !known.includes(p));
  if (unknown.length > 0 || text.includes('%{')) throw new Error(`The definition holds template syntax Terraform would interpolate: ${unknown.join(', ') || '%{'}`);
  return {
    'pipeline/definition.json': text,
    'pipeline/images.json': json(imagesDocument()),
    'pipeline/steps/config.json': json(stepConfig()),
    'pipeline/steps/analysis_config.json': json(clarifyAnalysisConfig()),
  };
}

/** Files whose content on disk differs from `rendered` (missing files included). */
export function staleFiles(rendered: Record<string, string>, base = root): string[] {
  return Object.entries(rendered)
    .filter(([path, text]) => {
      const abs = join(base, path);
      return !existsSync(abs) || readFileSync(abs, 'utf8') !== text;
    })
    .map(([path]) => path);
}

function main(): void {
  const check = process.argv.includes('--check');
  const rendered = renderAll();
  const stale = staleFiles(rendered);
  if (check) {
    if (stale.length === 0) return console.log('The generated pipeline files are up to date.');
    console.error(`Out of date (run \`npm run pipeline:definition\`):\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
    return;
  }
  for (const path of stale) {
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, rendered[path]!);
  }
  console.log(stale.length === 0 ? 'Nothing to write: the pipeline files are up to date.' : `Wrote:\n  ${stale.map((p) => relative(root, join(root, p))).join('\n  ')}`);
}

if (require.main === module) main();
