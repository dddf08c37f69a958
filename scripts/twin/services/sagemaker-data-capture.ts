/**
 * SageMaker Data Capture, as an endpoint with a `DataCaptureConfig` writes it: one JSON line per captured request
 * (`captureData.endpointInput` / `endpointOutput` with observedContentType, mode, data, encoding; `eventMetadata`
 * with eventId, inferenceId, inferenceTime; `eventVersion` "0"), in files under
 * `<DestinationS3Uri>/<EndpointName>/<VariantName>/yyyy/mm/dd/hh/<id>.jsonl`, written every few minutes. CSV bodies are
 * kept as text (encoding CSV), as SageMaker does for the content types it is told are CSV; everything else base64.
 */
import type { DataCaptureConfig } from '@aws-sdk/client-sagemaker';
import type { ServiceContext } from '../core/types';

/** One request as the endpoint saw it. */
export interface CapturedRequest {
  endpointName: string;
  variantName: string;
  atMs: number;
  inferenceId?: string;
  eventId: string;
  input: { contentType: string; body: string };
  output?: { contentType: string; body: string };
}

const CSV_TYPES = ['text/csv'];

function payload(contentType: string, body: string, mode: 'INPUT' | 'OUTPUT', csvTypes: string[]) {
  const csv = csvTypes.includes(contentType.split(';')[0]!.trim());
  return { observedContentType: contentType, mode, data: csv ? body : Buffer.from(body, 'utf8').toString('base64'), encoding: csv ? 'CSV' : 'BASE64' };
}

/** The JSON line of one captured request, for the capture options of the config. */
export function captureLine(config: DataCaptureConfig, request: CapturedRequest): string {
  const modes = new Set((config.CaptureOptions ?? []).map((o) => o.CaptureMode));
  const both = modes.has('InputAndOutput');
  const csvTypes = config.CaptureContentTypeHeader?.CsvContentTypes ?? CSV_TYPES;
  const captureData = {
    ...(both || modes.has('Input') ? { endpointInput: payload(request.input.contentType, request.input.body, 'INPUT', csvTypes) } : {}),
    ...((both || modes.has('Output')) && request.output ? { endpointOutput: payload(request.output.contentType, request.output.body, 'OUTPUT', csvTypes) } : {}),
  };
  return JSON.stringify({
    captureData,
    eventMetadata: { eventId: request.eventId, ...(request.inferenceId ? { inferenceId: request.inferenceId } : {}), inferenceTime: new Date(request.atMs).toISOString() },
    eventVersion: '0',
  });
}

/** `<destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/` for the hour of `atMs`. */
export function capturePrefix(destination: string, endpointName: string, variantName: string, atMs: number): string {
  const iso = new Date(atMs).toISOString();
  const [date, time] = iso.split('T') as [string, string];
  return `${destination.replace(/\/+$/, '')}/${endpointName}/${variantName}/${date.replaceAll('-', '/')}/${time.slice(0, 2)}/`;
}

/**
 * Buffers captured lines per file and writes them when flushed. Sampling is deterministic and per endpoint variant:
 * its n-th request is kept when ⌊n·share⌋ > ⌊(n−1)·share⌋ (every request at 100 %, every other at 50 %), so one
 * endpoint's traffic never changes which requests of another are kept. Returns whether the request was kept.
 */
export function createDataCapture(write: (ctx: ServiceContext, uri: string, body: string) => Promise<void>) {
  const buffers = new Map<string, string[]>();
  const seen = new Map<string, number>();
  return {
    record(config: DataCaptureConfig | undefined, request: CapturedRequest): boolean {
      if (!config || config.EnableCapture === false || !config.DestinationS3Uri) return false;
      const share = (config.InitialSamplingPercentage ?? 0) / 100;
      const key = `${request.endpointName}/${request.variantName}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (Math.floor(n * share) === Math.floor((n - 1) * share)) return false;
      const prefix = capturePrefix(config.DestinationS3Uri, request.endpointName, request.variantName, request.atMs);
      const lines = buffers.get(prefix);
      if (lines) lines.push(captureLine(config, request));
      else buffers.set(prefix, [captureLine(config, request)]);
      return true;
    },
    /** Writes one object per buffered file (endpoint, variant, hour); returns how many. */
    async flush(ctx: ServiceContext): Promise<number> {
      // Taken before writing: a request captured while a write is under way goes to the next flush.
      const pending = [...buffers];
      buffers.clear();
      for (const [prefix, lines] of pending) await write(ctx, `${prefix}${ctx.nextId('capture')}.jsonl`, `${lines.join('\n')}\n`);
      return pending.length;
    },
  };
}
