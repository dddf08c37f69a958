# Development environment: `terraform plan -var-file=envs/dev.tfvars`. No secrets in this file: the PagerDuty routing
# key is put into Secrets Manager outside Terraform (docs/deploy.md).
environment = "dev"
aws_region  = "eu-west-1"

model_groups = {
  "credit-risk-retail" = {
    description = "Retail credit risk: probability of default of personal-loan applications."
  }
  "credit-card-limits" = {
    description = "Credit card limits: the limit offered to new card holders."
  }
}

# Merged over the platform defaults (README, "Lifecycle policy"). Manual production approval is the default
# already; spelled out here as the example of an override. Groups without an entry get the defaults.
policy_overrides = {
  "credit-risk-retail" = {
    approval = { production = "manual" }
  }
}

# Each address confirms its subscription from the mail AWS sends after the first apply.
notification_emails = ["mlops-notices@example.com"]

# Dev does not page anyone; notices and alarms still reach the topics and the dashboard.
pagerduty_enabled = false

log_retention_days = 90
