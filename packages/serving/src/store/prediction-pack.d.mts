import type { PredictionRecord } from './types.js';

export interface PredictionPack {
  /** Every distinct string of the pack, joined. */
  text: string;
  /** Length of each string in `text`, in order. */
  lengths: Uint32Array<ArrayBuffer>;
  /** Per record: string indexes and numbers (see prediction-pack.mjs). */
  nums: Float64Array<ArrayBuffer>;
}

export interface PredictionPacker {
  readonly size: number;
  add(records: readonly PredictionRecord[]): void;
  take(): PredictionPack;
}

export function createPredictionPacker(): PredictionPacker;
export function createPredictionUnpacker(pack: PredictionPack): { next(): PredictionRecord };

/** Throws a TypeError unless every value of the records has its type. */
export function checkPredictionRecords(records: readonly PredictionRecord[]): void;
