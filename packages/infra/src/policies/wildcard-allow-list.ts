/**
 * The only actions an Allow statement may pair with `Resource: "*"`, each with AWS's reason. Any other
 * action on "*" fails the least-privilege policy.
 */
/**
 * Network interfaces of a Lambda function in the VPC: exactly what AWS's managed
 * AWSLambdaVPCAccessExecutionRole grants. EC2 takes no resource-level ARNs for these before the ENI exists.
 */
export const LAMBDA_ENI_ACTIONS: readonly string[] = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * SageMaker's (training jobs and endpoint containers in the VPC): it also grants its service account use
 * of the ENIs it creates and reads the VPC, its DHCP options and security groups. Only the SageMaker
 * execution role gets these.
 */
export const SAGEMAKER_ENI_ACTIONS: readonly string[] = [
  ...LAMBDA_ENI_ACTIONS,
  'ec2:CreateNetworkInterfacePermission',
  'ec2:DeleteNetworkInterfacePermission',
  'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeSecurityGroups',
];

export const WILDCARD_RESOURCE_ALLOW_LIST: ReadonlyArray<{ actions: readonly string[]; reason: string }> = [
  {
    actions: ['ecr:GetAuthorizationToken'],
    reason: 'ECR issues registry-wide login tokens; the action has no resource-level permissions.',
  },
  {
    actions: SAGEMAKER_ENI_ACTIONS,
    reason:
      'Lambda (LAMBDA_ENI_ACTIONS) and SageMaker (all of these) attach network interfaces in the VPC; EC2 Describe* and ENI creation take no resource ARNs before the ENI exists.',
  },
  {
    actions: ['sagemaker:ListModelPackages'],
    reason: "SageMaker's List actions take no resource ARNs; the deployer lists package names and statuses to find the Approved versions when the serving one is rejected (a rollback).",
  },
  {
    actions: ['cloudwatch:PutMetricData'],
    reason: 'CloudWatch metrics have no ARNs; statements are limited by the cloudwatch:namespace condition instead.',
  },
];

export function allowedOnWildcard(action: string): boolean {
  return WILDCARD_RESOURCE_ALLOW_LIST.some((entry) => entry.actions.includes(action));
}
