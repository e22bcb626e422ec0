// Test-only: the stack outputs the READMEs tell people to read (`pulumi stack output <name>`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INFRA_ROOT } from './stack-files.js';

/**
 * The ways the READMEs name a stack output: `pulumi stack output feedbackTable`, "(..., exported as
 * `accessLogBucket`)", "the stack exports its total as `monthlyCostEstimateUsd`". ("re-exported here as" is a
 * module's export, not the stack's.)
 */
const OUTPUT_MENTIONS = [/pulumi stack output (\w+)/g, /(?<!re-)\bexported as `(\w+)`/g, /\bstack exports its \w+ as `(\w+)`/g];

/** Every stack output `text` names, sorted, each once. */
export function stackOutputsNamedIn(text: string): string[] {
  const names = new Set<string>();
  for (const pattern of OUTPUT_MENTIONS) for (const match of text.matchAll(pattern)) names.add(match[1]);
  return [...names].sort();
}

/** The stack outputs packages/infra/README.md and the root README.md name. */
export function documentedStackOutputs(): string[] {
  const readmes = [path.join(INFRA_ROOT, 'README.md'), path.join(INFRA_ROOT, '../../README.md')];
  return stackOutputsNamedIn(readmes.map((file) => readFileSync(file, 'utf8')).join('\n'));
}
