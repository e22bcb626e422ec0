import { z } from 'zod';
import type { ModelStatus } from '../contracts.js';
import { RegistryError } from './errors.js';

/**
 * The outcome of `mailroute compare`'s gate, kept on the challenger's registry version: what `approve`
 * checks before a person makes it the champion. Metadata only: the artifact and its hashes stay as registered.
 */
// Loose, as the registry's index (local-registry.ts): a newer mailroute's fields survive this one's writes.
export const GateRecordSchema = z.looseObject({
  pass: z.boolean(),
  /** The id of the model the challenger was compared against (the champion then). */
  champion: z.string().min(1),
  /** The checks that failed, each `name: detail` and short (empty when the gate passed). */
  failed: z.array(z.string()),
  /** The policy's thresholds (`maxMacroF1DropPoints`, ...), as the gate applied them. */
  thresholds: z.record(z.string(), z.union([z.number(), z.boolean(), z.array(z.string())])),
  at: z.string(),
  /**
   * What the figures the gate judged are to be read with, as compare warned of them while predicting, each
   * short: above all, rows of the comparison data that repeat texts a model was trained on (its figures on
   * them flatter it). Absent when there was nothing to say, and on gates recorded before this field: an
   * optional field, so records with and without it read alike (`schemaVersion` stays 1).
   */
  warnings: z.array(z.string()).optional(),
  /**
   * What the gate was measured on: the files as given (`--data`, or the two prediction files), the sha256 of their bytes
   * in that order, `--split test` when only the models' held-out rows were read, and the emails compared. Absent on
   * gates recorded before it was kept. An audit reads it beside each decision's copy of the gate: a pass measured on
   * other emails than the model's held-out rows or an independent file shows as such.
   */
  data: z.object({ files: z.array(z.string()), sha256: z.string(), split: z.literal('test').optional(), emails: z.number().int().nonnegative() }).optional(),
});
export type GateRecord = z.infer<typeof GateRecordSchema>;

/**
 * Where a version's recorded gate stands for an approval now: none recorded; failed; passed but against a
 * model that is no longer the champion while the version still awaits its decision (stale); or passed.
 */
export type GateStanding = 'none' | 'failed' | 'stale' | 'passed';

/**
 * The standing of `version`'s gate (the one place list, show and approve judge it), `championId` being the
 * champion it is judged against. A pass is stale only for a version that awaits a decision: not the champion
 * and not Approved. Once the version is the champion, or Approved, the gate was the evidence of that decision:
 * that the champion it beat has since been replaced (by this very version, often) makes nothing to redo. To
 * judge an approval being made, pass the version as it stood before it (its status then, the champion then).
 */
export function gateStanding(version: { id: string; status: ModelStatus; gate?: GateRecord }, championId: string | undefined): GateStanding {
  const { gate } = version;
  if (!gate) return 'none';
  if (!gate.pass) return 'failed';
  const decided = version.id === championId || version.status === 'Approved';
  return gate.champion === championId || decided ? 'passed' : 'stale';
}

/** The failed checks in one line (`a; b; and 2 more`), for an error message or a decision note. */
export function failedChecksLine(gate: GateRecord, max = 3): string {
  const shown = gate.failed.slice(0, max).join('; ');
  return gate.failed.length > max ? `${shown}; and ${gate.failed.length - max} more` : shown;
}

/** `against <champion> at <time>: <failed checks>`. */
function gateLine(gate: GateRecord): string {
  return `against ${gate.champion} at ${gate.at}: ${failedChecksLine(gate)}`;
}

/** What `approve` refuses a version whose last gate failed with (every registry that keeps gates: one code, one message). */
export function gateFailedError(id: string, gate: GateRecord): RegistryError {
  return new RegistryError('REGISTRY_GATE_FAILED', `model "${id}" failed its gate ${gateLine(gate)}; run the comparison again, or pass force to approve it anyway`);
}

/**
 * What `recordGate` refuses a version that is no longer awaiting its decision with (every registry: one code, one
 * message): an Approved or Rejected version's gate is the one that decision was made on, and a later compare (on
 * other data, against another champion) must not replace it. `version` as the registry holds it.
 */
export function gateDecidedError(version: { id: string; status: ModelStatus; statusChangedAt?: string; statusChangedBy?: string }): RegistryError {
  const when = decidedBy(version);
  return new RegistryError(
    'REGISTRY_DECIDED',
    `model "${version.id}" is ${version.status}${when ? ` (${when})` : ''}: a gate is recorded only on a version awaiting its decision, so the gate on record, on which that decision was made, stays as it was`,
  );
}

/**
 * Who made a version's last status change and when, as said in messages: `by ann at 2026-12-01T09:00:00.000Z`, the
 * parts it has ('' with neither); `name` shows the decider's name (a code span in Markdown).
 */
export function decidedBy(version: { statusChangedAt?: string; statusChangedBy?: string }, name: (by: string) => string = (by) => by): string {
  return [version.statusChangedBy && `by ${name(version.statusChangedBy)}`, version.statusChangedAt && `at ${version.statusChangedAt}`].filter(Boolean).join(' ');
}

/**
 * What the decision's note says when `approve` with force undoes a rejection: who rejected it and when (their note
 * stays in the history's Rejected entry), so the approval says on its own that it overrode a decision.
 */
export function rejectionOverrideNote(version: { statusChangedAt?: string; statusChangedBy?: string }): string {
  const who = decidedBy(version);
  return `approved with force over a rejection${who ? ` ${who}` : ''}`;
}

/** What the decision's note says when `approve` with force overrides a failed gate. */
export function gateOverrideNote(gate: GateRecord): string {
  return `approved with force over a failed gate (${gateLine(gate)})`;
}
