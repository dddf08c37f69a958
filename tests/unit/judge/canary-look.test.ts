import { combineCanaryDecisions, judgeCanaryGuardrails, judgeCanaryLook, type CanaryDecision } from '../../../shared/judge/canary-look';
import { canaryPlanSchema } from '../../../shared/judge/plan';

const plan = { metric: 'errors', plannedUnits: 12000 };

describe('Function: judgeCanaryLook', () => {
  it('fills the plan defaults: harm α 0.01, margin 0, tuned at 25%; 10 events, 10 non-events, 100 units; SRM p 0.001', () => {
    expect(canaryPlanSchema.parse(plan)).toEqual({
      metric: 'errors',
      plannedUnits: 12000,
      harm: { alpha: 0.01, margin: 0, tuningFraction: 0.25 },
      dataQuality: { minUnits: 100, minEvents: 10, minNonEvents: 10, srmPValue: 0.001, minLabelCompleteness: 0.95 },
    });
  });

  it('waits while an arm has too few events, saying which', () => {
    const verdict = judgeCanaryLook({ plan, champion: { units: 2000, events: 4 }, canary: { units: 500, events: 12 } });

    expect(verdict.decision).toBe('wait');
    expect(verdict.reason).toBe('Waiting: too little data (champion has 4 events (needs 10)); no statistical verdict yet.');
    expect(verdict.look).toMatchObject({ index: 1, statistic: null, bound: null, samples: { champion: 2000, challenger: 500 } });
    expect(verdict.sufficientStatistics.harm).toBeNull();
  });

  it('waits on a sample-ratio mismatch', () => {
    const verdict = judgeCanaryLook({ plan, champion: { units: 9100, events: 40 }, canary: { units: 900, events: 10 }, expectedCanaryShare: 0.1 });

    expect(verdict.decision).toBe('wait');
    expect(verdict.dataQuality.sampleRatio).toMatchObject({ checked: true, passed: false });
    expect(verdict.reason).toContain('canary share 9.00% against 10.00% planned');
  });

  it('rolls back a 5× error-rate regression with the figures in the reason', () => {
    const verdict = judgeCanaryLook({ plan, champion: { units: 9000, events: 18 }, canary: { units: 3000, events: 30 }, expectedCanaryShare: 0.25 });

    expect(verdict.decision).toBe('rollback');
    expect(verdict.reason).toMatch(/^Roll back: canary errors rate 1\.00% against champion 0\.20% \(\+0\.80 pp\); harm z \d+\.\d\d reached the always-valid bound \d\.\d\d \(p < 0\.0001 < α 0\.01\) after 3,000 canary and 9,000 champion invocations\.$/);
    expect(verdict.look.statistic!).toBeGreaterThanOrEqual(verdict.look.bound!);
    expect(verdict.look).toMatchObject({ index: 1, informationFraction: 1, alphaSpent: 0.01 });
  });

  it('continues while there is no harm and the plan is not complete, then passes at the planned units', () => {
    const first = judgeCanaryLook({ plan, champion: { units: 4500, events: 22 }, canary: { units: 1500, events: 8 + 3 } });
    const second = judgeCanaryLook({ plan, champion: { units: 9000, events: 45 }, canary: { units: 3000, events: 16 }, state: first.state });

    expect(first.decision).toBe('continue');
    expect(first.reason).toContain('50% of the planned 12,000 invocations seen');
    expect(second.decision).toBe('pass');
    expect(second.look.index).toBe(2);
    expect(second.state.minAlwaysValidPValue).toBeLessThanOrEqual(first.state.minAlwaysValidPValue);
    expect(second.reason).toContain('no harm detected');
  });

  it('passes early inside a non-inferiority margin', () => {
    const verdict = judgeCanaryLook({ plan: { ...plan, plannedUnits: 200000, nonInferiorityMargin: 0.01 }, champion: { units: 50000, events: 500 }, canary: { units: 50000, events: 480 } });

    expect(verdict.decision).toBe('pass');
    expect(verdict.reason).toContain('inside the non-inferiority margin +1.00 pp');
  });

  it('returns a verdict that survives JSON (it goes into the audit ledger)', () => {
    const verdict = judgeCanaryLook({ plan, champion: { units: 9000, events: 18 }, canary: { units: 3000, events: 30 } });

    expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });

  it('refuses a plan without planned units', () => {
    expect(() => judgeCanaryLook({ plan: { metric: 'errors' } as never, champion: { units: 1, events: 0 }, canary: { units: 1, events: 0 } })).toThrow();
  });
});

describe('Function: judgeCanaryLook past its plan', () => {
  it('says the plan is exhausted when an arm still has too few events to judge', () => {
    const verdict = judgeCanaryLook({ plan, champion: { units: 8700, events: 17 }, canary: { units: 3300, events: 6 } });

    expect(verdict.decision).toBe('wait');
    expect(verdict.reason).toBe('Waiting: too little data (canary has 6 events (needs 10)); the planned invocations are reached, so extend the canary or rely on the SLO breaker.');
  });
});

describe('Function: combineCanaryDecisions', () => {
  it.each<[CanaryDecision[], CanaryDecision, number]>([
    [['rollback', 'wait'], 'rollback', 0],
    [['wait', 'rollback'], 'rollback', 1],
    [['continue', 'rollback'], 'rollback', 1],
    [['rollback', 'rollback'], 'rollback', 0],
    [['wait', 'continue'], 'wait', 0],
    [['continue', 'wait'], 'wait', 1],
    [['pass', 'wait'], 'wait', 1],
    [['pass', 'continue'], 'continue', 1],
    [['continue', 'pass'], 'continue', 0],
    [['pass', 'pass'], 'pass', 0],
    [['pass'], 'pass', 0],
    [['wait'], 'wait', 0],
  ])('combines %j into %s, decided by metric %i', (decisions, decision, decisive) => {
    expect(combineCanaryDecisions(decisions)).toEqual({ decision, decisive });
  });

  it('refuses to combine no metric', () => {
    expect(() => combineCanaryDecisions([])).toThrow('no metric');
  });
});

describe('Function: judgeCanaryGuardrails', () => {
  const guardrailPlan = { metric: 'errors', plannedUnits: 12000 };
  // Champion 0.5 %, canary 1.47 %: the errors harm test's always-valid p (≈ 0.007) is under α 0.01, not under 0.005.
  const borderline = { champion: { units: 9000, events: 45 }, canary: { units: 950, events: 14 } };
  const healthyLatency = { metric: 'latency-SLO misses', champion: { units: 9000, events: 450 }, canary: { units: 950, events: 47 } };

  it('is the single-metric look, at the whole α, when only errors are judged', () => {
    const single = judgeCanaryLook({ plan: guardrailPlan, ...borderline });
    const guardrails = judgeCanaryGuardrails({ plan: guardrailPlan, metrics: [{ metric: 'errors', ...borderline }] });

    expect(single.decision).toBe('rollback');
    expect(guardrails).toMatchObject({ decision: 'rollback', decisive: 0, reason: single.reason });
    expect(guardrails.metrics).toEqual([{ metric: 'errors', alpha: 0.01, verdict: single }]);
  });

  it('splits α over two metrics (Bonferroni): the borderline errors excess no longer rolls back', () => {
    const verdict = judgeCanaryGuardrails({ plan: guardrailPlan, metrics: [{ metric: 'errors', ...borderline }, healthyLatency] });

    expect(verdict.metrics.map((m) => [m.metric, m.alpha, m.verdict.decision])).toEqual([
      ['errors', 0.005, 'continue'],
      ['latency-SLO misses', 0.005, 'continue'],
    ]);
    expect(verdict.decision).toBe('continue');
    expect(verdict.metrics[0]!.verdict.look.alphaSpent).toBe(0.005);
  });

  it('rolls back on errors at once while latency still waits for its data gates', () => {
    const verdict = judgeCanaryGuardrails({
      plan: guardrailPlan,
      metrics: [
        { metric: 'errors', champion: { units: 9000, events: 18 }, canary: { units: 3000, events: 30 } },
        { metric: 'latency-SLO misses', champion: { units: 9000, events: 2 }, canary: { units: 3000, events: 1 } },
      ],
    });

    expect(verdict).toMatchObject({ decision: 'rollback', decisive: 0 });
    expect(verdict.reason).toMatch(/^Roll back: canary errors rate 1\.00% against champion 0\.20% .*\(p < 0\.0001 < α 0\.005\).* Other guardrails: latency-SLO misses wait \(each metric at α 0\.01\/2, Bonferroni\)\.$/);
  });

  it('rolls back on latency-SLO misses while errors wait, naming latency as the decisive metric', () => {
    const verdict = judgeCanaryGuardrails({
      plan: guardrailPlan,
      metrics: [
        { metric: 'errors', champion: { units: 2700, events: 0 }, canary: { units: 300, events: 0 } },
        { metric: 'latency-SLO misses', champion: { units: 2700, events: 135 }, canary: { units: 300, events: 75 } },
      ],
    });

    expect(verdict).toMatchObject({ decision: 'rollback', decisive: 1 });
    expect(verdict.reason).toMatch(/^Roll back: canary latency-SLO misses rate 25\.00% against champion 5\.00% \(\+20\.00 pp\);.* Other guardrails: errors wait /);
  });

  it('waits when errors pass at the planned units but latency has too few misses to judge', () => {
    const verdict = judgeCanaryGuardrails({
      plan: guardrailPlan,
      metrics: [
        { metric: 'errors', champion: { units: 9000, events: 45 }, canary: { units: 3000, events: 15 } },
        { metric: 'latency-SLO misses', champion: { units: 9000, events: 3 }, canary: { units: 3000, events: 1 } },
      ],
    });

    expect(verdict.metrics.map((m) => m.verdict.decision)).toEqual(['pass', 'wait']);
    expect(verdict).toMatchObject({ decision: 'wait', decisive: 1 });
  });

  it('passes only when both metrics pass', () => {
    const verdict = judgeCanaryGuardrails({
      plan: guardrailPlan,
      metrics: [
        { metric: 'errors', champion: { units: 9000, events: 45 }, canary: { units: 3000, events: 15 } },
        { metric: 'latency-SLO misses', champion: { units: 9000, events: 450 }, canary: { units: 3000, events: 148 } },
      ],
    });

    expect(verdict).toMatchObject({ decision: 'pass', decisive: 0 });
  });
});
