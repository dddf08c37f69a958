/**
 * The audit Lambda (middy, Powertools) over the in-memory ledger: every domain event becomes one record, a
 * redelivery none; an event it cannot read, and every failure to record, is counted and THROWN, so Lambda's
 * on-failure destination keeps it (an audit trail drops nothing).
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { LedgerIntegrityError } from '../../../shared/governance/append-record';
import { verifyChain } from '../../../shared/governance/ledger';
import { RetryableError, TerminalError } from '../../../shared/runtime/errors';
import { makeAuditHandler, toAuditInput } from '../../../shared/runtime/audit-handler';
import { loadSample } from '../../support/events';
import { DOMAIN_SAMPLE_DIRS, MemoryLedgerIndex, MemoryLedgerStore } from '../../support/ledger';

const context = { functionName: 'creditai-mlops-audit', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60000 } as unknown as Context;
const domainSample = (dir: string) => loadSample(`creditai.mlops/${dir}/base.json`);

function world() {
  const store = new MemoryLedgerStore();
  const index = new MemoryLedgerIndex();
  const deps = { store, index, clock: { now: () => '2026-11-28T12:00:00.000Z' } };
  return { store, index, handler: makeAuditHandler(() => deps) };
}

let metrics: jest.SpyInstance;
beforeEach(() => {
  metrics = jest.spyOn(Metrics.prototype, 'addMetric');
});
afterEach(() => metrics.mockRestore());
const metricNames = () => metrics.mock.calls.map((c) => c[0] as string);

describe('Function: toAuditInput', () => {
  it('parses the domain event and keeps the envelope id', () => {
    const event = domainSample('model-promoted');

    expect(toAuditInput(event)).toEqual({ event: { detailType: 'ModelPromoted', detail: event.detail }, envelope: { id: event.id } });
  });

  it('refuses an event without an envelope id (it could not name its trigger)', () => {
    const { id: _id, ...event } = domainSample('model-promoted');

    expect(() => toAuditInput(event)).toThrow(TerminalError);
    expect(() => toAuditInput(null)).toThrow(TerminalError);
  });
});

describe('Function: makeAuditHandler', () => {
  it('records every domain detail-type in its group chain, which verifies whole', async () => {
    const { store, handler } = world();

    for (const dir of DOMAIN_SAMPLE_DIRS) await handler(domainSample(dir), context);

    const keys = store.keysOf('credit-risk-retail');
    expect(keys).toHaveLength(DOMAIN_SAMPLE_DIRS.length + 1);
    expect(verifyChain(keys.map((key) => ({ key, bytes: store.objects.get(key)! })))).toMatchObject({ ok: true, records: DOMAIN_SAMPLE_DIRS.length + 1 });
    expect(metricNames().filter((n) => n === 'RecordsAppended')).toHaveLength(DOMAIN_SAMPLE_DIRS.length);
  });

  it('records a redelivered event once', async () => {
    const { store, handler } = world();
    const event = domainSample('model-approved');

    const first = await handler(event, context);
    const second = await handler(event, context);

    expect(first).toMatchObject({ outcome: 'appended', sequence: 1 });
    expect(second).toMatchObject({ outcome: 'duplicate', sequence: 1 });
    expect(store.keysOf('credit-risk-retail')).toHaveLength(2);
    expect(metricNames()).toContain('DuplicatesSkipped');
  });

  it.each<[string, unknown]>([
    ['a domain event whose detail breaks its schema', { ...domainSample('model-promoted'), detail: { eventKey: 'x' } }],
    ['an unknown detail-type', { ...domainSample('model-promoted'), 'detail-type': 'ModelDeleted' }],
    ['an event of another source', { ...loadSample('aws.sagemaker/model-package-state-change/approved.json') }],
    ['null', null],
  ])('counts and throws %s, so the DLQ keeps it', async (_, event) => {
    const { store, handler } = world();

    await expect(handler(event, context)).rejects.toThrow();

    expect(store.objects.size).toBe(0);
    expect(metricNames()).toContain('EventsRejected');
  });

  it('counts records written outside the invocation that it indexed', async () => {
    const { store, index, handler } = world();
    await handler(domainSample('model-gated'), context);
    const advance = index.advance.bind(index);
    index.advance = async (group, entry, expected) => {
      index.advance = advance;
      if (entry.eventKey) throw new Error('Task timed out');
      return advance(group, entry, expected);
    };
    await expect(handler(domainSample('model-approved'), context)).rejects.toThrow('Task timed out');

    const outcome = await handler(domainSample('model-promoted'), context);

    expect(outcome).toMatchObject({ outcome: 'appended', sequence: 3, adopted: [2] });
    expect(metricNames()).toEqual(expect.arrayContaining(['AppendFailed', 'LedgerRecordsAdopted']));
    expect(store.keysOf('credit-risk-retail')).toHaveLength(4);
  });

  it('throws a ledger that contradicts itself as LedgerBroken', async () => {
    const { store, handler } = world();
    await handler(domainSample('model-gated'), context);
    store.put('ledger/credit-risk-retail/000000000002.json', 'tampered');

    await expect(handler(domainSample('model-approved'), context)).rejects.toBeInstanceOf(LedgerIntegrityError);
    expect(metricNames()).toContain('LedgerBroken');
  });

  it('throws a retryable failure for Lambda to retry', async () => {
    const { index, handler } = world();
    index.find = async () => Promise.reject(new RetryableError('throttled'));

    await expect(handler(domainSample('model-gated'), context)).rejects.toBeInstanceOf(RetryableError);
    expect(metricNames()).toContain('AppendFailed');
  });
});
