import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateMonthlyCost } from './cost.js';
import { API_ROUTES } from './lambda-env.js';
import { physicalName } from './naming.js';
import { documentedStackOutputs, stackOutputsNamedIn } from './testing/readme-outputs.js';
import { INFRA_ROOT, loadStackConfigFile } from './testing/stack-files.js';

// The README tells the CRM's team what API Gateway routes; it must name every route the stack creates.
describe('README', () => {
  it('names every API Gateway route and the paths left unrouted', () => {
    const readme = readFileSync(path.join(INFRA_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('**What the CRM reaches in AWS.**'));
    expect(section.length).toBeLessThan(readme.length);
    for (const route of API_ROUTES) expect(section).toContain(`\`${route}\``);
    expect(API_ROUTES).toHaveLength(2); // a new route: say in the README what it opens
    for (const unrouted of ['/docs', '/healthz', '/readyz', '/metrics']) expect(section).toContain(`\`${unrouted}\``);
  });
});

// The README's cost table is what people budget with: each row must be the estimate's lines it groups.
describe('README cost table', () => {
  const ROWS: [string, RegExp][] = [
    ['SageMaker endpoint', /^SageMaker endpoint/],
    ['SageMaker training', /^SageMaker training/],
    ['Interface VPC endpoints', /^Interface VPC endpoints/],
    ['Lambda, HTTP API, DynamoDB requests', /^(Lambda compute|Lambda requests|HTTP API requests|DynamoDB writes|DynamoDB reads)/],
    ['DynamoDB storage + PITR, S3 artifacts and access logs, ECR, KMS key', /^(DynamoDB storage|S3 artifacts|S3 access logs|ECR images|KMS key)/],
    ['CloudWatch alarms', /^CloudWatch /],
  ];
  it('adds up to estimateMonthlyCost for the committed stacks, row by row', () => {
    const readme = readFileSync(path.join(INFRA_ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Monthly cost estimate'), readme.indexOf('## Teardown'));
    const cells = (label: string) => {
      const row = table.split('\n').find((line) => line.startsWith(`| ${label}`));
      expect(row, label).toBeDefined();
      return row!.split('|').slice(-3, -1).map((cell) => Number(cell.replace(/\*/g, '').trim()));
    };
    (['dev', 'prod'] as const).forEach((stack, column) => {
      const estimate = estimateMonthlyCost(loadStackConfigFile(stack));
      let sum = 0;
      for (const [label, lines] of ROWS) {
        const value = estimate.lines.filter((l) => lines.test(l.item)).reduce((s, l) => s + l.monthlyUsd, 0);
        expect(cells(label)[column], `${stack}: ${label} (${value})`).toBeCloseTo(value, 2);
        sum += value;
      }
      expect(sum).toBeCloseTo(estimate.totalUsd, 2);
      expect(cells('**total')[column], `${stack} total`).toBe(estimate.totalUsd);
    });
  });
});

// SageMaker deletes only an empty model package group: the dev teardown must empty the stack's own group first.
describe('README teardown', () => {
  it("empties dev's model package group, by the name the stack gives it, before pulumi destroy", () => {
    const readme = readFileSync(path.join(INFRA_ROOT, 'README.md'), 'utf8');
    const teardown = readme.slice(readme.indexOf('## Teardown'), readme.indexOf('## Tests and policies'));
    const group = physicalName(loadStackConfigFile('dev'), 'email-classifier');
    expect(teardown).toContain(`GROUP=${group}\n`);
    const deleteVersions = teardown.indexOf('aws sagemaker delete-model-package --model-package-name');
    expect(teardown.indexOf('aws sagemaker list-model-packages --model-package-group-name "$GROUP"')).toBeGreaterThan(0);
    expect(deleteVersions).toBeGreaterThan(0);
    expect(teardown.indexOf('pulumi destroy -s dev')).toBeGreaterThan(deleteVersions);
  });
});

// main.test.ts checks that main.ts exports every stack output the READMEs name: here, that they are all found.
describe('README stack outputs', () => {
  it('finds each way the READMEs name a stack output, and no module export', () => {
    expect(stackOutputsNamedIn('`pulumi stack output feedbackTable`; (child component `X`, exported as `accessLogBucket`); the stack exports its total as `monthlyCostEstimateUsd`; re-exported here as `API_ROUTES`')).toEqual([
      'accessLogBucket',
      'feedbackTable',
      'monthlyCostEstimateUsd',
    ]);
    expect(documentedStackOutputs()).toEqual(expect.arrayContaining(['accessLogBucket', 'feedbackTable', 'monthlyCostEstimateUsd']));
  });
});
