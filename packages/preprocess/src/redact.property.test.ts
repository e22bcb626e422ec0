import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { passesLuhn } from './luhn.js';
import { maskedLine, redactPii, redactPlain } from './redact.js';

// Invented personal data (checksums made to pass, no real person's), written as customers of a bank or broker write
// it, in German and English sentences, and the numbers the README keeps: amounts, dates, ISINs, order numbers.

const digitsOf = (min: number, max = min) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const capitals = (n: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: n, maxLength: n });
const alnum = (n: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: n, maxLength: n });

/** The remainder mod 97 of a string of digits and capitals, capitals read as 10-35 (ISO 13616). */
function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const val = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of val) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem;
}

/** A compact IBAN with its check digits made to pass mod-97. */
function ibanOf(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** The account parts (BBAN) of some countries' IBANs, by their shape. */
const bbanArb = fc.oneof(
  digitsOf(18).map((b) => ibanOf('DE', b)),
  digitsOf(16).map((b) => ibanOf('AT', b)),
  digitsOf(17).map((b) => ibanOf('CH', b)),
  fc.tuple(capitals(4), digitsOf(10)).map(([bank, acct]) => ibanOf('NL', bank + acct)),
  fc.tuple(digitsOf(10), alnum(11), digitsOf(2)).map(([a, b, c]) => ibanOf('FR', a + b + c)),
  fc.tuple(capitals(4), digitsOf(14)).map(([bank, acct]) => ibanOf('GB', bank + acct)),
);

/** Groups of `size`, joined by `gap`. */
const grouped = (s: string, size: number, gap: string) => s.match(new RegExp(`.{1,${size}}`, 'g'))?.join(gap) ?? s;

/** An IBAN as written: compact or grouped by four (blanks, dashes, dots), in capitals or lower case. */
const ibanArb = fc
  .tuple(bbanArb, fc.constantFrom('compact', 'spaced', 'dashed', 'dotted', 'double'), fc.boolean())
  .map(([iban, form, lower]) => {
    const written = form === 'compact' ? iban : grouped(iban, 4, { spaced: ' ', dashed: '-', dotted: '.', double: '  ' }[form]);
    return lower ? written.toLowerCase() : written;
  });

/** A Luhn-valid card number in an issuer's range: Visa, Mastercard (51-55, 2221-2720), Amex, Discover. */
const cardDigitsArb = fc
  .oneof(
    digitsOf(14).map((d) => `4${d}`),
    fc.tuple(fc.integer({ min: 51, max: 55 }), digitsOf(13)).map(([p, d]) => `${p}${d}`),
    fc.tuple(fc.integer({ min: 2221, max: 2720 }), digitsOf(11)).map(([p, d]) => `${p}${d}`),
    fc.tuple(fc.constantFrom('34', '37'), digitsOf(12)).map(([p, d]) => `${p}${d}`),
    digitsOf(11).map((d) => `6011${d}`),
  )
  .map((body) => {
    const check = [...'0123456789'].find((c) => passesLuhn(body + c)) ?? '0';
    return body + check;
  });

/** A card number as written: compact, in groups of four (Amex 4-6-5) split by blanks or dashes. */
const cardArb = fc.tuple(cardDigitsArb, fc.constantFrom('', ' ', '-')).map(([d, gap]) => {
  if (gap === '') return d;
  return d.length === 15 ? [d.slice(0, 4), d.slice(4, 10), d.slice(10)].join(gap) : grouped(d, 4, gap);
});

/** German, Austrian, Swiss, British and North American phone numbers, as people write them. */
const phoneArb = fc.oneof(
  fc.tuple(fc.constantFrom('151', '160', '170', '171', '176'), digitsOf(7)).chain(([area, n]) =>
    fc.constantFrom(`+49 (0)${area} ${n}`, `0${area}/${n}`, `0${area} ${n}`, `+49 ${area} ${n}`, `0049 ${area} ${n}`, `+49${area}${n}`, `0${area}-${n}`),
  ),
  fc.tuple(fc.constantFrom('30', '89', '40', '69', '221'), digitsOf(6, 8)).chain(([area, n]) =>
    fc.constantFrom(`0${area}-${n}`, `(0${area}) ${n}`, `+49-${area}-${n}`, `+49 ${area} ${n}`, `0${area} / ${n}`),
  ),
  fc.tuple(digitsOf(3), digitsOf(2), digitsOf(2)).map(([a, b, c]) => `+41 44 ${a} ${b} ${c}`),
  digitsOf(7).map((n) => `+43 1 ${n}`),
  fc.tuple(digitsOf(4), digitsOf(4)).map(([a, b]) => `+44 20 ${a} ${b}`),
  fc
    .tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), digitsOf(4))
    .chain(([area, ex, n]) => fc.constantFrom(`(${area}) ${ex}-${n}`, `${area}-${ex}-${n}`, `+1 ${area} ${ex} ${n}`)),
);

const wordArb = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 2, maxLength: 10 });

/** Email addresses: dotted local parts, plus tags, digits, subdomains, capitals. */
const emailArb = fc
  .tuple(
    fc.array(wordArb, { minLength: 1, maxLength: 3 }),
    fc.option(fc.oneof(wordArb, digitsOf(2, 4)), { nil: undefined }),
    fc.option(wordArb, { nil: undefined }),
    fc.option(wordArb, { nil: undefined }),
    wordArb,
    fc.constantFrom('de', 'com', 'net', 'at', 'ch', 'co.uk', 'bank', 'io'),
    fc.boolean(),
  )
  .map(([local, suffix, tag, sub, domain, tld, capital]) => {
    const address = `${local.join('.')}${suffix ?? ''}${tag === undefined ? '' : `+${tag}`}@${sub === undefined ? '' : `${sub}.`}${domain}.${tld}`;
    return capital ? address.charAt(0).toUpperCase() + address.slice(1) : address;
  });

interface Pii {
  type: string;
  value: string;
}

const piiArb: fc.Arbitrary<Pii> = fc.oneof(
  ibanArb.map((value) => ({ type: 'IBAN', value })),
  cardArb.map((value) => ({ type: 'CARD', value })),
  phoneArb.map((value) => ({ type: 'PHONE', value })),
  emailArb.map((value) => ({ type: 'EMAIL', value })),
);

/** Sentences with a slot for personal data, no digit in them; the `{}` stands where a customer would write it. */
const frames: Record<string, readonly string[]> = {
  IBAN: ['Bitte überweisen Sie den Betrag auf meine IBAN: {}.', 'Meine neue Bankverbindung (IBAN {}) gilt ab sofort.', 'Please pay to {}, thank you.', 'Referenzkonto ({}) bitte ändern!', 'IBAN:\n{}\nDanke'],
  // After a count's keyword too: it names no number of a card's length (a card number pasted into the wrong field).
  CARD: ['Meine Kreditkarte {} wurde gesperrt.', 'The card ({}) was charged twice?', 'Kartennummer: {}, bitte prüfen.', 'Mit der Karte {} bezahlt.', 'Stückzahl: {} stimmt nicht.'],
  PHONE: ['Rufen Sie mich bitte unter {} an.', 'Sie erreichen mich mobil ({}) ab Mittag.', 'Please call me back on {}.', 'Tel. {}\nViele Grüße', 'Meine Nummer lautet {}, danke.'],
  EMAIL: ['Bitte schreiben Sie an {}.', 'Kontakt: <{}>', 'You can reach me at {}!', 'Meine neue Adresse ({}) bitte speichern.', 'E-Mail: {}\nDanke'],
};

const framedArb = piiArb.chain((pii) => fc.constantFrom(...frames[pii.type]).map((frame) => ({ pii, frame })));

/** The digits of a number, or the address itself: what must not survive masking. */
const secretOf = (pii: Pii) => (pii.type === 'EMAIL' ? pii.value : pii.value.replace(/\D/g, ''));

/** Invented numbers the README keeps: amounts, dates, ISINs, order and reference numbers, WKNs, quantities. */
const amountArb = fc
  .tuple(fc.integer({ min: 1, max: 9_999_999 }), digitsOf(2), fc.constantFrom('de', 'en'))
  .chain(([whole, cents, style]) => {
    const de = `${whole.toLocaleString('de-DE')},${cents}`;
    const en = `${whole.toLocaleString('en-US')}.${cents}`;
    return style === 'de' ? fc.constantFrom(`${de} EUR`, `EUR ${de}`, `${de} €`) : fc.constantFrom(`USD ${en}`, `${en} USD`, `$${en}`);
  });
const dateArb = fc
  .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1990, max: 2030 }))
  .chain(([d, m, y]) => {
    const dd = String(d).padStart(2, '0');
    const mm = String(m).padStart(2, '0');
    return fc.constantFrom(`${dd}.${mm}.${y}`, `${d}.${m}.${y}`, `${y}-${mm}-${dd}`, `${dd}/${mm}/${y}`);
  });
/** An ISIN with its check digit (Luhn over the letters read as 10-35). */
const isinArb = fc.tuple(fc.constantFrom('DE', 'US', 'FR', 'IE', 'LU', 'NL'), alnum(9)).map(([country, body]) => {
  const base = country + body;
  const asDigits = [...base].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  const check = [...'0123456789'].find((c) => passesLuhn(asDigits + c)) ?? '0';
  return base + check;
});
const orderArb = fc.oneof(
  digitsOf(10).map((n) => `Ordernummer ${n}`),
  fc.tuple(digitsOf(3), digitsOf(3), digitsOf(4)).map(([a, b, c]) => `Order ${a}-${b}-${c}`),
  fc.tuple(digitsOf(4), digitsOf(7)).map(([a, b]) => `Auftrags-Nr. 0${a.slice(1)} ${b}`),
  digitsOf(8, 12).map((n) => `Referenz 0${n}`),
  digitsOf(10).map((n) => `Kaufabrechnung Nr. 0${n}`),
  digitsOf(11).map((n) => `Transaktions-ID 0${n}`),
  digitsOf(6).map((n) => `WKN ${n}`),
);
const keptArb = fc.oneof(
  amountArb,
  dateArb,
  isinArb,
  orderArb,
  fc.tuple(dateArb, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 10, max: 59 })).map(([d, h, m]) => `${d} ${h}:${m}`),
  fc.integer({ min: 1, max: 9999 }).map((n) => `${n} Stück Aktien`),
  fc.tuple(fc.integer({ min: 0, max: 99 }), digitsOf(1, 2)).map(([a, b]) => `${a},${b} %`),
);

/** Prose between the numbers. */
const filler = fc.constantFrom('Hallo,', 'bitte prüfen Sie', 'und', 'danke.', 'Please check', 'am', 'vom', 'Betrag', 'Kauf von', '\n', 'Sehr geehrte Damen und Herren,');
const pieceArb = fc.oneof(
  piiArb.map((p) => ({ text: p.value, masked: `[${p.type}]` })),
  fc.oneof(keptArb, filler).map((text) => ({ text, masked: text })),
);
/**
 * Pieces joined by a blank, but a comma after a phone number: its groups are split by blanks, so a number after it with
 * only a blank between may read as one more group (`0171 2345678 2024 01.01.1990`), as the README's known limits have it
 * (a month, a quantity or an amount after it is tested on its own below).
 */
const joined = (parts: ReadonlyArray<{ text: string; masked: string }>, key: 'text' | 'masked') =>
  parts.map((p, i) => (i === 0 ? '' : parts[i - 1].masked === '[PHONE]' ? ', ' : ' ') + p[key]).join('');
/** A text of prose, personal data and kept numbers, one piece after another, and the text as masking should leave it. */
const mixedArb = fc.array(pieceArb, { minLength: 1, maxLength: 12 }).map((parts) => ({ text: joined(parts, 'text'), masked: joined(parts, 'masked') }));

describe('redactPii properties', () => {
  it('masks invented IBANs, card and phone numbers and addresses in a sentence, and only them', () => {
    fc.assert(
      fc.property(framedArb, ({ pii, frame }) => {
        const [before, after] = frame.split('{}');
        const r = redactPii(before + pii.value + after);
        expect(r.text).toBe(`${before}[${pii.type}]${after}`);
        expect(r.redactions).toEqual([{ type: pii.type, start: before.length, end: before.length + pii.type.length + 2 }]);
      }),
      { seed: 1, numRuns: 600 },
    );
  });

  it('masks each piece of personal data in a text that mixes it with kept numbers, and puts every placeholder where its offsets say', () => {
    for (const seed of [2, 20, 200]) {
      fc.assert(
        fc.property(mixedArb, ({ text, masked }) => {
          const r = redactPii(text);
          expect(r.text).toBe(masked);
          let last = 0;
          for (const red of r.redactions) {
            expect(red.start).toBeGreaterThanOrEqual(last);
            expect(r.text.slice(red.start, red.end)).toBe(`[${red.type}]`);
            last = red.end;
          }
        }),
        { seed, numRuns: 300 },
      );
    }
  });

  it('masks a phone number with a month, a quantity or an amount right after it (one blank between), and keeps those', () => {
    const monthArb = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1990, max: 2035 }), fc.constantFrom('/', '.'), fc.boolean()).map(([m, y, sep, pad]) => `${pad ? String(m).padStart(2, '0') : m}${sep}${y}`);
    const unitArb = fc.constantFrom('Stück', 'Stk', 'Aktien', 'Anteile', 'shares', 'units', 'EUR', '€', '%', 'USD', 'CHF');
    const quantityArb = fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.constantFrom('', ' '), unitArb).map(([n, gap, unit]) => `${n}${gap}${unit}`);
    const currencyAmountArb = fc.tuple(fc.constantFrom('EUR', 'USD', '€', '$'), fc.integer({ min: 1, max: 99_999 }), digitsOf(2)).map(([c, n, cents]) => `${c} ${n},${cents}`);
    fc.assert(
      fc.property(phoneArb, fc.oneof(monthArb, quantityArb, currencyAmountArb), fc.constantFrom('', ' bitte prüfen', '.'), (phone, after, tail) => {
        // 12 to 19 digits that pass Luhn together (one pair in ten) are read as one card number: masked all the same.
        const together = (phone + after).replace(/\D/g, '');
        fc.pre(!(/^\d/.test(after) && together.length >= 12 && passesLuhn(together)));
        expect(redactPii(`Erreichbar unter ${phone} ${after}${tail}`).text).toBe(`Erreichbar unter [PHONE] ${after}${tail}`);
      }),
      { seed: 8, numRuns: 1_000 },
    );
  });

  it('keeps amounts, dates, ISINs, order and reference numbers, WKNs and quantities', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(keptArb, filler), { minLength: 1, maxLength: 8 }), (parts) => {
        const text = parts.join(' ');
        expect(redactPii(text).text).toBe(text);
      }),
      { seed: 3, numRuns: 600 },
    );
  });

  it('keeps the kept numbers next to personal data', () => {
    fc.assert(
      fc.property(keptArb, framedArb, (kept, { pii, frame }) => {
        const [before, after] = frame.split('{}');
        const r = redactPii(`Am Konto gebucht: ${kept}. ${before}${pii.value}${after}`);
        expect(r.text).toBe(`Am Konto gebucht: ${kept}. ${before}[${pii.type}]${after}`);
      }),
      { seed: 4, numRuns: 400 },
    );
  });

  it('is idempotent: masking masked text changes nothing, and maskedLine masks a line as redactPlain does', () => {
    fc.assert(
      fc.property(mixedArb, fc.boolean(), ({ text }, names) => {
        const once = redactPii(text, { names });
        expect(redactPii(once.text, { names }).text).toBe(once.text);
        const line = text.split('\n')[0];
        expect(maskedLine(line)).toBe(redactPlain(line).text);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('never lets cleanEmail emit the personal data of the text it keeps', () => {
    fc.assert(
      fc.property(framedArb, mixedArb, ({ pii, frame }, rest) => {
        const body = `Sehr geehrte Damen und Herren,\n\n${frame.replace('{}', pii.value)}\n${rest.text}\n\nMit freundlichen Grüßen\nKunde`;
        const r = cleanEmail({ subject: 'Anfrage', body });
        expect(r.text).not.toContain(pii.value);
        if (pii.type !== 'EMAIL') expect(r.text.replace(/\D/g, '')).not.toContain(secretOf(pii));
      }),
      { seed: 6, numRuns: 200 },
    );
  });

  // How long a megabyte takes is the benchmark's to show (`npm run bench -- preprocess`); a pattern that backtracks on
  // one runs for minutes, and the test times out.
  it('places each placeholder where its redaction says on a megabyte of digits and separators', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 .-/()+\n,:'), minLength: 1, maxLength: 24 }), (unit) => {
        const r = redactPii(unit.repeat(Math.ceil(1_000_000 / unit.length)));
        for (const x of r.redactions) expect(r.text.slice(x.start, x.end)).toBe(`[${x.type}]`);
      }),
      { seed: 7, numRuns: 12 },
    );
  }, 60_000);
});
