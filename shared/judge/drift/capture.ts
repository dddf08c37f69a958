/**
 * One line of SageMaker Data Capture output (JSON Lines, one captured invocation per line) to the model-input CSV
 * rows it carries. The record: `{captureData: {endpointInput: {observedContentType, mode, data, encoding},
 * endpointOutput: {…}}, eventMetadata: {eventId, inferenceTime}, eventVersion}`; `encoding` is CSV or JSON when
 * the content type was listed in CaptureContentTypeHeader, BASE64 otherwise.
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

export const captureRecordSchema = z.looseObject({
  captureData: z.looseObject({
    endpointInput: z.looseObject({
      observedContentType: z.string().optional(),
      mode: z.literal('INPUT').optional(),
      data: z.string(),
      encoding: z.enum(['CSV', 'JSON', 'BASE64']),
    }),
    endpointOutput: z.looseObject({ observedContentType: z.string().optional(), data: z.string(), encoding: z.enum(['CSV', 'JSON', 'BASE64']) }).optional(),
  }),
  eventMetadata: z.looseObject({ eventId: z.string().optional(), inferenceTime: z.string().optional() }).optional(),
});

export type CaptureRecord = z.infer<typeof captureRecordSchema>;

/** CSV text of a captured body, or undefined when it is not CSV (a JSON body, a non-CSV base64 body). */
function csvText(body: { observedContentType?: string | undefined; data: string; encoding: 'CSV' | 'JSON' | 'BASE64' }): string | undefined {
  if (body.encoding === 'JSON') return undefined;
  if (body.observedContentType !== undefined && !body.observedContentType.toLowerCase().startsWith('text/csv')) return undefined;
  return body.encoding === 'BASE64' ? decodeBase64(body.data) : body.data;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((row) => (row.endsWith('\r') ? row.slice(0, -1) : row))
    .filter((row) => row.trim() !== '');
}

/**
 * One captured invocation's CSV: the input rows (cells split on commas: the model's input is numeric, no quoting)
 * and, when the output was captured as CSV, one score line per row; undefined when the line is not a capture
 * record or its input is not CSV.
 */
export function captureCsv(line: string): { rows: string[][]; scores?: number[] } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = captureRecordSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const input = csvText(parsed.data.captureData.endpointInput);
  if (input === undefined) return undefined;
  const rows = lines(input).map((row) => row.split(','));
  const outputBody = parsed.data.captureData.endpointOutput;
  const output = outputBody ? csvText(outputBody) : undefined;
  return output === undefined ? { rows } : { rows, scores: lines(output).map((l) => Number(l.split(',')[0])) };
}

/** The input rows of one captured invocation (see captureCsv). */
export function captureInputRows(line: string): string[][] | undefined {
  return captureCsv(line)?.rows;
}

function decodeBase64(data: string): string | undefined {
  try {
    return atob(data);
  } catch {
    return undefined;
  }
}

/** One capture record line as SageMaker writes it, for a CSV body (the twin's endpoint and the bench write these). */
export function captureLine(csv: string, eventId: string, inferenceTime: string, output?: string): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: csv, encoding: 'CSV' },
      ...(output === undefined ? {} : { endpointOutput: { observedContentType: 'text/csv; charset=utf-8', mode: 'OUTPUT', data: output, encoding: 'CSV' } }),
    },
    eventMetadata: { eventId, inferenceTime },
    eventVersion: '0',
  });
}
