/**
 * Pipeline failure: the training role has lost s3:GetObject on the training data prefix (a policy change gone
 * wrong). The push's run fails at Prep; the control plane reads the reason SageMaker keeps out of the event,
 * diagnoses the missing permission with its resource, and pages on-call. Nothing is registered or deployed.
 */
import { decisionsOf, type Scenario } from './run';
import { HOUR, push } from './steps';

export const pipelineFailure: Scenario = {
  name: 'pipeline-failure',
  title: 'Pipeline failure: a missing permission, diagnosed and paged',
  description: 'The training role lacks s3:GetObject on the training data prefix; the run fails at Prep, the failure is diagnosed (which permission, on what) and paged; nothing deploys.',
  async run(run) {
    const prefixUri = `s3://creditai-data/applications/${run.group}/`;
    run.note(`an IAM change takes s3:GetObject on ${prefixUri} away from the training role`);
    run.world.sagemaker.denyPipelineRole({ action: 's3:GetObject', prefixUri });
    await push(run, '5e6f70819a2b3c4d5e6f70819a2b3c4d5e6f7081');
    await run.wait(1 * HOUR);
  },
  check(result) {
    const problems: string[] = [];
    const failed = decisionsOf(result, 'PipelineFailed') as { failedStep?: string; diagnosis: { category: string; action?: string; resource?: string } }[];
    const d = failed[0]?.diagnosis;
    if (failed.length !== 1 || d?.category !== 'missing-permission' || d.action !== 's3:GetObject' || !d.resource?.startsWith(`s3://creditai-data/applications/${result.group}/`)) {
      problems.push(`expected one failure diagnosed as missing s3:GetObject on the training data, got ${JSON.stringify(failed)}`);
    }
    const pages = result.world.sns.published.filter((m) => m.subject?.includes('training pipeline failed'));
    if (pages.length === 0) problems.push('on-call was not told');
    if (decisionsOf(result, 'ModelGated').length > 0) problems.push('a version was registered');
    return problems;
  },
};
