/**
 * SageMaker Model Cards: create a version's card, or update its content when it exists (each content update makes
 * a new immutable card version, aws-facts §model cards). The content comes from `shared/governance/model-card.ts`.
 */
import {
  CreateModelCardCommand,
  DescribeModelCardCommand,
  UpdateModelCardCommand,
  type ModelCardStatus,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { isNotFound } from './aws-errors';

/** What became of the card. */
export type ModelCardOutcome =
  | { outcome: 'created'; name: string; arn: string }
  | { outcome: 'updated'; name: string; arn: string; previousVersion: number }
  /** The card is Archived: SageMaker keeps archived cards read-only, so nothing was written. */
  | { outcome: 'archived'; name: string; arn: string };

export interface ModelCards {
  /**
   * Creates card `name` with `content` (status Draft: a person reviews and approves it in SageMaker), or, when the
   * card exists, updates its content (its status is left as it is: UpdateModelCard cannot change both at once).
   */
  upsert(name: string, content: string): Promise<ModelCardOutcome>;
}

/** The status a new card starts in: the card is the risk officer's to review and approve. */
const NEW_CARD_STATUS: ModelCardStatus = 'Draft';

/**
 * Model cards over SageMaker. DescribeModelCard first: ResourceNotFound means create. A card created by someone
 * else between the describe and the create makes CreateModelCard fail with a ConflictException (or a
 * ValidationException): that error propagates, and a rerun updates. Any other error (AccessDenied, an account or
 * region without model cards) propagates for the caller to explain.
 * @example
 * const result = await makeSageMakerModelCards(clients.sagemaker).upsert('credit-risk-retail-v7', content);
 */
export function makeSageMakerModelCards(sagemaker: SageMakerClient): ModelCards {
  return {
    async upsert(name, content) {
      let existing: { arn: string; version: number; status?: string } | undefined;
      try {
        const out = await sagemaker.send(new DescribeModelCardCommand({ ModelCardName: name }));
        existing = { arn: out.ModelCardArn ?? name, version: out.ModelCardVersion ?? 0, status: out.ModelCardStatus };
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      if (!existing) {
        const out = await sagemaker.send(new CreateModelCardCommand({ ModelCardName: name, Content: content, ModelCardStatus: NEW_CARD_STATUS }));
        return { outcome: 'created', name, arn: out.ModelCardArn ?? name };
      }
      if (existing.status === 'Archived') return { outcome: 'archived', name, arn: existing.arn };
      const out = await sagemaker.send(new UpdateModelCardCommand({ ModelCardName: name, Content: content }));
      return { outcome: 'updated', name, arn: out.ModelCardArn ?? existing.arn, previousVersion: existing.version };
    },
  };
}
