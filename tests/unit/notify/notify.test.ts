/**
 * The notify use case with fake SNS and PagerDuty ports: what is published, with which attributes, and when a page
 * goes out.
 */
import { alarmStateChangeEventSchema } from '../../../shared/contracts/aws-events';
import { parseDomainEvent, type DomainEvent } from '../../../shared/contracts/domain-events';
import type { Page } from '../../../shared/notify/notification';
import { isRoutineLook, notify, topicOf, type NotifyDeps } from '../../../shared/notify/notify';
import { TerminalError } from '../../../shared/runtime/errors';
import { loadSample } from '../../support/events';

const LINKS = { runbookBaseUrl: 'https://runbooks.creditai.example/mlops' };

const domain = (dir: string): DomainEvent =>
  parseDomainEvent(loadSample(`creditai.mlops/${dir}/base.json`) as Parameters<typeof parseDomainEvent>[0]);
const alarmEvent = (name: string) => alarmStateChangeEventSchema.parse(loadSample(`aws.cloudwatch/cloudwatch-alarm-state-change/${name}.json`));

/** Fake ports recording what was sent, in order. */
function fakes(options: { pagerDuty?: boolean; failPage?: Error; failSns?: Error } = {}) {
  const log: string[] = [];
  const published: { subject: string; body: string; attributes: Record<string, string> }[] = [];
  const pages: Page[] = [];
  const deps: NotifyDeps = {
    links: LINKS,
    publishSns: async (subject, body, attributes) => {
      log.push('sns');
      if (options.failSns) throw options.failSns;
      published.push({ subject, body, attributes });
    },
    ...(options.pagerDuty === false
      ? {}
      : {
          pagerDuty: {
            send: async (page: Page) => {
              log.push('page');
              if (options.failPage) throw options.failPage;
              pages.push(page);
              return { dedupKey: page.dedupKey };
            },
          },
        }),
  };
  return { deps, log, published, pages };
}

describe('Function: notify', () => {
  it('publishes a rollback to SNS with filterable attributes, then pages it', async () => {
    // Prepare
    const { deps, log, published, pages } = fakes();

    // Act
    const result = await notify(deps, { kind: 'domain', event: domain('rollback-performed') });

    // Assess
    expect(result.paged).toBe(true);
    expect(log).toEqual(['sns', 'page']);
    expect(published).toEqual([
      {
        subject: result.notification.subject,
        body: result.notification.body,
        attributes: { severity: 'critical', modelGroup: 'credit-risk-retail', detailType: 'RollbackPerformed' },
      },
    ]);
    expect(pages).toEqual([result.notification.page]);
    expect(pages[0]).toMatchObject({ action: 'trigger', dedupKey: 'rollback:credit-risk-retail:v7' });
  });

  it.each([
    ['CanaryJudged', 'canary-judged', 'continue', false],
    ['CanaryJudged', 'canary-judged', 'wait', false],
    ['CanaryJudged', 'canary-judged', 'rollback', true],
    ['CanaryJudged', 'canary-judged', 'pass', true],
    ['ExperimentJudged', 'experiment-judged', 'continue', false],
    ['ExperimentJudged', 'experiment-judged', 'wait', false],
    ['ExperimentJudged', 'experiment-judged', 'challenger-wins', true],
    ['ExperimentJudged', 'experiment-judged', 'stop-harm', true],
  ])('%s %s: told only when it decides something (%s → %s)', async (_type, dir, decision, told) => {
    const { deps, log } = fakes();
    const event = domain(dir);
    (event.detail as { decision: string }).decision = decision;

    const result = await notify(deps, { kind: 'domain', event });

    expect(isRoutineLook({ kind: 'domain', event })).toBe(!told);
    expect(result.sent).toBe(told);
    expect(log.includes('sns')).toBe(told);
  });

  it.each([
    [0.99, false],
    [1, true],
  ])('tells a canary still waiting at %s of its planned invocations: %s', async (informationFraction, told) => {
    const { deps, published } = fakes();
    const event = domain('canary-judged');
    Object.assign(event.detail, { decision: 'wait', informationFraction });

    const result = await notify(deps, { kind: 'domain', event });

    expect(result.sent).toBe(told);
    if (told) expect(published[0]!.body).toContain('The canary reached its planned invocations with too few events to judge');
    if (told) expect(result.notification.severity).toBe('warning');
  });

  it('tells the look that finds an experiment\'s assignment split off, as a warning', async () => {
    const { deps, published } = fakes();
    const event = domain('experiment-judged');
    Object.assign(event.detail, { decision: 'wait', alert: 'sample-ratio-mismatch' });

    const result = await notify(deps, { kind: 'domain', event });

    expect(result.sent).toBe(true);
    expect(published[0]!.subject).toBe('[WARNING] credit-risk-retail v5 experiment judged: wait (sample-ratio-mismatch)');
    expect(published[0]!.body).toContain('Find why the challenger gets another share of the requests than planned');
  });

  it('tells every other event and every alarm', async () => {
    expect(isRoutineLook({ kind: 'domain', event: domain('model-promoted') })).toBe(false);
    expect(isRoutineLook({ kind: 'alarm', event: alarmEvent('latency-alarm') })).toBe(false);
  });

  it('only publishes an info event', async () => {
    const { deps, log, published } = fakes();

    const result = await notify(deps, { kind: 'domain', event: domain('model-promoted') });

    expect(result.paged).toBe(false);
    expect(log).toEqual(['sns']);
    expect(published[0]!.attributes).toEqual({ severity: 'info', modelGroup: 'credit-risk-retail', detailType: 'ModelPromoted' });
  });

  it('publishes an incident to SNS only when no PagerDuty client is configured', async () => {
    const { deps, log } = fakes({ pagerDuty: false });

    const result = await notify(deps, { kind: 'domain', event: domain('pipeline-failed') });

    expect(result.paged).toBe(false);
    expect(result.notification.page).toBeDefined();
    expect(log).toEqual(['sns']);
  });

  it('pages an alarm and resolves it when it clears, under one dedup key', async () => {
    const { deps, published, pages } = fakes();

    await notify(deps, { kind: 'alarm', event: alarmEvent('latency-alarm') });
    await notify(deps, { kind: 'alarm', event: alarmEvent('latency-ok') });

    expect(pages.map((p) => [p.action, p.dedupKey])).toEqual([
      ['trigger', 'alarm:creditai-credit-risk-retail-prod-p99-latency'],
      ['resolve', 'alarm:creditai-credit-risk-retail-prod-p99-latency'],
    ]);
    expect(published.map((p) => p.attributes)).toEqual([
      { severity: 'critical', modelGroup: 'credit-risk-retail', detailType: 'CloudWatch Alarm State Change' },
      { severity: 'info', modelGroup: 'credit-risk-retail', detailType: 'CloudWatch Alarm State Change' },
    ]);
  });

  it("marks an alarm whose model group is not known as 'unknown'", async () => {
    const { deps, published } = fakes();
    const event = alarmEvent('errors-alarm');
    delete event.detail.configuration;

    await notify(deps, { kind: 'alarm', event });

    expect(published[0]!.attributes.modelGroup).toBe('unknown');
  });

  it('has published to SNS when paging fails, and lets the error through for the handler to classify', async () => {
    const refused = new TerminalError('PagerDuty trigger of x was refused: HTTP 400');
    const { deps, log, published } = fakes({ failPage: refused });

    await expect(notify(deps, { kind: 'domain', event: domain('reconcile-failed') })).rejects.toBe(refused);
    expect(log).toEqual(['sns', 'page']);
    expect(published).toHaveLength(1);
  });

  it.each([
    ['approval-requested', 'approvals'],
    ['model-approved', 'approvals'],
    ['approval-unverified', 'approvals'],
    ['model-rejected', 'approvals'],
    ['model-promoted', 'notices'],
    ['rollback-performed', 'notices'],
    ['pipeline-failed', 'notices'],
  ])('routes %s to the %s topic', (dir, topic) => {
    expect(topicOf({ kind: 'domain', event: domain(dir) })).toBe(topic);
  });

  it('routes alarms to the notices topic', () => {
    expect(topicOf({ kind: 'alarm', event: alarmEvent('latency-alarm') })).toBe('notices');
  });

  it('publishes approval events to the approvals topic when one is configured, everything else to notices', async () => {
    const { deps, published } = fakes();
    const approvals: { subject: string; attributes: Record<string, string> }[] = [];
    const withApprovals: NotifyDeps = { ...deps, publishApprovals: async (subject, _body, attributes) => void approvals.push({ subject, attributes }) };

    await notify(withApprovals, { kind: 'domain', event: domain('approval-requested') });
    await notify(withApprovals, { kind: 'domain', event: domain('model-promoted') });

    expect(approvals).toEqual([
      { subject: '[approval needed] credit-risk-retail v7 for production', attributes: { severity: 'info', modelGroup: 'credit-risk-retail', detailType: 'ApprovalRequested' } },
    ]);
    expect(published.map((p) => p.attributes.detailType)).toEqual(['ModelPromoted']);
  });

  it('publishes approval events to notices when no approvals topic is configured', async () => {
    const { deps, published } = fakes();

    await notify(deps, { kind: 'domain', event: domain('approval-requested') });

    expect(published.map((p) => p.attributes.detailType)).toEqual(['ApprovalRequested']);
  });

  it('does not page when SNS fails: the retry does both', async () => {
    const { deps, log } = fakes({ failSns: new Error('SNS throttled') });

    await expect(notify(deps, { kind: 'domain', event: domain('rollback-performed') })).rejects.toThrow('SNS throttled');
    expect(log).toEqual(['sns']);
  });
});
