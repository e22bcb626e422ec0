/**
 * Text for the terminal from values the CLI did not write itself (email ids, prediction ids, labels and
 * keys from data files, model ids, messages that quote them): a control character in them (ESC starting
 * an ANSI sequence that recolours, moves the cursor, rewrites the window title or the clipboard; a carriage
 * return that overwrites the line) would act on the terminal. Each C0 control, DEL and each C1 control
 * becomes a visible escape (`\x1b`), as JSON or a shell would show it. JSON written to files is left alone.
 * Records printed as JSON (`runs show`, `registry show`) go through safeJson: JSON.stringify escapes C0
 * controls but leaves DEL and C1 controls (U+009B, a one-character CSI) raw.
 */
// eslint-disable-next-line no-control-regex -- control characters are what is replaced
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- the same, line feed and tab kept
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const visible = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** One value (an id, a label): every control character escaped, line breaks and tabs too. */
export function safeValue(value: string): string {
  return value.replace(CONTROL, visible);
}

/** A message of the CLI's own lines that quotes values: control characters escaped, its line feeds and tabs kept. */
export function safeLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, visible);
}

const UNESCAPED_BY_JSON = /[\u007f-\u009f]/g;

/** `value` as indented JSON for the terminal: DEL and C1 controls written `\u009b`, so it parses to the same value. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNESCAPED_BY_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
