import { isBlank, isTrimSpace } from './blank.js';
import { stripMarkers } from './patterns.js';
import { byFirstLetter } from './alternation.js';
import { INTRODUCES, inIntroducedList } from './introduced-list.js';
import { maskedLine } from './redact.js';
import { CONTACT, FIRM, hasWords, isSentence, proseWords } from './sentence.js';

export type RemovedKind = 'quoted' | 'signature' | 'disclaimer' | 'device' | 'footer';

export const SIGN_OFFS = [
  // German
  'mit freundlichen grüßen', 'mit freundlichen grüssen', 'mit freundlichem gruß', 'mit freundlichem gruss', 'freundliche grüße',
  'freundliche grüsse', 'freundlichen gruß', 'viele grüße', 'viele grüsse', 'beste grüße', 'beste grüsse', 'liebe grüße',
  'liebe grüsse', 'herzliche grüße', 'herzliche grüsse', 'schöne grüße', 'schöne grüsse', 'gruß', 'gruss', 'grüße', 'grüsse',
  'lg', 'vg', 'mfg', 'mit besten grüßen', 'mit besten grüssen', 'besten dank', 'vielen dank', 'danke', 'danke schön',
  'danke und viele grüße', 'danke und gruß', 'mit bestem dank', 'hochachtungsvoll', 'beste grüße aus', 'sonnige grüße',
  'vielen dank im voraus', 'danke im voraus', 'besten dank im voraus', 'vielen dank und freundliche grüße',
  'vielen dank und beste grüße', 'vielen dank und viele grüße', 'danke und beste grüße', 'danke und freundliche grüße',
  'freundlichst',
  // Swiss German (`Merci vielmal`, `En schöne Tag`), and a closing's adjective in the singular (`Lieber Gruss`)
  'merci vielmal', 'merci viel mal', 'en schöne tag', 'e schöne tag', 'schöne tag', 'schönen tag', 'schönen tag noch',
  'einen schönen tag', 'lieber gruss', 'lieber gruß',
  // Spelt without umlauts (an ASCII keyboard, a mailer that replaced them)
  'mit freundlichen gruessen', 'freundliche gruesse', 'viele gruesse', 'beste gruesse', 'liebe gruesse', 'herzliche gruesse',
  'schoene gruesse', 'gruesse', 'mit besten gruessen',
  // English
  'best regards', 'kind regards', 'warm regards', 'warmest regards', 'regards', 'best', 'cheers', 'thanks', 'thank you',
  'many thanks', 'thanks again', 'thanks in advance', 'sincerely', 'yours sincerely', 'sincerely yours', 'yours truly',
  'yours faithfully', 'best wishes', 'all the best', 'with best regards', 'with kind regards', 'kindest regards', 'greetings',
  'thank you very much', 'thanks so much', 'thx', 'br',
  // Polish, Turkish (`İyi günler` lower-cases to `i̇yi günler`, an i with a combining dot above: both spellings are listed)
  'pozdrawiam', 'z poważaniem', 'z pozdrowieniami', 'serdecznie pozdrawiam', 'saygılarımla', 'teşekkürler', 'saygılar',
  'iyi günler', 'iyi çalışmalar', 'i\u0307yi günler', 'i\u0307yi çalışmalar',
  // French, Spanish, Dutch, Italian
  'cordialement', 'bien cordialement', 'bien à vous', 'salutations', 'merci', 'saludos', 'saludos cordiales', 'atentamente',
  'met vriendelijke groet', 'met vriendelijke groeten', 'vriendelijke groet', 'groeten', 'cordiali saluti', 'distinti saluti', 'saluti',
  'très cordialement', 'meilleures salutations', 'mes meilleures salutations', 'avec mes meilleures salutations',
  'sincères salutations', 'salutations distinguées', 'salutations cordiales', 'bonne journée', 'bonne soirée',
  'bonne fin de journée', 'belle journée', 'bien à toi', 'merci beaucoup', 'merci bien', 'merci par avance',
  'saluti cordiali', 'un cordiale saluto', 'cordiale saluto', 'un caro saluto', 'un saluto', 'cari saluti', 'grazie',
  'grazie mille', 'buona giornata', 'buona serata',
];
const SIGN_OFF_SET = new Set(SIGN_OFFS);
/** Thanks are often the last words of the message itself: they start a signature only with a name under them. */
const THANKS = /^(?:thanks|thank you|many thanks|thanks again|thanks in advance|thank you very much|thanks so much|thx|danke|danke schön|vielen dank|besten dank|merci|grazie)\b/;

function isThanks(line: string): boolean {
  return THANKS.test(stripMarkers(line).toLowerCase());
}

/** The first word of every sign-off (they are words of letters with one space between them, as a test checks). */
const SIGN_OFF_FIRST_WORDS = new Set(SIGN_OFFS.map((s) => s.split(' ')[0]));

/** `,` `.` `!` `:` `;` `-`: with the blanks, what may follow a sign-off on its line. */
function endsSignOffWord(c: number): boolean {
  return c === 44 || c === 46 || c === 33 || c === 58 || c === 59 || c === 45 || isTrimSpace(c);
}

/**
 * Whether a lower-cased line without markers may pass `signOffRules`: it starts with the first word of a
 * sign-off, ended by a blank or one of `,.!:;-` or the line's end (tests check the rules against this gate).
 */
export function maySignOff(l: string): boolean {
  return SIGN_OFF_FIRST_WORDS.has(l.slice(0, firstWordEnd(l)));
}

/** Where the first word of a line ends: at a blank, one of `,.!:;-`, or the line's end. */
function firstWordEnd(l: string): number {
  let end = 0;
  while (end < l.length && !endsSignOffWord(l.charCodeAt(end))) end += 1;
  return end;
}

/**
 * `maySignOff` of a line without markers that is not lower-cased yet: only its first word is lower-cased (lower case
 * moves no word's end, and no sign-off word has a letter whose lower case depends on what follows it).
 */
function maySignOffAsWritten(line: string): boolean {
  return SIGN_OFF_FIRST_WORDS.has(line.slice(0, firstWordEnd(line)).toLowerCase());
}

/** What masking may replace: an address has `@`, a number (phone, IBAN, id) digits. */
const MASKABLE = /[\d@]/;

/** What the sign-off rules read of a sign-off line, and what they found, for `isClosingAt` to go on from. */
interface SignOff {
  /** The first 80 characters of the line, as masking leaves it when it may, without markers. */
  raw: string;
  /** Whether `signOffRules` took it; else `name` is the name `signedName` found on it. */
  rules: boolean;
  name?: string;
}

/**
 * The sign-off a line is (`isSignOff`), or undefined. A line with an address or a number is read as masking leaves
 * it; the gate reads the line as written, whose first 80 characters without markers are also what the rules read
 * when masking may change nothing.
 */
function readSignOff(line: string): SignOff | undefined {
  for (let k = 0; k < readLines.length; k += 1) if (readLines[k] === line) return readSignOffs[k];
  const found = readSignOffAfresh(line);
  readLines[readNext] = line;
  readSignOffs[readNext] = found;
  readNext = (readNext + 1) % READ_MEMO;
  return found;
}

/**
 * The last lines `readSignOff` read and what it found: the passes and the rules of one email ask about the same lines
 * again (the closing over the signature cut in the pass before, the lines under a closing), a third of its calls. A
 * few, compared as they are, cost less than a map's hash of each line.
 */
const READ_MEMO = 8;
const readLines: string[] = [];
const readSignOffs: Array<SignOff | undefined> = [];
let readNext = 0;

function readSignOffAfresh(line: string): SignOff | undefined {
  const head = stripMarkers(line.slice(0, 80));
  if (!maySignOffAsWritten(head)) return undefined;
  const raw = MASKABLE.test(line) ? stripMarkers(maskedLine(line).slice(0, 80)) : head;
  const l = raw.toLowerCase();
  if (l.length === 0 || l.length > 60) return undefined;
  if (signOffRules(l) || greetsFromPlace(raw)) return { raw, rules: true };
  const name = signedName(raw);
  return name === undefined ? undefined : { raw, rules: false, name };
}

/**
 * A line that is a sign-off, optionally followed by a short name: `Viele Grüße`, `Thanks, Anna`, `LG Petra`. A
 * line with an address or a number is read as masking leaves it, as cleaning reads its own output: `Best regards,
 * support@example.com` is one (the address's dots are no sentence's), as its masked `Best regards, [EMAIL]` is, and
 * `Viele Grüße, Max Mustermann, +49 170 1234567` too (three words after the comma once masked: `[PHONE]`).
 */
export function isSignOff(line: string): boolean {
  return readSignOff(line) !== undefined;
}

/** A capitalised name word (`Petra`, `Anna-Lena`) or an initial (`J.`). */
const NAME_WORD = String.raw`\p{Lu}(?:\p{Ll}+(?:-\p{Lu}\p{Ll}+)?|\.)`;
/** One to three name words (`Petra`, `Anna-Lena Weber`, `J. Beispiel`) and maybe a dot or `!`. */
const NAME_AFTER_SIGN_OFF = new RegExp(String.raw`^${NAME_WORD}(?:\s${NAME_WORD}){0,2}[.!]?$`, 'u');
/** An initial (`J.`): it says too little to find the name again on the line under a closing. */
const INITIAL = /^\p{Lu}\.$/u;

/**
 * The name of a sign-off and a capitalised name on one line without a comma (`LG Petra`, `Gruß Tim`, `MfG
 * Weber`), or undefined. Read alone the line may as well name a firm or a product (`LG Electronics`, `Best
 * Buy`): `removeSignature` takes it for a closing only where it ends the text, or has the name again or contact
 * lines under it (`isClosingAt`).
 */
function signedName(raw: string): string | undefined {
  const words = raw.split(/\s+/);
  // The first one to four words lower-cased and joined, built up once (each word lower-cased alone, as joined).
  const most = Math.min(4, words.length - 1);
  const heads: string[] = [];
  for (let n = 1; n <= most; n += 1) heads.push(n === 1 ? words[0].toLowerCase() : `${heads[n - 2]} ${words[n - 1].toLowerCase()}`);
  for (let n = most; n >= 1; n -= 1) {
    if (!SIGN_OFF_SET.has(heads[n - 1])) continue;
    const name = words.slice(n).join(' ');
    return NAME_AFTER_SIGN_OFF.test(name) ? name : undefined;
  }
  return undefined;
}

/** The sign-off rules on a lower-cased line without markers, of 1 to 60 characters (`isSignOff` gates them). */
export function signOffRules(l: string): boolean {
  // `l.replace(/[\s,.!:;-]+$/, '')`, read from the end.
  let e = l.length;
  while (e > 0 && endsSignOffWord(l.charCodeAt(e - 1))) e -= 1;
  const bare = e === l.length ? l : l.slice(0, e);
  if (isSignOffWords(bare)) return true;
  const comma = bare.indexOf(',');
  if (comma > 0) {
    const head = bare.slice(0, comma).trim();
    const tail = bare.slice(comma + 1).trim();
    return isSignOffWords(head) && tail.split(/\s+/).length <= 3 && !/[.?]/.test(tail);
  }
  return false;
}

/**
 * What joins two sign-offs into one, blanks around it: `und`, `and`, French `et`, Italian `e`, `&`, `+`, or a `/` or `|`
 * between two languages' (`Grazie e cordiali saluti`, `Merci et bonne journée`).
 */
const JOINS_SIGN_OFFS = /\s+(?:und|and|et|e|&|\+|\/|\|)\s+/;

/**
 * A sign-off, or sign-offs joined into one (`Danke & Gruß`, `Thanks and regards`, `Many thanks and best regards`,
 * `Mit freundlichen Grüßen / Best regards`); `dank` joins as a sign-off (`Gruß und Dank`), though alone it is none.
 * The first is a sign-off, so the line passes `maySignOff`'s gate.
 */
function isSignOffWords(s: string): boolean {
  if (SIGN_OFF_SET.has(s)) return true;
  if (!JOINS_SIGN_OFFS.test(s)) return false;
  const parts = s.split(JOINS_SIGN_OFFS);
  return parts.length <= 3 && SIGN_OFF_SET.has(parts[0]) && parts.every((part) => SIGN_OFF_SET.has(part) || part === 'dank');
}

/**
 * `Mit freundlichen Grüßen aus Hamburg`, `Best wishes from Bad Homburg`, `Salutations de Genève`, `Saluti da Lugano`:
 * greetings and the place they come from, one to three capitalised words (`Frankfurt am Main`). Not `Grüße aus dem
 * Urlaub`: no place, a sentence.
 */
const FROM_PLACE = /^(.+?)\s+(?:aus|from|de|depuis|da|dalla|dal)\s+\p{Lu}[\p{L}.'-]*(?:\s+(?:(?:am|an der|im|ob der|bei)\s+)?\p{Lu}[\p{L}.'-]*){0,2}[\s,.!:;-]*$/u;
/** The greeting word of a sign-off (`Grüße`, `regards`): thanks come from no place. */
const GREETING_SIGN_OFF = /gr(?:ü|ue|u)(?:ß|ss)|regards|wishes|greetings|groet|salut|saludos/;

/** Whether a line without markers is a sign-off of greetings from a place (FROM_PLACE). */
function greetsFromPlace(raw: string): boolean {
  const m = FROM_PLACE.exec(raw);
  if (m === null) return false;
  const head = m[1].toLowerCase();
  return GREETING_SIGN_OFF.test(head) && isSignOffWords(head);
}

const DEVICE = [
  /^(?:sent|gesendet|envoyé|enviado|verzonden|inviato|skickat|sendt|wysłane|lähetetty|trimis|küldve)\s(?:from|von|with|mit|via|de|depuis|desde|do|vanaf|met|da|från|fra|z|aus|à partir de)\s[^,;]{1,50}$/i,
  /^(?:von|vom) meine[mn]? .{1,50} (?:gesendet|verschickt)\.?$/i,
  /^get outlook for (?:ios|android)\.?$/i,
  /^(?:holen sie sich|hol dir) outlook für (?:ios|android)\.?$/i,
  /^(?:outlook für (?:ios|android) (?:herunterladen|beziehen)|download outlook for (?:ios|android))\.?$/i,
  // French and Italian: `Obtenir Outlook pour iOS`, `Télécharger Outlook pour Android`, `Ottieni Outlook per iOS`, `Scarica …`.
  /^(?:(?:obtenir|télécharger) outlook pour|(?:ottieni|scarica) outlook per) (?:ios|android)\.?$/i,
  /^diese nachricht wurde von meinem .{1,60} gesendet\.?$/i,
];
/** A short line naming a phone or mail app: "Enviado do meu iPhone", "Az iPhone-omról küldve", "أُرسلت من الـ iPhone". */
const DEVICE_NAME = /\b(?:iphone|ipad|android|blackberry|samsung|galaxy|huawei|xiaomi|outlook for|windows phone|mobile)/i;
const SENT_WORD = /sent|gesendet|envoy|enviad|verzonden|inviat|skickat|sendt|wysłan|lähetetty|trimis|küldve|отправлено|أُرسلت|从|從|送信/i;

const SENTENCE_AFTER = /[.!?]\s+\p{L}/u;
/**
 * What no device line holds: a date (`on 01/11/2025`, `am 01.11.`) or an account, bank or card word. `Sent from my
 * HSBC current account on 01/11/2025` and `Gesendet von meinem Girokonto bei der Sparkasse` tell of a payment.
 */
const NOT_DEVICE = /\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4}|\.)|konto|account|sparkasse|\bbank|\bcard|karte|depot|iban|überweis|transfer|payment|zahlung/i;
/** The link Outlook's mobile apps put after their line (`Get Outlook for iOS<https://aka.ms/o0ukef>`). */
const TRAILING_LINK = /\s?<https?:\/\/[^\s<>]{1,200}>$/;

/** `Sent from my iPhone`, `Von meinem iPhone gesendet`, `Gesendet von Outlook für Android` ... */
// Cheap gates before the patterns: a brand name anywhere (plain substring search), or a "sent" word first.
const BRANDS = /iPhone|iphone|IPhone|iPad|[Aa]ndroid|Outlook|Samsung|Galaxy|BlackBerry|Huawei|Xiaomi|obil/;
const SENT_START = /^[\s*_]{0,4}(?:sent|gesendet|von|vom|envoy|enviad|verzonden|inviat|skickat|sendt|wysłan|lähetetty|trimis|get|holen|hol|diese|obtenir|télécharger|ottieni|scarica)/i;

/** The cheap gates of `isDeviceLine`: false means it is no device line. */
function mayBeDeviceLine(line: string): boolean {
  return line.length <= 80 && line.length >= 8 && (BRANDS.test(line) || SENT_START.test(line));
}

export function isDeviceLine(line: string): boolean {
  return mayBeDeviceLine(line) && deviceLineRules(line);
}

/** The placeholder masking leaves of what it finds (`[PHONE]`, `[EMAIL]`). */
const PLACEHOLDER = /\[[A-Z][A-Z0-9_]*\]/;

/**
 * Whether masking finds anything on a line, or found it before: such a line is no device line, masked or not. The
 * rules count words and characters, which masking lessens (`Von meinem iPhone gesendet Tel. +49 170 1234567` has 8
 * words, one too many; masked to `Tel. [PHONE]`, 6), and cleaning its own masked output must read the line alike.
 * Asked last, so only a line the rules took for a device line is masked.
 */
function holdsMasked(l: string): boolean {
  return PLACEHOLDER.test(l) || maskedLine(l) !== l;
}

/** The patterns of `isDeviceLine`, for a line that passed its gates. */
function deviceLineRules(line: string): boolean {
  const marked = stripMarkers(line);
  const l = marked.endsWith('>') ? marked.replace(TRAILING_LINK, '') : marked;
  // More words after the device's sentence (`Gesendet von meinem Telefon. Sorry für Tippfehler`) are the sender's.
  if (SENTENCE_AFTER.test(l) || NOT_DEVICE.test(l)) return false;
  if (DEVICE.some((re) => re.test(l))) return l.split(/\s+/).length <= 12 && !holdsMasked(l);
  return DEVICE_NAME.test(l) && SENT_WORD.test(l) && l.split(/\s+/).length <= 7 && !/[?]$/.test(l) && !holdsMasked(l);
}

/**
 * Wording found only in legal boilerplate: one match makes an impersonal trailing paragraph a disclaimer.
 */
const DISCLAIMER_PHRASE =
  /intended (?:solely )?(?:only )?for the (?:use of the )?(?:addressee|recipient|person)|intended recipient|received (?:this|it)(?: e-?mail| message| communication)? (?:in error|by mistake)|nicht der (?:richtige|beabsichtigte) (?:adressat|empfänger)|für den (?:adressaten|empfänger) bestimmt|sitz der gesellschaft|registered (?:office|in england)|company (?:number|registration)|authori[sz]ed and regulated/i;
/** A paragraph headed `Disclaimer:` / `Haftungsausschluss` (a customer may name the word in prose too). */
const DISCLAIMER_HEADING = /^[\W_]*(?:disclaimer|haftungsausschluss|rechtlicher hinweis|legal notice)\b/i;
/**
 * Words of disclaimers and company footers that a customer may write too ("irrtümlich überwiesen",
 * "please treat this as confidential", "Beschwerde bei der BaFin", "Beschluss vom Amtsgericht"): an
 * impersonal paragraph needs one with words about this very message, or three different ones, to count. Also an
 * Austrian firm's register (`Firmenbuchnummer: FN 123456a`, `Handelsgericht Wien`, `UID: ATU12345678`) and a Swiss
 * one's (`UID CHE-123.456.789 MWST`).
 */
const DISCLAIMER_WORD =
  /confidential|disclaimer|haftungsausschluss|vertraulich|irrtümlich|unbefugt|unerlaubt|bafin|amtsgericht|handelsregister|\bhrb\b|registergericht|geschäftsführer|vorstand:|ust-?id|firmenbuch|handelsgericht|\bfn \d{4,6} ?[a-z]\b|\buid\b|\bche-\d{3}\.\d{3}\.\d{3}\b|\bmwst\b|\batu\d{8}\b|riservat|destinatari|confidentiel|destinataire|confidencial|vertrouwelijk|geadresseerde|poufn|adresat/gi;
/** The sender writing about themselves: boilerplate is impersonal. */
const FIRST_PERSON = /\b(?:ich|mein|meine|meinen|meinem|meiner|meines|mir|mich|my|me)\b|\bI(?:'m|'ve|'d| am| have| was| would| will)\b/i;
const FOOTER =
  /mailing list|mailman|listinfo|unsubscribe|abmelden|abbestellen|newsletter|follow us|folgen sie uns|view (?:this e-?mail )?in (?:your )?browser|im browser (?:anzeigen|ansehen|öffnen)|privacy policy|datenschutzerklärung|impressum|you are receiving this|sie erhalten diese|manage (?:your )?(?:email )?preferences|www\.(?:avast|avg)\.com|(?:avast|avg)\b[^\n]{0,60}auf viren (?:ge|über)prüft|checked for viruses by (?:avast|avg)\b|datenschutz|privacy (?:notice|statement|information)|data protection/i;
const RULE = /^[-_=*~#.\s]{3,}$/;
/**
 * The words of a footer that asks to spare paper (`Bitte denken Sie an die Umwelt, bevor Sie diese E-Mail ausdrucken.`,
 * `Please consider the environment before printing this email.`): the environment and printing, about this message or
 * before printing it (`printFooter`). A customer's `keine Ausdrucke mehr, der Umwelt zuliebe` is neither.
 */
const ENVIRONMENT = /umwelt|environment|\btrees?\b|bäume/i;
const PRINTING = /druck|print/i;
const BEFORE = /\b(?:before|bevor|ehe)\b/i;
/** Any of DISCLAIMER_PHRASE, DISCLAIMER_WORD, FOOTER and ENVIRONMENT, for `legalKind`'s first test (grouped: it runs on every closing paragraph). */
const LEGAL_ANY = new RegExp(byFirstLetter([DISCLAIMER_PHRASE.source, DISCLAIMER_WORD.source, FOOTER.source, ENVIRONMENT.source]), 'i');
/** The greeting words a message opens with. */
export const GREETING_WORDS = String.raw`(?:hallo|hello|hi|hey|moin|servus|grüß gott|grüezi|guten (?:tag|morgen|abend)|good (?:morning|afternoon|evening|day)|greetings|to whom it may concern|sehr geehrte[rsn]?|dear|liebe[rsn]?)\b`;
const GREETING = String.raw`^\s*${GREETING_WORDS}`;
/**
 * A greeting line on its own (`Hallo,`, `Dear Sir or Madam,`, `Guten Tag Frau Dr. Weber!`): what is left when a
 * customer's only paragraph is cut. The greeting and whom it greets, up to the first `,`, `!` or `:`, and nothing
 * after: `Hallo, bitte senden Sie mir die Steuerbescheinigung zu.` is a message, with a footer under it to cut.
 */
const GREETING_ONLY = new RegExp(String.raw`${GREETING}[^,;!?:\n]{0,60}[,;!:.]?\s*$|^[^\n]{1,60},\s*$`, 'i');
/** A sentence's end and a word after it, not a title's dot (`Frau Dr. Weber`): more than a greeting on the line. */
const SENTENCE_IN_GREETING = /(?<!\b(?:Dr|Prof|Hr|Fr|Frl|Mr|Mrs|Ms|St|Dipl|Ing|Mag))[.!?;]\s+\p{L}/u;
const OPENS_WITH_GREETING = new RegExp(GREETING, 'i');

/** GREETING_ONLY, with no sentence after the greeting. */
function isBareGreeting(line: string): boolean {
  return GREETING_ONLY.test(line) && !SENTENCE_IN_GREETING.test(line);
}

/** A line that is a greeting and no more (`Hallo,`, `Dear Sir or Madam,`): no message of its own. */
export function isGreetingLine(line: string): boolean {
  return OPENS_WITH_GREETING.test(line) && isBareGreeting(line);
}

/** A line that opens with a greeting (`Hi there!`, `Sehr geehrter Herr Weber, ...`): the start of a message. */
export function opensWithGreeting(line: string): boolean {
  return OPENS_WITH_GREETING.test(line);
}

export interface TailRemoval {
  /** The lines kept: the input array itself when nothing was removed. */
  lines: readonly string[];
  removed: Array<{ kind: RemovedKind; text: string }>;
  signature?: string;
}

/** Boilerplate speaks of the message it is attached to: `this e-mail`, `diese Nachricht`. */
const SELF_REFERENCE =
  /\b(?:this|the) (?:e-?mail|message|communication|transmission)\b|\bdiese[rsn]? (?:e-?mail|nachricht|mitteilung)\b|\bcet?t?e? (?:message|e-?mail|courriel)\b|\bquest[oa] (?:messaggio|e-?mail)\b|\beste (?:mensaje|correo)\b|\b(?:dit|deze) (?:bericht|e-?mail)\b/i;
/**
 * The customer as the subject of a sentence: boilerplate says `me` (notify me), never `I`. `Ich` opens a German
 * sentence capitalised; English `I` only counts capitalised.
 */
const CUSTOMER_SUBJECT = /\b[Ii]ch\b|\bICH\b|\bI\b/;
/**
 * The customer writing for a household or firm (`wir erhalten ihn doppelt`): a company's disclaimer says `we`
 * too (`we accept no liability`), so it only outweighs the weaker evidence, legal words and footer words.
 */
const WE = /\b(?:wir|we)\b/i;
/** A paragraph that opens with a request is the customer's (`Bitte ...`, `Please ...`), not a footer. */
const REQUEST_START = /^\W{0,3}(?:bitte|please|pls|kindly|könnten sie|können sie|could you|can you)\b/i;
/**
 * Footer words a customer uses too (`newsletter abbestellen`, `laut Ihrer Datenschutzerklärung`, `im Impressum
 * Ihrer Website`): they count only with a footer's context, a link, a `|` between links, `©`, `click here`.
 * Words of prose such as `erhalten` or `receive` are no such context (`wir erhalten ihn doppelt`).
 */
const WEAK_FOOTER = /^(?:unsubscribe|abmelden|abbestellen|newsletter|privacy policy|datenschutzerklärung|impressum)$/i;
const FOOTER_CONTEXT = /https?:|www\.|\||click|klicken|\bhier\b|\bhere\b|©/i;
/**
 * A firm's privacy notice (`Informationen zum Datenschutz finden Sie unter www…`, `Hinweise zum Datenschutz: https://…`,
 * `Unsere Datenschutzhinweise nach Art. 13 DSGVO finden Sie hier: https://…`): the word counts only with a link, not
 * with `hier` alone, which a customer's own sentence about data protection may say.
 */
const PRIVACY_FOOTER = /^(?:datenschutz|privacy (?:notice|statement|information)|data protection)$/i;
const LINK = /https?:\/\/|www\./i;

/** What a trailing paragraph's first lines read like: a disclaimer, a footer, or neither. */
function legalKind(text: string): RemovedKind | undefined {
  // One test rules out most paragraphs: the finer rules below run only on those with a legal word.
  if (!LEGAL_ANY.test(text)) return RULE.test(text) ? 'footer' : undefined;
  if (DISCLAIMER_HEADING.test(text)) return 'disclaimer';
  if (RULE.test(text)) return 'footer';
  // The customer as the subject (`ich`, `I`): theirs, whatever words it uses.
  if (CUSTOMER_SUBJECT.test(text)) return undefined;
  // Asking to spare paper (`Bitte denken Sie an die Umwelt, ...`): a footer, though it says `bitte` or `please`.
  if (printFooter(text)) return 'footer';
  const words = new Set(text.match(DISCLAIMER_WORD)?.map((w) => w.toLowerCase()));
  const phrase = DISCLAIMER_PHRASE.test(text);
  const aboutThis = SELF_REFERENCE.test(text);
  // Boilerplate about this very message in its own wording (`This e-mail is confidential ... intended
  // recipient`, `Diese E-Mail ist vertraulich ... irrtümlich`), even when it says `please` or `notify me`.
  if (aboutThis && (phrase || words.size >= 2)) return 'disclaimer';
  // The customer writing about themselves or asking for something: theirs, with a single legal word about
  // this message too (`Bitte behandeln Sie diese E-Mail vertraulich und sperren Sie sein Depot.`).
  if (FIRST_PERSON.test(text) || REQUEST_START.test(text)) return undefined;
  if (phrase || (aboutThis && words.size >= 1)) return 'disclaimer';
  if (WE.test(text)) return undefined;
  // Two legal words make a company footer only with a third or a word about this message (`Amtsgericht,
  // HRB, Vorstand`); `The court order (Amtsgericht Hamburg) is confidential` is a customer's sentence.
  if (words.size >= 3) return 'disclaimer';
  const footer = text.match(FOOTER)?.[0];
  if (footer === undefined) return undefined;
  if (PRIVACY_FOOTER.test(footer)) return LINK.test(text) ? 'footer' : undefined;
  return !WEAK_FOOTER.test(footer) || FOOTER_CONTEXT.test(text) ? 'footer' : undefined;
}

/** Whether a paragraph asks not to print this message, for the environment's sake (ENVIRONMENT). */
function printFooter(text: string): boolean {
  return ENVIRONMENT.test(text) && PRINTING.test(text) && (SELF_REFERENCE.test(text) || BEFORE.test(text));
}

/** Whether the lines before `end` are one greeting line and blanks. */
function isGreetingOnly(input: readonly string[], end: number): boolean {
  let content: string | undefined;
  for (let k = 0; k < end; k += 1) {
    if (isBlank(input[k])) continue;
    if (content !== undefined) return false;
    content = input[k];
  }
  return content !== undefined && isBareGreeting(content);
}

/**
 * Removes disclaimers and marketing footers: trailing paragraphs (runs of non-blank lines) that read like one,
 * never the first paragraph. Paragraphs are found from the end, so only the tail is read.
 */
export function removeLegalTail(input: readonly string[]): TailRemoval {
  const removed: TailRemoval['removed'] = [];
  let cut = input.length;
  let end = input.length;
  for (;;) {
    while (end > 0 && isBlank(input[end - 1])) end -= 1;
    let start = end;
    while (start > 0 && !isBlank(input[start - 1])) start -= 1;
    let above = start;
    while (above > 0 && isBlank(input[above - 1])) above -= 1;
    if (end === 0 || above === 0) break;
    // Legal and marketing wording shows in a paragraph's first lines; reading more only costs time. Joined at once:
    // a string built line by line is a chain of pieces that each pattern would first copy into one.
    let last = start;
    for (let length = 0; last < end && length < 800; last += 1) length += input[last].length + 1;
    const lines = input.slice(start, last);
    lines.push('');
    const kind = legalKind(lines.join('\n'));
    if (!kind) break;
    // Never cut down to a bare greeting: the paragraph after `Hallo,` is the customer's message.
    if (isGreetingOnly(input, above)) break;
    // Found bottom up, said top down: reversed once at the end (unshift per paragraph was quadratic).
    removed.push({ kind, text: input.slice(start, end).join('\n') });
    cut = start;
    end = above;
  }
  removed.reverse();
  return { lines: cut === input.length ? input : input.slice(0, cut), removed };
}

/** Removes device lines ("Sent from my iPhone") wherever they stand. */
/** A test for device lines: `isDeviceLine`, or a `deviceLineMemo`. */
export type DeviceTest = (line: string) => boolean;

/**
 * `isDeviceLine` remembered per line text, for the lines of one email: its passes and rules ask about the
 * same lines again and again.
 */
export function deviceLineMemo(): DeviceTest {
  const known = new Map<string, boolean>();
  return (line) => {
    // Most lines fail the gates, which cost less than remembering them.
    if (!mayBeDeviceLine(line)) return false;
    let device = known.get(line);
    if (device === undefined) {
      device = deviceLineRules(line);
      known.set(line, device);
    }
    return device;
  };
}

export function removeDeviceLines(input: readonly string[], isDevice: DeviceTest = isDeviceLine): TailRemoval {
  let first = 0;
  while (first < input.length && !isDevice(input[first])) first += 1;
  if (first === input.length) return { lines: input, removed: [] };
  const lines = input.slice(0, first);
  const removed: TailRemoval['removed'] = [];
  for (let i = first; i < input.length; i += 1) {
    const line = input[i];
    if (i === first || isDevice(line)) removed.push({ kind: 'device', text: line.trim() });
    else lines.push(line);
  }
  return { lines, removed };
}

const SIG_MAX_LINES = 12;
/**
 * What is no name under a closing of thanks: digits or a `key:` (`Order-Nr: 88812345`, `WKN: A0RPWH`), or the
 * placeholder masking left of them (`[IBAN]`), so that cleaning its own output reads the line alike.
 */
const NOT_NAME_LINE = /[\d:]|\[[A-Z][A-Z0-9_]*\]/;
/** Lines under a sign-off longer than this are prose, not a signature (talon uses the same bound). */
const SIG_LINE_MAX = 60;

/**
 * Whether a line is longer than a signature's lines, measured as masking leaves it: masking shortens an address or
 * a number to its placeholder (`Support <help@example.com> wrote:` by 9), and cleaning its own masked output must
 * read the line alike (`Best regards,` above a 62-character line was kept, above the same line masked to 58 it was
 * cut). Only a line over the bound is masked to measure it: the scans stop at the first long line from the bottom,
 * so a short line that masking would lengthen (`PIN 4711`) ends the second cleaning's scan no higher than the
 * first's reached, and either both keep it or the first cut it with the signature above it.
 */
function isLongLine(line: string): boolean {
  return line.length > SIG_LINE_MAX && maskedLine(line).length > SIG_LINE_MAX;
}

/**
 * `-Abhishek Kona`, `- roman`, `-Lev.`, `-Jan van Berg`: a dash and a short name as the last line; words after the
 * first are capitalised or a name's particle, so an item such as `- Restbetrag überweisen` is no name.
 */
const DASH_NAME = /^-\s?\p{L}[\p{L}.'-]{0,30}(?:\s(?:\p{Lu}[\p{L}.'-]{0,29}|van|von|de|der|den|da|di|du|le|la|zu|ten|ter)){0,2}$/u;

/**
 * A contact line by what names it (an address, a link, `Tel.`, `Fax:`), not by a number alone: under a closing of
 * thanks such a line is the signature's, digits or not (`Thanks\nTel. +49 170 1234567`, and so once masked,
 * `Tel. [PHONE]`), while a bare number or a `key:` there (`Order-Nr: 88812345`) is the customer's text.
 */
const CONTACT_KEY = /@|\[EMAIL\]|https?:\/\/|www\.|^(?:tel|fon|fax|mobil|mobile|phone|skype|t|f|m)\.?\s?:?\s/i;

/** A line opening with a capitalised label (`Sprechzeiten: nach Vereinbarung`): a field of a signature. */
const LABELLED = /^\p{Lu}[\p{L} .-]{0,24}:\s/u;

/**
 * A line of a paragraph of its own under the closing and name (a blank line between), read more loosely than the
 * lines of the signature's block, where titles and slogans stand: an exclamation (`Eilt!`), or three words of prose
 * without a `.` at the end (`auch die Kreditkarte sperren`, `Rückruf erbeten unter 0171 2345678`). A number alone
 * makes no contact line there, as under a bare `--`; an address, a link, a `Tel.`, a firm or a label do, and a
 * closing (`Thanks in advance` under the contact lines) is the signature's too.
 */
function isAddedLine(t: string, underNameOnly: boolean): boolean {
  if (isSentence(t, CONTACT_KEY)) return true;
  if (CONTACT_KEY.test(t) || FIRM.test(t) || LABELLED.test(t) || isSignOff(t)) return false;
  return t.endsWith('!') || (hasWords(t, 3) && proseWords(t)) || (underNameOnly && hasWords(t, 2) && ENDED_WORD.test(t));
}

/**
 * A line ending its last word of three letters or more with `.`, `!` or `?` (not an abbreviation: `M.Sc.`). Under a
 * closing and a name alone, as a customer signs, a paragraph of such a line is theirs even without a verb or lower-case
 * words (`Nur die Hälfte.`, `Sonst Beschwerde bei der BaFin.`, `Betrifft Order 88123.`): no title, firm or slogan
 * stands under a bare name.
 */
const ENDED_WORD = /[\p{L}\d]{3,}[.!?]$/u;

/**
 * A closing paragraph of short lines (name, company, phone, address, web) with at least two contact
 * lines, after the last long line or sentence of prose: a signature without a sign-off.
 */
function contactBlockStart(lines: readonly string[], last: number): number {
  let i = last;
  let count = 0;
  let contacts = 0;
  while (i >= 0 && count <= SIG_MAX_LINES) {
    const t = lines[i].trim();
    if (isLongLine(t) || isSentence(t)) break;
    if (t !== '') {
      count += 1;
      if (CONTACT.test(t)) contacts += 1;
    }
    i -= 1;
  }
  if (count > SIG_MAX_LINES || contacts < 2) return -1;
  // Start at the first paragraph that begins after a blank line within the short tail.
  let start = i + 1;
  while (start <= last && lines[start].trim() !== '') start += 1;
  while (start <= last && lines[start].trim() === '') start += 1;
  if (start > last) return -1;
  let c = 0;
  let items = 0;
  let keyed = false;
  let filled = 0;
  let data = 0;
  for (let k = start; k <= last; k += 1) {
    // A closing under the block (`...\n\nDanke, Ralf`): the block is the message, a list of instructions.
    if (k > start && isSignOff(lines[k])) return -1;
    if (CONTACT.test(lines[k])) c += 1;
    if (CONTACT_KEY.test(lines[k])) keyed = true;
    else if (LIST_ITEM.test(lines[k])) items += 1;
    if (DATA_FIELD.test(lines[k])) data += 1;
    else if (!isBlank(lines[k])) filled += 1;
  }
  // Two items of a list (`- Depot 1234567890 schließen`, `2) Rückruf unter 0171 2345678`; not `• Tel. …`): instructions, not contacts.
  if (items >= 2) return -1;
  // A form the customer filled in (`Kundennummer: …`, `Geburtsdatum: …`, `Steuer-ID: …`), half its lines or more:
  // their data for the request, not a signature (a firm's signature may have an `IBAN:` line among its contacts).
  if (data > 0 && data >= filled) return -1;
  // Numbers a line ending in `:` announces (`Folgende Abbuchungen kenne ich nicht:` above dates, amounts and references),
  // with no address, link or `Tel.` among them: the customer's data, not a signature (`Meine Kontaktdaten:` above
  // `E-Mail: …`, `Tel: …` is one).
  if (!keyed && INTRODUCES.test(lineAbove(lines, start))) return -1;
  // Under a quoted question (an inline reply's: `> Unter welcher Telefonnummer erreichen wir Sie?`): the answer. Not
  // under a quoted closing (`> Ihr Kundenservice`): the writer's own signature below the quote.
  if (/^\s*>.*[?:]\s*$/.test(lineAbove(lines, start))) return -1;
  // Never cut down to a bare greeting: the block after `Hallo,` is the customer's message.
  return c >= 2 && !isGreetingOnly(lines, start) ? start : -1;
}

/**
 * A `Label: value` line whose label names the customer's own data: an account, customer, depot or contract number, a
 * tax id, a birth date, an IBAN or a credential (`Kundennummer:    1234567890`, `Steuer-ID: …`, `Date of birth: …`).
 * Not a firm's tax or register number (`USt-IdNr.:`, `Steuernummer:`), which signatures carry.
 */
const DATA_FIELD =
  /^[\s>*]{0,8}(?:[A-Za-zÄÖÜäöüß-]{0,20}(?:konto|depot|kunden|vertrags)[a-zäöüß-]{0,12}(?:nummer|nr\.?)?|kd\.?-?nr\.?|steuer-?id(?:entifikationsnummer|nr\.?)?|tax[ -]?id|geburtsdatum|geb\.(?:-?datum)?|date of birth|dob|iban|pin|passwor[dt]|kennwort|(?:account|customer|contract)(?: number| no\.?| id)?)\s{0,3}:/i;

/** The last line above `i` that is not blank ('' for none). */
function lineAbove(lines: readonly string[], i: number): string {
  for (let k = i - 1; k >= 0; k -= 1) if (lines[k].trim() !== '') return lines[k];
  return '';
}

/** A list's item with words after its mark (`- Depot schließen`, `• Rückruf`, `2) Restbetrag`), not `--` or `-Jan`. */
const LIST_ITEM = /^\s*(?:[-*•–]|\d{1,2}[.)])\s+\p{L}/u;

/** A list's item (`- x`, `* x`, `• x`, `1. x`, `2) x`, `a) x`) or the line that introduces a list (`Bitte folgendes erledigen:`). */
const LIST_LINE = new RegExp(String.raw`^\s*(?:[-*•]\s?\S|(?:\d{1,2}|[a-z])[.)]\s)|${INTRODUCES.source}`);

/**
 * Whether the line above `i` is a list's item or introduces one: `1. Depot schließen\n- Restbetrag überweisen` is
 * a list, not `-Name`.
 */
function isListItemAbove(lines: readonly string[], i: number): boolean {
  return i > 0 && LIST_LINE.test(lines[i - 1]);
}

/**
 * Whether the sign-off at `lines[i]` closes the message (`last`: its last line): not in a list that a line
 * ending in `:` introduces (`Aktien kaufen:\nLG Electronics`); a closing of thanks with a name under it (`Vielen
 * Dank!\nOrder-Nr: 88812345` is more of the message); a closing with the name on its line (`LG Petra`) at the
 * end, or with the name again (`Petra Muster`) or contact lines under it (`Best Buy\nApple\nMicrosoft` is a list).
 */
function isClosingAt(lines: readonly string[], i: number, last: number): boolean {
  const line = lines[i];
  const signOff = readSignOff(line);
  if (signOff === undefined || inIntroducedList(lines, i)) return false;
  let next = i + 1;
  while (next <= last && isBlank(lines[next])) next += 1;
  if (next > last) return true;
  if (isThanks(line) && NOT_NAME_LINE.test(lines[next]) && !CONTACT_KEY.test(lines[next])) return false;
  if (signOff.rules) return true;
  if (signOff.name !== undefined && namedAgain(signOff.name, lines[next].trim())) return true;
  for (let k = next; k <= last && !POSTSCRIPT.test(lines[k]) && !isSentence(lines[k].trim()); k += 1) if (CONTACT.test(lines[k])) return true;
  return false;
}

/**
 * Whether a line starts with the name of a closing (`LG Petra` above `Petra Muster`); of a name with an initial, its
 * first full word stands somewhere on it (`Gruß P. Probe` above `Peter Probe`).
 */
function namedAgain(name: string, line: string): boolean {
  const words = name.split(' ').map((w) => (INITIAL.test(w) ? w : w.replace(/[.!]$/, '')));
  if (!INITIAL.test(words[0])) return line.startsWith(words[0]);
  const full = words.find((w) => !INITIAL.test(w));
  return full !== undefined && line.includes(full);
}

/**
 * `PS:`, `P.S.`, `PPS:` opening a line (after blanks and emphasis markers), or the label of another add-on to the
 * message (`Nachtrag:`, `Zusatz:`, `Update:`, `Edit:`): the sender's text again.
 */
const POSTSCRIPT = /^[\s*_]{0,4}(?:(?:p\.? ?)+s\.?(?::|\s|$)|(?:nachtrag|nachsatz|zusatz|ergänzung|addendum|update|edit)\s?:)/i;

/**
 * A signature delimiter at `lines[i]`: `-- ` (RFC 3676), or a bare `--`, `—` or `__` when the line under it
 * is not the sender's, read as a paragraph of its own under a closing (`isAddedLine`): `ich habe überwiesen\n--\nbitte
 * bestätigen Sie den Eingang.` is prose, and so are one with an account number and `auch die Kreditkarte sperren`.
 */
function isDelimiterAt(lines: readonly string[], i: number): boolean {
  const line = lines[i];
  if (line === '-- ') return true;
  const t = line.trimEnd();
  if (t !== '--' && t !== '—' && t !== '__') return false;
  let next = i + 1;
  while (next < lines.length && lines[next].trim() === '') next += 1;
  // A number alone makes no contact line here: a request under the rule names the account it is about (`Bitte lösen
  // Sie mein Depot 1234567890 auf.`). An address, a link or a `Tel.` key still do.
  return next >= lines.length || !isAddedLine(lines[next].trim(), false);
}

/**
 * Where closings stacked above a signature's first line begin (`Best regards,\n\nViele Grüße, Max` over it,
 * blank lines between allowed): they go with it in one pass, as each would be cut in the next pass as the
 * closing that ends the text. Cut one a pass, a stack taller than the passes left one, which cleaning the output
 * again cut. Not a thanks (the last line of many a message), nor a closing in a list, and text stays above.
 */
function stackedClosingsStart(lines: readonly string[], start: number): number {
  let top = 0;
  while (top < start && isBlank(lines[top])) top += 1;
  let first = start;
  for (let k = start - 1; k > top; k -= 1) {
    if (isBlank(lines[k])) continue;
    if (!isSignOff(lines[k]) || isThanks(lines[k]) || inIntroducedList(lines, k)) break;
    first = k;
  }
  return first;
}

/** The most lines of a last paragraph that `removeSignature` looks past for the closing above it, and its most characters. */
const TAIL_MAX_LINES = 3;
const TAIL_MAX_CHARS = 300;

/**
 * The delimiter and the closing among the last lines up to `last` (`removeSignature`), and the long line that ended
 * the scan (-1 for none).
 */
function scanForSignature(lines: readonly string[], last: number): { delimiter: number; signOff: number; longAt: number } {
  let delimiter = -1;
  let signOff = -1;
  for (let i = last; i > 0 && last - i <= SIG_MAX_LINES; i -= 1) {
    const line = lines[i];
    if (isDelimiterAt(lines, i)) delimiter = i;
    // Thanks that end the text are the message's last words, no closing: a closing above them is looked for.
    else if (signOff < 0 && !(i === last && isThanks(line)) && isClosingAt(lines, i, last)) signOff = i;
    if (isLongLine(line)) return { delimiter, signOff, longAt: i };
  }
  return { delimiter, signOff, longAt: -1 };
}

/**
 * The last line above the last paragraph, when that paragraph is short (at most TAIL_MAX_LINES lines and
 * TAIL_MAX_CHARS characters), holds the long line `longAt` that ended the scan, and stands under a blank line; else -1.
 * Such a paragraph (`Besuchen Sie uns auf der BAU 2027 in München, Halle B2, Stand 310.`) hid the closing and
 * signature above it; it stays, only the signature goes.
 */
function blockAboveTail(lines: readonly string[], last: number, longAt: number): number {
  let first = last;
  let chars = lines[last].length;
  while (first > 0 && !isBlank(lines[first - 1])) {
    first -= 1;
    chars += lines[first].length;
    if (last - first >= TAIL_MAX_LINES || chars > TAIL_MAX_CHARS) return -1;
  }
  if (longAt < first || chars > TAIL_MAX_CHARS) return -1;
  let above = first - 1;
  while (above > 0 && isBlank(lines[above])) above -= 1;
  return above > 0 && !isBlank(lines[above]) ? above : -1;
}

/**
 * Finds the signature in the last lines: a `-- ` delimiter (the highest one wins), else the lowest sign-off line
 * (`Viele Grüße`, `Best regards, Anna`) followed only by short lines, else a final `-Name` line.
 * The text above it must not be empty.
 */
export function removeSignature(input: readonly string[]): TailRemoval {
  const lines = input;
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last -= 1;
  const scan = scanForSignature(lines, last);
  let { delimiter, signOff } = scan;
  // Where the signature's block ends: `last`, or the line above a short last paragraph that stopped the scan.
  let sigLast = last;
  if (delimiter < 0 && signOff < 0 && scan.longAt >= 0) {
    const blockLast = blockAboveTail(lines, last, scan.longAt);
    if (blockLast >= 0) {
      const again = scanForSignature(lines, blockLast);
      const found = again.delimiter >= 0 ? again.delimiter : again.signOff;
      // Only a closing (or delimiter) with lines of its own under it: `Mit freundlichen Grüßen\nSandra Böhm\nTel.: …`.
      if (found >= 0 && found < blockLast) [delimiter, signOff, sigLast] = [again.delimiter, again.signOff, blockLast];
    }
  }
  let start = delimiter >= 0 ? delimiter : signOff;
  if (start < 0 && last > 0 && DASH_NAME.test(lines[last].trim()) && !isListItemAbove(lines, last)) start = last;
  if (start < 0) start = contactBlockStart(lines, last);
  if (start <= 0) return { lines, removed: [] };
  if (start === delimiter || start === signOff) start = stackedClosingsStart(lines, start);
  const above = lines.slice(0, start);
  if (!above.some((l) => l.trim() !== '')) return { lines, removed: [] };
  // A postscript under the signature is the sender's text again: it stays, and so does a sentence under a
  // closing and name (`Mit freundlichen Grüßen\nAnna Schmidt\nBitte bestätigen Sie mir die Kündigung.`).
  let end = sigLast + 1;
  // Whether a blank line stands between the closing's block and line k: a paragraph of its own (`isAddedLine`). Not
  // one between the closing and the name (`Mit freundlichen Grüßen\n\nAnna Schmidt`), as in a letter.
  let block = false;
  let below = false;
  // The lines of the closing's block, the closing's own included (before the first blank line under it).
  let blockLines = 1;
  for (let k = start + 1; k <= sigLast; k += 1) {
    if (isBlank(lines[k])) {
      below = block;
      continue;
    }
    block = true;
    if (!below) blockLines += 1;
    const t = lines[k].trim();
    if (POSTSCRIPT.test(lines[k]) || (start === signOff && (below ? isAddedLine(t, blockLines <= 2) : isSentence(t)))) {
      end = k;
      break;
    }
  }
  // A sentence right under the closing (`Thanks,\nAlso, can you send ...?`): no signature, the text goes on.
  if (start === signOff && end < sigLast + 1 && !POSTSCRIPT.test(lines[end]) && lines.slice(start + 1, end).every(isBlank)) return { lines, removed: [] };
  // The last paragraph the scan looked past stays, with the blank lines above the signature (not those under it too).
  if (end === sigLast + 1) while (end <= last && isBlank(lines[end])) end += 1;
  const signature = lines.slice(start, end).join('\n').trim();
  const kept = end > last ? above : [...above, ...lines.slice(end, last + 1)];
  return { lines: kept, removed: [{ kind: 'signature', text: signature }], signature };
}
