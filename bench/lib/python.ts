/**
 * The one way the benchmark finds the Python of its scikit-learn references (bench/sklearn_reference.py for
 * training, packages/evaluation/fixtures/sklearn-live.py for evaluation): Debian's /usr/bin/python3, else
 * `python3` on PATH, the first that imports sklearn.
 */
import { spawnSync } from 'node:child_process';

export const PYTHON_CANDIDATES: readonly string[] = ['/usr/bin/python3', 'python3'];

/** Whether `python` runs and imports sklearn. */
function importsSklearn(python: string): boolean {
  return spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
}

/** The first candidate that imports sklearn, or undefined when none does. */
export function findPython(candidates: readonly string[] = PYTHON_CANDIDATES, works: (python: string) => boolean = importsSklearn): string | undefined {
  return candidates.find(works);
}

let found: { python: string | undefined } | undefined;

/** findPython() with the default candidates, asked once per process. */
export function sklearnPython(): string | undefined {
  found ??= { python: findPython() };
  return found.python;
}

/** The note of a section or figure without the reference: plain about what is missing and how to get it. */
export const SKLEARN_ABSENT = 'The scikit-learn reference is ABSENT: no Python with sklearn (tried /usr/bin/python3, then python3 on PATH); `apt-get install -y python3-sklearn` to get it.';
