variable "name" {
  description = "Function name; also the name of its IAM role and the suffix of its log group /aws/lambda/<name>."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.name))
    error_message = "name: 1-64 letters, digits, hyphens and underscores (a Lambda function name and an IAM role name)."
  }
}

variable "zip_path" {
  description = "Path of the deployment package built by `npm run build` (dist/<function>.zip, index.js inside)."
  type        = string

  validation {
    condition     = endswith(var.zip_path, ".zip")
    error_message = "zip_path must name a .zip file."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds. An SQS event source needs a queue visibility timeout of at least 6 times this."
  type        = number

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number from 1 to 900."
  }
}

variable "memory_mb" {
  description = "Memory in MB (CPU scales with it)."
  type        = number

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240 && floor(var.memory_mb) == var.memory_mb
    error_message = "memory_mb must be a whole number from 128 to 10240."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; null leaves the function on the account's unreserved pool."
  type        = number
  default     = null
  nullable    = true

  validation {
    condition     = var.reserved_concurrency == null || try(var.reserved_concurrency >= 0 && floor(var.reserved_concurrency) == var.reserved_concurrency, false)
    error_message = "reserved_concurrency must be null or a whole number >= 0 (0 stops the function)."
  }
}

variable "environment" {
  description = "Environment variables of the function (its configuration, read once per cold start by shared/runtime/config.ts)."
  type        = map(string)
  default     = {}

  validation {
    # Lambda sets these itself and refuses a function that tries to (AWS_REGION is read from the runtime).
    condition = length(setintersection(keys(var.environment), [
      "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
      "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ])) == 0
    error_message = "environment may not set a variable Lambda reserves (AWS_REGION, AWS_LAMBDA_*, credentials, ...)."
  }
}

variable "policy_statements" {
  description = "Allow statements of the role's inline policy: actions named one by one, resources as scoped ARNs, optional conditions. Writing to the function's own log group is added by the module."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))

  validation {
    condition     = alltrue([for s in var.policy_statements : alltrue([for a in s.actions : a != "*" && !endswith(a, ":*")])])
    error_message = "policy_statements: name every action; \"*\" and \"service:*\" are not allowed."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : can(regex("^[A-Za-z0-9]+$", s.sid)) && length(s.actions) > 0 && length(s.resources) > 0])
    error_message = "policy_statements: every statement needs an alphanumeric sid, at least one action and at least one resource."
  }

  validation {
    condition     = length(distinct([for s in var.policy_statements : s.sid])) == length(var.policy_statements)
    error_message = "policy_statements: sids must be unique."
  }
}

variable "managed_policy_statements" {
  description = "Further Allow statements in customer-managed policies attached to the role, one policy per key (named <name>-<key>). For statement sets that grow with configuration (e.g. one ARN per model group) and would push the inline policy past IAM's 10,240-character limit; each policy holds at most 6,144 characters."
  type = map(list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  })))
  default = {}

  validation {
    condition     = alltrue(flatten([for statements in values(var.managed_policy_statements) : [for s in statements : [for a in s.actions : a != "*" && !endswith(a, ":*")]]]))
    error_message = "managed_policy_statements: name every action; \"*\" and \"service:*\" are not allowed."
  }

  validation {
    condition     = alltrue(flatten([for statements in values(var.managed_policy_statements) : [for s in statements : can(regex("^[A-Za-z0-9]+$", s.sid)) && length(s.actions) > 0 && length(s.resources) > 0]]))
    error_message = "managed_policy_statements: every statement needs an alphanumeric sid, at least one action and at least one resource."
  }

  validation {
    # IAM attaches at most 10 managed policies to a role unless the quota is raised.
    condition     = length(var.managed_policy_statements) <= 10
    error_message = "managed_policy_statements: at most 10 policies (IAM's default managed-policies-per-role quota)."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's log group in days."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts."
  }
}

variable "logs_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the log group (its key policy must let logs.<region>.amazonaws.com use it)."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.logs_kms_key_arn))
    error_message = "logs_kms_key_arn must be a KMS key ARN (not an alias: CloudWatch Logs needs the key ARN)."
  }
}

variable "account_id" {
  description = "AWS account id; the role's trust policy only lets Lambda assume it on behalf of this account."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}
