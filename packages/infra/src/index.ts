// Public API of @mailroute/infra: named exports only.
export { StackConfigSchema, parseStackConfig, rawConfigFrom, StackConfigError, LOG_RETENTION_DAYS } from './config.js';
export type { StackConfig, StackConfigInput } from './config.js';
export { createProgram, createAwsProvider, MailrouteStack, providerRoleArn, pulumiRoleFrom, PULUMI_ROLE_ENV } from './stack.js';
export type { ProgramOptions, PulumiRole } from './stack.js';
export { estimateMonthlyCost, PRICE_LIST, DEFAULT_USAGE, UnpricedError } from './cost.js';
export type { CostLine, UsageAssumptions } from './cost.js';
export { ALL_RULES, runPolicies } from './policies/rules.js';
export type { PolicyRule, ResourceRecord, Violation, PolicyContext } from './policies/graph.js';
export { WILDCARD_RESOURCE_ALLOW_LIST } from './policies/wildcard-allow-list.js';
export { API_LAMBDA_ENV, DEPLOYER_LAMBDA_ENV, API_ROUTES } from './lambda-env.js';
