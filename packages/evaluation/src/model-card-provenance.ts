import type { ModelStatus } from '@mailroute/model';
import { cell, codeSpan as code } from './markdown.js';

/**
 * The model's registry record as read when the card was written: its status changes after (an approval, a
 * rejection, a new champion), so the card says when it read it and that the registry is the source of truth.
 */
export interface RegistryStanding {
  version: number;
  status: ModelStatus;
  /** When it was registered (the version's `createdAt`). */
  registeredAt: string;
  /** Who made the last approval or rejection, and when (the version's `statusChangedBy`, `statusChangedAt`); absent when not recorded. */
  decidedBy?: string;
  decidedAt?: string;
  /** Whether it was the champion (the model servers route with) when read. */
  champion: boolean;
  /** When the registry was read. */
  readAt: string;
}

/**
 * Why the card says nothing of a registry status: the model was given as a directory (not by its registry id),
 * the card was made from prediction lines (no model was loaded), or the registry lists no version of its id.
 */
export type UnreadStanding = 'directory' | 'prediction-lines' | 'not-registered';

/**
 * Where a model comes from and where it stands, so that its card can be traced back: the run that trained it,
 * the code it was trained with, and its registry status. Each fact is given only as recorded; the card says
 * what is absent is not recorded, and never fills it in.
 */
export interface ModelProvenance {
  /** The training run (`<MAILROUTE_HOME>/runs/<runId>`), as the registry's version names it; absent: not recorded. */
  runId?: string;
  /** The commit of the mailroute checkout the run trained with (its run record's); null: trained outside a git checkout; absent: no run record read. */
  gitCommit?: string | null;
  /** Whether that checkout had uncommitted changes to tracked files when the run started; absent: not recorded. */
  gitDirty?: boolean;
  registry: RegistryStanding | { unread: UnreadStanding };
}

const UNREAD: Record<UnreadStanding, string> = {
  directory: 'the model was given as a directory, not by its registry id (`mailroute evaluate --model <id>` reads it)',
  'prediction-lines': 'this card was made from prediction lines, not from a model (`mailroute evaluate --model <id> --data <file>` reads it)',
  'not-registered': 'the registry under `MAILROUTE_HOME` lists no version of this model',
};

/** ` by <who> at <when>` of the last decision, each part said as not recorded when it is not; `: not yet ...` while it awaits one. */
function decision(s: RegistryStanding): string {
  if (s.status === 'PendingManualApproval') return ': not yet approved or rejected by anyone';
  const by = s.decidedBy === undefined ? undefined : `by ${code(s.decidedBy)}`;
  const at = s.decidedAt === undefined ? undefined : `at ${cell(s.decidedAt)}`;
  if (by !== undefined && at !== undefined) return ` ${by} ${at}`;
  if (by === undefined && at === undefined) return ' (by whom and when not recorded)';
  return by !== undefined ? ` ${by} (when not recorded)` : ` ${at} (by whom not recorded)`;
}

/** The line under the card's title: the registry status as read, and that it can change (`modelId`: the command that shows it now). */
export function registryStatusLine(p: ModelProvenance, modelId = '<id>'): string {
  if ('unread' in p.registry) return `Registry status: not read: ${UNREAD[p.registry.unread]}.`;
  const s = p.registry;
  const standing = `**${s.status}**${decision(s)} (version ${s.version}, registered ${cell(s.registeredAt)}); ${s.champion ? '**the champion**' : 'not the champion'}`;
  return `Registry status when this card was written (${cell(s.readAt)}): ${standing}. The status can change: the registry is the source of truth (${code(`mailroute registry show ${modelId}`)}).`;
}

/** The Data section's lines on the training run and the code it ran, each said as not recorded when it is not. */
export function provenanceLines(p: ModelProvenance): string[] {
  if ('unread' in p.registry && p.registry.unread === 'prediction-lines') return ['- Training run and code: not known (prediction lines name no run).'];
  const run = p.runId === undefined ? 'not recorded' : `${code(p.runId)} (${code(`mailroute runs show ${p.runId}`)})`;
  return [`- Training run: ${run}.`, `- Code: ${codeLine(p)}.`];
}

function codeLine(p: ModelProvenance): string {
  if (p.gitCommit === null) return 'commit not recorded: trained outside a git checkout';
  if (p.gitCommit === undefined) return p.runId === undefined ? 'commit not recorded (no training run recorded)' : 'commit not recorded (the run\'s record could not be read)';
  const dirty = p.gitDirty === undefined ? '; whether it had uncommitted changes is not recorded' : p.gitDirty ? ', **with uncommitted changes to tracked files**: the commit alone is not the code that trained it' : '';
  return `mailroute commit ${code(p.gitCommit)}${dirty}`;
}
