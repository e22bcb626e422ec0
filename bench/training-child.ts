/**
 * Runs one training in its own process for bench/training.ts, so its peak memory (maxRSS) is the
 * training's alone. argv: home, config file, test file ('-' for none), data files...
 * Prints one JSON line with the result.
 */
import { loadTrainingConfig, trainFromConfig } from '@mailroute/training';

const [home, configFile, testFile, ...data] = process.argv.slice(2);
const started = performance.now();
const result = await trainFromConfig({
  config: await loadTrainingConfig(configFile),
  dataPath: data,
  ...(testFile !== '-' ? { testDataPath: testFile } : {}),
  home,
});
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    modelId: result.modelId,
    runId: result.runId,
    artifactDir: result.artifactDir,
    metrics: result.metrics,
    counts: result.counts,
    trainingSeconds: result.trainingSeconds,
    wallSeconds: (performance.now() - started) / 1000,
    maxRssMiB: usage.maxRSS / 1024,
  })}\n`,
);
