import type { EvaluationReport } from './evaluate.js';
import { cell, codeSpan } from './markdown.js';
import type { PredictionLine } from './prediction-line.js';
import { EXAMPLES_FILE, shownConfusedPairs } from './report-text.js';
import { headUnits } from './text-cut.js';

export { EXAMPLES_FILE };

/** The most examples of one pair: the file is read, not searched. */
export const MAX_EXAMPLES_PER_PAIR = 10;

/**
 * `mistakes.md`: per task, for each pair the report shows as most confused, up to `perPair` of its emails, those the
 * model was surest of first (a threshold lets them through), each with its id, the confidence, whether the task
 * abstained, and `excerpt(id)`: its text as the caller cleaned and masked it (undefined: the email is not shown).
 * What counts are the words a reader sees in them, which figures cannot show: a label two teams share, a truth
 * set wrongly, wording the model never met.
 */
export function mistakeExamplesMarkdown(report: EvaluationReport, lines: readonly PredictionLine[], excerpt: (id: string) => string | undefined, perPair: number): string {
  const title = `Example mistakes${report.modelId ? ` of ${report.modelId}` : ''}${report.dataset ? ` on ${report.dataset}` : ''}`;
  const out = [
    `# ${cell(title)}`,
    '',
    `For each pair the report lists as most confused, up to ${perPair} of its emails, those the model was surest of first (a threshold lets them through unchecked).`,
    "Each is the text the model read (quoted replies, signatures and disclaimers gone), then masked as a server's `--store-text` masks what it keeps: IBANs, card, phone and other account numbers, email and street addresses, and names where a cue marks them (a greeting, a signature, a title, `my husband`, the sender's name).",
    '',
    "> **These are customers' emails:** masked, not anonymous (a name with no such cue, in a subject say, can remain). Share this file as you would share the data.",
  ];
  for (const t of report.tasks) {
    const { pairs } = shownConfusedPairs(t);
    if (pairs.length === 0) continue;
    out.push('', `## ${cell(t.task)}`);
    for (const pair of pairs) {
      const wrong = lines
        .filter((l) => l.id !== undefined && l.truth[t.task] === pair.truth && l.prediction[t.task]?.label === pair.predicted)
        .sort((a, b) => (b.prediction[t.task]?.confidence ?? 0) - (a.prediction[t.task]?.confidence ?? 0));
      const shown = wrong.flatMap((l) => {
        const text = excerpt(l.id as string);
        return text === undefined ? [] : [{ line: l, text }];
      }).slice(0, perPair);
      out.push('', `### ${codeSpan(pair.truth)} read as ${codeSpan(pair.predicted)} (${pair.count} email${pair.count === 1 ? '' : 's'})`, '');
      if (shown.length === 0) out.push('No text of these emails is at hand.');
      // The task that routes mail sends an email it abstains on to manual triage; another task's abstention is only flagged.
      const abstainedText = report.routing?.queueTask === t.task ? ', abstained (manual triage: a person routes it)' : ', abstained (flagged, not acted on)';
      for (const { line, text } of shown) {
        const p = line.prediction[t.task];
        const confidence = p?.confidence === undefined ? '' : `, confidence ${p.confidence.toFixed(3)}`;
        const abstained = p?.abstained === true ? abstainedText : '';
        out.push(`- ${codeSpan(line.id as string)}${confidence}${abstained}: ${cell(text)}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * An email's text as an example shows it: on one line (line breaks as ` / `), blanks folded, cut to `max`
 * characters at a word where one is near (`…` marks the cut).
 */
export function exampleExcerpt(text: string, max = 300): string {
  const flat = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' / ')
    .replace(/\s+/g, ' ');
  if (flat.length <= max) return flat;
  const cut = headUnits(flat, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.7 ? cut.slice(0, space) : cut}…`;
}
