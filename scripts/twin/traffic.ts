/**
 * Simulated traffic: applicants' requests scored by a live endpoint, a few per virtual minute, as a lender's
 * decision service would send them (text/csv rows in the model's input layout, an inference id per request).
 * The endpoint's fleet answers each with its own model, latency and errors; what the endpoint reports (metrics,
 * data capture) follows from the requests, never from a script.
 */
import type { Application, ModelInputSchema } from '../../shared/contracts/model-input';
import { applicationsToCsv } from '../../shared/contracts/model-input';
import type { TwinWorld } from './world';

export interface TrafficOptions {
  endpointName: string;
  schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>;
  /** The next `count` applications (a generator of synthetic applicants). */
  applications: (count: number) => Application[];
  requestsPerMinute?: number;
  rowsPerRequest?: number;
}

export interface TrafficStats {
  requests: number;
  refused: number;
  /** Requests that found no endpoint (before it exists, or while it is being replaced). */
  unavailable: number;
}

/**
 * Starts sending requests every `60 / requestsPerMinute` virtual seconds until stopped. Returns live counters and
 * a way to change the applicant population (the drift scenario shifts it).
 */
export function startTraffic(world: TwinWorld, options: TrafficOptions) {
  const every = Math.round(60_000 / (options.requestsPerMinute ?? 12));
  const rows = options.rowsPerRequest ?? 5;
  const stats: TrafficStats = { requests: 0, refused: 0, unavailable: 0 };
  let source = options.applications;
  let running = true;
  let sequence = 0;
  const send = async () => {
    const batch = source(rows);
    sequence += 1;
    stats.requests += 1;
    try {
      await world.scoring.operations.InvokeEndpoint!(
        { EndpointName: options.endpointName, ContentType: 'text/csv', Accept: 'text/csv', Body: applicationsToCsv(options.schema, batch), InferenceId: `req-${String(sequence).padStart(8, '0')}` },
        world.twin.context,
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'ModelError') stats.refused += 1;
      else stats.unavailable += 1;
    }
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
    /** From now on, applicants come from `next` (a shifted population). */
    shift(next: (count: number) => Application[]) {
      source = next;
    },
    stop() {
      running = false;
    },
  };
}
