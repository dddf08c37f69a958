/**
 * How a credit application becomes the model's `text/csv` input row, and back: numeric columns as they are, then
 * one 0/1 column per category of each categorical feature, in the order of `pipeline/steps/config.json` (generated
 * from the training pipeline's one source, so the smoke test, the twin's model, reason codes and the drift check
 * cannot disagree with the model).
 */

/** The schema part of `pipeline/steps/config.json`. */
export interface ModelInputSchema {
  numeric: string[];
  categorical: Record<string, string[]>;
  /** The encoded column names, in order; the encoding below must produce exactly these. */
  features: string[];
}

/** A raw application as an applicant gives it. */
export type Application = Record<string, string | number>;

/** The encoded column names the schema's encoding produces, in order. */
export function encodedColumns(schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>): string[] {
  return [...schema.numeric, ...Object.entries(schema.categorical).flatMap(([name, values]) => values.map((v) => `${name}_${v}`))];
}

/** One application as the model's row: numerics (blank when missing), then one-hot categoricals. */
export function encodeApplication(schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>, row: Application): (string | number)[] {
  return [
    ...schema.numeric.map((n) => row[n] ?? ''),
    ...Object.entries(schema.categorical).flatMap(([name, values]) => values.map((v) => (row[name] === v ? 1 : 0))),
  ];
}

/** CSV lines in the model's input layout. */
export function applicationsToCsv(schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>, rows: Application[]): string {
  return rows.map((row) => encodeApplication(schema, row).join(',')).join('\n');
}

/**
 * One encoded row back to the application: numerics parsed (undefined when blank or not a number), each
 * categorical the category whose column is 1 (undefined when none is, `null` when several are: not a valid row).
 */
export function decodeRow(
  schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>,
  cells: readonly string[],
): Record<string, number | string | null | undefined> {
  const out: Record<string, number | string | null | undefined> = {};
  schema.numeric.forEach((name, i) => {
    const cell = cells[i]?.trim() ?? '';
    const value = cell === '' ? Number.NaN : Number(cell);
    out[name] = Number.isFinite(value) ? value : undefined;
  });
  let column = schema.numeric.length;
  for (const [name, values] of Object.entries(schema.categorical)) {
    const hot = values.filter((_, j) => Number(cells[column + j]) === 1);
    out[name] = hot.length === 1 ? hot[0] : hot.length === 0 ? undefined : null;
    column += values.length;
  }
  return out;
}
