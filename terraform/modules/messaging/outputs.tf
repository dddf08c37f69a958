output "bus_name" {
  description = "Name of the project event bus."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "ARN of the project event bus."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "reconcile_queue_url" {
  description = "URL of the reconcile FIFO queue (RECONCILE_QUEUE_URL of the ingress functions and the sweep)."
  value       = aws_sqs_queue.reconcile.url
}

output "reconcile_queue_arn" {
  description = "ARN of the reconcile FIFO queue (the reconcile function's event source)."
  value       = aws_sqs_queue.reconcile.arn
}

output "reconcile_visibility_timeout_seconds" {
  description = "Visibility timeout of the reconcile queue; must be at least 6 times the reconcile function's timeout."
  value       = aws_sqs_queue.reconcile.visibility_timeout_seconds
}

output "reconcile_dlq_name" {
  description = "Name of the reconcile queue's FIFO dead-letter queue (alarmed on by monitoring)."
  value       = aws_sqs_queue.reconcile_dlq.name
}

output "reconcile_dlq_arn" {
  description = "ARN of the reconcile queue's FIFO dead-letter queue."
  value       = aws_sqs_queue.reconcile_dlq.arn
}

output "rules_dlq_arn" {
  description = "ARN of the rules DLQ: EventBridge targets and schedules, the bus, and Lambda async on-failure."
  value       = aws_sqs_queue.rules_dlq.arn
}

output "rules_dlq_url" {
  description = "URL of the rules DLQ (modules/rules sets its queue policy)."
  value       = aws_sqs_queue.rules_dlq.url
}

output "rules_dlq_name" {
  description = "Name of the rules DLQ (alarmed on by monitoring)."
  value       = aws_sqs_queue.rules_dlq.name
}
