output "execution_role_arn" {
  description = "ARN of the SageMaker execution role (SAGEMAKER_EXECUTION_ROLE_ARN of the reconcile function)."
  value       = aws_iam_role.this.arn
}

output "execution_role_name" {
  description = "Name of the SageMaker execution role, for iam:PassRole scoping in the callers' policies."
  value       = aws_iam_role.this.name
}

output "data_capture_s3_uri" {
  description = "Where endpoints capture requests and responses (DATA_CAPTURE_S3_URI of the reconcile function); the role may write only below it."
  value       = "s3://${local.capture_bucket_name}/${local.capture_prefix}"
}
