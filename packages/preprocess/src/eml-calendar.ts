/**
 * The text of a calendar invitation (`text/calendar`, RFC 5545): its event's SUMMARY and DESCRIPTION. A message
 * that is only an invitation has no other text, and what the writer wrote is in those two; the rest of the
 * source (ids, times, attendees, time zones) is no text to read.
 */

/** A content line folded onto the next (RFC 5545 3.1): a line break and one blank, both taken out. */
const FOLD = /\r?\n[ \t]/g;
/** Escaped characters in a TEXT value (RFC 5545 3.3.11): `\n` or `\N` a line break, `\\`, `\,` and `\;` the character. */
const ESCAPED = /\\([nN\\,;])/g;
/** The properties read, in the order of the text. */
const READ = ['SUMMARY', 'DESCRIPTION'] as const;

function unescapeText(value: string): string {
  return value.replace(ESCAPED, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** A content line's name (upper-cased) and value: the value starts at the first colon outside a quoted parameter value. */
function contentLine(line: string): { name: string; value: string } | undefined {
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return { name: line.slice(0, i).split(';', 1)[0].trim().toUpperCase(), value: line.slice(i + 1) };
  }
  return undefined;
}

/**
 * The SUMMARY and DESCRIPTION of the invitation's first event that has either (lines unfolded, text unescaped),
 * a blank line between them; undefined when it has neither. A component inside the event (an alarm's own
 * DESCRIPTION, `Reminder`) is not the event's.
 */
export function invitationText(source: string): string | undefined {
  const open: string[] = [];
  const found = new Map<string, string>();
  for (const line of source.replace(FOLD, '').split(/\r?\n/)) {
    const property = contentLine(line);
    if (property === undefined) continue;
    if (property.name === 'BEGIN') open.push(property.value.trim().toUpperCase());
    else if (property.name === 'END') {
      if (open.pop() === 'VEVENT' && found.size > 0) break;
    } else if (open.at(-1) === 'VEVENT' && (READ as readonly string[]).includes(property.name) && !found.has(property.name)) {
      found.set(property.name, unescapeText(property.value).trim());
    }
  }
  const parts = READ.map((name) => found.get(name) ?? '').filter((text) => text !== '');
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}
