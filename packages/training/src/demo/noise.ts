import { pick } from '../random.js';

type Rng = () => number;
export type Lang = 'de' | 'en';

function digits(n: number, random: Rng): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 10);
  return s;
}

/** mod 97 of a long decimal string, chunk by chunk. */
function mod97(numeric: string): number {
  let rest = 0;
  for (let i = 0; i < numeric.length; i += 7) rest = Number(`${rest}${numeric.slice(i, i + 7)}`) % 97;
  return rest;
}

/** An invented German IBAN whose check digits pass ISO 13616 mod-97. */
export function inventIban(random: Rng): string {
  const bban = digits(18, random);
  const check = 98 - mod97(`${bban}131400`); // D=13, E=14, then "00"
  const iban = `DE${String(check).padStart(2, '0')}${bban}`;
  return iban.replace(/(.{4})/g, '$1 ').trim();
}

export function ibanIsValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  const moved = `${s.slice(4)}${s.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return mod97(moved) === 1;
}

/** Luhn check digit of a digit string. */
function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Card numbers published for testing payment forms (they pass the Luhn check, so masking meets them as real ones):
 * a random Luhn-valid number could be someone's card, and a data-loss scanner would rightly flag the demo data.
 */
const TEST_CARD_NUMBERS = ['4111111111111111', '4012888888881881', '4242424242424242', '5555555555554444', '5105105105105100', '4000056655665556'];

/** A card number of the demo mail: one of TEST_CARD_NUMBERS (drawing as many numbers as a random one took, so the rows after it stay as they were). */
export function inventCardNumber(random: Rng): string {
  const drawn = digits(14, random);
  return TEST_CARD_NUMBERS[Number(drawn.slice(-2)) % TEST_CARD_NUMBERS.length].replace(/(.{4})/g, '$1 ').trim();
}

export function luhnIsValid(number: string): boolean {
  const s = number.replace(/\D/g, '');
  return luhnDigit(s.slice(0, -1)) === Number(s[s.length - 1]);
}

export function inventIsin(random: Rng): string {
  return `DE000${String.fromCharCode(65 + Math.floor(random() * 26))}${digits(6, random)}`;
}

// Formatters are created once: building one per call dominated the generation time.
const MONEY = {
  de: new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
};

export function amount(lang: Lang, random: Rng): string {
  const value = Math.round(random() * random() * 50_000 + 25) + (random() < 0.5 ? 0 : 0.5);
  return lang === 'de' ? `${MONEY.de.format(value)} EUR` : `EUR ${MONEY.en.format(value)}`;
}

const GREETINGS: Record<Lang, string[]> = {
  de: ['Sehr geehrte Damen und Herren,', 'Hallo,', 'Guten Tag,', 'Liebes Service-Team,', 'Hallo zusammen,', 'Moin,', 'Sehr geehrtes Kundenservice-Team,'],
  en: ['Dear Sir or Madam,', 'Hello,', 'Hi there,', 'Dear support team,', 'Good morning,', 'Hi,'],
};
const CLOSINGS: Record<Lang, string[]> = {
  de: ['Mit freundlichen Grüßen', 'Viele Grüße', 'Beste Grüße', 'MfG', 'Danke und Gruß', 'Freundliche Grüße'],
  en: ['Kind regards', 'Best regards', 'Thanks', 'Cheers', 'Sincerely', 'Many thanks'],
};
const PLEAS: Record<Lang, string[]> = {
  de: ['Vielen Dank im Voraus.', 'Ich bitte um schnelle Rückmeldung.', 'Können Sie mir bitte helfen?', 'Danke für Ihre Hilfe.', ''],
  en: ['Thanks in advance.', 'Please get back to me soon.', 'Could you help me, please?', 'Thank you for your help.', ''],
};
const DEVICE_LINES: Record<Lang, string[]> = {
  de: ['Von meinem iPhone gesendet', 'Gesendet von meinem Android-Gerät'],
  en: ['Sent from my iPhone', 'Sent from my Android phone'],
};
const BANK_REPLIES: Record<Lang, string[]> = {
  de: [
    'vielen Dank für Ihre Nachricht. Wir haben Ihr Anliegen an die zuständige Fachabteilung weitergeleitet.',
    'bitte senden Sie uns die fehlenden Unterlagen als PDF zu.',
    'leider konnten wir Ihr Anliegen noch nicht abschließend bearbeiten.',
  ],
  en: [
    'Thank you for your message. We have passed your request on to the responsible team.',
    'Please send us the missing documents as a PDF.',
    'Unfortunately we have not been able to complete your request yet.',
  ],
};
const WEEKDAYS_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function greeting(lang: Lang, name: string, random: Rng): string {
  return random() < 0.12 ? '' : pick(GREETINGS[lang], random).replace('{name}', name);
}

export function plea(lang: Lang, random: Rng): string {
  return pick(PLEAS[lang], random);
}

/**
 * The Bundesnetzagentur's numbers for fiction ("drama numbers", Amtsblatt 7/2021, Mitteilung 148/2021): 1,000 in each
 * of five local networks that are never given to anyone. A random mobile number would often be someone's.
 */
const DRAMA_NUMBER_BLOCKS = ['30 23125', '69 90009', '40 66969', '221 4710', '89 99998'];

/** A phone number of the demo mail from seven random digits: a drama number (the first picks the block, the last three the number). */
function dramaNumber(drawn: string): string {
  return `+49 ${DRAMA_NUMBER_BLOCKS[Number(drawn[0]) % DRAMA_NUMBER_BLOCKS.length]} ${drawn.slice(4)}`;
}

/** Closing, name, sometimes a phone line, an address line and a device line. */
export function signature(lang: Lang, first: string, last: string, random: Rng): string {
  const lines = [pick(CLOSINGS[lang], random), random() < 0.3 ? first : `${first} ${last}`];
  if (random() < 0.3) lines.push(`${lang === 'de' ? 'Tel.' : 'Phone'}: ${dramaNumber(digits(7, random))}`);
  if (random() < 0.15) lines.push(lang === 'de' ? 'Kundennummer: ' + digits(8, random) : 'Customer no. ' + digits(8, random));
  if (random() < 0.15) lines.push('', pick(DEVICE_LINES[lang], random));
  return lines.join('\n');
}

/** A quoted earlier reply of the bank, in the mail client's own words (`Am ... schrieb ...:` / `On ... wrote:`). */
export function quotedReply(lang: Lang, when: Date, random: Rng): string {
  const d = new Date(when.getTime() - (1 + Math.floor(random() * 9)) * 86_400_000);
  const hh = String(8 + Math.floor(random() * 10)).padStart(2, '0');
  const mm = String(Math.floor(random() * 60)).padStart(2, '0');
  const reply = pick(BANK_REPLIES[lang], random);
  if (lang === 'de') {
    const date = `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
    return `Am ${date} um ${hh}:${mm} schrieb Kundenservice <service@broker.example>:\n> Sehr geehrte Kundin, sehr geehrter Kunde,\n> ${reply}\n> Mit freundlichen Grüßen\n> Ihr Kundenservice`;
  }
  const date = `${WEEKDAYS_EN[(d.getUTCDay() + 6) % 7]}, ${d.getUTCDate()} ${MONTHS_SHORT[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return `On ${date} at ${hh}:${mm}, Customer Service <service@broker.example> wrote:\n> Dear customer,\n> ${reply}\n> Kind regards\n> Customer Service`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The same message as an HTML mail: a style block, paragraphs, a tracking pixel. */
export function toHtml(text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<html><head><style>p { font-family: Arial, sans-serif; font-size: 11pt; }</style></head><body>\n${paragraphs}\n<img src="https://track.mail.example/open.gif" width="1" height="1" alt="">\n</body></html>`;
}

/** A few typing errors: swapped letters, a dropped letter, an umlaut typed plainly. */
export function addTypos(text: string, random: Rng): string {
  const words = text.split(' ');
  const n = 1 + Math.floor(random() * 3);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(random() * words.length);
    const w = words[i];
    if (w.length < 4 || /[{}@\d]/.test(w)) continue;
    const j = 1 + Math.floor(random() * (w.length - 2));
    const kind = random();
    if (kind < 0.4) words[i] = w.slice(0, j) + w[j + 1] + w[j] + w.slice(j + 2);
    else if (kind < 0.75) words[i] = w.slice(0, j) + w.slice(j + 1);
    else words[i] = w.replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u').replace(/ß/g, 'ss');
  }
  return words.join(' ');
}
