output "model_package_group_arns" {
  description = "ARN of each model group's SageMaker model package group, keyed by group name."
  value       = { for name, group in aws_sagemaker_model_package_group.this : name => group.arn }
}
