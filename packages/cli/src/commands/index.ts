import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerClean } from './clean.js';
import { registerEvaluate } from './evaluate.js';
import { registerCompare } from './compare.js';
import { registerTrain } from './train.js';
import { registerPredict } from './predict.js';
import { registerRegistry } from './registry.js';
import { registerRuns } from './runs.js';
import { registerFeedback } from './feedback.js';
import { registerDemoData } from './demo-data.js';
import { registerServe } from './serve.js';
import { registerStart } from './start.js';
import { registerBackup } from './backup.js';
import { registerRestore } from './restore.js';

export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/** Every subcommand, in the order `mailroute --help` lists them. */
export const commands: RegisterCommand[] = [
  registerStart,
  registerClean,
  registerDemoData,
  registerTrain,
  registerPredict,
  registerEvaluate,
  registerCompare,
  registerRegistry,
  registerRuns,
  registerServe,
  registerFeedback,
  registerBackup,
  registerRestore,
];
