output "topic_arns" {
  description = "SNS topic ARNs by purpose: notices, approvals, incidents."
  value       = { for purpose, topic in aws_sns_topic.this : purpose => topic.arn }
}

output "topic_names" {
  description = "SNS topic names by purpose: notices, approvals, incidents."
  value       = { for purpose, topic in aws_sns_topic.this : purpose => topic.name }
}

output "pagerduty_secret_arn" {
  description = "Secrets Manager secret to put the PagerDuty routing key in (PAGERDUTY_ROUTING_KEY_SECRET of notify); null when PagerDuty is off."
  value       = one(aws_secretsmanager_secret.pagerduty[*].arn)
}
