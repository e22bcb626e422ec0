import type { SectionResult } from './lib/report.js';

// Placeholder until the preprocess benchmark lands.
export async function run(): Promise<SectionResult> {
  return { section: 'preprocess', figures: [], tables: [], notes: ['not implemented yet'] };
}
