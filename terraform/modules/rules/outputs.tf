output "rule_arns" {
  description = "EventBridge rule ARNs by catalogue rule name."
  value       = { for k, r in aws_cloudwatch_event_rule.this : k => r.arn }
}

output "schedule_arns" {
  description = "EventBridge Scheduler schedule ARNs by schedule name."
  value       = { for k, s in aws_scheduler_schedule.this : k => s.arn }
}

output "schedule_group_name" {
  description = "Name of the schedule group holding the control plane's schedules."
  value       = aws_scheduler_schedule_group.this.name
}

output "scheduler_role_arn" {
  description = "ARN of the role EventBridge Scheduler invokes the scheduled functions with (null without schedules)."
  value       = one(aws_iam_role.scheduler[*].arn)
}
