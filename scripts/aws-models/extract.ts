/**
 * Extracts the AWS API operations the project uses from the botocore models in `../shared/aws-models`
 * into `aws-models/<service>.json`, so tests and the local twin never read outside the repository.
 *
 * Usage: `npx tsx scripts/aws-models/extract.ts [sourceDir]` (default: `../shared/aws-models` beside the repo).
 * Fails (exit 1) when a listed service or operation is not in the source models.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A botocore shape, as far as the extraction needs to see it (everything else is copied untouched). */
interface Shape {
  type: string;
  members?: Record<string, { shape: string; documentation?: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  documentation?: string;
  [trait: string]: unknown;
}
interface Operation {
  name: string;
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
  documentation?: string;
  [trait: string]: unknown;
}
interface ServiceModel {
  version: string;
  metadata: Record<string, unknown>;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const repoRoot = resolve(__dirname, '..', '..');
const targetDir = join(repoRoot, 'aws-models');

/** Names of the shapes an operation needs: input, output and errors, followed transitively. */
export function reachableShapes(model: ServiceModel, operations: Operation[]): Set<string> {
  const seen = new Set<string>();
  const pending = operations.flatMap((op) => [op.input, op.output, ...(op.errors ?? [])].filter((r) => r !== undefined).map((r) => r.shape));
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue; // shapes can be recursive (DynamoDB AttributeValue)
    const shape = model.shapes[name];
    if (!shape) throw new Error(`shape ${name} is referenced but not defined`);
    seen.add(name);
    for (const ref of [...Object.values(shape.members ?? {}), shape.member, shape.key, shape.value]) {
      if (ref) pending.push(ref.shape);
    }
  }
  return seen;
}

/** Drops `documentation` (most of the bytes; the validator never reads it) from an operation or shape. */
function withoutDocs<T extends { documentation?: string; members?: Record<string, { documentation?: string }> }>(node: T): T {
  const { documentation: _omit, ...rest } = node;
  if (!rest.members) return rest as T;
  const members = Object.fromEntries(Object.entries(rest.members).map(([name, m]) => [name, withoutDocs(m)]));
  return { ...rest, members } as T;
}

/** The subset of `model` holding `operationNames` and every shape they reach, in the source's order. */
export function extract(service: string, model: ServiceModel, operationNames: string[], botocoreCommit: string) {
  const missing = operationNames.filter((name) => !model.operations[name]);
  if (missing.length > 0) throw new Error(`${service}: listed in operations.json but not in the source model: ${missing.join(', ')}`);
  const wanted = new Set(operationNames);
  const operations = Object.values(model.operations).filter((op) => wanted.has(op.name));
  const shapes = reachableShapes(model, operations);
  return {
    // Apache-2.0 §4(b): modified files carry a notice saying so.
    source: {
      from: `botocore commit ${botocoreCommit}, botocore/data/${service}/${String(model.metadata.apiVersion)}/service-2.json`,
      license: 'Apache-2.0, see LICENSE.txt and NOTICE',
      modified: 'subset: the listed operations and the shapes they reach; documentation removed',
      regenerate: 'npx tsx scripts/aws-models/extract.ts',
    },
    version: model.version,
    metadata: model.metadata,
    operations: Object.fromEntries(operations.map((op) => [op.name, withoutDocs(op)])),
    shapes: Object.fromEntries(Object.entries(model.shapes).filter(([name]) => shapes.has(name)).map(([name, s]) => [name, withoutDocs(s)])),
  };
}

function main(sourceDir: string): void {
  const list = JSON.parse(readFileSync(join(__dirname, 'operations.json'), 'utf8')) as Record<string, string[]>;
  const commit = /commit ([0-9a-f]{7,40})/.exec(readFileSync(join(sourceDir, 'README.md'), 'utf8'))?.[1];
  if (!commit) throw new Error(`no botocore commit found in ${join(sourceDir, 'README.md')}`);

  mkdirSync(targetDir, { recursive: true });
  for (const [service, operationNames] of Object.entries(list)) {
    const file = join(sourceDir, service, 'service-2.json');
    if (!existsSync(file)) throw new Error(`${service}: no source model at ${file}`);
    const subset = extract(service, JSON.parse(readFileSync(file, 'utf8')) as ServiceModel, operationNames, commit);
    const out = join(targetDir, `${service}.json`);
    writeFileSync(out, `${JSON.stringify(subset, null, 2)}\n`);
    console.log(`${out}: ${operationNames.length} operations, ${Object.keys(subset.shapes).length} shapes`);
  }
  // A service dropped from operations.json must not linger in the copy.
  for (const stale of readdirSync(targetDir).filter((f) => f.endsWith('.json') && !(f.slice(0, -5) in list))) {
    rmSync(join(targetDir, stale));
    console.log(`removed ${stale}`);
  }
  // Verbatim bytes, but not the source's read-only mode (so the next run can overwrite them).
  for (const f of ['LICENSE.txt', 'NOTICE']) writeFileSync(join(targetDir, f), readFileSync(join(sourceDir, f)));
}

if (require.main === module) {
  try {
    main(resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'aws-models')));
  } catch (error) {
    console.error(`extract failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
