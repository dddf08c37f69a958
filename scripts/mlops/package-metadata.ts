/**
 * The explainer's location from a model package's metadata: DescribeModelPackage (MetadataOnly, as the registry
 * adapter calls it) → CustomerMetadataProperties['explainer:uri']. The registry port does not carry customer
 * metadata beyond lineage, so `mlops explain` reads it here.
 */
import { DescribeModelPackageCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { EXPLAINER_METADATA_KEY } from '../../shared/contracts/explainer';

/** Looks up the S3 URI of a package's explainer; undefined when the package records none. */
export function makeExplainerLocator(sagemaker: Pick<SageMakerClient, 'send'>): (packageArn: string) => Promise<string | undefined> {
  return async (packageArn) => {
    const out = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn, IncludedData: 'MetadataOnly' }));
    return out.CustomerMetadataProperties?.[EXPLAINER_METADATA_KEY];
  };
}
