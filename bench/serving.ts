import type { SectionResult } from './lib/report.js';

// Placeholder until the serving benchmark lands.
export async function run(): Promise<SectionResult> {
  return { section: 'serving', figures: [], tables: [], notes: ['not implemented yet'] };
}
