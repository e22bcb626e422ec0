import { repeatedIds, repeatedIdsText } from '@mailroute/evaluation';

/**
 * `3 bad row(s) skipped (4 problems): export.csv lines 1847, 1903, 2010; first: ...`: rows, not problems (a
 * row may have several), the first few places by file, and the first problem. `what` says what became of
 * them beyond being skipped (`skipped, not predicted`).
 */
export function badRowsWarning(places: readonly string[], problems: readonly string[], options: { what?: string; shown?: number } = {}): string {
  const shown = options.shown ?? 5;
  const byFile = new Map<string, string[]>();
  for (const place of places.slice(0, shown)) {
    const at = place.lastIndexOf(':');
    const file = place.slice(0, at);
    byFile.set(file, [...(byFile.get(file) ?? []), place.slice(at + 1)]);
  }
  const where = [...byFile].map(([file, lines]) => `${file} line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`).join('; ');
  const more = places.length > shown ? ` and ${places.length - shown} more` : '';
  const counted = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `${places.length} bad row(s) ${options.what ?? 'skipped'} (${counted}): ${where}${more}; first: ${problems[0]}`;
}

/**
 * The warning for ids that several rows carry, counted and the first named with their places (`2 ids (crm-1 at
 * a.csv:2 and b.csv:5; …)`), or undefined when none does. Copies of one email whose texts differ (a CRM export and a
 * feedback export, masked) are not one duplicate to the split, which may put one on each side.
 */
export function repeatedIdsWarning(rows: ReadonlyArray<{ id: string; file: string; line: number }>): string | undefined {
  const repeats = repeatedIds(rows.map((r) => r.id));
  if (repeats.size === 0) return undefined;
  const rowsCarrying = [...repeats.values()].reduce((n, at) => n + at.length, 0);
  return `${repeatedIdsText(repeats, (i) => `${rows[i].file}:${rows[i].line}`)} are carried by several rows, ${rowsCarrying} rows in all (the same export twice, or an export and a feedback export of the same emails?): copies whose texts differ can fall on both sides of the split, which flatters the held-out figures`;
}
