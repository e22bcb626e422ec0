import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { privateSubnetPlan, vpcEndpointPlan } from '../network-plan.js';
import { physicalName } from '../naming.js';
import { flowLogsPolicy, serviceTrustPolicy } from '../iam-documents.js';
import { tagsWith, type StackContext } from './common.js';
import { managedLogGroup } from './log-group.js';

/**
 * A VPC with private subnets only. S3 and DynamoDB through gateway endpoints, SageMaker, ECR, Logs,
 * STS and CloudWatch through interface endpoints: no internet gateway, no NAT.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** For Lambda functions and SageMaker containers: egress to the endpoints only. */
  readonly workloadSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext & { kmsKeyArn: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:network:Network', name, {}, opts);
    const { config } = ctx;
    const cidr = config.network.cidr;
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tagsWith(ctx, physicalName(config, 'vpc')) },
      { parent: this },
    );
    const routeTable = new aws.ec2.RouteTable(
      `${name}-private`,
      { vpcId: vpc.id, tags: tagsWith(ctx, physicalName(config, 'private')) },
      { parent: this },
    );
    const subnets = privateSubnetPlan(cidr, config.region, config.network.azCount).map((plan, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: plan.cidr,
          availabilityZone: plan.az,
          mapPublicIpOnLaunch: false,
          tags: tagsWith(ctx, physicalName(config, `private-${plan.az}`)),
        },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id }, { parent: this });
      return subnet;
    });
    const endpointSg = new aws.ec2.SecurityGroup(
      `${name}-endpoints`,
      {
        vpcId: vpc.id,
        description: 'HTTPS from inside the VPC to the interface endpoints',
        ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [cidr], description: 'VPC' }],
        egress: [],
        tags: tagsWith(ctx, physicalName(config, 'endpoints')),
      },
      { parent: this },
    );
    const gatewayPrefixLists: pulumi.Output<string>[] = [];
    for (const ep of vpcEndpointPlan(config.region)) {
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-${ep.key}`,
        ep.type === 'Gateway'
          ? { vpcId: vpc.id, serviceName: ep.serviceName, vpcEndpointType: 'Gateway', routeTableIds: [routeTable.id], tags: tagsWith(ctx, physicalName(config, ep.key)) }
          : {
              vpcId: vpc.id,
              serviceName: ep.serviceName,
              vpcEndpointType: 'Interface',
              privateDnsEnabled: true,
              subnetIds: subnets.map((s) => s.id),
              securityGroupIds: [endpointSg.id],
              tags: tagsWith(ctx, physicalName(config, ep.key)),
            },
        { parent: this },
      );
      if (ep.type === 'Gateway') gatewayPrefixLists.push(endpoint.prefixListId);
    }
    const workloadSg = new aws.ec2.SecurityGroup(
      `${name}-workloads`,
      {
        vpcId: vpc.id,
        description: 'Lambda and SageMaker: no ingress, HTTPS out to the VPC endpoints only',
        ingress: [],
        egress: [
          { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [cidr], description: 'interface endpoints' },
          { protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: gatewayPrefixLists, description: 'S3 and DynamoDB gateways' },
        ],
        tags: tagsWith(ctx, physicalName(config, 'workloads')),
      },
      { parent: this },
    );
    // Flow logs of all traffic (accepted and rejected) to a managed, encrypted log group: the audit trail
    // of who talked to what inside the VPC.
    const flowLogGroup = managedLogGroup(`${name}-flow-logs`, `/mailroute/${config.environment}/vpc-flow-logs`, ctx, this);
    const flowRoleName = physicalName(config, 'vpc-flow-logs', 64);
    const flowRole = new aws.iam.Role(
      `${name}-flow-logs-role`,
      { name: flowRoleName, assumeRolePolicy: JSON.stringify(serviceTrustPolicy('vpc-flow-logs.amazonaws.com', config.accountId)), tags: tagsWith(ctx, flowRoleName) },
      { parent: this },
    );
    new aws.iam.RolePolicy(`${name}-flow-logs-policy`, { role: flowRole.id, policy: flowLogGroup.arn.apply((arn) => JSON.stringify(flowLogsPolicy(arn))) }, { parent: this });
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      { vpcId: vpc.id, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: flowLogGroup.arn, iamRoleArn: flowRole.arn, tags: tagsWith(ctx, physicalName(config, 'vpc-flow-log')) },
      { parent: this },
    );
    this.vpcId = vpc.id;
    this.privateSubnetIds = subnets.map((s) => s.id);
    this.workloadSecurityGroupId = workloadSg.id;
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, workloadSecurityGroupId: this.workloadSecurityGroupId });
  }
}
