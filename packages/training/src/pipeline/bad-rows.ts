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
