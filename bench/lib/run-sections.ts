/** The loop of bench/run.ts: runs sections, says their notes, writes the results of those that measured something. */
import { writeSection, type SectionResult } from './report.js';

export type Section = () => Promise<SectionResult>;

/**
 * The exit code of a run in which every section asked for was skipped (nothing measured, nothing written): not 1,
 * which is Node's for a section that threw, nor 2, bench/run.ts's for a usage error or a setting out of range.
 */
export const ALL_SKIPPED_EXIT_CODE = 3;

export interface RunIo {
  log: (line: string) => void;
  write: (result: SectionResult) => string[];
}

/**
 * Runs `sections` in order. Every note of every section is said on the console (a missing reference or data set
 * is not only in the files). A skipped section writes nothing: the results of an earlier run stay as they were.
 * Returns the exit code: ALL_SKIPPED_EXIT_CODE when every section was skipped, else 0.
 */
export async function runSections(sections: ReadonlyArray<readonly [string, Section]>, io: RunIo = { log: (line) => console.error(line), write: (r) => writeSection(r) }): Promise<number> {
  const skipped: string[] = [];
  for (const [name, run] of sections) {
    io.log(`bench: ${name} ...`);
    const result = await run();
    for (const note of result.notes) io.log(`bench: ${name}: ${note}`);
    if (result.skipped !== undefined) {
      skipped.push(name);
      io.log(`bench: ${name}: SKIPPED, wrote nothing (earlier results of ${name}, if any, are kept)`);
      continue;
    }
    for (const file of io.write(result)) io.log(`bench: wrote ${file}`);
  }
  if (sections.length > 0 && skipped.length === sections.length) {
    io.log(`bench: every section asked for was skipped (${skipped.join(', ')}): nothing was measured`);
    return ALL_SKIPPED_EXIT_CODE;
  }
  if (skipped.length > 0) io.log(`bench: skipped ${skipped.join(', ')} (see above); the other sections were measured`);
  return 0;
}
