/** Every notification links to a runbook section; each of those sections must exist. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_DETAIL_TYPES } from '../../shared/contracts/domain-events';
import { kebabCase } from '../../shared/notify/notification';

const runbook = readFileSync(join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
const sections = new Set([...runbook.matchAll(/^## (\S+)$/gm)].map((m) => m[1]));

describe('Contract: runbook', () => {
  it.each([...DOMAIN_DETAIL_TYPES.map((t) => kebabCase(t)), 'alarms'])('has a section #%s', (anchor) => {
    expect(sections.has(anchor)).toBe(true);
  });
});
