import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_CONFIG_PATH, demoRowsToCsv, generateDemoRows } from '@mailroute/training';

/** A small, quick variant of the demo config (packages/training/demo/demo-config.json). */
export async function smallDemoConfig(): Promise<Record<string, unknown>> {
  const config = JSON.parse(await readFile(DEMO_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
  return { ...config, model: { epochs: 3, dim: 16, buckets: 16384, charNgrams: [5, 5], patience: 3 } };
}

export interface SimulatedJob {
  hyperparameters?: Record<string, unknown>;
  /** File name -> JSON value (or text) in the config channel. */
  config?: Record<string, unknown>;
  /** Path inside the data channel -> text. */
  data?: Record<string, string>;
}

/** Lays out a simulated /opt/ml under `root` as SageMaker does before it starts the container. */
export async function simulateSageMaker(root: string, job: SimulatedJob): Promise<void> {
  await mkdir(path.join(root, 'model'), { recursive: true });
  await mkdir(path.join(root, 'output'), { recursive: true });
  const put = async (file: string, text: string) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  };
  if (job.hyperparameters) await put(path.join(root, 'input/config/hyperparameters.json'), JSON.stringify(job.hyperparameters));
  for (const [name, value] of Object.entries(job.config ?? {})) {
    await put(path.join(root, 'input/data/config', name), typeof value === 'string' ? value : JSON.stringify(value));
  }
  for (const [name, text] of Object.entries(job.data ?? {})) await put(path.join(root, 'input/data/training', name), text);
}

/** 400 demo emails as a data channel of three exports: a CSV at the top, two JSONL files in month folders. */
export function demoExports(): Record<string, string> {
  const rows = generateDemoRows({ rows: 400, seed: 7 });
  const jsonl = (part: typeof rows) => part.map((r) => `${JSON.stringify(r)}\n`).join('');
  return { 'export.csv': demoRowsToCsv(rows.slice(0, 200)), '2026-10/export.jsonl': jsonl(rows.slice(200, 300)), '2026-11/export.jsonl': jsonl(rows.slice(300)) };
}
