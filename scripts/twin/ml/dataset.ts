/**
 * The applications CSV as the training pipeline reads it (a header row, then one application a line; extra
 * columns such as application_id are ignored), and the checks Prep makes before training on it.
 */
import type { Application } from '../../../shared/contracts/model-input';
import { LABEL, MODEL_SCHEMA, PROTECTED_ATTRIBUTE } from './schema';
import { SYNTHETIC_COLUMNS, type SyntheticApplication } from './synthetic';

/** One application ready for training: raw features, protected attribute, label. */
export interface LabelledApplication {
  features: Application;
  facet: string;
  label: 0 | 1;
}

/** The data could not be trained on; the message lists every problem found (as prep.py's DataError does). */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/** Applications as CSV text, synthetic.py's column order, `\n` line ends. */
export function applicationsToCsvText(rows: readonly SyntheticApplication[]): string {
  const lines = rows.map((row) => SYNTHETIC_COLUMNS.map((c) => String(row[c])).join(','));
  return `${SYNTHETIC_COLUMNS.join(',')}\n${lines.join('\n')}\n`;
}

const MAX_PROBLEMS = 10;

/**
 * Parses applications CSV text (header first) into labelled applications: numerics must be finite numbers,
 * categoricals within the model's vocabularies, the label 0 or 1, the protected attribute present.
 * @throws DataError naming up to ten problems (missing columns, bad cells with their line).
 */
export function parseApplications(text: string): LabelledApplication[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new DataError('The applications CSV is empty');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const required = [...MODEL_SCHEMA.numeric, ...Object.keys(MODEL_SCHEMA.categorical), PROTECTED_ATTRIBUTE, LABEL];
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new DataError(`Missing column(s): ${missing.join(', ')}`);
  const at = Object.fromEntries(header.map((h, i) => [h, i]));
  const problems: string[] = [];
  const out: LabelledApplication[] = [];
  for (let n = 1; n < lines.length && problems.length < MAX_PROBLEMS; n++) {
    const cells = lines[n]!.split(',');
    const features: Application = {};
    for (const name of MODEL_SCHEMA.numeric) {
      const value = Number(cells[at[name]!]);
      if (cells[at[name]!]?.trim() === '' || !Number.isFinite(value)) problems.push(`line ${n + 1}: ${name} "${cells[at[name]!] ?? ''}" is not a number`);
      features[name] = value;
    }
    for (const [name, vocabulary] of Object.entries(MODEL_SCHEMA.categorical)) {
      const value = cells[at[name]!]?.trim() ?? '';
      if (!vocabulary.includes(value)) problems.push(`line ${n + 1}: ${name} "${value}" is not one of ${vocabulary.join('|')}`);
      features[name] = value;
    }
    const label = cells[at[LABEL]!]?.trim();
    if (label !== '0' && label !== '1') problems.push(`line ${n + 1}: ${LABEL} "${label ?? ''}" is neither 0 nor 1`);
    const facet = cells[at[PROTECTED_ATTRIBUTE]!]?.trim() ?? '';
    if (facet === '') problems.push(`line ${n + 1}: ${PROTECTED_ATTRIBUTE} is empty`);
    out.push({ features, facet, label: label === '1' ? 1 : 0 });
  }
  if (problems.length > 0) throw new DataError(problems.join('; '));
  return out;
}
