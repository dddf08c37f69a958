variable "name" {
  description = "Prefix of resource names (e.g. creditai-mlops-dev): the dashboard and the control-plane alarms."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,60}$", var.name))
    error_message = "name: lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "aws_region" {
  description = "Region of the metrics the dashboard shows (the control plane's region)."
  type        = string
}

variable "production_endpoints" {
  description = "Production endpoint name by model group (<group>-prod as the lifecycle policy derives it). Each gets the rollback alarms the policy names, an invocation-error alarm and SLO burn-rate alarms."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for endpoint in values(var.production_endpoints) : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", endpoint))])
    error_message = "production_endpoints: SageMaker endpoint names (letters, digits and single hyphens, at most 63 characters)."
  }
}

variable "incidents_topic_arn" {
  description = "SNS topic of incidents: alarm and OK action of every alarm that needs on-call."
  type        = string
}

variable "notices_topic_arn" {
  description = "SNS topic of notices: alarm action of the invocation-error (4XX) alarms, which need a look but not on-call. Null: those alarms have no SNS action."
  type        = string
  default     = null
}

variable "availability_slo" {
  description = "Availability objective of production endpoints: the fraction of invocations that do not end in a 5XX error. The error budget is 1 - availability_slo."
  type        = number
  default     = 0.9995

  validation {
    # Below 0.95 a 14.4x burn would need an error rate above 72 %: the fast-burn alarm would be meaningless.
    condition     = var.availability_slo >= 0.95 && var.availability_slo < 1
    error_message = "availability_slo must be at least 0.95 and below 1 (e.g. 0.9995)."
  }
}

variable "function_names" {
  description = "Lambda function name by function key (e.g. reconcile = creditai-mlops-dev-reconcile); each gets an Errors alarm and dashboard lines."
  type        = map(string)
  default     = {}
}

variable "reconcile_dlq_name" {
  description = "Name of the reconcile FIFO queue's dead-letter queue."
  type        = string
}

variable "rules_dlq_name" {
  description = "Name of the dead-letter queue of the EventBridge rule targets."
  type        = string
}

variable "reconcile_queue_name" {
  description = "Name of the reconcile FIFO queue, for the queue-age graph. Null: the graph searches the account's SQS queues whose name contains the token 'reconcile'."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every alarm (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
