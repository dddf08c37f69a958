/**
 * Simulated traffic: applicants' requests scored by a live endpoint, a few per virtual minute, as a lender's
 * decision service would send them (text/csv rows in the model's input layout, an inference id per request).
 * The endpoint's fleet answers each with its own model, latency and errors; what the endpoint reports (metrics,
 * data capture) follows from the requests, never from a script.
 *
 * Like the lender's decision service, the simulator turns each score into a decision (a score above the decision
 * threshold predicts a default: declined) and gives each decline its principal reasons, from the explainer of the
 * version that served the request (DESIGN §1 duty 2: reason codes per decision).
 */
import type { Application, ModelInputSchema } from '../../shared/contracts/model-input';
import { applicationsToCsv } from '../../shared/contracts/model-input';
import { EXPLAINER_METADATA_KEY, explainerSchema, type Explainer } from '../../shared/contracts/explainer';
import { reasonCodes, type ReasonCode } from '../../shared/governance/reason-codes';
import { DECISION_THRESHOLD, PROTECTED_ATTRIBUTE } from './ml/schema';
import type { TwinWorld } from './world';

export interface TrafficOptions {
  endpointName: string;
  schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>;
  /** The next `count` applications (a generator of synthetic applicants). */
  applications: (count: number) => Application[];
  requestsPerMinute?: number;
  rowsPerRequest?: number;
  /** Where each request's decisions also go as one JSON-lines object (`<uri>/<endpoint>/yyyy/mm/dd/hh/<id>.jsonl`). */
  decisionsUri?: string;
}

export interface TrafficStats {
  requests: number;
  refused: number;
  /** Requests that found no endpoint (before it exists, or while it is being replaced). */
  unavailable: number;
  /** Applications scored above the decision threshold. */
  declined: number;
}

/** One scored application, as the lender's decision service records it. */
export interface Decision {
  inferenceId: string;
  /** The application's position in its request. */
  row: number;
  applicationId?: string;
  atMs: number;
  /** The endpoint's score: the probability of a default. */
  score: number;
  /** score > DECISION_THRESHOLD. */
  declined: boolean;
  /** The top 4 reason codes of a decline (none for an approval, or when the version has no explainer). */
  reasons: ReasonCode[];
  /** Why a decline has no reasons, when it has none. */
  reasonsMissing?: string;
  /** The registry version that served the request (undefined for a model outside the registry). */
  version?: number;
  /** The synthetic applicant's true outcome (`default_90d`), which the loan book reports once it matures. */
  outcome?: 0 | 1;
  /** The endpoint variant that served it (AllTraffic; Challenger during an A/B test). */
  variantName: string;
  /** The served model's key: its package ARN, else its model name. */
  modelKey: string;
}

/** How many reasons a decline notice carries. */
const TOP_REASONS = 4;

/** A served version's number and explainer, looked up once per package. */
interface ServedVersion {
  version?: number;
  explainer?: Explainer;
  missing?: string;
}

/**
 * The version and explainer of a model key: DescribeModelPackage, then the explainer.json its
 * CustomerMetadataProperties point to, read from the twin's S3 and parsed once (packages are immutable).
 */
function servedVersions(world: TwinWorld) {
  const known = new Map<string, ServedVersion>();
  async function lookUp(modelKey: string): Promise<ServedVersion> {
    let described: { ModelPackageVersion?: number; CustomerMetadataProperties?: Record<string, string> };
    try {
      described = await world.sagemaker.operations.DescribeModelPackage!({ ModelPackageName: modelKey }, world.twin.context);
    } catch {
      return { missing: `${modelKey} is not a registered model package` };
    }
    const version = described.ModelPackageVersion;
    const uri = described.CustomerMetadataProperties?.[EXPLAINER_METADATA_KEY];
    if (!uri) return { version, missing: `the package has no ${EXPLAINER_METADATA_KEY}` };
    const bytes = world.s3.read(uri);
    if (!bytes) return { version, missing: `${uri} does not exist` };
    const parsed = explainerSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? { version, explainer: parsed.data } : { version, missing: `${uri} is not an explainer: ${parsed.error.message}` };
  }
  return async (modelKey: string): Promise<ServedVersion> => {
    if (!known.has(modelKey)) known.set(modelKey, await lookUp(modelKey));
    return known.get(modelKey)!;
  };
}

/** The decision of one scored application; reasons only for a decline. */
function decide(application: Application, score: number, served: ServedVersion): Pick<Decision, 'declined' | 'reasons' | 'reasonsMissing'> {
  const declined = score > DECISION_THRESHOLD;
  if (!declined) return { declined, reasons: [] };
  if (!served.explainer) return { declined, reasons: [], reasonsMissing: served.missing };
  try {
    return { declined, reasons: reasonCodes(served.explainer, application, { top: TOP_REASONS, protectedAttributes: [PROTECTED_ATTRIBUTE] }).reasons };
  } catch (error) {
    return { declined, reasons: [], reasonsMissing: (error as Error).message };
  }
}

/** The synthetic applicant's true label, when the application carries one. */
function outcomeOf(application: Application): { outcome?: 0 | 1 } {
  const label = (application as { default_90d?: unknown }).default_90d;
  return label === 0 || label === 1 ? { outcome: label } : {};
}

/** `yyyy/mm/dd/hh` of a time, as Data Capture lays out its files. */
function hourPath(atMs: number): string {
  const iso = new Date(atMs).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '/')}/${iso.slice(11, 13)}`;
}

/**
 * Starts sending requests every `60 / requestsPerMinute` virtual seconds until stopped. Returns live counters, the
 * decisions so far, and a way to change the applicant population (the drift scenario shifts it).
 */
export function startTraffic(world: TwinWorld, options: TrafficOptions) {
  const every = Math.round(60_000 / (options.requestsPerMinute ?? 12));
  const rows = options.rowsPerRequest ?? 5;
  const stats: TrafficStats = { requests: 0, refused: 0, unavailable: 0, declined: 0 };
  const decisions: Decision[] = [];
  const versionOf = servedVersions(world);
  let source = options.applications;
  let running = true;
  let sequence = 0;

  const record = async (inferenceId: string, batch: Application[], body: Uint8Array) => {
    const served = world.scoring.invocationOf(inferenceId);
    if (!served) throw new Error(`traffic: the runtime twin has no invocation ${inferenceId}`);
    const version = await versionOf(served.modelKey);
    const scores = new TextDecoder().decode(body).split('\n').map(Number);
    const made = batch.map((application, row): Decision => {
      const decision = decide(application, scores[row]!, version);
      if (decision.declined) stats.declined += 1;
      const applicationId = application.application_id;
      return {
        inferenceId,
        row,
        ...(applicationId === undefined ? {} : { applicationId: String(applicationId) }),
        atMs: served.atMs,
        score: scores[row]!,
        ...decision,
        ...(version.version === undefined ? {} : { version: version.version }),
        modelKey: served.modelKey,
        ...outcomeOf(application),
        variantName: served.variantName,
      };
    });
    decisions.push(...made);
    if (options.decisionsUri) {
      const uri = `${options.decisionsUri.replace(/\/+$/, '')}/${options.endpointName}/${hourPath(served.atMs)}/${inferenceId}.jsonl`;
      await world.s3.putObject(world.twin.context, uri, `${made.map((d) => JSON.stringify(d)).join('\n')}\n`, 'application/jsonlines');
    }
  };

  const send = async () => {
    const batch = source(rows);
    sequence += 1;
    stats.requests += 1;
    const inferenceId = `req-${String(sequence).padStart(8, '0')}`;
    let body: Uint8Array;
    try {
      const out = await world.scoring.operations.InvokeEndpoint!(
        { EndpointName: options.endpointName, ContentType: 'text/csv', Accept: 'text/csv', Body: applicationsToCsv(options.schema, batch), InferenceId: inferenceId },
        world.twin.context,
      );
      body = out.Body as Uint8Array;
    } catch (error) {
      if ((error as { name?: string }).name === 'ModelError') stats.refused += 1;
      else stats.unavailable += 1;
      return;
    }
    await record(inferenceId, batch, body);
  };
  const arm = (atMs: number) =>
    world.twin.clock.at(atMs, async () => {
      if (!running) return;
      await send();
      arm(atMs + every);
    });
  arm(world.twin.clock.nowMs() + every);
  return {
    stats,
    /** The scored application at `index` (oldest first), not copied: for readers that walk forward (the loan book). */
    decisionAt(index: number): Readonly<Decision> | undefined {
      return decisions[index];
    },
    /** Every scored application so far, oldest first (copies). */
    decisions(): Decision[] {
      return decisions.map((d) => ({ ...d, reasons: d.reasons.map((r) => ({ ...r })) }));
    },
    /** From now on, applicants come from `next` (a shifted population). */
    shift(next: (count: number) => Application[]) {
      source = next;
    },
    stop() {
      running = false;
    },
  };
}
