output "alarm_names" {
  description = "Alarm names by production endpoint: the two rollback alarms (p99-latency, 5xx-errors), invocation-errors and the two SLO burn-rate composites (slo-burn-fast, slo-burn-slow)."
  value = {
    for group, endpoint in var.production_endpoints : endpoint => [
      aws_cloudwatch_metric_alarm.p99_latency[group].alarm_name,
      aws_cloudwatch_metric_alarm.server_errors[group].alarm_name,
      aws_cloudwatch_metric_alarm.client_errors[group].alarm_name,
      aws_cloudwatch_composite_alarm.slo_burn["${group}/fast"].alarm_name,
      aws_cloudwatch_composite_alarm.slo_burn["${group}/slow"].alarm_name,
    ]
  }
}

output "rollback_alarm_names" {
  description = "The rollback alarms by production endpoint, in the order of the lifecycle policy's production.rollbackAlarms."
  value = {
    for group, endpoint in var.production_endpoints : endpoint => [
      aws_cloudwatch_metric_alarm.p99_latency[group].alarm_name,
      aws_cloudwatch_metric_alarm.server_errors[group].alarm_name,
    ]
  }
}

output "control_plane_alarm_names" {
  description = "Errors alarm of each function (by function key) and message alarm of each DLQ (reconcile-dlq, rules-dlq)."
  value = merge(
    { for key, alarm in aws_cloudwatch_metric_alarm.function_errors : key => alarm.alarm_name },
    { for key, alarm in aws_cloudwatch_metric_alarm.dlq_depth : "${key}-dlq" => alarm.alarm_name },
  )
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
