/**
 * A `git push` in the twin, as buildspec.yml does it: for each model group, seeded synthetic applications go to
 * `s3://<data bucket>/applications/<group>/applications.csv`, and one execution of creditai-training starts
 * through the SageMaker API (validated against the API model like every twin call) with the build's parameters
 * and client token (the SHA-256 of `<commit>/<group>`, so pushing the same commit again starts nothing new).
 */
import { createHash } from 'node:crypto';
import { StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { sageMakerClient } from '../../../shared/aws/clients';
import { commitCodePrefix, groupInputPrefix, PIPELINE_NAME } from '../../pipeline/definition';
import type { TwinWorld } from '../world';
import { applicationsToCsvText } from './dataset';
import type { TrainingOptions } from './logistic';
import { syntheticApplications, type SyntheticOptions } from './synthetic';

/** One group of a push: its data (drawn with these options) and how the commit's code trains it. */
export interface PushedGroup {
  group: string;
  data?: SyntheticOptions;
  training?: TrainingOptions;
}

export interface PushOptions {
  commit: string;
  /** Group names, or groups with their data and training options. */
  groups: (string | PushedGroup)[];
  /** Default `creditai-data`. */
  dataBucket?: string;
  /** Default `creditai-artifacts`. */
  artifactsBucket?: string;
}

type PushWorld = Pick<TwinWorld, 'twin' | 's3' | 'sagemaker'>;

/**
 * Uploads seeded applications for `group`; returns the InputDataUri (the group's prefix).
 * @example await uploadApplications(world, 'credit-risk-retail', { incomeMean: 520_000, employmentBimodal: true });
 */
export async function uploadApplications(world: PushWorld, group: string, data: SyntheticOptions = {}, dataBucket = 'creditai-data'): Promise<string> {
  const prefix = `s3://${dataBucket}/${groupInputPrefix(group)}`;
  await world.s3.putObject(world.twin.context, `${prefix}applications.csv`, applicationsToCsvText(syntheticApplications(data)), 'text/csv');
  return prefix;
}

/**
 * Starts one training execution per group, as the build of `commit` does; returns group → execution ARN. The
 * steps then run as the world's clock advances (about 30 virtual minutes to Register).
 * @example
 * const started = await pushCommit(world, { commit: '4be1c0d3a9f8', groups: ['credit-risk-retail'] });
 * await world.advance(40 * 60_000);
 */
export async function pushCommit(world: PushWorld, options: PushOptions): Promise<Record<string, string>> {
  const started: Record<string, string> = {};
  const client = sageMakerClient({ region: world.twin.context.region });
  world.twin.install(client);
  for (const entry of options.groups) {
    const spec: PushedGroup = typeof entry === 'string' ? { group: entry } : entry;
    const inputUri = await uploadApplications(world, spec.group, spec.data, options.dataBucket);
    if (spec.training) world.sagemaker.setCodeBehaviour(options.commit, spec.training, spec.group);
    const out = await client.send(
      new StartPipelineExecutionCommand({
        PipelineName: PIPELINE_NAME,
        PipelineExecutionDisplayName: `${options.commit.slice(0, 12)}-${spec.group}`,
        ClientRequestToken: createHash('sha256').update(`${options.commit}/${spec.group}`).digest('hex'),
        PipelineParameters: [
          { Name: 'ModelPackageGroupName', Value: spec.group },
          { Name: 'CommitId', Value: options.commit },
          { Name: 'InputDataUri', Value: inputUri },
          { Name: 'CodeUri', Value: `s3://${options.artifactsBucket ?? 'creditai-artifacts'}/${commitCodePrefix(options.commit)}` },
        ],
      }),
    );
    started[spec.group] = out.PipelineExecutionArn!;
  }
  return started;
}
