import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry, type ModelLogger, type ModelVersion } from '@mailroute/model';
import { loadDemoConfig } from '../demo/demo-config.js';
import { writeDemoData } from '../demo/generate.js';
import { trainFromConfig } from './train-from-config.js';
import type { OnProgress } from './evaluate-split.js';

export interface EnsureDemoChampionOptions {
  home: string;
  onProgress?: OnProgress;
  logger?: ModelLogger;
  /** Demo rows to train on (default 1500: seconds on a laptop). */
  rows?: number;
}

/**
 * For `npm start` on a fresh machine: returns the registry's champion, or, when there is none, trains a
 * model on freshly generated demo data with the demo config, approves it (which makes it champion) and
 * returns it.
 */
export async function ensureDemoChampion(options: EnsureDemoChampionOptions): Promise<ModelVersion> {
  const registry = createLocalRegistry({ home: options.home });
  const current = await registry.champion();
  if (current) return current;
  options.logger?.info?.('no champion model: training one on the synthetic demo data');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'mailroute-demo-'));
  try {
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: options.rows ?? 1500 });
    const config = await loadDemoConfig();
    const result = await trainFromConfig({
      config: { ...config, model: { ...config.model, epochs: 6, buckets: 2 ** 16 } },
      dataPath: data,
      home: options.home,
      onProgress: options.onProgress,
      logger: options.logger,
      registry,
      note: 'demo model trained on synthetic data by ensureDemoChampion',
    });
    const approved = await registry.approve(result.modelId, { by: 'ensureDemoChampion', note: 'demo model (synthetic data)' });
    options.logger?.info?.(`demo model ${approved.id} approved as champion`, { metrics: result.metrics });
    return approved;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
