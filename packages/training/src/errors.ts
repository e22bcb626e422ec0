/** Why a file could not be read, in words, not the raw `ENOENT: no such file or directory, open '…'`. */
export function readProblem(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'a directory, not a file';
  if (code === 'ENOTDIR') return 'a file stands where a folder is in its path';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}

/** A row or file of a training export that cannot be read; the message names file, line and column. */
export class DatasetError extends Error {
  readonly code: 'DATASET_ROW_INVALID' | 'DATASET_FILE_INVALID' | 'DATASET_EMPTY' | 'DATASET_TOO_SMALL' | 'DATASET_MISMATCH';
  /** Every problem found, one line each (the message lists the first few). */
  readonly problems: string[];
  /** A CSV whose header has the wanted columns when split by another delimiter than the configured one: that delimiter. */
  readonly delimiter?: string;
  /** Why a file cannot be read as the config wants: it lacks a column the config names, or it is not CSV (JSON named .csv). */
  readonly reason?: 'lacks-columns' | 'not-csv';
  constructor(code: DatasetError['code'], message: string, problems: string[] = [], options?: { cause?: unknown; delimiter?: string; reason?: DatasetError['reason'] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatasetError';
    this.code = code;
    this.problems = problems;
    if (options?.delimiter !== undefined) this.delimiter = options.delimiter;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

/** A training config that does not parse or contradicts itself. */
export class TrainingConfigError extends Error {
  readonly code = 'TRAINING_CONFIG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrainingConfigError';
  }
}

/** A split that cannot be made from the data (e.g. a share leaves the training side empty). */
export class SplitError extends Error {
  readonly code = 'SPLIT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'SplitError';
  }
}

/**
 * A file training writes that the file system refused (a full disk, a read-only folder): the run's record under
 * MAILROUTE_HOME, or the model in the temporary folder (TMPDIR) where it is made before it is registered. The message
 * names the file, whose folder it is and what to do.
 */
export class TrainingWriteError extends Error {
  readonly code = 'TRAINING_WRITE_FAILED';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'TrainingWriteError';
  }
}

/** A run record that is there but damaged (not JSON, or not a run record). */
export class RunRecordError extends Error {
  readonly code = 'RUN_RECORD_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunRecordError';
  }
}

/** A run record that is missing or unreadable. */
export class RunNotFoundError extends Error {
  readonly code = 'RUN_NOT_FOUND';
  /** `dir`: the runs folder looked in; `near`: ids there that a shortened or mistyped one may have meant. */
  /** `reason`: why the id names no run there at all (said in place of the near ids). */
  constructor(runId: string, dir: string, options?: { cause?: unknown; near?: readonly string[]; reason?: string }) {
    const near = options?.near ?? [];
    const hint = options?.reason ?? (near.length > 0 ? `did you mean ${near.slice(0, 3).join(' or ')}?` : 'mailroute runs list shows the ids');
    super(`no run "${runId}" in ${dir}; ${hint}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RunNotFoundError';
  }
}
