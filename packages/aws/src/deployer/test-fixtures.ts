// Shared fixtures of the deployer tests (invented ids and account numbers).
import type { DeployerConfig, ModelPackageStateChange } from './deploy-plan.js';

export const config: DeployerConfig = {
  endpointName: 'mailroute-prod',
  modelPackageGroupName: 'mailroute-prod',
  executionRoleArn: 'arn:aws:iam::222222222222:role/mailroute-prod-sagemaker',
  instanceType: 'ml.c6i.large',
  initialInstanceCount: 2,
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupIds: ['sg-1'],
  kmsKeyArn: 'arn:aws:kms:eu-central-1:222222222222:key/k',
  rollbackAlarmNames: ['mailroute-prod-endpoint-5xx', 'mailroute-prod-endpoint-p99'],
};

export const event: ModelPackageStateChange = {
  source: 'aws.sagemaker',
  'detail-type': 'SageMaker Model Package State Change',
  time: '2026-11-29T10:15:00Z',
  detail: {
    ModelPackageArn: 'arn:aws:sagemaker:eu-central-1:222222222222:model-package/mailroute-prod/7',
    ModelPackageGroupName: 'mailroute-prod',
    ModelApprovalStatus: 'Approved',
  },
};
