/**
 * Drift triage: distance against the (per-feature) threshold, importance against the retrain floor, persistence over
 * consecutive windows, the alert-only policy; duplicates of a window count once.
 */
import { triageDrift, type DriftSignal, type FeatureDrift } from '../../../shared/lifecycle/drift-triage';
import { parsePolicy } from '../../../shared/lifecycle/policy';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-28T00:00:00.000Z');
const INCOME: FeatureDrift = { feature: 'annual_income', method: 'linf_simple', distance: 0.35, threshold: 0.2, importance: 0.3 };
const EMPLOYMENT: FeatureDrift = { feature: 'employment_years', method: 'linf_simple', distance: 0.42, threshold: 0.2, importance: 0.12 };
const PURPOSE_MINOR: FeatureDrift = { feature: 'purpose', method: 'linf_simple', distance: 0.3, threshold: 0.2, importance: 0.01 };
const AGE_QUIET: FeatureDrift = { feature: 'age', method: 'linf_simple', distance: 0.04, threshold: 0.2, importance: 0.2 };

/** A signal for the window ending `hour` hours after T0 (one hour long). */
function signal(hour: number, features: FeatureDrift[]): DriftSignal {
  return { version: 3, source: 'drift-check', windowStart: new Date(T0 + (hour - 1) * HOUR).toISOString(), windowEnd: new Date(T0 + hour * HOUR).toISOString(), features };
}

const policy = (overrides: object = {}) => parsePolicy({ drift: overrides }).drift;

describe('triageDrift', () => {
  it.each([
    ['nothing to triage', [], undefined, undefined],
    ['no feature over its threshold', [signal(1, [AGE_QUIET])], 'ignore', 'no feature above its drift threshold'],
    ['drift in one window only (persistence 2)', [signal(1, [INCOME])], 'ignore', 'drift on annual_income 0.35 > 0.2 (30% of importance) not yet in 2 consecutive windows'],
    ['drift in two windows with a gap between them', [signal(1, [INCOME]), signal(3, [INCOME])], 'ignore', 'not yet in 2 consecutive windows'],
    ['persistent drift on important features', [signal(1, [INCOME, EMPLOYMENT, AGE_QUIET]), signal(2, [INCOME, EMPLOYMENT, AGE_QUIET])], 'retrain', 'persistent drift in 2 consecutive windows on annual_income 0.35 > 0.2 (30% of importance), employment_years 0.42 > 0.2 (12% of importance)'],
    ['persistent drift on a minor feature only', [signal(1, [PURPOSE_MINOR]), signal(2, [PURPOSE_MINOR])], 'alert', 'persistent drift on minor features only: purpose 0.30 > 0.2 (1% of importance) (retraining needs 5% of importance)'],
    ['a feature that drifted in the earlier window but not now', [signal(1, [INCOME]), signal(2, [{ ...INCOME, distance: 0.1 }])], 'ignore', 'no feature above its drift threshold'],
    ['the same window delivered twice is one window', [signal(2, [INCOME]), signal(2, [INCOME])], 'ignore', 'not yet in 2 consecutive windows'],
    [
      'a bias re-check finding alone (reported with drift, never retrained on)',
      [signal(1, [{ feature: 'age_group=18-25 DI', method: 'bias-di', distance: 0.65, threshold: 0.8 }]), signal(2, [{ feature: 'age_group=18-25 DI', method: 'bias-di', distance: 0.64, threshold: 0.8 }])],
      'ignore',
      'no feature above its drift threshold',
    ],
  ])('%s → %s', (_name, signals, verdict, reason) => {
    const triage = triageDrift(signals, policy());
    expect(triage?.verdict).toBe(verdict);
    if (reason) expect(triage?.reason).toContain(reason);
  });

  it('orders drifted features by importance and marks which ones persisted', () => {
    const triage = triageDrift([signal(2, [EMPLOYMENT, INCOME, PURPOSE_MINOR]), signal(1, [INCOME])], policy())!;
    expect(triage.drifted.map((f) => [f.feature, f.persistent, f.important])).toEqual([
      ['annual_income', true, true],
      ['employment_years', false, true],
      ['purpose', false, false],
    ]);
    expect(triage.signal.windowEnd).toBe(new Date(T0 + 2 * HOUR).toISOString());
  });

  it.each([
    ['a per-feature threshold above the distance silences it', { featureThresholds: { annual_income: 0.4 } }, 'ignore'],
    ['one window is enough with persistence 1', { persistenceWindows: 1 }, 'retrain'],
    ['the alert-only policy never retrains', { persistenceWindows: 1, action: 'alert' }, 'alert'],
    ['a higher importance floor makes income minor', { persistenceWindows: 1, minImportanceToRetrain: 0.5 }, 'alert'],
  ])('%s', (_name, overrides, verdict) => {
    expect(triageDrift([signal(1, [INCOME])], policy(overrides))?.verdict).toBe(verdict);
  });

  it('merges the findings of one window from two checks, each feature at its largest distance', () => {
    const ours = { ...signal(1, [{ ...INCOME, distance: 0.05 }, AGE_QUIET]), source: 'drift-check' as const };
    const monitor = { ...signal(1, [INCOME]), source: 'model-monitor' as const, reportUri: 's3://monitoring/report.json' };
    // Window 1: ours says 0.05, Model Monitor 0.35: the larger counts.
    expect(triageDrift([ours, monitor], policy({ persistenceWindows: 1 }))!.drifted.map((f) => [f.feature, f.distance])).toEqual([['annual_income', 0.35]]);
    // Window 2: income without a report, employment with one, merged; income persisted over both windows.
    const { reportUri: _none, ...withoutReport } = signal(2, [INCOME]);
    const triage = triageDrift([ours, monitor, withoutReport, signal(2, [EMPLOYMENT])], policy())!;
    expect(triage.verdict).toBe('retrain');
    expect(triage.drifted.map((f) => [f.feature, f.distance, f.persistent])).toEqual([
      ['annual_income', 0.35, true],
      ['employment_years', 0.42, false],
    ]);
    expect(triage.signal.reportUri).toBe(signal(2, [EMPLOYMENT]).reportUri);
  });

  it('treats a feature of unknown importance as important', () => {
    const { importance: _unknown, ...income } = INCOME;
    const triage = triageDrift([signal(1, [income])], policy({ persistenceWindows: 1 }))!;
    expect(triage.verdict).toBe('retrain');
    expect(triage.reason).toContain('importance unknown');
  });

  it('puts unknown importance first, and breaks ties of importance by distance', () => {
    const { importance: _a, ...unknownIncome } = INCOME;
    const { importance: _b, ...unknownEmployment } = EMPLOYMENT;
    const tie = { ...AGE_QUIET, distance: 0.5, importance: 0.3 };
    const triage = triageDrift([signal(1, [INCOME, tie, unknownEmployment, unknownIncome])], policy({ persistenceWindows: 1 }))!;
    expect(triage.drifted.map((f) => f.feature)).toEqual(['employment_years', 'annual_income', 'age']);
  });
});
