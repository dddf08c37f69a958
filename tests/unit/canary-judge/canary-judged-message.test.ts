/** What on-call reads for a CanaryJudged look: every guardrail metric's counts, and what to do on a latency rollback. */
import { parseDomainEvent, type DomainEventDetail } from '../../../shared/contracts/domain-events';
import { describeDomainEvent } from '../../../shared/notify/domain-messages';
import { loadSample } from '../../support/events';

const LINKS = { runbookBaseUrl: 'https://runbooks.creditai.example/mlops' };

function canaryJudged(patch: Partial<DomainEventDetail<'CanaryJudged'>>) {
  const raw = loadSample('creditai.mlops/canary-judged/base.json');
  raw.detail = { ...raw.detail, ...patch };
  return describeDomainEvent(parseDomainEvent(raw as Parameters<typeof parseDomainEvent>[0]), LINKS);
}

describe('Function: describeDomainEvent (CanaryJudged)', () => {
  it('lists each metric judged with its canary and champion rates', () => {
    const { body } = canaryJudged({});

    expect(body).toContain('Canary errors: 6 of 115 (5.22 %)');
    expect(body).toContain('Champion errors: 5 of 1025 (0.49 %)');
    expect(body).toContain('Canary latency-SLO misses: 1 of 115 (0.87 %)');
    expect(body).toContain('Champion latency-SLO misses: 3 of 1025 (0.29 %)');
    expect(body).toContain('find why the new version errs more');
  });

  it('says to look at latency when latency decided the rollback', () => {
    const { body } = canaryJudged({ metric: 'latency-SLO misses', champion: { units: 1025, events: 51 }, canary: { units: 115, events: 29 } });

    expect(body).toContain('find why the new version has more latency-SLO misses');
  });

  it('shows the decisive metric alone for a look recorded before the latency metric (no metrics list)', () => {
    const { body } = canaryJudged({ metrics: undefined });

    expect(body).toContain('Canary errors: 6 of 115 (5.22 %)');
    expect(body).not.toContain('latency-SLO misses:');
  });
});
