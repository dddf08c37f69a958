# Alarms and the dashboard of the control plane and of the production endpoints it manages.
#
# Names matter here:
# - `creditai-<endpoint>-p99-latency`, `creditai-<endpoint>-5xx-errors` and `creditai-<endpoint>-canary-harm` (the
#   canary judge's verdict) are the rollback alarms the lifecycle
#   policy names (production.rollbackAlarms): SageMaker's deployment guardrails watch them during a rollout and the
#   reconciler reads them afterwards. They must exist before the first UpdateEndpoint that references them.
# - Every alarm whose name starts with `creditai-` pages on-call: the EventBridge rule `alarm-notify` sends its state
#   changes to the notify function. The single windows of the burn-rate alarms must not page on their own, so they
#   are named `slo-window-…`; only their composites (`creditai-<endpoint>-slo-burn-fast|slow`) page.

locals {
  # Control-plane alarms start with `creditai-` so that notify pages them, whatever the project name.
  alarm_prefix = startswith(var.name, "creditai-") ? var.name : "creditai-${var.name}"

  # The control plane names every production variant AllTraffic (shared/lifecycle/decide.ts VARIANT_NAME).
  variant_name = "AllTraffic"

  # ModelLatency is reported in MICROSECONDS: 200 ms is 200000.
  p99_latency_threshold_us = 200000

  # --- SLO burn rates (Google SRE workbook, "Alerting on SLOs": multiwindow, multi-burn-rate alerts) -------------
  # A burn rate of 14.4 spends 2 % of a 30-day error budget in one hour, 6 spends 5 % in six hours. Each alert fires
  # only while the long window AND the short window (1/12 of it) both burn that fast: the long window makes it
  # significant, the short one makes it reset soon after the errors stop.
  error_budget = 1 - var.availability_slo

  burn_windows = {
    fast-long  = { speed = "fast", burn_rate = 14.4, period = 3600, window = "1h" }
    fast-short = { speed = "fast", burn_rate = 14.4, period = 300, window = "5m" }
    slow-long  = { speed = "slow", burn_rate = 6, period = 21600, window = "6h" }
    slow-short = { speed = "slow", burn_rate = 6, period = 1800, window = "30m" }
  }

  burn_window_alarms = merge({}, [
    for group, endpoint in var.production_endpoints : {
      for key, window in local.burn_windows : "${group}/${key}" => merge(window, {
        endpoint = endpoint
        # Error rate in percent, like the 5xx-errors alarm: 14.4 x 0.05 % = 0.72 %.
        threshold = window.burn_rate * local.error_budget * 100
      })
    }
  ]...)

  burn_composites = merge({}, [
    for group, endpoint in var.production_endpoints : {
      for speed in ["fast", "slow"] : "${group}/${speed}" => {
        group    = group
        endpoint = endpoint
        speed    = speed
      }
    }
  ]...)

  dlqs = {
    reconcile = var.reconcile_dlq_name
    rules     = var.rules_dlq_name
  }

  burn_descriptions = {
    fast = "at 14.4x or faster over 1 h and over the last 5 min (2 % of a 30-day budget per hour)"
    slow = "at 6x or faster over 6 h and over the last 30 min (5 % of a 30-day budget in six hours)"
  }

  runbook = "Runbook: docs/runbook.md#alarms."
}

# --- Production endpoints: the rollback alarms ----------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "p99_latency" {
  for_each = var.production_endpoints

  alarm_name          = "creditai-${each.value}-p99-latency"
  alarm_description   = "p99 ModelLatency of ${each.value} (model group ${each.key}) above 200 ms (200000 us) for 3 minutes. Rollback alarm: guardrails revert a rollout, the control plane rolls back a Live version. ${local.runbook}"
  namespace           = "AWS/SageMaker"
  metric_name         = "ModelLatency"
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = 200000 # microseconds: ModelLatency is reported in us, so this is 200 ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.incidents_topic_arn]
  ok_actions          = [var.incidents_topic_arn]

  dimensions = {
    EndpointName = each.value
    VariantName  = local.variant_name
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "server_errors" {
  for_each = var.production_endpoints

  alarm_name          = "creditai-${each.value}-5xx-errors"
  alarm_description   = "Invocation5XXErrors of ${each.value} (model group ${each.key}) above 1 % of invocations in two consecutive 5-minute periods. Rollback alarm: guardrails revert a rollout, the control plane rolls back a Live version. ${local.runbook}"
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = 1
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.incidents_topic_arn]
  ok_actions          = [var.incidents_topic_arn]

  metric_query {
    id          = "rate"
    expression  = "IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0)"
    label       = "5XX errors (% of invocations)"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/SageMaker"
      metric_name = "Invocation5XXErrors"
      period      = 300
      stat        = "Sum"

      dimensions = {
        EndpointName = each.value
        VariantName  = local.variant_name
      }
    }
  }

  metric_query {
    id = "invocations"

    metric {
      namespace   = "AWS/SageMaker"
      metric_name = "Invocations"
      period      = 300
      stat        = "Sum"

      dimensions = {
        EndpointName = each.value
        VariantName  = local.variant_name
      }
    }
  }

  tags = var.tags
}

# The canary judge's harm verdict: the judge function puts CanaryHarm = 1 (namespace CreditaiMlops/Judge) when the
# always-valid harm test finds the new fleet's 5XX rate worse than the old fleet's; SageMaker's guardrails revert.
resource "aws_cloudwatch_metric_alarm" "canary_harm" {
  for_each = var.production_endpoints

  alarm_name          = "creditai-${each.value}-canary-harm"
  alarm_description   = "The canary judge found the canary of ${each.value} (model group ${each.key}) harmful: its 5XX rate is worse than the old fleet's (always-valid harm test). Rollback alarm: guardrails revert the rollout. ${local.runbook}"
  namespace           = "CreditaiMlops/Judge"
  metric_name         = "CanaryHarm"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.incidents_topic_arn]
  ok_actions          = [var.incidents_topic_arn]

  dimensions = {
    EndpointName = each.value
  }

  tags = var.tags
}

# Client errors (bad payloads, a caller sending the wrong schema): worth a look, not a rollback. It is not a
# rollback alarm; its SNS action is the notices topic when one is given.
resource "aws_cloudwatch_metric_alarm" "client_errors" {
  for_each = var.production_endpoints

  # Not `creditai-`: that prefix pages on-call (events/rules/alarm-notify.json); this one is a notice.
  alarm_name          = "notice-${each.value}-invocation-errors"
  alarm_description   = "Invocation4XXErrors of ${each.value} (model group ${each.key}) above 5 % of invocations for 15 minutes: callers send requests the model refuses. Not a rollback alarm. ${local.runbook}"
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.notices_topic_arn == null ? [] : [var.notices_topic_arn]
  ok_actions          = var.notices_topic_arn == null ? [] : [var.notices_topic_arn]

  metric_query {
    id          = "rate"
    expression  = "IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0)"
    label       = "4XX errors (% of invocations)"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/SageMaker"
      metric_name = "Invocation4XXErrors"
      period      = 300
      stat        = "Sum"

      dimensions = {
        EndpointName = each.value
        VariantName  = local.variant_name
      }
    }
  }

  metric_query {
    id = "invocations"

    metric {
      namespace   = "AWS/SageMaker"
      metric_name = "Invocations"
      period      = 300
      stat        = "Sum"

      dimensions = {
        EndpointName = each.value
        VariantName  = local.variant_name
      }
    }
  }

  tags = var.tags
}

# --- Production endpoints: availability SLO burn rate ----------------------------------------------------------------

# One window of one burn-rate alert: the 5XX error rate over the window against burn rate x error budget. No
# actions and no `creditai-` prefix: a single window is not an alert, the composite below is.
resource "aws_cloudwatch_metric_alarm" "burn_window" {
  for_each = local.burn_window_alarms

  alarm_name          = "slo-window-${each.value.endpoint}-${each.value.speed}-${each.value.window}"
  alarm_description   = "5XX error rate of ${each.value.endpoint} over ${each.value.window} burns the error budget of the ${var.availability_slo * 100} % availability SLO at ${each.value.burn_rate}x or faster. One window of creditai-${each.value.endpoint}-slo-burn-${each.value.speed}; it does not page on its own."
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "rate"
    expression  = "IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0)"
    label       = "5XX errors over ${each.value.window} (% of invocations)"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/SageMaker"
      metric_name = "Invocation5XXErrors"
      period      = each.value.period
      stat        = "Sum"

      dimensions = {
        EndpointName = each.value.endpoint
        VariantName  = local.variant_name
      }
    }
  }

  metric_query {
    id = "invocations"

    metric {
      namespace   = "AWS/SageMaker"
      metric_name = "Invocations"
      period      = each.value.period
      stat        = "Sum"

      dimensions = {
        EndpointName = each.value.endpoint
        VariantName  = local.variant_name
      }
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_composite_alarm" "slo_burn" {
  for_each = local.burn_composites

  alarm_name        = "creditai-${each.value.endpoint}-slo-burn-${each.value.speed}"
  alarm_description = "${each.value.endpoint} (model group ${each.value.group}) burns the error budget of its ${var.availability_slo * 100} % availability SLO (5XX errors) ${local.burn_descriptions[each.value.speed]}. ${local.runbook}"
  alarm_rule = format(
    "ALARM(\"%s\") AND ALARM(\"%s\")",
    aws_cloudwatch_metric_alarm.burn_window["${each.value.group}/${each.value.speed}-long"].alarm_name,
    aws_cloudwatch_metric_alarm.burn_window["${each.value.group}/${each.value.speed}-short"].alarm_name,
  )
  alarm_actions = [var.incidents_topic_arn]
  ok_actions    = [var.incidents_topic_arn]

  tags = var.tags
}

# --- Control plane --------------------------------------------------------------------------------------------------

# Any error: ingress functions throw only on retryable failures (EventBridge retries them), the reconciler on a
# group it could not finish, notify on a failed page. Each deserves a look.
resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = var.function_names

  alarm_name          = "${local.alarm_prefix}-${each.key}-errors"
  alarm_description   = "Lambda function ${each.value} reported errors in the last 5 minutes. Its log group says which; retried events that keep failing end in a DLQ. ${local.runbook}"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.incidents_topic_arn]
  ok_actions          = [var.incidents_topic_arn]

  dimensions = {
    FunctionName = each.value
  }

  tags = var.tags
}

# A message in a DLQ is an event or reconcile request the control plane gave up on. SQS keeps publishing metrics of
# a queue while it holds messages, so missing data means an empty, idle queue.
resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  for_each = local.dlqs

  alarm_name          = "${local.alarm_prefix}-${each.key}-dlq-messages"
  alarm_description   = "The ${each.key} dead-letter queue ${each.value} holds messages the control plane gave up on. Read them, fix the cause, then redrive them (or replay the events). ${local.runbook}"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.incidents_topic_arn]
  ok_actions          = [var.incidents_topic_arn]

  dimensions = {
    QueueName = each.value
  }

  tags = var.tags
}

# --- Dashboard ------------------------------------------------------------------------------------------------------

locals {
  endpoint_groups  = sort(keys(var.production_endpoints))
  function_keys    = sort(keys(var.function_names))
  endpoint_row_top = 7 # the alarm status row and the first heading
  endpoint_section = 7 # a heading (1) and a row of graphs (6) per endpoint
  control_top      = local.endpoint_row_top - 1 + length(local.endpoint_groups) * local.endpoint_section

  # Every paging alarm, for the status widget (it shows at most 100).
  status_alarm_arns = slice(local.all_paging_alarm_arns, 0, min(100, length(local.all_paging_alarm_arns)))
  all_paging_alarm_arns = concat(
    [for group in local.endpoint_groups : aws_cloudwatch_metric_alarm.p99_latency[group].arn],
    [for group in local.endpoint_groups : aws_cloudwatch_metric_alarm.server_errors[group].arn],
    [for group in local.endpoint_groups : aws_cloudwatch_metric_alarm.canary_harm[group].arn],
    [for key in sort(keys(local.burn_composites)) : aws_cloudwatch_composite_alarm.slo_burn[key].arn],
    [for key in local.function_keys : aws_cloudwatch_metric_alarm.function_errors[key].arn],
    [for key in sort(keys(local.dlqs)) : aws_cloudwatch_metric_alarm.dlq_depth[key].arn],
  )

  # The reconcile queue by name when known; otherwise every queue whose name has the token "reconcile".
  reconcile_queue_age = var.reconcile_queue_name == null ? "SEARCH('{AWS/SQS,QueueName} MetricName=\"ApproximateAgeOfOldestMessage\" QueueName=reconcile', 'Maximum', 60)" : "SEARCH('{AWS/SQS,QueueName} MetricName=\"ApproximateAgeOfOldestMessage\" QueueName=\"${var.reconcile_queue_name}\"', 'Maximum', 60)"

  # The functions emit Powertools metrics in the CreditaiMlops namespace with a `service` dimension (the function).
  project_metrics = ["ReconcilesRequested", "EventsRejected", "Reconcile_settled"]

  header_widgets = [
    {
      type   = "text"
      x      = 0
      y      = 0
      width  = 24
      height = 2
      properties = {
        markdown = "# ${var.name}\nProduction endpoints (p99 latency, 5XX rate, invocations) and the control plane (functions, queues, lifecycle metrics). Alarms that page start with `creditai-`; what to do is in docs/runbook.md."
      }
    },
    {
      type   = "alarm"
      x      = 0
      y      = 2
      width  = 24
      height = 4
      properties = {
        title  = "Alarms that page on-call"
        alarms = local.status_alarm_arns
      }
    },
  ]

  endpoint_widgets = flatten([
    for i, group in local.endpoint_groups : [
      {
        type   = "text"
        x      = 0
        y      = local.endpoint_row_top + i * local.endpoint_section - 1
        width  = 24
        height = 1
        properties = {
          markdown = "## ${var.production_endpoints[group]} (model group ${group})"
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = local.endpoint_row_top + i * local.endpoint_section
        width  = 8
        height = 6
        properties = {
          title  = "p99 model latency (ms)"
          region = var.aws_region
          view   = "timeSeries"
          period = 60
          metrics = [
            [{ id = "p99_ms", expression = "latency / 1000", label = "p99 ModelLatency (ms)" }],
            ["AWS/SageMaker", "ModelLatency", "EndpointName", var.production_endpoints[group], "VariantName", local.variant_name, { id = "latency", stat = "p99", visible = false }],
          ]
          annotations = { horizontal = [{ label = "rollback alarm", value = local.p99_latency_threshold_us / 1000 }] }
          yAxis       = { left = { min = 0, label = "ms", showUnits = false } }
        }
      },
      {
        type   = "metric"
        x      = 8
        y      = local.endpoint_row_top + i * local.endpoint_section
        width  = 8
        height = 6
        properties = {
          title  = "5XX errors (% of invocations)"
          region = var.aws_region
          view   = "timeSeries"
          period = 300
          metrics = [
            [{ id = "rate", expression = "IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0)", label = "5XX rate (%)" }],
            ["AWS/SageMaker", "Invocation5XXErrors", "EndpointName", var.production_endpoints[group], "VariantName", local.variant_name, { id = "errors", stat = "Sum", visible = false }],
            ["AWS/SageMaker", "Invocations", "EndpointName", var.production_endpoints[group], "VariantName", local.variant_name, { id = "invocations", stat = "Sum", visible = false }],
          ]
          annotations = { horizontal = [{ label = "rollback alarm", value = 1 }, { label = "SLO fast burn", value = 14.4 * local.error_budget * 100 }] }
          yAxis       = { left = { min = 0, label = "%", showUnits = false } }
        }
      },
      {
        type   = "metric"
        x      = 16
        y      = local.endpoint_row_top + i * local.endpoint_section
        width  = 8
        height = 6
        properties = {
          title  = "Invocations and errors (per minute)"
          region = var.aws_region
          view   = "timeSeries"
          period = 60
          stat   = "Sum"
          metrics = [
            ["AWS/SageMaker", "Invocations", "EndpointName", var.production_endpoints[group], "VariantName", local.variant_name, { label = "invocations" }],
            ["AWS/SageMaker", "Invocation4XXErrors", "EndpointName", var.production_endpoints[group], "VariantName", local.variant_name, { label = "4XX", yAxis = "right" }],
            ["AWS/SageMaker", "Invocation5XXErrors", "EndpointName", var.production_endpoints[group], "VariantName", local.variant_name, { label = "5XX", yAxis = "right" }],
          ]
        }
      },
    ]
  ])

  control_widgets = concat(
    [
      {
        type   = "text"
        x      = 0
        y      = local.control_top
        width  = 24
        height = 1
        properties = {
          markdown = "## Control plane"
        }
      },
    ],
    # A for-filter, not a conditional: no function, no (empty, invalid) function graphs.
    [for widget in [
      {
        type   = "metric"
        x      = 0
        y      = local.control_top + 1
        width  = 8
        height = 6
        properties = {
          title   = "Function errors (per 5 minutes)"
          region  = var.aws_region
          view    = "timeSeries"
          period  = 300
          stat    = "Sum"
          metrics = [for key in local.function_keys : ["AWS/Lambda", "Errors", "FunctionName", var.function_names[key], { label = key }]]
        }
      },
      {
        type   = "metric"
        x      = 8
        y      = local.control_top + 1
        width  = 8
        height = 6
        properties = {
          title   = "Function duration p99 (ms)"
          region  = var.aws_region
          view    = "timeSeries"
          period  = 300
          stat    = "p99"
          metrics = [for key in local.function_keys : ["AWS/Lambda", "Duration", "FunctionName", var.function_names[key], { label = key }]]
        }
      },
    ] : widget if length(local.function_keys) > 0],
    [
      {
        type   = "metric"
        x      = 16
        y      = local.control_top + 1
        width  = 8
        height = 6
        properties = {
          title  = "Reconcile queue: age of the oldest message (s)"
          region = var.aws_region
          view   = "timeSeries"
          period = 60
          metrics = [
            [{ id = "age", expression = local.reconcile_queue_age }],
          ]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = local.control_top + 7
        width  = 8
        height = 6
        properties = {
          title  = "Dead-letter queues: messages"
          region = var.aws_region
          view   = "timeSeries"
          period = 300
          stat   = "Maximum"
          metrics = [
            for key in sort(keys(local.dlqs)) : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", local.dlqs[key], { label = "${key} DLQ" }]
          ]
        }
      },
      {
        type   = "metric"
        x      = 8
        y      = local.control_top + 7
        width  = 16
        height = 6
        properties = {
          title  = "Lifecycle (CreditaiMlops metrics, per 5 minutes, by function)"
          region = var.aws_region
          view   = "timeSeries"
          period = 300
          metrics = [
            for i, metric in local.project_metrics : [{ id = "m${i}", expression = "SEARCH('Namespace=\"CreditaiMlops\" MetricName=\"${metric}\"', 'Sum', 300)", label = metric }]
          ]
        }
      },
    ],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = concat(local.header_widgets, local.endpoint_widgets, local.control_widgets)
  })
}
