import { gitCommit, gitDirty } from '@mailroute/training';
import cliPackage from '../package.json' with { type: 'json' };

/**
 * Which build of mailroute runs: the package version alone says `0.1.0` for every build, so a home (a backup, a
 * migrated database) could not be traced to the code that wrote it. Run from a git checkout, the commit says it.
 */
export interface BuildVersion {
  version: string;
  /** The full hash of the checkout's commit; undefined outside a git checkout (an install without .git, the container). */
  commit?: string;
  /** Tracked files differ from that commit: the code is not quite that commit's. */
  dirty?: boolean;
}

/**
 * The build that runs, asking git where the code is (not where the command is run), as a training run records its
 * commit (the same helpers). Nothing fails without git or outside a checkout: no commit then. Two short git calls, so
 * made only when asked (`--version`, `backup`), not at every start. `checkout` moves the question, for tests.
 */
export function buildVersion(checkout?: string): BuildVersion {
  const commit = gitCommit(checkout);
  if (commit === null) return { version: cliPackage.version };
  return { version: cliPackage.version, commit, ...(gitDirty(checkout) === true ? { dirty: true } : {}) };
}

/** Characters of the commit shown, as `mailroute runs` shows a run's commit: the two can be matched by eye. */
const SHOWN_COMMIT = 12;

/** The commit as one word: the full hash (`short`: its first characters), `-dirty` added when tracked files changed. */
export function commitText(build: BuildVersion, short = false): string | undefined {
  if (build.commit === undefined) return undefined;
  return `${short ? build.commit.slice(0, SHOWN_COMMIT) : build.commit}${build.dirty === true ? '-dirty' : ''}`;
}

/** What `--version` prints: `0.1.0 (commit 1a2b3c4d5e6f)`, `-dirty` after the hash when tracked files changed; `0.1.0` outside git. */
export function versionText(build: BuildVersion): string {
  const commit = commitText(build, true);
  return commit === undefined ? build.version : `${build.version} (commit ${commit})`;
}
