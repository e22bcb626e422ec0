// Test-only: the smallest stack config parseStackConfig takes (every other key has a default).
import type { StackConfigInput } from '../config.js';

export const MINIMAL_CONFIG: StackConfigInput = {
  environment: 'dev',
  accountId: '111111111111',
  region: 'eu-central-1',
  deployRoleArn: 'arn:aws:iam::111111111111:role/deploy',
  costCentre: 'cc-1',
  serving: { imageTag: '0.1.0' },
  api: { issuer: 'https://login.example.com', allowedClientIds: ['crm'] },
  monitoring: { alarmEmail: 'ops@example.com' },
};
