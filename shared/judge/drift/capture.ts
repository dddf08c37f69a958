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
  }),
  eventMetadata: z.looseObject({ eventId: z.string().optional(), inferenceTime: z.string().optional() }).optional(),
});

export type CaptureRecord = z.infer<typeof captureRecordSchema>;

/**
 * The CSV rows (cells split on commas: the model's input is numeric, no quoting) of one captured invocation, or
 * undefined when the line is not a capture record or its input is not CSV (a JSON body, a non-CSV base64 body).
 */
export function captureInputRows(line: string): string[][] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = captureRecordSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const input = parsed.data.captureData.endpointInput;
  if (input.encoding === 'JSON') return undefined;
  if (input.observedContentType !== undefined && !input.observedContentType.toLowerCase().startsWith('text/csv')) return undefined;
  const text = input.encoding === 'BASE64' ? decodeBase64(input.data) : input.data;
  if (text === undefined) return undefined;
  const rows: string[][] = [];
  for (const row of text.split('\n')) {
    const trimmed = row.endsWith('\r') ? row.slice(0, -1) : row;
    if (trimmed.trim() !== '') rows.push(trimmed.split(','));
  }
  return rows;
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
