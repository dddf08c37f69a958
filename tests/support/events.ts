/**
 * Test access to `events/`: sample events (fixtures), rule patterns and the catalogue that ties them to the
 * contracts. The same JSON files are read by Terraform and by the local twin, so tests read them from disk as is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** Absolute path of the repository's `events/` directory. */
export const EVENTS_DIR = resolve(__dirname, '../../events');

/** Absolute path of `events/samples/`. */
export const SAMPLES_DIR = join(EVENTS_DIR, 'samples');

/** A parsed JSON object whose keys tests read, change and delete freely. */
export type JsonObject = Record<string, any>;

/** One rule of `events/catalogue.json`. */
export interface CatalogueRule {
  name: string;
  /** Pattern file, relative to `events/`. */
  pattern: string;
  /** `default` or the project bus name. */
  bus: string;
  /** Target function name (`functions/<target>`). */
  target: string;
  state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  description: string;
}

/** One consumed detail-type of `events/catalogue.json`. */
export interface CatalogueConsumed {
  source: string;
  detailType: string;
  /** Sample directory, relative to `events/`. */
  samples: string;
  /** Export name of the zod schema in `shared/contracts/aws-events.ts`. */
  schema: string;
}

/** `events/catalogue.json`. */
export interface Catalogue {
  rules: CatalogueRule[];
  consumed: CatalogueConsumed[];
}

const cache = new Map<string, unknown>();

function readJson(absolutePath: string): unknown {
  if (!cache.has(absolutePath)) cache.set(absolutePath, JSON.parse(readFileSync(absolutePath, 'utf8')) as unknown);
  // A fresh deep copy per call, so one test's mutation never leaks into another.
  return structuredClone(cache.get(absolutePath));
}

/**
 * A sample event, parsed and deep-copied.
 *
 * @param path relative to `events/samples/`, e.g. `aws.sagemaker/model-package-state-change/approved.json`.
 */
export function loadSample(path: string): JsonObject {
  return readJson(join(SAMPLES_DIR, path)) as JsonObject;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.isFile() ? [full] : [];
  });
}

/** Every file under `events/samples/`, relative to it, with `/` separators, sorted. */
export function listSamples(): string[] {
  return walk(SAMPLES_DIR)
    .map((file) => relative(SAMPLES_DIR, file).split(sep).join('/'))
    .sort();
}

/** A rule pattern from `events/rules/<name>.json`, parsed and deep-copied. `name` may include `.json`. */
export function loadRulePattern(name: string): JsonObject {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return readJson(join(EVENTS_DIR, 'rules', file)) as JsonObject;
}

/** `events/catalogue.json`, parsed and deep-copied. */
export { matchesPattern } from '../../shared/contracts/event-pattern';

export function loadCatalogue(): Catalogue {
  return readJson(join(EVENTS_DIR, 'catalogue.json')) as Catalogue;
}


