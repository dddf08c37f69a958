/** Number formats for the verdicts' human sentences. */

export function percent(rate: number, digits = 2): string {
  return `${(rate * 100).toFixed(digits)}%`;
}

export function points(difference: number, digits = 2): string {
  return `${difference >= 0 ? '+' : '−'}${Math.abs(difference * 100).toFixed(digits)} pp`;
}

export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** p-values: four decimals, or "< 0.0001". */
export function pValue(value: number): string {
  return value < 0.0001 ? '< 0.0001' : value.toFixed(4);
}
