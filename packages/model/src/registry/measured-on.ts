import { z } from 'zod';

/** How a model's test metrics were measured, as its manifest and run record tell it. */
export interface MeasuredOnFacts {
  /** `held-out-split`, `external-file` or `validation-split` (the manifest's `training.testedOn`). */
  testedOn?: string;
  /** The separate test file's name, for `external-file`. */
  testFile?: string;
  /** For `external-file`: how many of its rows repeat a training text, and how many rows it has (the figure then flatters). */
  testSeenInTraining?: number;
  testRows?: number;
  /** The training config's split, to tell held-out rows of one data apart. */
  split?: { kind?: string; seed?: number; testShare?: number; validShare?: number };
}

const HELD_OUT_SPLIT = 'held-out test split';

/**
 * Which rows the metrics come from, in words (`held-out test split (seed 0, 0.2)`, `validation split`,
 * `test file x.csv`); undefined when unknown. Figures measured on different rows do not compare.
 */
export function describeMeasuredOn(facts: MeasuredOnFacts): string | undefined {
  if (facts.testedOn === 'external-file') {
    const seen = facts.testSeenInTraining ?? 0;
    return `test file ${facts.testFile ?? '?'}${seen > 0 ? ` (${seen}${facts.testRows === undefined ? '' : ` of ${facts.testRows}`} rows seen in training)` : ''}`;
  }
  const split = facts.split;
  // The share of the rows measured on: the test share, or for a validation split its own share.
  const share = facts.testedOn === 'validation-split' ? split?.validShare : split?.testShare;
  const detail = split?.kind === 'time' ? `time, ${share ?? '?'}` : split?.seed === undefined ? '' : `seed ${split.seed}, ${share ?? '?'}`;
  const suffix = detail ? ` (${detail})` : '';
  if (facts.testedOn === 'held-out-split') return `${HELD_OUT_SPLIT}${suffix}`;
  if (facts.testedOn === 'validation-split') return `validation split${suffix}`;
  return undefined;
}

/**
 * Whether a version's `measuredOn` says it held out test rows of its training data: only then can it be
 * evaluated or compared with `--split test` (a model trained with `testShare: 0`, or tested on a separate file
 * with `--test-data`, held none out of --data; nor does one that does not record how it was tested).
 */
export function heldOutTestRows(measuredOn: string | undefined): boolean {
  return measuredOn?.startsWith(HELD_OUT_SPLIT) ?? false;
}

/** The manifest fields that say which rows the metrics come from (loose: other fields pass, bad ones drop). */
export const ManifestTestFactsSchema = z.object({
  training: z
    .looseObject({ testedOn: z.string().optional(), testFile: z.string().optional(), testSeenInTraining: z.number().optional().catch(undefined), testRows: z.number().optional().catch(undefined) })
    .optional()
    .catch(undefined),
  trainingConfig: z
    .looseObject({ split: z.looseObject({ kind: z.string().optional(), seed: z.number().optional(), testShare: z.number().optional(), validShare: z.number().optional() }).optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

/** `{ measuredOn }` from a manifest's test facts, or nothing when it records none. */
export function measuredOnOfManifest(head: z.infer<typeof ManifestTestFactsSchema>): { measuredOn?: string } {
  const split = head.trainingConfig?.split;
  const measuredOn = describeMeasuredOn({ ...head.training, ...(split ? { split } : {}) });
  return measuredOn === undefined ? {} : { measuredOn };
}
