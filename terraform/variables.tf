variable "project_name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "creditai-mlops"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.project_name))
    error_message = "project_name: 3-31 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Deployment environment: dev or prod."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "aws_region" {
  description = "AWS region of the control plane, its SageMaker resources and its data."
  type        = string
}

variable "model_groups" {
  description = "The managed model groups (one credit product of one customer each): a SageMaker model package group, a lifecycle policy and endpoint alarms per entry."
  type = map(object({
    description = string
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.model_groups) : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,40}$", name))])
    error_message = "Model group names: letters, digits and single hyphens, at most 41 characters (endpoint names add '-staging')."
  }
}

variable "policy_overrides" {
  description = "Lifecycle policy overrides per model group, merged over the platform defaults (README, 'Lifecycle policy'), e.g. { credit-risk-retail = { gates = { minAuc = 0.86 } } }. Typed `any` so each group may override different settings (a map(object) would force one shape on all)."
  type        = any
  default     = {}

  validation {
    condition     = alltrue([for group in keys(var.policy_overrides) : contains(keys(var.model_groups), group)])
    error_message = "policy_overrides names a model group that is not in model_groups."
  }
}

variable "approver_role_names" {
  description = "IAM role names whose named sessions count as model approvers (SSO permission sets match AWSReservedSSO_<name>_*)."
  type        = list(string)
  default     = ["ModelApprover", "RiskOfficer"]
}

variable "notification_emails" {
  description = "Email addresses subscribed to the notices topic (approvals, releases). Each must confirm its subscription."
  type        = list(string)
  default     = []
}

variable "pagerduty_enabled" {
  description = "Page on-call through PagerDuty Events API v2. The routing key is set in the created secret outside Terraform."
  type        = bool
  default     = false
}

variable "runbook_base_url" {
  description = "Base URL of docs/runbook.md as on-call reads it; notifications link to its sections."
  type        = string
  default     = "https://github.com/creditai/creditai-mlops/blob/main/docs/runbook.md"
}

variable "log_retention_days" {
  description = "CloudWatch log retention of the functions (the audit ledger, not the logs, is the 7-year record)."
  type        = number
  default     = 365

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts."
  }
}

variable "audit_retention_years" {
  description = "Object Lock COMPLIANCE retention of audit records, in years (regulation asks 7)."
  type        = number
  default     = 7

  validation {
    condition     = var.audit_retention_years >= 7
    error_message = "Audit records are kept at least 7 years."
  }
}

variable "dist_dir" {
  description = "Directory of the function zips built by `npm run build`, relative to this root module."
  type        = string
  default     = "../dist"
}

variable "github_repository" {
  description = "owner/name of the GitHub repository CodePipeline builds from."
  type        = string
  default     = "creditai/creditai-mlops"
}

variable "github_branch" {
  description = "Branch whose pushes run the pipeline."
  type        = string
  default     = "main"
}

variable "sweep_schedule" {
  description = "EventBridge Scheduler expression of the sweep that re-reconciles every group."
  type        = string
  default     = "rate(15 minutes)"
}

variable "drift_check_schedule" {
  description = "EventBridge Scheduler expression of the drift check; each run checks the last whole hour of captured traffic, so it runs a few minutes past the hour, once capture files are written."
  type        = string
  default     = "cron(10 * * * ? *)"
}

variable "judge_schedule" {
  description = "EventBridge Scheduler expression of the canary judge; each run judges every baking production canary on the whole minutes since its rollout started."
  type        = string
  default     = "rate(1 minute)"
}

variable "experiment_judge_schedule" {
  description = "EventBridge Scheduler expression of the experiment judge; each run looks at every running A/B or shadow test."
  type        = string
  default     = "rate(1 minute)"
}

variable "availability_slo" {
  description = "Availability objective of production endpoints (fraction of successful invocations)."
  type        = number
  default     = 0.9995
}
