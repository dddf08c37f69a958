variable "name" {
  description = "Name prefix of the rules, the schedule group and the scheduler role (e.g. creditai-mlops-dev)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,40}$", var.name))
    error_message = "name: 1-40 letters, digits, hyphens and underscores (rule names add '-<catalogue rule name>' within 64)."
  }
}

variable "events_dir" {
  description = "Directory of events/ (catalogue.json, rules/*.json): rule patterns are read from its files, never copied."
  type        = string
}

variable "catalogue" {
  description = "The parsed events/catalogue.json. Each entry of `rules` names a pattern file (relative to events_dir), a bus (\"default\" or \"creditai-mlops\", the project bus), a target function, a rule state and a description."
  type        = any

  validation {
    condition = can([for r in var.catalogue.rules : [r.name, r.pattern, r.bus, r.target, r.state]]) && alltrue([
      for r in try(var.catalogue.rules, []) : try(can(regex("^[a-zA-Z0-9_-]+$", r.name)) && endswith(r.pattern, ".json"), false)
    ])
    error_message = "catalogue.rules: every rule needs name (letters, digits, '-', '_'), pattern (a .json file), bus, target and state."
  }

  validation {
    condition     = alltrue([for r in try(var.catalogue.rules, []) : try(contains(["default", "creditai-mlops"], r.bus), false)])
    error_message = "catalogue.rules: bus must be \"default\" (AWS events) or \"creditai-mlops\" (the project bus)."
  }

  validation {
    condition     = alltrue([for r in try(var.catalogue.rules, []) : try(contains(["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"], r.state), false)])
    error_message = "catalogue.rules: state must be ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS."
  }

  validation {
    condition     = length(distinct([for r in try(var.catalogue.rules, []) : try(r.name, "")])) == length(try(var.catalogue.rules, []))
    error_message = "catalogue.rules: rule names must be unique."
  }
}

variable "project_bus_name" {
  description = "Name of the project bus as deployed; the catalogue's bus \"creditai-mlops\" means this bus."
  type        = string

  validation {
    condition     = var.project_bus_name != "default" && length(var.project_bus_name) > 0
    error_message = "project_bus_name must name the project's own bus, not \"default\"."
  }
}

variable "function_arns" {
  description = "Lambda function ARNs by function name (functions/<name>): the targets of rules and schedules."
  type        = map(string)

  validation {
    condition     = alltrue([for arn in values(var.function_arns) : can(regex("^arn:[a-z-]+:lambda:[a-z0-9-]+:[0-9]{12}:function:[a-zA-Z0-9_-]+$", arn))])
    error_message = "function_arns: unqualified Lambda function ARNs only."
  }
}

variable "dlq_arn" {
  description = "ARN of the SQS dead-letter queue of every target and schedule (the rules DLQ); rules and schedules are created in its account and region."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:sqs:[a-z0-9-]+:[0-9]{12}:[a-zA-Z0-9_-]+$", var.dlq_arn))
    error_message = "dlq_arn must be the ARN of a standard SQS queue (EventBridge DLQs cannot be FIFO)."
  }
}

variable "dlq_url" {
  description = "URL of the same queue; this module sets its queue policy."
  type        = string

  validation {
    condition     = startswith(var.dlq_url, "https://")
    error_message = "dlq_url must be the queue's https:// URL."
  }
}

variable "schedules" {
  description = "EventBridge Scheduler schedules by name: the function (a key of function_arns) and its rate(), cron() or at() expression, in UTC."
  type = map(object({
    function   = string
    expression = string
  }))
  default = {}

  validation {
    condition     = alltrue([for s in values(var.schedules) : can(regex("^(rate|cron|at)\\(.+\\)$", s.expression))])
    error_message = "schedules: expression must be rate(...), cron(...) or at(...)."
  }

  validation {
    condition     = alltrue([for k in keys(var.schedules) : can(regex("^[0-9a-zA-Z_.-]{1,64}$", k))])
    error_message = "schedules: names are 1-64 letters, digits, '.', '-' and '_'."
  }
}
