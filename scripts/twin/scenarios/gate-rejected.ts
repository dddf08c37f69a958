/**
 * Gates: three pushes that must not reach production, each stopped by the gate that is there for it. A commit
 * whose code drops two informative features trains a model with AUC far below 0.85, and data where young
 * applicants are much more indebted gives a disparate impact outside [0.8, 1.25]: the training pipeline's own Gate
 * step fails those runs with their figures. A milder fairness gap passes the pipeline (DI inside the band) but not
 * the control plane's DPPL gate: the version is registered and rejected, with the reason in the registry and the
 * ledger. Nothing deploys.
 */
import { decisionsOf, type Scenario } from './run';
import { HOUR, push } from './steps';

export const gateRejected: Scenario = {
  name: 'gate-rejected',
  title: 'Gates: models below the policy never deploy',
  description:
    'A weaker model (AUC below 0.85) and a model with disparate impact outside [0.8, 1.25] are stopped by the pipeline\'s gate; a model inside the DI band but with a DPPL of 0.16 is registered and rejected by the control plane\'s gate. Nothing deploys.',
  async run(run) {
    await push(run, '1a2b3c4d5e6f70819a2b3c4d5e6f70819a2b3c4d', { training: { dropFeatures: ['delinquencies', 'debt_to_income'] } });
    await run.wait(1 * HOUR);
    await push(run, '2b3c4d5e6f70819a2b3c4d5e6f70819a2b3c4d5e', { data: { youngApplicantStress: 0.3 } });
    await run.wait(1 * HOUR);
    await push(run, '3c4d5e6f70819a2b3c4d5e6f70819a2b3c4d5e6f', { data: { youngApplicantStress: 0.15 } });
    await run.wait(1 * HOUR);
  },
  async check(result) {
    const problems: string[] = [];
    const failed = decisionsOf(result, 'PipelineFailed') as { diagnosis: { category: string; summary: string } }[];
    if (failed.length !== 2 || failed.some((f) => f.diagnosis.category !== 'condition-not-met')) problems.push(`expected 2 runs stopped by the pipeline's gate, got ${JSON.stringify(failed.map((f) => f.diagnosis))}`);
    const rejected = decisionsOf(result, 'ModelRejected') as { reasons: string[] }[];
    if (rejected.length !== 1 || !rejected[0]!.reasons.some((r) => r.includes('DPPL'))) problems.push(`expected one version rejected for DPPL, got ${JSON.stringify(rejected)}`);
    if (decisionsOf(result, 'DeploymentStarted').some((d) => d.environment === 'production')) problems.push('something was deployed to production');
    return problems;
  },
};
