/** SHA-256 digests of look inputs, so the ledger can prove which data a verdict was computed from. */
import { createHash } from 'node:crypto';

/** Digest of named numeric columns: names sorted, each column as IEEE-754 float64 little-endian bytes. */
export function digestColumns(columns: Record<string, ArrayLike<number>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(columns).sort()) {
    const column = columns[name]!;
    hash.update(`${name}:${column.length};`);
    const bytes = new DataView(new ArrayBuffer(column.length * 8));
    for (let i = 0; i < column.length; i += 1) bytes.setFloat64(i * 8, column[i]!, true);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
