# Production environment: `terraform plan -var-file=envs/prod.tfvars`. No secrets in this file: the PagerDuty
# routing key is put into Secrets Manager outside Terraform (docs/deploy.md).
environment = "prod"
aws_region  = "eu-west-1"

model_groups = {
  "credit-risk-retail" = {
    description = "Retail credit risk: probability of default of personal-loan applications."
  }
}

# Merged over the platform defaults (README, "Lifecycle policy"): production asks for a higher AUC than the
# platform's 0.85.
policy_overrides = {
  "credit-risk-retail" = {
    gates = { minAuc = 0.86 }
  }
}

# Each address confirms its subscription from the mail AWS sends after the first apply.
notification_emails = ["mlops-notices@example.com"]

# Pages on-call through PagerDuty Events API v2; the routing key goes into the secret named by the
# pagerduty_secret_arn output (docs/deploy.md).
pagerduty_enabled = true

log_retention_days = 365
availability_slo   = 0.9995
