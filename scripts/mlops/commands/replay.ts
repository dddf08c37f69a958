/**
 * `mlops replay <event-file>`: sends a recorded EventBridge event to the function its rule targets, as EventBridge
 * would, to re-drive a group after a lost or failed delivery (or to rehearse one).
 *
 * Steps:
 *   1. read and parse the file; validate the event against the contract of its source and detail-type
 *      (`shared/contracts/aws-events.ts` as named by `events/catalogue.json`, or `shared/contracts/domain-events.ts`);
 *   2. find the rules whose pattern matches it (the same `events/` patterns Terraform deploys); the first, in
 *      catalogue order, names the function (`creditai-mlops-<target>`, or `--function-name`);
 *   3. unless `--dry-run`, invoke that function synchronously with the event as sent and print its result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import * as awsEvents from '../../../shared/contracts/aws-events';
import { matchesPattern } from '../../../shared/contracts/event-pattern';

export { matchesPattern };
import { DOMAIN_SOURCE, domainEventDetailSchemas, type DomainDetailType } from '../../../shared/contracts/domain-events';
import { EXIT, type CommandResult } from '../format';

/** A JSON object as read from a file. */
type Json = Record<string, unknown>;

/** One rule of `events/catalogue.json`, with its pattern loaded. */
export interface EventRoute {
  rule: string;
  bus: string;
  /** The function the rule targets (`functions/<target>`, deployed as `creditai-mlops-<target>`). */
  target: string;
  pattern: Json;
}

/** A consumed AWS detail-type and the export name of its schema in `shared/contracts/aws-events.ts`. */
export interface ConsumedEvent {
  source: string;
  detailType: string;
  schema: string;
}

/** `events/catalogue.json` with every rule pattern read. */
export interface EventCatalogue {
  routes: EventRoute[];
  consumed: ConsumedEvent[];
}

/** What a synchronous Lambda invoke returned, decoded. */
export interface InvokeResult {
  statusCode?: number;
  /** `Unhandled` or `Handled` when the function failed. */
  functionError?: string;
  /** The response payload as text. */
  payload?: string;
  /** The last 4 KB of the function's log, when returned. */
  logTail?: string;
}

/** The ports `replay` works through. */
export interface ReplayDeps {
  readText(path: string): Promise<string>;
  catalogue: EventCatalogue;
  /** Invokes a function (RequestResponse) with a JSON payload. */
  invoke(functionName: string, payload: string): Promise<InvokeResult>;
}

export interface ReplayArgs {
  file: string;
  dryRun?: boolean;
  /** Overrides the function the catalogue names. */
  functionName?: string;
}

/** Deployed functions are named `<prefix><target>` (terraform/modules/function). */
export const FUNCTION_PREFIX = 'creditai-mlops-';

/** Reads `events/catalogue.json` and the rule patterns it names, from `eventsDir`. */
export function loadEventCatalogue(eventsDir: string): EventCatalogue {
  const raw = JSON.parse(readFileSync(join(eventsDir, 'catalogue.json'), 'utf8')) as {
    rules: { name: string; pattern: string; bus: string; target: string }[];
    consumed: ConsumedEvent[];
  };
  return {
    routes: raw.rules.map((r) => ({
      rule: r.name,
      bus: r.bus,
      target: r.target,
      pattern: JSON.parse(readFileSync(join(eventsDir, r.pattern), 'utf8')) as Json,
    })),
    consumed: raw.consumed.map(({ source, detailType, schema }) => ({ source, detailType, schema })),
  };
}


/** The issues of a failed parse, one `path: message` line each. */
function issueLines(error: z.ZodError, prefix: string[] = []): string[] {
  return error.issues.map((i) => `  ${[...prefix, ...i.path.map(String)].join('.') || '(event)'}: ${i.message}`);
}

const domainEnvelopeSchema = EventBridgeSchema.extend({ source: z.literal(DOMAIN_SOURCE) });

/**
 * Validates an event against the contract of its source and detail-type.
 *
 * @returns the schema's name, or the reasons it is refused.
 */
export function validateEvent(event: Json, consumed: readonly ConsumedEvent[]): { schema: string } | { problems: string[] } {
  const source = event.source;
  const detailType = event['detail-type'];
  if (typeof source !== 'string' || typeof detailType !== 'string') {
    return { problems: ['  (event): not an EventBridge event: "source" and "detail-type" must be strings'] };
  }
  if (source === DOMAIN_SOURCE) {
    const envelope = domainEnvelopeSchema.safeParse(event);
    if (!envelope.success) return { problems: issueLines(envelope.error) };
    if (!Object.hasOwn(domainEventDetailSchemas, detailType)) return { problems: [`  detail-type: unknown domain event "${detailType}"`] };
    const detail = domainEventDetailSchemas[detailType as DomainDetailType].safeParse(event.detail);
    return detail.success ? { schema: `domainEventDetailSchemas.${detailType}` } : { problems: issueLines(detail.error, ['detail']) };
  }
  const entry = consumed.find((c) => c.source === source && c.detailType === detailType);
  const schema = entry && (awsEvents as Record<string, unknown>)[entry.schema];
  if (!entry || !(schema instanceof z.ZodType)) {
    return { problems: [`  (event): no contract for source "${source}", detail-type "${detailType}" (see events/catalogue.json)`] };
  }
  const parsed = schema.safeParse(event);
  return parsed.success ? { schema: entry.schema } : { problems: issueLines(parsed.error) };
}

/** The rules whose pattern matches the event, in catalogue order; the first names the function. */
export function routesFor(event: Json, routes: readonly EventRoute[]): EventRoute[] {
  return routes.filter((r) => matchesPattern(r.pattern, event));
}

/** Reads the file as one JSON object, or says why not. */
async function readEvent(deps: ReplayDeps, file: string): Promise<Json | string> {
  let text: string;
  try {
    text = await deps.readText(file);
  } catch (error) {
    return `Cannot read ${file}: ${(error as Error).message}`;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : `${file} does not hold a JSON object (an EventBridge event).`;
  } catch (error) {
    return `${file} is not valid JSON: ${(error as Error).message}`;
  }
}

function formatInvocation(functionName: string, result: InvokeResult): string {
  const lines = [`Invoked ${functionName} (RequestResponse): status ${result.statusCode ?? '?'}${result.functionError ? `, function error (${result.functionError})` : ''}`];
  if (result.payload) {
    let pretty = result.payload;
    try {
      pretty = JSON.stringify(JSON.parse(result.payload), null, 2);
    } catch {
      // Not JSON: print as returned.
    }
    lines.push('Result:', pretty);
  }
  if (result.functionError && result.logTail) lines.push('Log tail:', result.logTail.trimEnd());
  return lines.join('\n');
}

/**
 * Validates an event file, shows which function its rule targets, and (unless `dryRun`) invokes that function.
 *
 * @returns exit 0 when valid and (if invoked) the function succeeded; 1 when the file cannot be read or the
 * function failed; 2 when the event breaks its contract or no rule would deliver it.
 */
export async function replay(deps: ReplayDeps, args: ReplayArgs): Promise<CommandResult> {
  const event = await readEvent(deps, args.file);
  if (typeof event === 'string') return { exitCode: EXIT.usage, output: event };
  const title = `${String(event.source)} / ${String(event['detail-type'])}`;
  const validation = validateEvent(event, deps.catalogue.consumed);
  if ('problems' in validation) {
    return { exitCode: EXIT.refused, output: [`Refused: the event (${title}) does not match its contract:`, ...validation.problems].join('\n') };
  }
  const lines = [`Event ${String(event.id)} (${title}) is valid against ${validation.schema}.`];
  const [route, ...others] = routesFor(event, deps.catalogue.routes);
  if (!route && !args.functionName) {
    lines.push('Refused: no rule in events/catalogue.json matches it, so EventBridge would not deliver it. Pass --function-name to send it anyway.');
    return { exitCode: EXIT.refused, output: lines.join('\n') };
  }
  if (route) lines.push(`Rule ${route.rule} (bus ${route.bus}) targets function ${route.target}.`);
  else lines.push('No rule in events/catalogue.json matches it; sending it where --function-name says.');
  for (const other of others) {
    lines.push(`Also matched by rule ${other.rule} (bus ${other.bus}) → ${other.target}; not invoked (use --function-name ${FUNCTION_PREFIX}${other.target}).`);
  }
  const functionName = args.functionName ?? `${FUNCTION_PREFIX}${route!.target}`;
  if (args.dryRun) {
    lines.push(`Dry run: would invoke ${functionName}.`);
    return { exitCode: EXIT.ok, output: lines.join('\n') };
  }
  const result = await deps.invoke(functionName, JSON.stringify(event));
  lines.push(formatInvocation(functionName, result));
  return { exitCode: result.functionError ? EXIT.usage : EXIT.ok, output: lines.join('\n') };
}
