// Prints the monthly cost estimate of the committed stacks: npx tsx packages/infra/scripts/cost-estimate.ts
import { estimateMonthlyCost } from '../src/cost.js';
import { loadStackConfigFile } from '../src/testing/stack-files.js';

for (const stack of ['dev', 'prod'] as const) {
  const estimate = estimateMonthlyCost(loadStackConfigFile(stack));
  process.stdout.write(`\n${stack}: ${estimate.totalUsd} USD/month (${estimate.source})\n`);
  for (const line of estimate.lines) {
    process.stdout.write(`  ${line.item.padEnd(48)} ${line.quantity.toFixed(2).padStart(10)} ${line.unit.padEnd(18)} ${line.monthlyUsd.toFixed(2).padStart(8)}\n`);
  }
}
