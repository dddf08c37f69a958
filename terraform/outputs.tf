output "state_table_name" {
  description = "DynamoDB table of lifecycle state (CREDITAI_STATE_TABLE for the mlops CLI)."
  value       = module.state.table_name
}

output "reconcile_queue_url" {
  description = "Reconcile FIFO queue (CREDITAI_RECONCILE_QUEUE_URL for the mlops CLI)."
  value       = module.messaging.reconcile_queue_url
}

output "event_bus_name" {
  description = "The project bus domain events go to."
  value       = module.messaging.bus_name
}

output "function_names" {
  description = "Lambda function names by function (mlops replay invokes these)."
  value       = { for k, f in module.functions : k => f.function_name }
}

output "audit_bucket_name" {
  description = "Object Lock (COMPLIANCE) bucket of the audit ledger."
  value       = module.audit.bucket_name
}

output "bucket_names" {
  description = "Data, artifact and data-capture buckets."
  value       = module.storage.bucket_names
}

output "sagemaker_execution_role_arn" {
  description = "Role the control plane's SageMaker models and endpoints run as."
  value       = module.serving.execution_role_arn
}

output "topic_arns" {
  description = "SNS topics: notices, approvals, incidents."
  value       = module.alerting.topic_arns
}

output "pagerduty_secret_arn" {
  description = "Secrets Manager secret to put the PagerDuty routing key in (null when PagerDuty is off)."
  value       = module.alerting.pagerduty_secret_arn
}

output "codeconnections_connection_arn" {
  description = "GitHub connection; complete its handshake once in the console (the one manual step)."
  value       = module.cicd.connection_arn
}

output "training_pipeline_name" {
  description = "The SageMaker training pipeline (start it with the ModelPackageGroupName, InputDataUri and CommitId parameters)."
  value       = module.pipeline.pipeline_name
}

output "training_input_data_uri" {
  description = "Where the training pipeline reads applications from (its role can read nothing else in the data bucket)."
  value       = module.pipeline.input_data_uri
}
