import { ZodError, type core } from 'zod';
import { DEFAULT_POLICY, parsePolicy, policySchema } from '../../../shared/lifecycle/policy';

/** The issues a rejected override raises (fails when it is accepted). */
function issuesOf(overrides: unknown): core.$ZodIssue[] {
  try {
    parsePolicy(overrides);
  } catch (error) {
    if (error instanceof ZodError) return error.issues;
    throw error;
  }
  throw new Error('The override was accepted');
}

describe('Function: parsePolicy', () => {
  it('applies the platform defaults when nothing is overridden', () => {
    expect(parsePolicy()).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toMatchObject({
      gates: { minAuc: 0.85, minKs: 0.2, disparateImpact: { min: 0.8, max: 1.25 }, maxAbsDppl: 0.1, protectedFacets: [], requireExplainability: true, requireLineage: true },
      approval: { staging: 'auto', production: 'manual' },
      staging: { instanceType: 'ml.m5.large', instanceCount: 1, smokeTest: { maxLatencyMs: 200, minScore: 0, maxScore: 1 } },
      production: {
        strategy: 'canary',
        canary: { trafficPercent: 10, bakeSeconds: 600 },
        terminationWaitSeconds: 300,
        maxExecutionSeconds: 3600,
        dataCaptureSamplingPercent: 100,
        rollbackAlarms: ['creditai-{endpoint}-p99-latency', 'creditai-{endpoint}-5xx-errors', 'creditai-{endpoint}-canary-harm'],
        judge: { enabled: true, plannedUnits: 2000, alpha: 0.01, latency: { enabled: true, thresholdMs: 200 } },
      },
      rollback: { onAlarm: 'auto' },
      retrain: { cooldownHours: 24, maxPerWeek: 2 },
    });
  });

  it('merges an override over the defaults, keeping the settings it does not name', () => {
    const policy = parsePolicy({ gates: { minAuc: 0.9, disparateImpact: { max: 1.2 } }, production: { canary: { trafficPercent: 20 } }, approval: { production: 'auto' } });

    expect(policy.gates).toMatchObject({ minAuc: 0.9, minKs: 0.2, disparateImpact: { min: 0.8, max: 1.2 } });
    expect(policy.production.canary).toEqual({ trafficPercent: 20, bakeSeconds: 600 });
    expect(policy.approval).toEqual({ staging: 'auto', production: 'auto' });
    expect(policy.retrain).toEqual(DEFAULT_POLICY.retrain);
  });

  it('merges a judge override, keeping the judge settings it does not name', () => {
    expect(parsePolicy({ production: { judge: { enabled: false } } }).production.judge).toEqual({ enabled: false, plannedUnits: 2000, alpha: 0.01, latency: { enabled: true, thresholdMs: 200 } });
  });

  it.each<[string, unknown, (string | number)[]]>([
    ['an AUC minimum above 1', { gates: { minAuc: 1.2 } }, ['gates', 'minAuc']],
    ['a canary share above 50%', { production: { canary: { trafficPercent: 75 } } }, ['production', 'canary', 'trafficPercent']],
    ['a bake time above SageMaker’s 3600 s', { production: { canary: { bakeSeconds: 3601 } } }, ['production', 'canary', 'bakeSeconds']],
    ['an unknown approval mode', { approval: { production: 'sometimes' } }, ['approval', 'production']],
    ['an empty list of rollback alarms', { production: { rollbackAlarms: [] } }, ['production', 'rollbackAlarms']],
    ['zero production instances', { production: { instanceCount: 0, strategy: 'all-at-once' } }, ['production', 'instanceCount']],
    ['a judge level of 1', { production: { judge: { alpha: 1 } } }, ['production', 'judge', 'alpha']],
    ['a judge planning no invocations', { production: { judge: { plannedUnits: 0 } } }, ['production', 'judge', 'plannedUnits']],
    ['a negative retrain budget', { retrain: { maxPerWeek: -1 } }, ['retrain', 'maxPerWeek']],
    ['an experiment effect as large as the champion default rate', { experiment: { championDefaultRate: 0.05, minimumDetectableEffect: 0.05 } }, ['experiment', 'minimumDetectableEffect']],
    ['an empty experiment label', { experiment: { label: '' } }, ['experiment', 'label']],
    ['an early harm label that matures after the label', { experiment: { labelMaturityDays: 90, earlyHarmLabel: { label: 'dpd30_m6', maturityDays: 180 } } }, ['experiment', 'earlyHarmLabel']],
    ['an early harm label that is the label itself', { experiment: { earlyHarmLabel: { label: 'default_90d', maturityDays: 30 } } }, ['experiment', 'earlyHarmLabel']],
    ['an unknown experiment mode', { experiment: { mode: 'interleaved' } }, ['experiment', 'mode']],
    ['an experiment deadline before its label matures', { experiment: { labelMaturityDays: 90, maxDurationDays: 60 } }, ['experiment', 'maxDurationDays']],
  ])('rejects %s, naming the path of the setting', (_, overrides, path) => {
    expect(() => parsePolicy(overrides)).toThrow(ZodError);
    expect(issuesOf(overrides).map((i) => i.path)).toEqual([path]);
  });

  it.each<[string, unknown]>([
    ['a minimum above the maximum', { gates: { disparateImpact: { min: 1.3 } } }],
    ['a minimum equal to the maximum', { gates: { disparateImpact: { min: 1, max: 1 } } }],
  ])('rejects a DI band with %s', (_, overrides) => {
    expect(issuesOf(overrides)).toEqual([expect.objectContaining({ path: ['gates', 'disparateImpact'], message: 'disparateImpact.min must be below disparateImpact.max' })]);
  });

  it.each<[string, unknown, (string | number)[], string]>([
    ['a misspelt gate setting', { gates: { minAUC: 0.9 } }, ['gates'], 'minAUC'],
    ['an unknown section', { retraining: { cooldownHours: 12 } }, [], 'retraining'],
  ])('rejects %s as an unknown key', (_, overrides, path, key) => {
    expect(issuesOf(overrides)).toEqual([expect.objectContaining({ code: 'unrecognized_keys', path, keys: [key] })]);
  });
});

describe('Function: parsePolicy, experiment', () => {
  it('defaults the A/B test label and plan, and merges an override', () => {
    expect(DEFAULT_POLICY.experiment).toEqual({ label: 'default_90d', labelMaturityDays: 90, championDefaultRate: 0.05, minimumDetectableEffect: 0.01, decisionThreshold: 0.5, mode: 'ab', plannedDefaults: 600 });
    expect(parsePolicy({ experiment: { labelMaturityDays: 1 } }).experiment.labelMaturityDays).toBe(1);
  });
});

describe('Constant: policySchema', () => {
  it('validates a stored policy item without throwing, for callers that report rather than fail', () => {
    expect(policySchema.safeParse({ approval: { production: 'auto' } })).toEqual({ success: true, data: { ...DEFAULT_POLICY, approval: { staging: 'auto', production: 'auto' } } });
    expect(policySchema.safeParse({ gates: { minAuc: 0.4 } }).success).toBe(false);
  });
});

describe('Function: parsePolicy, canary fleet size', () => {
  it('refuses a canary on a single production instance, naming the setting', () => {
    expect(() => parsePolicy({ production: { instanceCount: 1 } })).toThrow(/production[\s\S]*instanceCount[\s\S]*at least 2 production instances/);
  });

  it('accepts a single instance released all at once', () => {
    expect(parsePolicy({ production: { instanceCount: 1, strategy: 'all-at-once' } }).production.instanceCount).toBe(1);
  });
});
