/**
 * Production's bias re-check over a window of captured traffic: per value of the protected attribute (derived
 * from a model input, e.g. age bands from `age`), how many applications were scored and how many got the
 * favourable prediction (score at or below the decision threshold: approved). Only predictions are needed, so the
 * post-training metrics that need no labels (DI, DPPL) can be watched as traffic arrives. Bounded memory.
 */
import type { ModelInputSchema } from '../../contracts/model-input';
import { bandOf, type FacetCounts } from '../fairness';
import { captureCsv } from './capture';

export interface BiasSpec {
  /** The protected attribute's name (`age_group`). */
  attribute: string;
  /** The numeric model input its bands are of (`age`). */
  source: string;
  /** Its values, as bands of the source (`18-25`, …, `61+`). */
  values: readonly string[];
  /** A score above it is a decline (the label of interest is the favourable one: approval). */
  decisionThreshold: number;
}

export class BiasWindow {
  private readonly counts: Record<string, FacetCounts> = {};
  private readonly column: number;
  /** Rows without a captured score or with no band: not counted. */
  unmatched = 0;

  constructor(
    private readonly spec: BiasSpec,
    schema: Pick<ModelInputSchema, 'numeric'>,
  ) {
    this.column = schema.numeric.indexOf(spec.source);
    if (this.column < 0) throw new Error(`The protected attribute's source ${spec.source} is not a numeric model input`);
    for (const value of spec.values) this.counts[value] = { rows: 0, favourable: 0 };
  }

  addCaptureLine(line: string): void {
    const captured = captureCsv(line);
    if (!captured) return;
    captured.rows.forEach((cells, i) => {
      const score = captured.scores?.[i];
      const band = bandOf(this.spec.values, Number(cells[this.column]));
      if (score === undefined || !Number.isFinite(score) || band === undefined) {
        this.unmatched += 1;
        return;
      }
      const c = this.counts[band]!;
      c.rows += 1;
      if (score <= this.spec.decisionThreshold) c.favourable += 1;
    });
  }

  finish(): Record<string, FacetCounts> {
    return structuredClone(this.counts);
  }
}
