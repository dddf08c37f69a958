/**
 * Rules dependency-cruiser cannot see (globals are not imports): the pure core reads no environment, no clock and
 * no randomness; below the handlers nothing reads process.env (DESIGN §5).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Code without comments, so a TSDoc that mentions `process.env` does not count. */
const code = (path: string) => readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('Contract: architecture rules on globals', () => {
  const pure = ['shared/lifecycle'].flatMap((d) => sources(join(root, d)));

  it.each(pure.map((p) => [relative(root, p), p]))('%s reads no environment, clock or randomness', (_, path) => {
    // `new Date()` reads the clock; `new Date(ms)` only converts a value it is given.
    expect(code(path)).not.toMatch(/\bprocess\.|Date\.now\(|new Date\(\s*\)|Math\.random\(|performance\.now\(/);
  });

  it.each(sources(join(root, 'shared')).map((p) => [relative(root, p), p]))('%s does not read process.env', (_, path) => {
    expect(code(path)).not.toMatch(/process\.env/);
  });

  it('the checks see the code they are meant to see', () => {
    expect(pure.length).toBeGreaterThan(5);
    expect('const t = Date.now();').toMatch(/Date\.now\(/);
    expect('const t = new Date( );').toMatch(/new Date\(\s*\)/);
    expect('const t = new Date(ms);').not.toMatch(/new Date\(\s*\)/);
  });
});
