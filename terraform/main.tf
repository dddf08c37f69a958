# Composition of the control plane. Each module is small and does one thing; this file only wires them.
# Endpoints are not here: the control plane creates and updates them (blue/green), Terraform would fight it.

locals {
  name       = "${var.project_name}-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # One source for the rule patterns: the same files the tests and the local twin read.
  events_dir = "${path.root}/../events"
  catalogue  = jsondecode(file("${local.events_dir}/catalogue.json"))

  # Endpoint names as the lifecycle policy derives them (shared/lifecycle/names.ts): <group>-staging, <group>-prod.
  production_endpoints = { for group, _ in var.model_groups : group => "${group}-prod" }
  staging_endpoints    = { for group, _ in var.model_groups : group => "${group}-staging" }
}

module "keys" {
  source     = "./modules/keys"
  name       = local.name
  account_id = local.account_id
  partition  = local.partition
  aws_region = var.aws_region
}

module "state" {
  source      = "./modules/state"
  table_name  = "${local.name}-state"
  kms_key_arn = module.keys.key_arns["state"]
}

module "storage" {
  source      = "./modules/storage"
  name        = local.name
  account_id  = local.account_id
  kms_key_arn = module.keys.key_arns["data"]
}

module "audit" {
  source          = "./modules/audit"
  bucket_name     = "${local.name}-audit-${local.account_id}"
  kms_key_arn     = module.keys.key_arns["audit"]
  retention_years = var.audit_retention_years
}

module "serving" {
  source               = "./modules/serving"
  name                 = local.name
  partition            = local.partition
  account_id           = local.account_id
  aws_region           = var.aws_region
  artifacts_bucket_arn = module.storage.bucket_arns["artifacts"]
  capture_bucket_arn   = module.storage.bucket_arns["capture"]
  kms_key_arns         = [module.keys.key_arns["data"]]
}

module "registry" {
  source           = "./modules/registry"
  model_groups     = var.model_groups
  policy_overrides = var.policy_overrides
  state_table_name = module.state.table_name
}

module "messaging" {
  source             = "./modules/messaging"
  name               = local.name
  kms_key_arn        = module.keys.key_arns["messaging"]
  bus_name           = var.project_name
  bus_publisher_arns = [for f in module.functions : f.role_arn]
}

module "alerting" {
  source              = "./modules/alerting"
  name                = local.name
  kms_key_arn         = module.keys.key_arns["notify"]
  notification_emails = var.notification_emails
  pagerduty_enabled   = var.pagerduty_enabled
}

module "monitoring" {
  source               = "./modules/monitoring"
  name                 = local.name
  aws_region           = var.aws_region
  production_endpoints = local.production_endpoints
  incidents_topic_arn  = module.alerting.topic_arns["incidents"]
  notices_topic_arn    = module.alerting.topic_arns["notices"]
  reconcile_queue_name = element(split("/", module.messaging.reconcile_queue_url), 4)
  availability_slo     = var.availability_slo
  function_names       = { for k, f in module.functions : k => f.function_name }
  reconcile_dlq_name   = module.messaging.reconcile_dlq_name
  rules_dlq_name       = module.messaging.rules_dlq_name
}

module "rules" {
  source           = "./modules/rules"
  name             = local.name
  events_dir       = local.events_dir
  catalogue        = local.catalogue
  project_bus_name = module.messaging.bus_name
  function_arns    = { for k, f in module.functions : k => f.function_arn }
  dlq_arn          = module.messaging.rules_dlq_arn
  dlq_url          = module.messaging.rules_dlq_url
  schedules = {
    sweep            = { function = "sweep", expression = var.sweep_schedule }
    drift-check      = { function = "drift-check", expression = var.drift_check_schedule }
    judge            = { function = "judge", expression = var.judge_schedule }
    experiment-judge = { function = "experiment-judge", expression = var.experiment_judge_schedule }
  }
}

module "cicd" {
  source                = "./modules/cicd"
  name                  = local.name
  github_repository     = var.github_repository
  github_branch         = var.github_branch
  artifacts_bucket_name = module.storage.bucket_names["artifacts"]
  artifacts_bucket_arn  = module.storage.bucket_arns["artifacts"]
  kms_key_arn           = module.keys.key_arns["data"]
  logs_kms_key_arn      = module.keys.key_arns["logs"]
  # A push trains every managed group with its code (buildspec.yml post_build).
  training_pipeline_name = module.pipeline.pipeline_name
  training_pipeline_arn  = module.pipeline.pipeline_arn
  model_groups           = join(",", keys(var.model_groups))
  data_bucket_name       = module.storage.bucket_names["data"]
}
