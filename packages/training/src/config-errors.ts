/** Helpers that make config errors point at the mistake: where JSON breaks, what a misspelt key meant. */
import { closestKey } from '@mailroute/model';

class JsonStop {
  constructor(readonly offset: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The offset of the first character where `text` stops being JSON, or undefined when it parses.
 * Only used after `JSON.parse` failed, to say where (V8's messages often give no position).
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) throw new JsonStop(i);
    i++;
  };
  const string = () => {
    expect('"');
    while (i < text.length) {
      const c = text[i];
      if (c === '"') return void i++;
      if (c === '\\') i += 2;
      else if (c < ' ') throw new JsonStop(i);
      else i++;
    }
    throw new JsonStop(text.length);
  };
  const list = (close: string, item: () => void) => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      ws();
      item();
      ws();
      if (text[i] === close) return void i++;
      expect(',');
      ws();
      if (text[i] === close) throw new JsonStop(i); // a trailing comma
    }
  };
  const value = (): void => {
    const c = text[i];
    if (c === '{') {
      list('}', () => {
        string();
        ws();
        expect(':');
        ws();
        value();
      });
    } else if (c === '[') list(']', value);
    else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) throw new JsonStop(i);
      i = NUMBER.lastIndex;
    } else {
      const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (!word) throw new JsonStop(i);
      i += word.length;
    }
  };
  try {
    ws();
    value();
    ws();
    if (i < text.length) throw new JsonStop(i);
    return undefined;
  } catch (stop) {
    if (stop instanceof JsonStop) return Math.min(stop.offset, text.length);
    throw stop;
  }
}

/** `:line:column` (1-based) of the first JSON error in `text`, or '' when none is found. */
export function jsonErrorPlace(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return '';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `:${line}:${column}`;
}

/** `unknown key "taks" (did you mean "tasks"?)`, for each key. */
export function unknownKeyMessage(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      // A key known elsewhere but not here (`on` in a time split) suggests nothing.
      const guess = closestKey(key, known.filter((k) => k !== key));
      return `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
    })
    .join(', ');
}

/** The one name that starts with `value` (an abbreviation: `prio` for `priority`), case ignored. */
function onlyStartingWith(value: string, names: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const starting = lower.length >= 2 ? names.filter((n) => n.toLowerCase().startsWith(lower)) : [];
  return starting.length === 1 ? starting[0] : undefined;
}

/** At most this many names are listed in a hint; more are counted. */
const LISTED_NAMES = 12;

/**
 * `(did you mean "low"? labels: low, normal, high)`: the close name if there is one, then the names when
 * few (else how many), so a typo or a wrong case is fixed without opening the config. `what`: `labels`, `tasks`.
 */
export function choicesHint(value: string, names: readonly string[], what: string): string {
  const guess = closestKey(value, names) ?? onlyStartingWith(value, names);
  const list = names.length <= LISTED_NAMES ? `${what}: ${names.join(', ')}` : `${names.length} ${what}`;
  return `(${guess === undefined ? '' : `did you mean "${guess}"? `}${list})`;
}
