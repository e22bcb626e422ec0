import type { SectionResult } from './lib/report.js';

// Placeholder until the training benchmark lands.
export async function run(): Promise<SectionResult> {
  return { section: 'training', figures: [], tables: [], notes: ['not implemented yet'] };
}
