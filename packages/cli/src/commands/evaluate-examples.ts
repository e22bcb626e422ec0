import { exampleExcerpt, mistakeExamplesMarkdown, type EvaluationReport, type PredictionLine } from '@mailroute/evaluation';
import { modelTextReader, type Manifest } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { maskPii, storedText } from '@mailroute/serving';

/**
 * `mistakes.md` for `evaluate --model --examples n`: up to `perPair` emails of each most confused pair, each shown as
 * the model read it (the fields its config reads, cleaned) and masked as a server's `--store-text` masks what it keeps
 * (names found by their cues and the sender's, addresses, IBANs, numbers). `ids` and `emails`: the rows predicted, in order.
 */
export function mistakesFile(
  report: EvaluationReport,
  lines: readonly PredictionLine[],
  rows: { ids: readonly string[]; emails: readonly Email[] },
  manifest: Manifest,
  perPair: number,
): string {
  const byId = new Map<string, Email>();
  rows.ids.forEach((id, i) => {
    if (!byId.has(id)) byId.set(id, rows.emails[i]);
  });
  const modelText = modelTextReader(manifest);
  const excerpt = (id: string): string | undefined => {
    const email = byId.get(id);
    if (email === undefined) return undefined;
    const { text, knownNames } = storedText(email, modelText);
    return exampleExcerpt(maskPii(text, knownNames));
  };
  return mistakeExamplesMarkdown(report, lines, excerpt, perPair);
}
