export * from '../../scripts/twin/core/aws-model-validator';
