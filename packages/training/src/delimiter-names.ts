/** Delimiters people write by name, or as the escape `\t` typed as two characters: the character each means. */
const NAMED: Readonly<Record<string, string>> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t', pipe: '|', space: ' ' };

/** The delimiter a name (`semicolon`, `Tab`) or the two characters `\t` stand for; undefined for anything else. */
export function namedDelimiter(value: string): string | undefined {
  const name = value.trim().toLowerCase();
  return Object.hasOwn(NAMED, name) ? NAMED[name] : undefined;
}

/** Why a configured delimiter is not one: one character is wanted; a name is answered with its character. */
export function delimiterMessage(value: unknown): string {
  const meant = typeof value === 'string' ? namedDelimiter(value) : undefined;
  const write = meant === undefined ? '' : `: write ${JSON.stringify(meant)}`;
  return `one character, such as ";" or "\\t" (a tab)${typeof value === 'string' ? `, not ${JSON.stringify(value)}${write}` : ''}`;
}
