import type { ModelStatus } from '@mailroute/model';
import { cell, codeSpan as code } from './markdown.js';
import { headUnits } from './text-cut.js';

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
  /**
   * What the training run read, from its record: the names of its data files (no folders: a path on the trainer's
   * machine says nothing elsewhere) and its config's `description`; absent: no run record read.
   */
  trainingData?: { files: readonly string[]; description?: string };
  registry: RegistryStanding | { unread: UnreadStanding };
}

/** What the card knows a model was trained on: the training files' names and the training config's description. */
export interface TrainedOn {
  files: readonly string[];
  description?: string;
}

/** The description's length the Data section gives; the rest is in the training config. */
const DESCRIPTION_SHOWN = 600;
/** The description's first sentence the intended use quotes, at most this long. */
const DESCRIPTION_HEAD = 160;

/** `s` cut to `max` characters at a blank, with `…`, when longer. */
function cut(s: string, max: number): string {
  const t = s.trim();
  if (t.length <= max) return t;
  const head = headUnits(t, max - 1);
  const blank = head.lastIndexOf(' ');
  return `${(blank > max / 2 ? head.slice(0, blank) : head).trimEnd()}…`;
}

/**
 * What the model was trained on, as far as it is recorded: the manifest's description of its training config
 * (`description`), else the run record's, and the run's data files. Nothing known: no files, no description.
 */
export function trainedOn(provenance: Pick<ModelProvenance, 'trainingData'> | undefined, description?: string): TrainedOn {
  const said = [description, provenance?.trainingData?.description].find((d) => d !== undefined && d.trim() !== '');
  return { files: provenance?.trainingData?.files ?? [], ...(said === undefined ? {} : { description: said }) };
}

/**
 * The intended use's sentences on the mail the model suits, from what it was trained on (its config's description,
 * its first sentence quoted; its data files), not from what mailroute is made for: a model trained on other mail
 * (support tickets, a public data set) must not read as one for a bank's customer emails. `modelId`: for the command.
 */
export function suitedMailSentences(on: TrainedOn, modelId = '<id>'): string {
  const suits = `It suits mail like its training data: mailroute is made to route a bank's or broker's customer emails, but this model routes those only as well as its training data lets it, so measure it on mail like yours (${code(`mailroute evaluate --model ${modelId} --data <file>`)}) before it routes any.`;
  const files = on.files.map(code).join(', ');
  if (on.description !== undefined) {
    const first = on.description.trim().split(/(?<=[.;])\s/)[0].replace(/[.;]$/, '');
    const where = files === '' ? '' : ' (its files are under Data)';
    return `What it was trained on, in its training config's description: “${cell(cut(first, DESCRIPTION_HEAD))}”${where}. ${suits}`;
  }
  if (files !== '') return `It was trained on ${files} (its training run's data files; its training config has no description). ${suits}`;
  return `What it was trained on is not recorded here (no training config's description or data files were read): the figures below say how it does on the test set under Data. ${suits}`;
}

/** The Data section's lines on what the model was trained on: its files and its config's description (cut), each only when known. */
export function trainedOnLines(on: TrainedOn): string[] {
  const out: string[] = [];
  if (on.files.length > 0) out.push(`- Training data files: ${on.files.map(code).join(', ')} (as its training run read them).`);
  if (on.description !== undefined) {
    const shown = cut(on.description, DESCRIPTION_SHOWN);
    const rest = shown !== on.description.trim() ? ' (cut: the whole is the `description` of the training config in its manifest.json)' : '';
    // Its own full stop is the line's.
    out.push(`- Training config's description: ${cell(shown).replace(/\.$/, '')}${rest}.`);
  }
  return out;
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
