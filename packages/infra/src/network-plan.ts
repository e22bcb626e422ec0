/** Pure network layout: subnet CIDRs per AZ and the VPC endpoints that replace a NAT gateway. */

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}
function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** `count` consecutive subnets of `/newPrefix` carved from the start of `cidr`. */
export function carveSubnets(cidr: string, newPrefix: number, count: number): string[] {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (newPrefix < prefix || newPrefix > 28) throw new RangeError(`cannot carve /${newPrefix} from ${cidr}`);
  if (count > 2 ** (newPrefix - prefix)) throw new RangeError(`${cidr} holds fewer than ${count} /${newPrefix} subnets`);
  const start = ipToInt(base);
  if (start % 2 ** (32 - prefix) !== 0) throw new RangeError(`${cidr} is not a network address`);
  return Array.from({ length: count }, (_, i) => `${intToIp(start + i * 2 ** (32 - newPrefix))}/${newPrefix}`);
}

/** Private subnets, one per AZ, /20 each (4,096 addresses: room for Lambda and SageMaker ENIs). */
export function privateSubnetPlan(cidr: string, region: string, azCount: number): { az: string; cidr: string }[] {
  const letters = ['a', 'b', 'c'];
  return carveSubnets(cidr, 20, azCount).map((block, i) => ({ az: `${region}${letters[i]}`, cidr: block }));
}

/** Everything the workloads call, reachable without internet: gateways for S3/DynamoDB, interfaces for the rest. */
export function vpcEndpointPlan(region: string): { key: string; serviceName: string; type: 'Gateway' | 'Interface' }[] {
  const gateway = ['s3', 'dynamodb'].map((s) => ({ key: s, serviceName: `com.amazonaws.${region}.${s}`, type: 'Gateway' as const }));
  const iface = [
    ['sagemaker-api', 'sagemaker.api'],
    ['sagemaker-runtime', 'sagemaker.runtime'],
    ['ecr-api', 'ecr.api'],
    ['ecr-dkr', 'ecr.dkr'],
    ['logs', 'logs'],
    ['sts', 'sts'],
    ['monitoring', 'monitoring'],
  ].map(([key, service]) => ({ key, serviceName: `com.amazonaws.${region}.${service}`, type: 'Interface' as const }));
  return [...gateway, ...iface];
}
