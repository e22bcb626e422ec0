import { fileURLToPath } from 'node:url';
import { loadTrainingConfig } from '../config.js';
import type { TrainingConfig } from '../config.js';

/** Path of the demo training config (packages/training/demo/demo-config.json). */
export const DEMO_CONFIG_PATH = fileURLToPath(new URL('../../demo/demo-config.json', import.meta.url));

export function loadDemoConfig(): Promise<TrainingConfig> {
  return loadTrainingConfig(DEMO_CONFIG_PATH);
}
