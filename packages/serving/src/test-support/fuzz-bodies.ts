import fc from 'fast-check';

/**
 * Generators of request bodies for the API's fuzz test: valid requests, then mutated into what a broken or
 * hostile client sends. A body is built as JSON text, not as a JavaScript object, so it can hold what an object
 * cannot: a key given twice, an own `__proto__` key, a number JSON.stringify would not write (`1e400`).
 */

/** Text in every text field the generators make: an error answer must never hold it (no email text in errors). */
export const CANARY = 'GEHEIM-7Q3';

/** An object written member by member, in order (duplicates and `__proto__` kept). */
export class Members {
  constructor(readonly entries: ReadonlyArray<readonly [string, Json]>) {}
}
/** JSON text put in as it is: numbers JSON.stringify cannot write, deep nesting. */
export class RawJson {
  constructor(readonly text: string) {}
}
export type Json = null | boolean | number | string | RawJson | Members | Json[];

export function writeJson(value: Json): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof Members) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  return JSON.stringify(value);
}

const obj = (entries: ReadonlyArray<readonly [string, Json]>) => new Members(entries);

// Pieces of text: prose, markup, what cleaning and the featurizer treat specially, and characters a JSON
// encoder or a UTF-8 encoder handles specially (NUL, lone surrogates, U+FFFD, BOM, RTL override).
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(CANARY, `Bitte überweisen Sie 500 € (${CANARY})`, `Mein Depot ${CANARY} bitte`, 'Invoice missing') },
  fc.constantFrom('<p>', '</p>', '<br><br>', '<html><body>', '<style>p{}</style>', '&nbsp;', '&#0;', '&#xD800;', '> quoted', 'Von: Support <a@b.de>', '-- \n', 'Mit freundlichen Grüßen'),
  fc.constantFrom('\u0000', '\udc00', '\ud83d', '\ud83d\ude00', '\uFFFD', '\uFEFF', '\u200b', 'e\u0301', '\u202e', '\r', '\n', '\t', ' ', '\u2028'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
/** Long text, over maxTextChars (20,000): cut, or (as markup) cut by its visible text. */
const long = fc.constantFrom(
  `${CANARY} ${'ä'.repeat(20_050)}`,
  `<style>${'a'.repeat(25_000)}</style><p>${CANARY}</p>`,
  `<p>${`${CANARY} `.repeat(3_000)}</p>`,
  `${'\udc00'.repeat(20_001)}${CANARY}`,
);
export const text = fc.oneof({ weight: 20, arbitrary: fc.array(piece, { maxLength: 8 }).map((p) => p.join('')) }, { weight: 1, arbitrary: long });

/**
 * Valid ids: plain, unicode, 200 characters, padded (trimmed: a CRM's CHAR field), names of prototype members; never
 * blanks alone (empty once trimmed). Never hold the canary (an id may be echoed).
 */
const id = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('crm-1', 'crm-2', 'Kündigung-42', 'pair\ud83d\ude00', 'a', 'crm-1    ', ' a ', 'x'.repeat(200), 'nul\u0000', '__proto__', 'constructor') },
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
);

/** Dates in the forms the API reads, in feedback's window (400 days before 2026-11-30T12:00Z to 5 minutes after). */
const date = fc.constantFrom('2026-11-29T10:00:00Z', '2026-11-29T10:00:00.123456789+01:00', '2026-11-29 10:00', '2026-11-29', 'Mon, 3 Nov 2025 10:15:00 +0100 (CET)', 'Sun, 29 Nov 2026 10:00:00', ' 2026-11-29T10:00:00Z ');

/** Numbers as JSON text that JavaScript reads as -0, 0 or not exactly. */
const rawNumber = fc.constantFrom('-0', '1e-400', '123456789012345678901234567890', '1.7976931348623157e308', '1764410400000').map((t) => new RawJson(t));
/** Numbers JavaScript reads as Infinity: refused in metadata, said so. */
const infinite = fc.constantFrom('1e400', '-1e400').map((t) => new RawJson(t));

/**
 * What a mutation puts in a field's place: values of another JSON type, deep nesting, and strings that break one
 * field's rule: bad ids and dates, labels of another task, over-long values.
 */
export const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  rawNumber,
  infinite,
  text,
  fc.constant<Json>([]),
  fc.constant(obj([])),
  fc.array(text, { maxLength: 3 }),
  fc.constantFrom('', 'x'.repeat(201), 'x'.repeat(501), 'sur\udc00', '\ud800', '\uFE0F', 'pay\udc00', 'steue\u0301r'),
  fc.constantFrom('2026-02-30T10:00:00Z', '2026-13-01', '0000-02-29', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z', '1970-01-01T00:00:00Z', '2026-11-30T12:06:00Z', '2026-11-29T25:61:00Z', '03.11.2025', 'x'.repeat(101)),
  fc.constantFrom('payments', 'kyc', 'sparplan', 'login', 'steuer', 'constructor', '__proto__', 'toString'),
  fc.constantFrom(1_000, 100_000).map((depth) => new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  fc.constantFrom(1_000, 20_000).map((depth) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
);

/** Keys a client adds: misspelt or known fields (given twice then), prototype names, blanks, long names, unicode. */
const extraKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'subjekt', 'Subject', 'Body', 'to', 'email', 'emails ', '', 'x'.repeat(300), 'id\u0000', '\udc00'),
  fc.constantFrom('id', 'subject', 'body', 'html', 'emails', 'queue', 'topic', 'queu', 'labels', 'emailId', 'predictionId', 'closedAt'),
  fc.string({ maxLength: 10 }),
);

const metadataValue = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), rawNumber);
const metadata = fc.array(fc.tuple(fc.oneof(extraKey, fc.constantFrom('crmCase', 'channel')), metadataValue), { maxLength: 4 }).map((e) => obj(e));

/** Sets some of `fields` (a value of each when set; an email needs one of subject, body and html). */
const someOf = (fields: Record<string, fc.Arbitrary<Json>>) => fc.record(fields, { requiredKeys: [] }).map((e) => obj(Object.entries(e) as Array<[string, Json]>));

/** A valid email of the classify body: invalid values come in by mutation. */
export const email: fc.Arbitrary<Members> = fc
  .tuple(
    fc.constantFrom('subject', 'body', 'html'),
    text,
    someOf({
      id: fc.oneof({ weight: 3, arbitrary: id }, fc.constant(null)),
      subject: fc.oneof({ weight: 3, arbitrary: text }, fc.constant(null)),
      body: fc.oneof({ weight: 3, arbitrary: text }, fc.constant(null)),
      html: fc.oneof({ weight: 3, arbitrary: text }, fc.constant(null)),
      from: fc.constantFrom(`Kim <kim@example.org> ${CANARY}`, '', 'x'.repeat(500)),
      bank: fc.constantFrom('Sparkasse', ''),
      receivedAt: date,
      metadata,
    }),
  )
  // The text field last: given twice, the last counts (JSON.parse), so a null set before it does not leave the email without text.
  .map(([field, value, rest]) => obj([...rest.entries, [field, value]]));

/** Labels of the fixture model's taxonomy, per task. */
const TAXONOMY = { queue: ['payments', 'kyc'], topic: ['sparplan', 'login', 'steuer'] } as const;

/** A valid feedback against the fixture model's tasks; `predictionIds` are ids /v1/classify answered. */
export function feedback(predictionIds: readonly string[]): fc.Arbitrary<Members> {
  // A label with an emoji variation selector is the same label (normalizeLabel).
  const label = (task: keyof typeof TAXONOMY) => fc.constantFrom(...TAXONOMY[task], ...TAXONOMY[task].map((l) => `${l}\uFE0F`));
  const labels = fc.oneof(
    label('queue').map((l) => obj([['queue', l]])),
    label('topic').map((l) => obj([['topic', l]])),
    fc.tuple(label('queue'), label('topic')).map(([q, t]) => obj([['queue', q], ['topic', t]])),
  );
  const predictionId = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...predictionIds, ...predictionIds.map((p) => p.toUpperCase())) },
    fc.uuid(),
  );
  const who = fc.oneof(
    predictionId.map((p) => obj([['predictionId', p]])),
    id.map((e) => obj([['emailId', e]])),
    fc.tuple(predictionId, id).map(([p, e]) => obj([['predictionId', p], ['emailId', e]])),
  );
  return fc.tuple(who, labels, date).map(([w, l, closedAt]) => obj([...w.entries, ['labels', l], ['closedAt', closedAt]]));
}

/**
 * One change to a JSON value at a place picked by `at`: replaced by a value of another type, a member dropped,
 * a key added (or one already there given again), or the value nested in an array.
 */
type Mutation = { at: number; kind: 'replace' | 'drop' | 'add' | 'wrap' | 'repeat'; key: string; value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'drop', 'add', 'wrap', 'repeat'),
  key: extraKey,
  value: wrongValue,
});

/** Every value in `root`, the root first, each with a function that rebuilds the root with it replaced. */
function places(root: Json): Array<{ value: Json; put: (v: Json) => Json }> {
  const out: Array<{ value: Json; put: (v: Json) => Json }> = [];
  const walk = (value: Json, put: (v: Json) => Json) => {
    out.push({ value, put });
    if (value instanceof Members) {
      value.entries.forEach(([k, v], i) => walk(v, (nv) => put(obj(value.entries.map((e, j) => (j === i ? [k, nv] : e))))));
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, (nv) => put(value.map((e, j) => (j === i ? nv : e)))));
    }
  };
  walk(root, (v) => v);
  return out;
}

export function mutate(root: Json, m: Mutation): Json {
  const all = places(root);
  const { value, put } = all[m.at % all.length];
  switch (m.kind) {
    case 'replace':
      return put(m.value);
    case 'wrap':
      return put([value]);
    case 'drop':
      if (value instanceof Members && value.entries.length > 0) return put(obj(value.entries.filter((_, i) => i !== m.at % value.entries.length)));
      if (Array.isArray(value)) return put(value.slice(1));
      return put(m.value);
    case 'add':
      if (value instanceof Members) return put(obj([...value.entries, [m.key, m.value]]));
      if (Array.isArray(value)) return put([...value, m.value]);
      return put(m.value);
    case 'repeat':
      // A key given twice (JSON.parse keeps the last), or an array element given twice (a duplicate id).
      if (value instanceof Members && value.entries.length > 0) return put(obj([...value.entries, value.entries[m.at % value.entries.length]]));
      if (Array.isArray(value) && value.length > 0) return put([...value, value[m.at % value.length]]);
      return put(m.value);
  }
}

/** A valid body, then none (half the time) to three mutations of it; `mutated` says whether it has any. */
export function mutated(valid: fc.Arbitrary<Json>): fc.Arbitrary<{ body: Json; mutated: boolean }> {
  const mutations = fc.oneof(fc.constant([]), fc.array(mutation, { minLength: 1, maxLength: 3 }));
  return fc.tuple(valid, mutations).map(([body, ms]) => ({ body: ms.reduce(mutate, body), mutated: ms.length > 0 }));
}

/** A short email, sent many times in one batch. */
const shortEmail = fc.record({ id: fc.constantFrom('crm-1', 'x'), subject: fc.constantFrom(CANARY, `<p>${CANARY}</p>`) }).map((e) => obj(Object.entries(e)));

/** The JSON text of a classify request of these emails. */
export function classifyText(emails: readonly Members[]): string {
  return writeJson(obj([['emails', [...emails]]]));
}

export const classifyBody: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.array(email, { minLength: 1, maxLength: 4 }).map((emails) => obj([['emails', emails]])) },
  // Over maxBatch (256), and the same email many times (duplicate ids).
  { weight: 1, arbitrary: fc.constantFrom(40, 256, 257).chain((n) => shortEmail.map((e) => obj([['emails', Array.from({ length: n }, () => e)]]))) },
);

/** Bytes of a body: the text as UTF-8, or spoilt (not UTF-8, cut short, another encoding, a BOM). */
const encoding = fc.record({
  how: fc.oneof({ weight: 12, arbitrary: fc.constant('utf8') }, fc.constantFrom('bytes', 'cut', 'latin1', 'utf16le', 'bom', 'huge')),
  at: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => b.map((x) => x | 0x80)),
});

export function encode(textBody: string, e: { how: string; at: number; bytes: Uint8Array }): Uint8Array {
  const utf8 = Buffer.from(textBody, 'utf8');
  const at = e.at % (utf8.length + 1);
  switch (e.how) {
    case 'bytes':
      return Buffer.concat([utf8.subarray(0, at), e.bytes, utf8.subarray(at)]);
    case 'cut':
      return utf8.subarray(0, at);
    case 'latin1':
      return Buffer.from(textBody, 'latin1');
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(textBody, 'utf16le')]);
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    case 'huge':
      // Over the 1 MB default body limit.
      return Buffer.concat([utf8, Buffer.alloc(1024 * 1024 + 1, 0x20)]);
    default:
      return utf8;
  }
}

/** Content types a JSON route meets: its own in the forms RFC 9110 allows, other charsets and types, none. */
const CLEAN_JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON;charset=UTF-8', 'application/json ; charset = utf-8', 'application/json; charset="utf-8"'];
const jsonContentType = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...CLEAN_JSON_TYPES) },
  fc.constantFrom(
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json;',
    'application/json; foo',
    'application/json; charset=',
    'application/json; charset=utf-8; charset=latin1',
    'application/problem+json',
    'text/plain',
    'text/json',
    'message/rfc822',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    '',
    ';',
    'application/json\t',
    undefined,
  ),
);

/** Other headers of a request: who asks (a valid key mostly), Content-Length (true or not), Content-Encoding, Accept. */
export const requestHeaders = fc.record({
  key: fc.oneof({ weight: 20, arbitrary: fc.constant('all') }, fc.constantFrom('classify', 'none', 'wrong')),
  length: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('none', 'true') }, fc.constantFrom('short', 'long', 'junk')),
  encoding: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, fc.constantFrom('gzip', 'identity', '')),
  accept: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(undefined, 'application/json', '*/*') }, fc.constantFrom('text/csv', 'application/json;q=0', 'text/html, application/*;q=0.5', '')),
});

export const jsonRequestParts = fc.record({ contentType: jsonContentType, encoding, headers: requestHeaders });

/** Whether nothing but the body can be wrong with a JSON request: a valid key and a UTF-8 body of a JSON type, uncompressed. */
export function cleanJsonRequest({ contentType, encoding, headers }: typeof jsonRequestParts extends fc.Arbitrary<infer P> ? P : never): boolean {
  return CLEAN_JSON_TYPES.includes(contentType ?? '') && ['utf8', 'bom'].includes(encoding.how) && headers.key === 'all' && [undefined, 'identity', ''].includes(headers.encoding);
}

/** The lines of a raw email: headers (charsets, MIME structure, encoded words) and bodies, some of them broken. */
const emlHeader = fc.oneof(
  fc.constantFrom(
    'From: Kim <kim@example.org>',
    `Subject: Rechnung ${CANARY}`,
    'Subject: =?utf-8?B?R3LDvMOfZQ==?=',
    'Subject: =?unknown-8bit?Q?Gr=FC=DFe?=',
    'Subject: =?x-bogus?X?abc?=',
    'Message-ID: <abc@example.org>',
    `Message-ID: <${'m'.repeat(250)}@example.org>`,
    'Message-ID: <>',
    'Date: Mon, 3 Nov 2025 10:15:00 +0100',
    'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Type: text/plain; charset=3Dutf-8',
    "Content-Type: text/plain; charset*=utf-8''iso-8859-1",
    'Content-Type: text/html',
    'Content-Type: multipart/mixed; boundary="b1"',
    'Content-Type: multipart/alternative',
    'Content-Type: message/rfc822',
    'Content-Transfer-Encoding: base64',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-Transfer-Encoding: x-uuencode',
    ' folded continuation',
    'X-Empty:',
    'no colon here',
  ),
  fc.string({ maxLength: 20 }).map((s) => `X-Fuzz: ${s}`),
);
const emlBodyLine = fc.oneof(
  fc.constantFrom(`Meine Überweisung ${CANARY}`, '--b1', '--b1--', 'Content-Type: text/plain; charset=utf-8', '', 'R3LDvMOfZQ==', '=C3=BC=', '=\r', '<p>hi</p>', 'From: inner@example.org', 'Subject: inner'),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const lineEnd = fc.constantFrom('\r\n', '\n', '\r', '\r\r\n');

/** A raw email: header lines, a blank line, body lines, joined by one line end (or raw bytes, any at all). */
export const emlBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.array(emlHeader, { maxLength: 8 }), fc.array(emlBodyLine, { maxLength: 10 }), lineEnd, fc.constantFrom('utf8', 'latin1') as fc.Arbitrary<BufferEncoding>)
      .map(([headers, lines, end, charset]) => Buffer.from([...headers, '', ...lines].join(end), charset)),
  },
  fc.uint8Array({ maxLength: 200 }),
  encoding.map((e) => encode(`From: a@b.de\r\nSubject: ${CANARY}\r\n\r\n${CANARY}`, e)),
);

/** The query of the .eml route: `id` well and badly encoded, given twice, under another name, beside others. */
export const emlQuery = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', '?id=crm-77', '?id=K%C3%BCndigung-42', '?id=a+b%20c') },
  fc.constantFrom(
    '?id=K%FCndigung-42',
    '?id=%',
    '?id=%E',
    '?id=%ED%B0%80',
    '?id=',
    '?id',
    `?id=${'x'.repeat(201)}`,
    '?id=a&id=b',
    '?ID=crm-1',
    '?i%64=K%FCndigung-42',
    '?id=%00',
    '?emailId=crm-1&id=crm-2',
  ),
);
