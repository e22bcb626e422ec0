import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEml, type ParsedEml } from './eml.js';
import { EmlParseError, InputTooLargeError } from './errors.js';
import { cleanEmail } from './clean.js';
import { decodeWindows1252 } from './windows-1252.js';

/*
 * parseEml reads raw bytes a CRM posts: it must return an email or throw its own errors, never crash or hang, and it
 * must never leave transfer encoding or MIME structure in the text of a part it could decode. Messages are built from
 * a tree of parts (text in several charsets and transfer encodings, HTML, attachments, calendar invitations,
 * multiparts nested in each other, attached messages), with the text each part encodes known, then mutated.
 */

// Words of customer mail: umlauts, the euro sign and Windows-1252 quotes, and characters transfer encodings escape.
const WORDS = ['Hallo', 'Konto', 'Überweisung', 'Grüße', 'über', '50', '€', 'EUR', 'café', 'Straße', '„bitte“', '–', 'a=b', '100%', '?', '_x_', 'Frage:', 'Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen-Überweisungsformular'];
const ASCII = /^[\x20-\x7e\n]*$/;
const LATIN1 = /^[\x20-\x7e\n\u00a0-\u00ff]*$/;

const textArb = fc.array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 }).map((lines) => lines.map((l) => l.join(' ')).join('\n'));

type Charset = 'utf-8' | 'iso-8859-1' | 'windows-1252' | 'us-ascii';
type Encoding = '7bit' | '8bit' | 'base64' | 'quoted-printable';

type Part =
  | { kind: 'text'; subtype: 'plain' | 'html'; charset: Charset; encoding: Encoding; text: string; wrap: number; style: TextStyle }
  | { kind: 'file'; name: string; bytes: Uint8Array }
  | { kind: 'calendar'; summary: string }
  | { kind: 'multipart'; subtype: 'mixed' | 'alternative' | 'related'; boundary: string; quoted: boolean; folded: boolean; parts: Part[]; style: MultipartStyle }
  // RFC 2046 asks for an attached message sent as it is; gateways and some clients base64-encode it.
  | { kind: 'message'; headers: Headers; body: Part; base64: boolean };

/**
 * How a text part is written, all of it valid or what RFC 2045 asks decoders to tolerate: field names in any case or
 * with blanks before the colon, the charset label quoted, upper-case or left out (the parser reads UTF-8 then, and
 * the Windows-1252 fallback what is not), the encoding's name in upper case, quoted-printable's hex in lower case,
 * base64 with blanks, characters outside its alphabet (to be ignored) or without its padding.
 */
interface TextStyle {
  names: 'canonical' | 'lower' | 'upper' | 'spaced';
  charset: 'plain' | 'quoted' | 'upper' | 'none';
  upperEncoding: boolean;
  lowerHex: boolean;
  base64: 'clean' | 'blanks' | 'illegal' | 'unpadded';
  /** RFC 822 comments in its Content-Type (before the charset) and Content-Transfer-Encoding. */
  comments: boolean;
}

/** How a multipart is written: blanks after its delimiters (RFC 2046 allows them), a comment in its Content-Type, its boundary in RFC 2231 sections. */
interface MultipartStyle {
  padded: boolean;
  comment: boolean;
  sections: boolean;
}

interface Headers {
  subject: string;
  subjectForm: 'plain' | 'cp1252' | 'b' | 'q' | 'split';
  from: string;
  date: number;
  upper: boolean;
}

const TO_WIN1252 = new Map(Array.from({ length: 256 }, (_, b) => [decodeWindows1252(Uint8Array.of(b)), b]));

function encodeCharset(text: string, charset: Charset): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  if (charset === 'windows-1252') return Buffer.from(Array.from(text, (c) => TO_WIN1252.get(c) ?? 0x3f));
  return Buffer.from(text, 'latin1');
}

/** Charsets that can write the text (ASCII letters only for us-ascii, Latin-1 without € and curly quotes). */
function charsetsFor(text: string): Charset[] {
  if (ASCII.test(text)) return ['us-ascii', 'utf-8', 'iso-8859-1'];
  return LATIN1.test(text) ? ['utf-8', 'iso-8859-1', 'windows-1252'] : ['utf-8', 'windows-1252'];
}

/** Quoted-printable (RFC 2045 6.7): `=XX` for 8-bit bytes, `=`, and blanks before a line end, soft breaks at `width`. */
function quotedPrintable(bytes: Buffer, width: number): string {
  const lines: string[] = [];
  for (const line of bytes.toString('latin1').split('\n')) {
    let out = '';
    let column = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      const last = i === line.length - 1;
      const escape = c === 0x3d || c > 0x7e || c < 0x20 || ((c === 0x20 || c === 0x09) && last);
      const piece = escape ? `=${c.toString(16).toUpperCase().padStart(2, '0')}` : line[i];
      if (column + piece.length > width - 1) {
        out += '=\n';
        column = 0;
      }
      out += piece;
      column += piece.length;
    }
    lines.push(out);
  }
  return lines.join('\n');
}

function base64(bytes: Uint8Array, width: number): string {
  const b64 = Buffer.from(bytes).toString('base64');
  return (b64.match(new RegExp(`.{1,${width}}`, 'g')) ?? ['']).join('\n');
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const htmlOf = (text: string) => `<html><body><p>${text.split('\n').map(escapeHtml).join('<br>\n')}</p></body></html>`;

function encodedWord(text: string, form: 'b' | 'q'): string {
  const bytes = Buffer.from(text, 'utf8');
  if (form === 'b') return `=?utf-8?B?${bytes.toString('base64')}?=`;
  const q = Array.from(bytes, (b) => (b === 0x20 ? '_' : /[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return `=?UTF-8?Q?${q}?=`;
}

/** A header value with raw 8-bit bytes: UTF-8, or Windows-1252 as old mailers write them (bytes as Latin-1 characters here). */
const raw8 = (h: Headers, value: string) => encodeCharset(value, h.subjectForm === 'cp1252' ? 'windows-1252' : 'utf-8').toString('latin1');

function subjectField(h: Headers): string {
  if (h.subjectForm === 'plain' || h.subjectForm === 'cp1252') return raw8(h, h.subject);
  if (h.subjectForm !== 'split') return encodedWord(h.subject, h.subjectForm);
  // One encoded word per word, each but the first carrying the space before it, folded onto lines of their own.
  return h.subject
    .split(' ')
    .map((w, i) => encodedWord(i === 0 ? w : ` ${w}`, 'b'))
    .join('\n ');
}

/** From fields as written, and as parseEml gives them. */
const FROM_READ: Record<string, string> = {
  'Erika Beispiel <erika@example.com>': 'Erika Beispiel <erika@example.com>',
  'kunde@example.com': 'kunde@example.com',
  '=?utf-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.com>': 'Jürgen Müller <jm@example.com>',
  '"M\u00fcller, Hans" <hm@example.com>': 'Müller, Hans <hm@example.com>',
};

const DATES = ['Wed, 03 Jun 2026 09:43:00 +0200', 'Mon, 30 Nov 2026 07:00:00 +0100', 'Fri, 1 Jan 2027 23:59:59 -0500', 'Tue, 15 Dec 2026 12:00:00 GMT'];

/** Header fields, their names in upper case when `upper` says so (odd case a parser must read as any other). */
function headerLines(fields: [string, string][], upper: boolean): string {
  return fields.map(([name, value]) => `${upper ? name.toUpperCase() : name}: ${value}\n`).join('');
}

/** A part's header fields, names in the case `names` says, or with a blank before the colon (RFC 5322's obsolete syntax). */
function partHeaderLines(fields: [string, string][], names: TextStyle['names']): string {
  const name = (n: string) => (names === 'lower' ? n.toLowerCase() : names === 'upper' ? n.toUpperCase() : n);
  return fields.map(([n, value]) => `${name(n)}${names === 'spaced' ? ' ' : ''}: ${value}\n`).join('');
}

/** Base64 as RFC 2045 6.8 asks decoders to read it: blanks and characters outside the alphabet ignored, padding optional here. */
function noisyBase64(b64: string, noise: TextStyle['base64']): string {
  if (noise === 'blanks') return b64.replace(/(.{4})/g, '$1 ').replace(/\n/g, ' \t\n');
  if (noise === 'illegal') return b64.replace(/(.{5})/g, '$1!').replace(/\n/g, '*\n');
  return noise === 'unpadded' ? b64.replace(/=/g, '') : b64;
}

// Text around a multipart's parts that no reader sees (RFC 2046 5.1.1).
const PREAMBLE = 'This is a multi-part message in MIME format. Präambel';
const EPILOGUE = 'Epilog nach dem Ende';

/** An entity's text, LF line ends: its header block, a blank line, its body. Raw 8-bit bytes are Latin-1 characters. */
function render(part: Part, top?: Headers): string {
  const fields: [string, string][] = top
    ? [
        ['From', raw8(top, top.from)],
        ['Subject', subjectField(top)],
        ['Date', DATES[top.date]],
        ['Message-ID', `<m${top.date}@bank.example>`],
        ['MIME-Version', '1.0'],
      ]
    : [];
  let body: string;
  switch (part.kind) {
    case 'text': {
      const source = part.subtype === 'html' ? htmlOf(part.text) : part.text;
      const bytes = encodeCharset(source, part.charset);
      const { style } = part;
      const label = style.charset === 'quoted' ? `"${part.charset}"` : style.charset === 'upper' ? part.charset.toUpperCase() : part.charset;
      const comment = style.comments ? ' (Kunde)' : '';
      fields.push(['Content-Type', style.charset === 'none' ? `text/${part.subtype}${comment}` : `text/${part.subtype};${comment} charset=${label}`]);
      fields.push(['Content-Transfer-Encoding', `${style.upperEncoding ? part.encoding.toUpperCase() : part.encoding}${comment}`]);
      if (part.encoding === 'base64') body = noisyBase64(base64(bytes, part.wrap), style.base64);
      else if (part.encoding === 'quoted-printable') body = quotedPrintable(bytes, part.wrap).replace(/=[0-9A-F]{2}/g, (m) => (style.lowerHex ? m.toLowerCase() : m));
      else body = bytes.toString('latin1');
      return `${partHeaderLines(fields, style.names)}\n${body}`;
    }
    case 'file':
      fields.push(['Content-Type', `application/octet-stream; name="${part.name}"`], ['Content-Disposition', `attachment; filename="${part.name}"`], ['Content-Transfer-Encoding', 'base64']);
      body = base64(part.bytes, 76);
      break;
    case 'calendar':
      fields.push(['Content-Type', 'text/calendar; charset=utf-8; method=REQUEST']);
      body = Buffer.from(['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', `SUMMARY:${part.summary}`, 'END:VEVENT', 'END:VCALENDAR'].join('\n'), 'utf8').toString('latin1');
      break;
    case 'multipart': {
      const { style } = part;
      const boundary = part.quoted ? `"${part.boundary}"` : part.boundary;
      const half = Math.ceil(part.boundary.length / 2);
      const parameter = style.sections ? `boundary*0="${part.boundary.slice(0, half)}";${part.folded ? '\n\t' : ' '}boundary*1="${part.boundary.slice(half)}"` : `boundary=${boundary}`;
      fields.push(['Content-Type', `multipart/${part.subtype};${style.comment ? ' (generated)' : ''}${part.folded ? '\n\t' : ' '}${parameter}`]);
      const pad = style.padded ? ' \t' : '';
      body = `${PREAMBLE}\n${part.parts.map((p) => `--${part.boundary}${pad}\n${render(p)}\n`).join('')}--${part.boundary}--${pad}\n${EPILOGUE}\n`;
      break;
    }
    case 'message':
      fields.push(['Content-Type', 'message/rfc822 (weitergeleitet)']);
      body = render(part.body, part.headers);
      if (part.base64) {
        fields.push(['Content-Transfer-Encoding', 'base64']);
        body = base64(Buffer.from(body.replace(/\n/g, '\r\n'), 'latin1'), 76);
      }
      break;
  }
  return `${headerLines(fields, top?.upper ?? false)}\n${body}`;
}

const leafText = textArb.chain((text) =>
  fc.record({
    kind: fc.constant('text' as const),
    subtype: fc.constantFrom('plain' as const, 'html' as const),
    charset: fc.constantFrom(...charsetsFor(text)),
    encoding: fc.constantFrom<Encoding>(...(ASCII.test(text) ? (['7bit', '8bit', 'base64', 'quoted-printable'] as const) : (['8bit', 'base64', 'quoted-printable'] as const))),
    text: fc.constant(text),
    wrap: fc.integer({ min: 4, max: 200 }),
    style: fc.record({
      names: fc.constantFrom('canonical' as const, 'lower' as const, 'upper' as const, 'spaced' as const),
      charset: fc.constantFrom('plain' as const, 'quoted' as const, 'upper' as const, 'none' as const),
      upperEncoding: fc.boolean(),
      lowerHex: fc.boolean(),
      base64: fc.constantFrom('clean' as const, 'blanks' as const, 'illegal' as const, 'unpadded' as const),
      comments: fc.boolean(),
    }),
  }),
);
const fileArb = fc.record({ kind: fc.constant('file' as const), name: fc.constantFrom('Kontoauszug.pdf', 'scan 1.png', 'winmail.dat'), bytes: fc.uint8Array({ maxLength: 300 }) });
const calendarArb = fc.record({ kind: fc.constant('calendar' as const), summary: fc.constantFrom('Beratung', 'Termin zur Baufinanzierung') });
// Boundaries of RFC 2046's characters; the `.n.` that ends each keeps one from being a prefix of another.
const boundaryArb = fc.stringMatching(/^[A-Za-z0-9'()+_,\-/:=? ]{1,40}$/);
const headersArb = fc.record({
  subject: fc.array(fc.constantFrom('Anfrage', 'Überweisung', 'Konto', '€', 'AW:', 'Grüße'), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
  subjectForm: fc.constantFrom('plain' as const, 'cp1252' as const, 'b' as const, 'q' as const, 'split' as const),
  from: fc.constantFrom(...Object.keys(FROM_READ)),
  date: fc.integer({ min: 0, max: DATES.length - 1 }),
  upper: fc.boolean(),
});

const partArb: fc.Arbitrary<Part> = fc.letrec<{ part: Part }>((tie) => ({
  part: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafText,
    fileArb,
    calendarArb,
    fc.record({
      kind: fc.constant('multipart' as const),
      subtype: fc.constantFrom('mixed' as const, 'alternative' as const, 'related' as const),
      boundary: boundaryArb,
      quoted: fc.boolean(),
      folded: fc.boolean(),
      parts: fc.array(tie('part'), { minLength: 1, maxLength: 3 }),
      style: fc.record({ padded: fc.boolean(), comment: fc.boolean(), sections: fc.boolean() }),
    }),
    fc.record({ kind: fc.constant('message' as const), headers: headersArb, body: tie('part'), base64: fc.boolean() }),
  ),
})).part;

/** Numbers each boundary (unique, none a prefix of another) and quotes those that need it. */
function numbered(part: Part, counter = { n: 0 }): Part {
  if (part.kind === 'multipart') {
    const boundary = `${part.boundary.replace(/\./g, '')}.${counter.n++}.`;
    return { ...part, boundary, quoted: part.quoted || /[^A-Za-z0-9'+_\-.]/.test(boundary), parts: part.parts.map((p) => numbered(p, counter)) };
  }
  if (part.kind === 'message') return { ...part, body: numbered(part.body, counter) };
  return part;
}

const messageArb = fc.record({
  headers: headersArb,
  body: partArb.map((p) => numbered(p)),
  eol: fc.constantFrom('\r\n', '\n', '\r', '\r\r\n', 'mixed'),
  // Without the closing delimiters (and the epilogues after them): the parts are still there to be read.
  unclosed: fc.boolean(),
});

/** The message's bytes with its line ends: CRLF, LF, CR alone, CRLF written out again as CRLF (`\r\r\n`), or the first three in turn. */
function bytesOf(message: { headers: Headers; body: Part; eol: string; unclosed: boolean }): Buffer {
  const rendered = render(message.body, message.headers);
  const text = message.unclosed ? rendered.replace(/^--[^\n]*--( \t)?\n(Epilog nach dem Ende\n)?/gm, '') : rendered;
  let i = 0;
  const ends = ['\r\n', '\n', '\r'];
  return Buffer.from(text.replace(/\n/g, () => (message.eol === 'mixed' ? ends[i++ % 3] : message.eol)), 'latin1');
}

// For a look at what is generated: EML_FUZZ_SHOW=1 prints each message's tree.
const shape = (p: Part): unknown => (p.kind === 'multipart' ? { [p.subtype]: p.parts.map(shape) } : p.kind === 'message' ? { message: shape(p.body) } : p.kind === 'text' ? `${p.subtype}/${p.encoding}/${p.charset}` : p.kind);
// A fixed seed keeps the test deterministic; EML_FUZZ_RUNS and EML_FUZZ_SEED widen a search by hand.
const RUNS = Number(process.env.EML_FUZZ_RUNS ?? 600);
const SEED = Number(process.env.EML_FUZZ_SEED ?? 20261202);
const DOCUMENTED = (e: unknown) => e instanceof EmlParseError || e instanceof InputTooLargeError;
const slow: { ms: number; input: string }[] = [];
// Time depends on the machine and its load: an input over 2 s is reported for a person to look at, not failed on.
afterAll(() => {
  for (const { ms, input } of slow) console.warn(`parseEml took ${Math.round(ms)} ms on ${JSON.stringify(input)}`);
});

/** parseEml on the input, timed (an input over 2 s is noted for the report, not failed on), its result's types checked. */
async function parsed(raw: Uint8Array | string): Promise<ParsedEml | undefined> {
  const started = performance.now();
  let email: ParsedEml;
  try {
    email = await parseEml(raw);
  } catch (e) {
    if (!DOCUMENTED(e)) throw e;
    return undefined;
  } finally {
    const ms = performance.now() - started;
    if (ms > 2_000) slow.push({ ms, input: Buffer.from(raw).toString('latin1').slice(0, 300) });
  }
  for (const key of ['id', 'subject', 'body', 'html', 'from', 'receivedAt'] as const) expect(['string', 'undefined']).toContain(typeof email[key]);
  if (email.receivedAt !== undefined) expect(Number.isNaN(Date.parse(email.receivedAt))).toBe(false);
  expect(Array.isArray(email.attachments)).toBe(true);
  if (email.warnings) expect(email.warnings.every((w) => typeof w === 'string')).toBe(true);
  // As the server does: the email without its attachments and warnings goes to cleanEmail.
  const { attachments: _a, warnings: _w, ...rest } = email;
  expect(typeof cleanEmail(rest).text).toBe('string');
  return email;
}

/** Text as compared: line ends as LF, blanks at line ends and around the whole gone. */
const norm = (text: string) => text.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trim();

interface Expected {
  plain: string[];
  html: string[];
  calendar: string[];
  files: Extract<Part, { kind: 'file' }>[];
  boundaries: string[];
  messages: number;
  /** The subjects of the attached messages read inline, which their header block in the text shows. */
  subjects: string[];
}

/** What the parser should read: text parts of the message and of an attached message one level deep. */
function expected(part: Part, depth = 0, out: Expected = { plain: [], html: [], calendar: [], files: [], boundaries: [], messages: 0, subjects: [] }): Expected {
  if (part.kind === 'text' && depth <= 1) (part.subtype === 'plain' ? out.plain : out.html).push(part.text);
  // An attached message's header block is text of its own, so an invitation is read only from a message without one.
  if (part.kind === 'calendar' && depth === 0) out.calendar.push(part.summary);
  if (part.kind === 'file' && depth <= 1) out.files.push(part);
  if (part.kind === 'multipart') {
    out.boundaries.push(part.boundary);
    for (const p of part.parts) expected(p, depth, out);
  }
  if (part.kind === 'message') {
    out.messages += 1;
    if (depth === 0) out.subjects.push(part.headers.subject);
    expected(part.body, depth + 1, out);
  }
  return out;
}

const TRANSFER_GARBAGE = [/=\r?\n/, /=[0-9A-F]{2}/, /[A-Za-z0-9+/]{60,}={0,2}$/m, /^content-(?:type|transfer-encoding):/im];

describe('parseEml on generated messages', () => {
  it('reads the text each well-formed part encodes, with no transfer encoding or MIME structure left in it', async () => {
    await fc.assert(
      fc.asyncProperty(messageArb, async (message) => {
        const bytes = bytesOf(message);
        if (process.env.EML_FUZZ_SHOW) console.log(JSON.stringify(shape(message.body)), bytes.length);
        const email = await parsed(bytes);
        expect(email).toBeDefined();
        if (!email) return;
        const want = expected(message.body);
        const body = norm(email.body ?? '');
        for (const text of want.plain) expect(body).toContain(norm(text));
        for (const text of want.html) expect(norm(email.html ?? '')).toContain(norm(htmlOf(text)));
        for (const re of TRANSFER_GARBAGE) expect(body).not.toMatch(re);
        for (const unseen of [PREAMBLE, EPILOGUE]) expect(`${body}${email.html ?? ''}`).not.toContain(unseen);
        // In the text's header block, or the HTML's when the attached message has only HTML.
        for (const subject of want.subjects) expect(`${body}\n${email.html ?? ''}`.replace(/[ \t]+/g, ' ')).toMatch(new RegExp(`(?:Subject: |>)${subject}(?:\n|<)`));
        // An attached message's Date is given as sent, never in the process's locale (eml-forward-date.ts).
        for (const date of body.match(/^Date: .*$/gm) ?? []) expect(DATES.map((d) => `Date:    ${d}`)).toContain(date);
        for (const b of want.boundaries) expect(body.split('\n').some((line) => line.startsWith(`--${b}`))).toBe(false);
        expect(email.subject?.replace(/\s+/g, ' ')).toBe(message.headers.subject);
        expect(email.from).toBe(FROM_READ[message.headers.from]);
        expect(email.receivedAt).toBe(new Date(DATES[message.headers.date]).toISOString());
        expect(email.id).toBe(`m${message.headers.date}@bank.example`);
        // A message of only invitations reads the first one's summary.
        if (want.plain.length + want.html.length + want.messages === 0 && want.calendar.length > 0) expect(email.body).toBe(want.calendar[0]);
        for (const file of want.files) expect(email.attachments).toContainEqual({ filename: file.name, contentType: 'application/octet-stream', size: file.bytes.length });
        // A message that is valid UTF-8 reads the same as text.
        if (isUtf8(bytes)) expect(await parsed(bytes.toString('utf8'))).toEqual(email);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);
});

/** Ways broken mail goes wrong, each applied at a position the run picks (`at`, any number, taken modulo the length). */
const MUTATIONS: Record<string, (s: string, at: number, bytes: Uint8Array) => string> = {
  truncate: (s, at) => s.slice(0, at % (s.length + 1)),
  insertBytes: (s, at, bytes) => s.slice(0, at % (s.length + 1)) + Buffer.from(bytes).toString('latin1') + s.slice(at % (s.length + 1)),
  nul: (s, at) => s.slice(0, at % (s.length + 1)) + '\0' + s.slice(at % (s.length + 1)),
  dropLine: (s, at) => lines(s, at, (l, i) => l.filter((_, k) => k !== i)),
  repeatLine: (s, at) => lines(s, at, (l, i) => [...l.slice(0, i + 1), ...l.slice(i)]),
  foldHere: (s, at) => s.slice(0, at % (s.length + 1)) + '\n ' + s.slice(at % (s.length + 1)),
  leadingFold: (s) => ` folded onto nothing\n${s}`,
  noClosingBoundary: (s) => s.replace(/^--[^\r\n]*--\r?$/gm, ''),
  noBoundaryParameter: (s, at) => nth(s, /;\s*boundary=("[^"]*"|[^\s;]*)/gi, at, () => ''),
  otherBoundary: (s, at) => nth(s, /boundary=("[^"]*"|[^\s;]*)/gi, at, () => 'boundary="other"'),
  noBlankLine: (s) => s.replace(/\r?\n\r?\n/, '\n'),
  onlyHeaders: (s) => s.slice(0, Math.max(0, s.search(/\r?\n\r?\n/))),
  unknownCharset: (s, at, bytes) => nth(s, /charset=[^\s;]*/gi, at, () => `charset=${CHARSETS[bytes[0] % CHARSETS.length] ?? 'x-unknown'}`),
  swapEncoding: (s, at) => nth(s, /transfer-encoding: *([\w-]+)/gi, at, (m) => `transfer-encoding: ${/base64/i.test(m) ? 'quoted-printable' : 'base64'}`),
  badBase64: (s, at, bytes) => nth(s, /^[A-Za-z0-9+/]{8,}={0,2}$/gm, at, (m) => m.slice(0, bytes.length % m.length) + '!*=\t' + m.slice(bytes.length % m.length, -1)),
  badQuotedPrintable: (s, at) => nth(s, /=[0-9A-F]{2}/g, at, () => ['=ZZ', '=4', '=', '=\r', '= \n'][at % 5]),
  lowerCaseNames: (s) => s.replace(/^([A-Za-z-]+):/gm, (_, name: string) => `${name.toLowerCase()}:`),
  duplicateContentType: (s, at) => nth(s, /^content-type:[^\n]*$/gim, at, (m) => `${m}\nContent-Type: ${['multipart/mixed', 'text/html', 'message/rfc822', 'multipart/alternative; boundary=""'][at % 4]}`),
  rfc822Type: (s, at) => nth(s, /^content-type: *[\w/-]+/gim, at, () => 'Content-Type: message/rfc822'),
  brokenEncodedWord: (s, at) => nth(s, /=\?[^?]*\?[BbQq]\?[^?]*\?=/g, at, () => ['=?utf-8?B?###?=', '=?x-unknown?Q?K=C3=BC?=', '=?utf-8?Q?unterminated', '=?=?', '=?utf-8*de?B?w7w=?=', '=?utf-16?B?AP8A?='][at % 6]),
  hugeHeader: (s, at) => `X-Long: ${'a'.repeat(1_000 + (at % 300_000))}\n${s}`,
  crOnly: (s) => s.replace(/\r?\n/g, '\r'),
  strayCr: (s, at) => s.slice(0, at % (s.length + 1)) + '\r' + s.slice(at % (s.length + 1)),
  eightBitHeader: (s) => `X-Junk: \xff\xfe\x80 \xc3\n${s}`,
};
const CHARSETS = ['x-unknown', 'unknown-8bit', 'utf-7', 'unicode-1-1-utf-7', 'iso-2022-jp', 'utf-16', 'utf-16le', 'ucs-2', 'gb18030', '""', '"', "utf-8''", '3Dutf-8', 'ks_c_5601-1987'];

function lines(s: string, at: number, edit: (lines: string[], i: number) => string[]): string {
  const l = s.split('\n');
  return edit(l, at % l.length).join('\n');
}

/** s with the match of `re` numbered `at` (modulo the count) replaced. */
function nth(s: string, re: RegExp, at: number, replace: (match: string) => string): string {
  const matches = [...s.matchAll(re)];
  if (matches.length === 0) return s;
  const m = matches[at % matches.length];
  return s.slice(0, m.index) + replace(m[0]) + s.slice(m.index + m[0].length);
}

const mutationArb = fc.tuple(fc.constantFrom(...Object.keys(MUTATIONS)), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 12 }));

describe('parseEml on broken messages', () => {
  it('returns an email or throws its own error, whatever was done to a message', async () => {
    await fc.assert(
      fc.asyncProperty(messageArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.boolean(), async (message, mutations, asText) => {
        let s = bytesOf(message).toString('latin1');
        for (const [name, at, bytes] of mutations) s = MUTATIONS[name](s, at, bytes);
        const bytes = Buffer.from(s, 'latin1');
        await parsed(asText ? bytes.toString('utf8') : bytes);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);
});

// Lines of MIME structure and what breaks it, put together at random.
const JUNK_LINES = [
  'From: =?utf-8?B?w7w=?= <a@b.example>',
  'Subject: =?x-unknown?Q?K=C3=BC?= =?utf-8?Q?unterminated',
  'Subject: \xdcberweisung \xff\xfe',
  'Date: 30 Nov 2026 07:00',
  'Content-Type: multipart/mixed; boundary=b',
  'Content-Type: multipart/alternative',
  'Content-Type: multipart/related; boundary*0="b"; boundary*1*=%31',
  'Content-Type: message/rfc822',
  'Content-Type: text/plain; charset=utf-7',
  'Content-Type: text/html; charset="',
  'Content-Type: text/calendar; method=REQUEST',
  'Content-Type: application/pkcs7-mime',
  'Content-Disposition: attachment; filename*=utf-8\'\'%C3%BC.txt',
  'Content-Transfer-Encoding: base64',
  'Content-Transfer-Encoding: quoted-printable',
  'content-transfer-encoding: (x) 8bit',
  '--b',
  '--b--',
  '--b1',
  '',
  ' folded',
  '\tfolded',
  'w7xiZXI=',
  'w7xi!ZXI',
  '=C3=BC=\r',
  '=ZZ=',
  'BEGIN:VEVENT',
  'SUMMARY:Beratung',
  'END:VEVENT',
  '-----BEGIN PGP MESSAGE-----',
  '[cid:image001.png@01DB4A2C]',
  '\0\0',
];

describe('parseEml on junk', () => {
  it('returns an email or throws its own error for lines of MIME structure at random, and for any string', async () => {
    const junk = fc.array(fc.constantFrom(...JUNK_LINES), { maxLength: 40 }).chain((lines) => fc.constantFrom(...['\n', '\r\n', '\r'].map((eol) => lines.join(eol))));
    await fc.assert(
      fc.asyncProperty(fc.oneof(junk, fc.string({ unit: 'binary', maxLength: 200 })), fc.boolean(), async (s, asText) => {
        await parsed(asText ? s : Buffer.from(s, 'latin1'));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);
});
