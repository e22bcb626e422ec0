/**
 * Numbers that a keyword names, for `redactPii`'s `ids` detector: customer, account, depot and contract
 * numbers, tax ids, bank and sort codes, card security codes and dates of birth; and, for its `card` and
 * `phone` detectors, card and phone numbers that only their keyword tells (`Kartennummer 412 345 678 901`,
 * `Tel. 123 456 789`). The keyword stays; only the value is masked.
 */
import type { Hit } from './redact.js';
import { passesLuhn } from './luhn.js';

/**
 * Words that link a keyword to its value (`Kundennummer ist`, `Depotnummern lauten`, `my account number was`, `numéro de
 * client est`, `numero cliente è`).
 */
export const LINKS = 'ist|lautet|lautete|lauten|sind|war|waren|is|are|was|were|est|était|etait|sont|è|era|sono';
/**
 * Blanks between a keyword and its value: up to three of any kind (a line break: `Depotnummer:\n1234567890`), or a run
 * of up to 40 spaces and tabs on the line, as a form lines its values up in a column (`Kundennummer:     1234567890`).
 */
const GAP = String.raw`(?:\s{0,3}|[ \t]{4,40})`;
/** A short remark in brackets after a keyword, without digits (`Kundennummer (neu): `, `Kundennummer (alt) ist `). */
const REMARK = String.raw`[^()\n\d:]{1,24}`;
/**
 * What may stand between a keyword and its value: a remark in brackets (`(neu)`) or a closing bracket (`IdNr.): `), then
 * `:`, `#`, `=`, `(` or a dash between blanks, blanks or a line break (GAP), and a linking word (`ist`, `lautet`,
 * `lauten`, `war`, `is`, `are`, `est`, `è`, ...), also with a colon (`PIN lautet: 4711`) or an article (`Geburtsdatum ist
 * der 12. März 1975`, `date de naissance est le …`, `data di nascita è il …`).
 */
const KEY_TAIL_BODY = String.raw`(?:[ \t]{0,3}\(${REMARK}\))?\)?(?:${GAP}[:#=(]|\s?-(?=\s))?${GAP}(?:(?:${LINKS})(?:\s{0,3}:|\s)\s{0,3}(?:(?:der|die|das|the|le|il)\s{1,3})?)?`;
const KEY_TAIL = `${KEY_TAIL_BODY}$`;
/**
 * Words that ask for a call or a message at a number, where no keyword names it (`call me at 212 555 0147`, `text us on
 * …`, `reach me at …`, `erreichbar unter …`, `erreichbar: …`, `Sie erreichen mich tagsüber unter …`, `rufen Sie mich bitte
 * unter … an`): the phone keywords' (`cell`, `at`, `on`, `unter` and `erreichbar` stand in their words for it).
 */
const CALL_ME = String.raw`\b(?:(?:call|text|reach|ring|phone)(?: me| us)?(?: back)? (?:at|on)|erreichbar(?:(?: bin ich| sind wir)? unter)?|erreichen(?: sie)? (?:mich|uns)(?: [a-zäöüß]{2,12})? unter|(?:ruf|rufen|ruft)(?: sie| du)? (?:mich|uns)(?: bitte)?(?: an)? unter)`;
/**
 * The first three letters of German, English, French and Italian month names (`10. August 1990`, `3 Mär 1985`, `1er
 * février 1960`, `3 giugno 1985`).
 */
const MONTH = 'jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|fév|fev|avr|jui|aoû|aou|déc|gen|mag|giu|lug|ago|set|ott|dic';
/** After a day before a month's name: `3.`, `3rd`, French `1er` (`1er mars`). */
const ORDINAL = String.raw`(?:\.|st|nd|rd|th|er)`;
/** A month name before the day and year, as US dates are written (`March 3, 1980`, `Mar 3rd 1980`). */
const MONTH_FIRST = String.raw`(?:${MONTH})\p{L}*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}`;
/**
 * A currency or a percent sign after a number (`EUR`, `€`, `%`): the number is an amount. The start of the unit lists
 * here, in redact.ts and in id-documents.ts, which each add their own words.
 */
export const CURRENCY = String.raw`€|\$|%|eur\b|euro|usd\b|chf\b|gbp\b`;
/**
 * Not an amount or a quantity after a number (`Konto 25000 Euro`, `Depot 12500 Stück`, `Handy 100 000 EUR`, `compte 25000
 * francs`, a fund's accumulation class `Acc 10432 units`). A currency or unit with a number of its own after it is that
 * number's (`Tel. 0049 151 0065997 EUR 1,00`: the phone number's last group was left for the amount's).
 */
const NOT_AMOUNT = String.raw`(?![ \t]?(?:${CURRENCY}|dollars?\b|pfund\b|franken\b|francs?\b|franchi\b|stück\b|stk\b|shares?\b|units?\b|aktien\b|prozent\b|percent\b)(?![ \t]?\d))`;

/** Not a time after a number (`Rückruf unter 069 123456 10 Uhr`): its digits are no part of the phone number. */
const NOT_TIME = String.raw`(?![ \t]?(?:uhr\b|h\b|:\d|a\.?m\.?|p\.?m\.?))`;

/** A card's expiry after the slash that glues it on, month then maybe year: `12`, `1227`, `122027` (`12` of `/12/27`). */
export const EXPIRY_MONTH_YEAR = String.raw`(?:0[1-9]|1[0-2])(?:(?:20)?\d{2})?`;

/**
 * A card's expiry glued on after its number, which is card data as the number is and goes into its mask: after a slash
 * (`/12`, `/1227`, `/122027`, `/12/27`, `/1/2027`) or one blank as month and year (` 12/27`, ` 12/2027`); not run into
 * more of a number or a date (` 01/26/2025`, `/12345`), so that a date elsewhere (`gültig bis 12/27`) stays.
 */
export const CARD_EXPIRY = String.raw`(?:\/${EXPIRY_MONTH_YEAR}|[/ ](?:0?[1-9]|1[0-2])\/(?:20)?\d{2})(?!\d|[./,-]\d)`;

/**
 * The end of a whole number: no digit after it, nor one joined by `-`, `/`, `.` or `,`, so that a number with an amount
 * after it (`800-555-1234%`) is not taken by its first groups (`800-555`).
 */
const WHOLE_NUMBER = String.raw`(?!\d|[-/.,]\d)`;

/**
 * A number named by a keyword: `before` ends where the value starts (the keyword, then `:`, `#`, `ist`,
 * `is` or blanks), `value` is the number itself (sticky). `words`: the last word of each of its keywords, in lower
 * case (`Depot-Nr.` ends with `nr.`): only after one of them is `before` tried, so a number after `Tel.` costs the
 * phone rule's pattern only. `letters`: the value may start with letters, maybe with digits among them or a dash after
 * them (`customer ID #A1234567`, `Kundennummer K-12345678`, `Kundennummer ABCD1234567`). `listed`: more values may
 * follow the first in a list (`Depotnummern 1234567890 und 2345678901`). `detector`: the option of `redactPii` that
 * switches the rule on and off.
 */
export interface KeyedRule {
  type: string;
  detector: 'ids' | 'card' | 'phone' | 'iban';
  words: ReadonlySet<string>;
  before: RegExp;
  value: RegExp;
  letters?: boolean;
  listed?: boolean;
  /** Keywords that `words` cannot list: a whole lower-cased word that matches is one (`Gemeinschaftskonto`). */
  compound?: RegExp;
  /** Whether the value matched is one, given the last word of its keyword (`Depot 514000` names a WKN, not a depot). */
  accepts?: (value: string, word: string) => boolean;
  /**
   * Whose the number is may stand between its keyword and the value (OWNER_PHRASE: `Steuer-ID mein Mann: …`), also
   * before each later value of its list: `before` is the keyword, its tail and that phrase, read only in a text that
   * `stem` finds something in.
   */
  owned?: { stem: RegExp; before: RegExp };
}

/** An ISIN (`DE0005140008`, `US0378331005`): two letters, nine letters or digits, a check digit. */
const ISIN = /^[A-Z]{2}[A-Z0-9]{9}\d$/i;

/** Whether `value` is an ISIN with a valid check digit (Luhn over its letters read as 10-35): a security, never an account. */
export function isIsin(value: string): boolean {
  return ISIN.test(value) && passesLuhn(value.toUpperCase().replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55)));
}

/**
 * UK tax wrappers a broker keeps as accounts (`ISA 88120034`, `GIA 88120035`, `SIPP 1234567`, `JISA …`): an account
 * number has seven digits or more, so fewer are an amount or an allowance (`ISA 20000`, `ISA 15750`), as after a depot.
 */
const UK_WRAPPER_NOUNS = ['isa', 'isas', 'gia', 'sipp', 'sipps', 'jisa'];
/** Depot nouns: a depot number has seven to ten digits, so six after one are a WKN (`im Depot 514000`), five an amount. */
const DEPOT_NOUNS = new Set(['depot', 'depots', 'wertpapierdepot']);
const DEPOT_MIN_DIGITS = 7;
/** Nouns after which an account number has DEPOT_MIN_DIGITS digits or more: depots and UK tax wrappers. */
const SEVEN_DIGIT_NOUNS = new Set([...DEPOT_NOUNS, ...UK_WRAPPER_NOUNS]);
/**
 * Nouns that name an account without `-nummer`, `Nr.` or `No.` (`Konto 48321`, `Mandat 439112559`, `compte 48321`, `conto
 * 48321`, `Bausparvertrag 12345678`): a round number after
 * one is an amount. Five digits and more are kept as the rule's value, since short account numbers occur (`Rechnungsfrage
 * zu Konto 48321`, `Account 12345`).
 */
const BARE_NOUNS = new Set([
  ...DEPOT_NOUNS,
  ...'konto kontos kto kto. verrechnungskonto girokonto tagesgeldkonto festgeldkonto sparkonto referenzkonto mandat mandate vermögensverwaltungsmandat account acct acct. acc acc. c compte comptes conto conti bausparvertrag'.split(' '),
  ...UK_WRAPPER_NOUNS,
]);
/** A round number, at most three digits then zeros (`15000`, `12500`, `2500000`): after a bare noun an amount (`Mandat 2500000 Volumen`). */
const ROUND = /^[1-9]\d{0,2}0{2,}$/;

/**
 * Any compound that ends in an account or depot noun (`Depotkonto`, `Gemeinschaftskonto`, `Bausparkonto`,
 * `Kinderdepot`) names an account as the listed words do, and so does one that ends in its number
 * (`Gemeinschaftskontonummer`), a customer's master number (`Kundenstammnummer`), a contract's or a savings plan's
 * (`Sparvertragsnummer`, `Bausparvertragsnr.`, `Sparplannummer`), a customer reference's (`Kundenreferenznummer`) and
 * the common typo `Kundenummer`; a mandate's, a portfolio's, a Swiss bank's partner or master number and an insurance
 * claim's (`Mandatsnummer`, `Portfolionummer`, `Partnernummer`, `Stammnummer`, `Schadennummer`: its leading 0 made it a
 * phone number).
 * Not `Skonto`, a cash discount.
 */
const ACCOUNT_COMPOUND = /^(?!skonto)\p{L}{2,40}(?:konto|depot)s?$|(?:konto|depot|kunden|kundenstamm|vertrags?|sparplan|kundenreferenz)(?:nummern?|nr\.?)$|^(?:mandats?|portfolio|partner|stamm|schadens?)(?:nummern?|nr\.?)$|^kunden?numm?er$/u;
/** Compounds of a bare noun: they end in one (`Gemeinschaftskonto`), so a round number after them is an amount too. */
const BARE_COMPOUND = /(?:konto|depot)s?$/;
const DEPOT_COMPOUND = /depots?$/;

/** Digits an ACCOUNT value has at least, its letters aside (`ABCD1234567`, `12AB34CD56`): `KNr. 12` and `AB1234` name none. */
const ACCOUNT_MIN_DIGITS = 5;
/** A date written with slashes (`12/2025`, `01/02/2025`): after `Konto` a statement's month, not the account's number. */
const SLASHED_DATE = /^\d{1,2}\/(?:\d{1,2}\/)?\d{2,4}$/;
/** A year, `/` or `-`, and the next year in two or four digits (`2024/25`, `2024-2025`), as UK tax years are written. */
const YEAR_PAIR = /^((?:19|20)\d{2})[/-](\d{2}|\d{4})$/;

/** Whether `value` is a tax year (YEAR_PAIR, the second year the next): `ISA 2024/25` names an allowance, not an account. */
function isTaxYear(value: string): boolean {
  const m = YEAR_PAIR.exec(value);
  if (m === null) return false;
  const next = Number(m[1]) + 1;
  return Number(m[2]) === (m[2].length === 2 ? next % 100 : next);
}

/**
 * Whether an ACCOUNT value is one: never an ISIN, a date written with slashes or a tax year (`2024/25`), of five digits or
 * more; after a bare noun (BARE_NOUNS) not round, and after a depot noun or a UK tax wrapper of seven digits or more.
 */
function isAccountValue(value: string, word: string): boolean {
  if (isIsin(value) || SLASHED_DATE.test(value) || isTaxYear(value)) return false;
  const digits = value.replace(/\D/g, '');
  if (digits.length < ACCOUNT_MIN_DIGITS) return false;
  const noun = word.slice(lastDash(word) + 1);
  if (!BARE_NOUNS.has(noun) && !BARE_COMPOUND.test(noun)) return true;
  // Digits grouped in thousands after a bare noun are an amount as often (`Konto 1.234.567 Guthaben`): only after a
  // number's own keyword (`Kundennummer 12.345.678`, `Konto-Nr. 12'345'678`) are they one.
  return !THOUSANDS.test(value) && !ROUND.test(digits) && (!(SEVEN_DIGIT_NOUNS.has(noun) || DEPOT_COMPOUND.test(noun)) || digits.length >= DEPOT_MIN_DIGITS);
}

/**
 * A Swiss bank's account number: branch, dash, number, a dot and a two-digit suffix, maybe a letter (`0235-00123456.01A`,
 * `235-123456.01C`). Its dot made the rest no value (`Konto 0235-00123456.01A` gave `[PHONE].01A`).
 */
const SWISS_ACCOUNT = String.raw`\d{3,4}-\d{5,8}\.\d{2}[A-Z]?(?![0-9A-Za-z])`;
/**
 * Digits grouped in thousands by `.` or `'`, three groups or more, as Swiss and German writing groups long numbers
 * (`Kundennummer 12.345.678`, `Konto-Nr. 12'345'678`). Not with decimals or a Swiss amount's `.–` after it (`1'234'567.50`,
 * `1'234'567.–`), nor one or two groups (`1.000`, `12.345`: amounts); after a bare noun none (isAccountValue: `Konto
 * 1.234.567 Guthaben` is an amount).
 */
const GROUPED_DIGITS = String.raw`\d{1,3}([.'’])\d{3}(?:\1\d{3}){1,3}(?![.,'’]?\d|[.,][-–—])`;

/** A value with a thousands' `.` or `'` (GROUPED_DIGITS). */
const THOUSANDS = /\d[.'’]\d{3}(?:[.'’]|$)/;

/** A rule's `words`, given as one string split by blanks. */
const wordSet = (list: string) => new Set(list.split(' '));
/** Words that end keywords of several rules (`Kunden-Nr.`, `tax number`, `phone no.`, `customer ID`). */
const NUMBER_ENDS = 'nummer nr nr. number numbers no no. id ids';

/**
 * French and Italian account keywords: a number word, then a customer's, an account's, a contract's, a policy's, a
 * depot's, a portfolio's or a mandate's noun (`numéro de client`, `n° de compte`, `numero di conto`, `n. cliente`,
 * `codice cliente`, `identifiant client`, `numéro de police`, `numero di polizza`); such a noun then its number word
 * (`compte n°`, `conto corrente n.`, `contratto numero`); a bare `compte` or `conto` (as `Konto`: a round number after
 * it is an amount).
 */
const FR_IT_NOUN = String.raw`(?:client[ei]?s?|comptes?|cont[oi]|contrats?|contratt[oi]|polices?|polizz[ae]|d[eé]p[oô]ts?|deposit[oi]|portefeuilles?|portafoglio?|mandato?)`;
const FR_IT_NUMBER = String.raw`(?:num[eé]ros?|n°|n\.|no\.|nr\.?)`;
const FR_IT_ACCOUNT = String.raw`(?<![a-zà-ÿ])(?:${FR_IT_NUMBER}|identifiant|codice) ?(?:(?:de|du|des|di|del|dei|della|dello) |d['’])?${FR_IT_NOUN}|(?<![a-zà-ÿ])${FR_IT_NOUN}(?:[ \t]{1,3}[a-zà-ÿ]{1,20}){0,2}[ \t]{1,3}${FR_IT_NUMBER}|(?<![a-zà-ÿ])(?:comptes?|cont[oi])`;
/** The last words of FR_IT_ACCOUNT's keywords. */
const FR_IT_ACCOUNT_WORDS = 'client clients cliente clienti compte comptes conto conti contrat contrats contratto contratti police polices polizza polizze dépôt dépôts depot depots deposito depositi portefeuille portefeuilles portafoglio portafogli mandat mandato numéro numéros numero n° n.';

/**
 * The keywords of a person's tax id: `Steuer-ID`, `Steuer-IdNr.`, `Steuer-Ident-Nr.`, `Steuer-Identifikationsnummer`,
 * `Steuer-Identifikations-Nr.`, `Identifikations-Nr.`, `Identifikationsnummer`, `IdNr.`, `Steuernummer`, `St.-Nr.`,
 * `steuerliche ID`, `tax ID`, `tax reference`, `TIN`, the UK's `UTR` and `(Unique) Taxpayer Reference`, the US `ITIN`
 * (`ITIN 912-78-4567`); also in the plural (`Steuer-IDs`, `Steuernummern`).
 */
const TAX_KEYWORDS = String.raw`(?:\bsteuer[- ]?id(?:(?:ent(?:ifikations)?)?[- ]?(?:nummern?|nr\.?)|s)?|\bsteuerliche (?:id|identifikationsnummer)|\bsteuer[- ]?(?:nummern?|nr\.?)|\bst\.?-?nr\.?|\btax[- ](?:ids?|numbers?|identification numbers?|reference)|\b(?:unique )?taxpayer reference(?: numbers?| no\.?)?|\bi?tin|\butr|identifikations(?:nummern?|-?nr\.?)|\bid-?nr\.?)`;
/**
 * An Irish PPS number, Ireland's tax id, after a tax-id keyword (`Tax ID: 8765432S`): seven digits, a check letter
 * (`A`-`W`) and maybe a second letter (`1234567FA`), in one: the rule's value is read in any case, and a blank before
 * the letters would take a word (`Tax ID 1234567 is`). Its check letter is not asked: a mistyped number is still the
 * customer's. After the PPS keywords, uk-ie-ids.ts reads it.
 */
const IE_PPS_VALUE = String.raw`\d{7}[A-W][A-Z]?(?![0-9A-Za-z])`;
/** What a text with a tax-id keyword holds (any case): only such a text is read for an owner between keyword and value (OWNER_PHRASE). */
const TAX_STEM = /steuer|tax|ident|id-?nr|\bi?tin\b|\butr\b/i;
/**
 * Whose a number is, said between its keyword and its value: a possessive or a preposition (`ich`, `mein`, `meine`,
 * `unsere`, `für`, `von`, `my`, `our`, `for`), a spouse, partner or child (`Ehemann`, `Frau`, `wife`), or a name's
 * possessive (`wife's`, `Anna's`), then up to two more words (`mein Mann`, `für meinen Sohn`, `my husband's`), maybe a
 * colon: `Steuer-IDs: ich 12 345 678 901, mein Mann 98 765 432 109`, `Steuer-ID mein Mann: 98765432109`. Bounded:
 * every quantifier has a limit, and words, blanks and the colon do not overlap.
 */
const OWNER = String.raw`(?:ich|mein|meine|meiner|meines|meinem|meinen|unser|unsere|unserer|unseres|unserem|unseren|sein|seine|seiner|seines|ihr|ihre|ihrer|ihres|für|fuer|von|vom|des|der|mann|frau|ehemann|ehefrau|ehepartner|ehepartnerin|partner|partnerin|sohn|tochter|kind|kinder|my|mine|our|ours|his|her|hers|their|for|of|husband|wife|spouse|son|daughter|\p{L}{1,20}['’]s)`;
const OWNER_PHRASE = String.raw`(?<![\p{L}\p{N}])${OWNER}(?:[ \t]{1,3}[\p{L}'’]{1,20}){0,2}(?:[ \t]{0,3}:[ \t]{0,3}|[ \t]{1,3})`;
/** OWNER_PHRASE at one place: between the values of a list after one keyword (`…, mein Mann 98 765 432 109`). */
const OWNER_AT = new RegExp(OWNER_PHRASE, 'iuy');

export const KEYED_RULES: readonly KeyedRule[] = [
  {
    type: 'ACCOUNT',
    detector: 'ids',
    words: wordSet(
      `${NUMBER_ENDS} mandatsreferenz kreditvertrag darlehensvertrag kreditvertragsnummer darlehensvertragsnummer kreditnummer darlehensnummer kredit-nr kredit-nr. darlehens-nr darlehens-nr. acct acct. c kto kto. ktonr ktonr. kto.nr kto.nr. nummern kundennummer kontonummer depotnummer vertragsnummer referenznummer mitgliedsnummer kundennummern kontonummern depotnummern vertragsnummern kd.-nr. kd.nr. kdnr kdnr. kd-nr. kd-nr kundennr kundennr. kontonr kontonr. depotnr depotnr. vertragsnr vertragsnr. referenznr referenznr. mitgliedsnr mitgliedsnr. depot depots konto kontos account wertpapierdepot verrechnungskonto girokonto tagesgeldkonto festgeldkonto sparkonto referenzkonto mandat mandate vermögensverwaltungsmandat mandantennummer mandantennr mandantennr. versicherungsnummer versicherungsnr versicherungsnr. policennummer kundenstammnummer kundenstammnr kundenstammnr. kundenummer kundennumer kundenumer knr knr. kndnr kndnr. refnr refnr. kundenreferenz reference bausparvertrag krankenversichertennummer krankenversichertennr krankenversichertennr. versichertennummer versichertennr versichertennr. kvnr kvnr. lebensversicherungsnummer lebensversicherungsnr lebensversicherungsnr. acc acc. kontoverbindung sparbuch sparbuchnummer sparbuchnr sparbuchnr. krankenkassennummer krankenkassennr krankenkassennr. krankenversicherungsnummer krankenversicherungsnr krankenversicherungsnr. versicherungsscheinnummer versicherungsscheinnr versicherungsscheinnr. ${FR_IT_ACCOUNT_WORDS}`,
    ),
    before: new RegExp(
      // A loan's or a direct debit's reference (`Kreditvertrag 0045678901`, `Darlehen Nr. …`, `Mandatsreferenz …`): read as
      // a phone number before (the leading 0), which the model then read as the word `phone`.
      //
      // The account and depot nouns have no `\b` before them: any compound ending in one is one (ACCOUNT_COMPOUND says
      // which words are keywords). An account's, a contract's or a savings plan's noun, up to three words, then its number
      // word: `Mein Depot (Nr. …)`, `mein Konto mit der Nummer …`, `mein Vertrag (Nr. …)`, `Sparplan (Nr. …)`. A contract's
      // and a savings plan's number in any compound (`Sparvertragsnummer`, `Sparplan-Nr.`), the short forms `KNr.`,
      // `Kd.-Nr.`, `Kd Nr`, `Knd.-Nr.` and `Ref.-Nr.` (as `Referenznummer`), a customer reference (`Kundenreferenz`,
      // `customer reference`); a bare `Referenz` or `Ref.` as often names a payment's.
      // A building savings contract (`Bausparvertrag 12345678`: a bare noun, a round number after it is its sum), a health
      // insurance number (`Krankenversichertennummer A123456789`, `Versichertennummer`, `KV-Nummer`, `KVNr.`: a letter then
      // nine digits; also `Krankenkassennummer`, `Krankenversicherungsnummer`), a life insurance's (`Lebensversicherung Nr.`,
      // `Lebensversicherungsnummer`, `LV-Nr.`), a policy's (`Versicherungsschein-Nr.`) and an Austrian savings book's
      // (`Sparbuch Nr. 1234567890`). A bare
      // `acc` as UK customers shorten `account` (`sort code 20-45-87 acc 41236587`, `Acc: 41236587`; a bare noun, so a
      // fund's accumulation class keeps its round sums and units: `Equity Acc 250000`, `Acc 10432 units`).
      String.raw`(?:\bmandatsreferenz|\b(?:kredit|darlehens?)[- ]?(?:vertrag(?:s[- ]?(?:nummer|nr\.?))?|nummer|nr\.?)|(?:\b(?:kunden(?:stamm)?|mandanten|mandats?|portfolio|partner|stamm|schadens?|versicherungs|polic(?:e|en)|referenz|mitglieds)|konto|depot|vertrags?|sparplan|kundenreferenz)[- ]?(?:nummern?|nr\.?|ids?)|\bkunden?numm?er|\bk(?:n?d)?\.?-?nr\.?|\bkn?d\.? nr\.?|\bbausparvertrag|\b(?:kranken)?versicherten[- ]?(?:nummer|nr\.?)|\bkv[- ]?(?:nummer|nr\.?)|\blebensversicherung(?:s[- ]?(?:nummer|nr\.?)| (?:nummer|nr\.?))|\blv[- ]?(?:nummer|nr\.?)|\bsparbuch(?:[- ]?(?:nummer|nr\.?)| (?:nummer|nr\.?))?|\bkontoverbindung|\bkranken(?:kassen|versicherungs)[- ]?(?:nummer|nr\.?)|\bversicherungsschein[- ]?(?:nummer|nr\.?)|\bref\.?-?nr\.?|\bkto\.?(?:-? ?nr\.?)?|\b(?:account|customer|client|contract|depot|membership|reference|portfolio|policy|loan|(?:savings )?plan) (?:numbers?|no\.?|ids?)|\bkundenreferenz|\b(?:customer|client|account) reference|\bacct\.?(?: no\.?)?|\bacc\.?(?: no\.?)?|\ba\/c(?: no\.?)?|(?:kontos?|depots?|accounts?|vertrags?|sparplans?)(?:[ \t]{1,3}[a-zäöüß]{1,20}){0,3}[ \t]{1,3}\(?(?:nummer|nr\.?|numbers?|no\.?)|(?:depots?|kontos?)|\baccount|\b(?:vermögensverwaltungs)?mandat|\bmandate|${FR_IT_ACCOUNT})` + KEY_TAIL,
      'i',
    ),
    // A Swiss bank's account with its branch, number and suffix (SWISS_ACCOUNT: `0235-00123456.01A`), digits grouped in
    // thousands (GROUPED_DIGITS: `12.345.678`, `12'345'678`).
    // Not with a decimal fraction after it: `Depot 12345,67` is an amount. Up to six letters and a dash before the
    // digits (`ABCD1234567`, `CUST-00012345`, `V-2024-001234`), letters among them before a digit, and one at the end
    // (`12AB34CD56`, `1234567X`), groups split by a blank, `-` or `/` (`123/456/789`); isAccountValue counts the digits.
    value: new RegExp(String.raw`(?:${SWISS_ACCOUNT}|${GROUPED_DIGITS}|(?:[A-Z]{1,6}-?)?\d(?:[ /-]?\d|[A-Z](?=[A-Z]{0,3}\d)){4,29}(?:[A-Z](?![A-Z]))?\b(?![.,]\d))${NOT_AMOUNT}`, 'iy'),
    letters: true,
    listed: true,
    compound: ACCOUNT_COMPOUND,
    accepts: isAccountValue,
  },
  // A UK tax wrapper's account (`ISA 88120034 and GIA 88120035`, `SIPP 1234567`): in capitals only, as `Isa` is a
  // name; seven digits or more and not round (UK_WRAPPER_NOUNS), not a tax year (`ISA 2024/25`).
  {
    type: 'ACCOUNT',
    detector: 'ids',
    words: wordSet(UK_WRAPPER_NOUNS.join(' ')),
    before: new RegExp(String.raw`\b(?:ISA|GIA|SIPP|JISA)s?` + KEY_TAIL),
    value: new RegExp(String.raw`\d(?:[ -]?\d){6,15}\b(?![.,]\d)${NOT_AMOUNT}`, 'iy'),
    accepts: isAccountValue,
  },
  {
    type: 'TAX_ID',
    detector: 'ids',
    words: wordSet(
      `${NUMBER_ENDS} identifikationsnummer identifikationsnr identifikationsnr. idnr idnr. id-nr. steuer-id steuerid steuer-identifikationsnummer steueridentifikationsnummer steuernummer steuer-nummer steuernr steuernr. st.-nr. st.nr. stnr stnr. st-nr. tin itin utr reference identnummer steuer-ids steuerids identifikationsnummern steuer-identifikationsnummern steueridentifikationsnummern steuernummern steuer-nummern identnummern`,
    ),
    // Also in the plural, before a list (`Steuer-IDs: … (ich), … (meine Frau)`, `Tax IDs`), and `Steuer-Identifikations-Nr.`.
    before: new RegExp(TAX_KEYWORDS + KEY_TAIL, 'i'),
    // Also in groups split by dots, four groups or more (`12.345.678.901`; a date's three stay); not an amount. Also an
    // Irish PPS number (IE_PPS_VALUE: `Tax ID: 8765432S`), Ireland's tax id.
    value: new RegExp(String.raw`(?:\d{1,4}(?:\.\d{2,4}){3,5}(?![.,]?\d)|\d(?:[ /-]?\d){7,12}\b|${IE_PPS_VALUE})${NOT_AMOUNT}`, 'iy'),
    listed: true,
    owned: { stem: TAX_STEM, before: new RegExp(String.raw`(?:${TAX_KEYWORDS})${KEY_TAIL_BODY}${OWNER_PHRASE}$`, 'iu') },
  },
  // A VAT id (`USt-IdNr. DE123456789`, `VAT no. GB123456789`): a sole trader's names the person. Also a Swiss business
  // id (UID, `CHE-123.456.789`) after `UID`, `MWST(-Nr.)`, French `TVA`/`IDE`, Italian `IVA`/`IDI` (`numéro de TVA`,
  // `partita IVA`), as a VAT id is.
  {
    type: 'TAX_ID',
    detector: 'ids',
    words: wordSet(`${NUMBER_ENDS} ust-idnr. ust-idnr ust-id ust.-idnr. ustidnr ustidnr. ustid ust-id-nr. umsatzsteuer-id umsatzsteuer-identifikationsnummer vat uid mwst tva iva ide idi n° numéro numero`),
    before: new RegExp(
      String.raw`(?:\b(?:ust|umsatzsteuer)[-.]{0,2}id(?:entifikationsnummer|-?nr\.?)?|\bvat(?: (?:id|number|no\.?|reg(?:istration)? (?:number|no\.?)))?|\b(?:uid|mwst|tva|iva|ide|idi)(?:[- ]?(?:nummer|nr\.?|number|no\.?|n°|num[eé]ro))?)` + KEY_TAIL,
      'i',
    ),
    value: /(?:ATU\d{8}|CHE-?\d{3}\.?\d{3}\.?\d{3}|[A-Z]{2}\d{8,12})(?![0-9A-Za-z])/y,
    letters: true,
  },
  // An IBAN after its keyword that the IBAN detector leaves (a digit short or too many: a typo), whole: its bank
  // code and account number are the customer's all the same (`IBAN: DE89 3704 0044 0532 0130 0`). Its groups split as
  // the IBAN detector's may be (IBAN_GAP): by up to eight blanks or tabs, or by a dash, dot, slash, underscore or comma.
  {
    type: 'IBAN',
    detector: 'iban',
    words: wordSet('iban iban-nr. iban-nummer'),
    before: new RegExp(String.raw`\biban(?:[- ]?(?:nummer|nr\.?))?` + KEY_TAIL, 'i'),
    value: /[A-Z]{2}\d{2}(?:(?:[ \t]{1,8}|[./_,-])?[0-9A-Z]{4}){2,7}(?:(?:[ \t]{1,8}|[./_,-])?[0-9A-Z]{1,3})?(?![0-9A-Za-z])/y,
    letters: true,
  },
  // A German bank code (BLZ: `370 400 44`, `37040044`) or a UK sort code (`20-00-00`, `200000`, `20/00/00`): with the
  // account number it names the account as an IBAN does. After a bare `sort` (`the sort is 20-45-87`) only in its
  // three groups, as a sort code is written: a bare `sort` and six digits in one may be anything.
  { type: 'BANK_CODE', detector: 'ids', words: wordSet('blz blz. bankleitzahl'), before: new RegExp(String.raw`(?:\bblz\.?|\bbankleitzahl)` + KEY_TAIL, 'i'), value: /\d{3}[ -]?\d{3}[ -]?\d{2}\b/y },
  { type: 'BANK_CODE', detector: 'ids', words: wordSet('code sortcode'), before: new RegExp(String.raw`\bsort[- ]?code` + KEY_TAIL, 'i'), value: /\d{2}([ /-]?)\d{2}\1\d{2}\b(?![/-]\d)/y },
  { type: 'BANK_CODE', detector: 'ids', words: wordSet('sort'), before: new RegExp(String.raw`\bsort` + KEY_TAIL, 'i'), value: /\d{2}([ /-])\d{2}\1\d{2}\b(?![/-]\d)/y },
  {
    type: 'CVV',
    detector: 'ids',
    words: wordSet('cvv cvv2 cvc cvc2 kartenprüfnummer prüfnummer prüfziffer sicherheitscode code'),
    before: new RegExp(String.raw`(?:\bcvv2?|\bcvc2?|kartenprüfnummer|\bprüfnummer|\bprüfziffer|\bsicherheitscode|\bsecurity code)` + KEY_TAIL, 'i'),
    value: /\d{3,4}\b/y,
  },
  {
    type: 'BIRTHDATE',
    detector: 'ids',
    // The abbreviations of forms and CRMs (`Geb.-Dat.`, `Geb. Datum`, `Geburtsdat.`), `geb. den`, `geb` without its dot
    // (`geb 1.2.1980`), and a format hint after the keyword (`Geburtsdatum (TT.MM.JJJJ):`, whose last word is
    // `tt.mm.jjjj`, or `yyyy` in `(DD/MM/YYYY)`).
    words: new Set([
      ...'geb.-datum geb.datum geb.-dat. geb.dat. geb.-dat geb.dat dat. datum geb. geb geburtsdatum geburtsdat. geburtstag geboren born birth birthday dob dob. d.o.b. d.o.b'.split(' '),
      ...['geboren am', 'geb. am', 'geb am', 'geburtstag am', 'born on', 'geb. den', 'geb den', 'geboren den'],
      // French and Italian: `date de naissance`, `data di nascita`, `né(e) le`, `nato/a il` (wordBefore reads `né le`, `nato il`).
      ...'naissance nascita'.split(' '),
      ...['né le', 'née le', 'nés le', 'nées le', 'nato il', 'nata il', 'nati il', 'nate il'],
      ...'tt.mm.jjjj tt.mm.jj dd.mm.yyyy dd.mm.yy mm.dd.yyyy jjjj yyyy jj yy'.split(' '),
    ]),
    before: new RegExp(
      String.raw`(?:\bgeboren(?: am| den)?|\bgeb\.(?: ?-? ?dat(?:um|\.)| am| den)?|\bgeb(?: am| den)?|\bgeburtsdat(?:um|\.)|\bgeburtstag(?: am)?|\bbirthday|\bdate of birth|\bd\.?o\.?b\.?|\bborn(?: on)?|\bnaissance|\bnascita|(?<![a-zà-ÿ])née?s?(?:\(e\))? le|\bnat[oaie](?:\/[ai]|\([ai]\))? il)` +
        String.raw`(?: ?\((?:tt|dd|mm)[./-]?(?:tt|dd|mm)[./-]?(?:jj|yy){1,2}\))?` +
        KEY_TAIL,
      'i',
    ),
    // Also a compact date (`19861204`, `04121986`): a month and a day that exist, a year of 19xx or 20xx.
    value: new RegExp(
      String.raw`(?:\d{1,2}[./-] ?\d{1,2}[./-] ?\d{2,4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d|\d{1,2}${ORDINAL}? (?:${MONTH})\p{L}*\.? \d{4}|${MONTH_FIRST})(?!\d)`,
      'iuy',
    ),
  },
  // A card number a keyword names, 12 to 19 digits in any grouping, masked even where it fails Luhn (a mistyped card
  // number is still the customer's card): `Kartennummer 412 345 678 901`, `card no. 1234 5678 9012 3456`, `Kreditkarte
  // 4111 1111 1111 1112`, `Meine Karte: 4111 1111 1111 111`; with its
  // expiry glued on (`Kartennummer 1234 5678 9012 3456/1227`).
  {
    type: 'CARD',
    detector: 'card',
    words: wordSet(`${NUMBER_ENDS} kartennummer kartennr kartennr. kreditkartennummer debitkartennummer girokartennummer bankkartennummer karte kreditkarte debitkarte girokarte visakarte`),
    before: new RegExp(String.raw`(?:\b(?:kredit|debit|giro|bank|ec-?)?karten-?(?:nummer|nr\.?)|\b(?:kredit|debit|giro|visa)?karte|\b(?:credit |debit )?card (?:numbers?|no\.?))` + KEY_TAIL, 'i'),
    value: new RegExp(String.raw`\d(?:[ -]?\d){11,18}(?:${CARD_EXPIRY})?${WHOLE_NUMBER}${NOT_AMOUNT}`, 'iy'),
  },
  // A phone number a keyword (or words asking for a call: CALL_ME) names, also a local one without an area code
  // (`Tel. 123 456 789`, `Rufnummer 123 456 78`, `call me at 212 555 0147`): 6 to 15 digits split by single blanks, `/` or `-`, not by dots (`Tel. 12.03.2025` is a date); before them an
  // area code that closes a bracket (`(0 69) 12 34 56`) or a country code with a trunk 0 (`0049 (0)151 23456789`).
  // Separators stay single, but for a slash with a blank on one side (`0157/ 344 98 221`, `0157 /34498221`, as people
  // type it): a count, a year or a remark after ` - `, ` / ` or ` (` is no part of the number.
  {
    type: 'PHONE',
    detector: 'phone',
    words: wordSet(
      `${NUMBER_ENDS} tel tel. telnr telnr. telefon telefonnummer telefonnr telefonnr. rufnummer handy handynummer handynr handynr. mobil mobilnummer mobilnr mobilnr. mobiltelefon mobile phone telephone fax faxnummer faxnr faxnr. natel natelnummer natelnr natelnr. whatsapp tél tél. téléphone telefono cellulare cell cellphone at on unter erreichbar`,
    ),
    before: new RegExp(
      String.raw`(?:\b(?:tel(?:efon)?\.?|rufnummer|handy|mobil(?:telefon)?|fax|natel)(?:[- ]?(?:nummer|nr\.?))?|\b(?:mobile|(?:tele)?phone)(?: numbers?| no\.?)?|\bwhatsapp|\bt[eé]l[eé]phone|\btél\.?|\btelefono|\bcellulare|\bcell(?: ?phone)?(?: numbers?| no\.?)?|${CALL_ME})` + KEY_TAIL_BODY + String.raw`\(?$`,
      'i',
    ),
    value: new RegExp(String.raw`(?:\d[\d ]{0,4}\) ?|\d{2,4} ?\(0\) ?)?\d(?:(?:[ -]|\/ ?| \/)?\d){5,14}${WHOLE_NUMBER}${NOT_AMOUNT}${NOT_TIME}`, 'iy'),
  },
  // Last, as their keywords end in a word many others share (`roll number`, `routing number`): tried after the others
  // have taken what is theirs (`account number …`), they cost a number that another keyword names nothing.
  // A building society's roll number, which its account needs beside the sort code and account number: digits, maybe
  // letters before them and a suffix after a dash, slash or dot (`roll number 12345678-ABC`, `roll no. R1234567/8`).
  {
    type: 'ACCOUNT',
    detector: 'ids',
    words: wordSet(`${NUMBER_ENDS} roll-no roll-no. rollno rollno.`),
    before: new RegExp(String.raw`\broll[- ]?(?:numbers?|no\.?)` + KEY_TAIL, 'i'),
    value: /(?:[A-Z]{1,4}[/-]?)?\d(?:[ /.-]?\d){4,15}(?:[/.-]?[A-Z0-9]{1,4})?(?![0-9A-Za-z]|[/.-][0-9A-Za-z])/iy,
    letters: true,
    accepts: isAccountValue,
  },
  // A US bank's routing number (ABA routing transit number, nine digits: `ABA 121000358`, `routing number 021000021`),
  // which names the bank as a sort code does; its leading 0 made it a phone number.
  {
    type: 'BANK_CODE',
    detector: 'ids',
    words: wordSet(`${NUMBER_ENDS} aba routing rtn`),
    before: new RegExp(String.raw`(?:\baba(?:[ /-]routing)?|\brouting(?: transit)?|\brtn)(?: (?:numbers?|no\.?|#))?` + KEY_TAIL, 'i'),
    value: /\d{9}(?![0-9]|[.,/-]\d)/y,
  },
];
/** Characters before a value that its keyword may take (the longest keyword and its tail, a column's blanks too, fit). */
const KEY_WINDOW = 112;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAsciiLetter = (c: number) => (c | 0x20) >= 97 && (c | 0x20) <= 122;
const isAsciiAlnum = (c: number) => isAsciiLetter(c) || isDigit(c);
/** Letters and digits before a value's first run of digits that may belong to it (`ABCD1234567`, `AB12CD345678`). */
const MAX_LEAD = 8;

/**
 * The value of a keyed rule that starts at `at`, if the text before it ends with the rule's keyword (whose last
 * word is `word`); `before`: that text, where it is not the text right before `at` (`qualifiedAt`).
 */
function keyedAt(text: string, at: number, rule: KeyedRule, word: string, before = text.slice(Math.max(0, at - KEY_WINDOW), at)): Hit | undefined {
  if (!rule.before.test(before)) return undefined;
  rule.value.lastIndex = at;
  const m = rule.value.exec(text);
  if (m === null || (rule.accepts !== undefined && !rule.accepts(m[0], word))) return undefined;
  // An area code in brackets (`Tel. (0 69) 12 34 56`): the opening bracket goes with the number its closing one is in.
  const start = text.charCodeAt(at - 1) === 40 && m[0].includes(')') ? at - 1 : at;
  return { type: rule.type, start, end: at + m[0].length, placeholder: `[${rule.type}]` };
}

/** The last word of every keyword of KEYED_RULES: a number whose preceding word is none of them is not asked about further. */
const KEY_LAST_WORDS = new Set(KEYED_RULES.flatMap((r) => [...r.words]));

/** Whether `word` ends a keyword of `rule`. */
const namesRule = (word: string, rule: KeyedRule) => endsKeyword(word, rule.words) || (rule.compound?.test(word) ?? false);
/** Whether `word` ends a keyword of any rule. */
const isKeyword = (word: string) => endsKeyword(word, KEY_LAST_WORDS) || ACCOUNT_COMPOUND.test(word);
/**
 * `am`, `on`, `den`, `le` and `il` end a keyword only after these (`geboren am`, `born on`, `geb. den`, `né le`, `nata
 * il`): dates in prose stay cheap.
 */
const BEFORE_AM_ON = new Set(['geboren', 'geb.', 'geb', 'geburtstag', 'born', 'né', 'née', 'nés', 'nées', 'nato', 'nata', 'nati', 'nate']);
/** Words after which the keyword is the word before and this one (`geboren am`, `born on`, `geb. den`, `né le`, `nato il`). */
const AM_ON = new Set(['am', 'on', 'den', 'le', 'il']);
/** `né(e)`, `nato/a`, `nato(a)` before `le` or `il`, whose last word (wordStart) is the ending after the bracket or slash. */
const BORN_BOTH = /(?:né\(|nat[oi][/(])[aei]$/i;
const TAIL_WORDS = new Set(LINKS.split('|'));
/** An article after a tail word (`Geburtsdatum ist der 12. März 1975`, `account number is the 12345678`, `è il`). */
const TAIL_ARTICLES = new Set(['der', 'die', 'das', 'the', 'le', 'il']);

/**
 * `word.lastIndexOf('-')`, asked of the word before every number: most words have no dash (or are empty), which
 * `indexOf` tells at a fraction of the cost of `lastIndexOf`, a call into the runtime.
 */
function lastDash(word: string): number {
  return word.indexOf('-') < 0 ? -1 : word.lastIndexOf('-');
}

/** Whether `word` (or its part after the last `-`: `Depot-Nr.`) is one of `words`. */
function endsKeyword(word: string, words: ReadonlySet<string>): boolean {
  if (words.has(word)) return true;
  const dash = lastDash(word);
  return dash >= 0 && words.has(word.slice(dash + 1));
}

/** A letter, `.`, `-`, or `°` (`n°`, French and Italian for `Nr.`). */
const isWordChar = (c: number) => isAsciiLetter(c) || c === 46 || c === 45 || c === 0xb0 || c >= 0xc0;

/** Whether the line ending at `end` (a line break's index) ends with a label's `:` (blanks and `\r` after it allowed). */
function labelEndsAt(text: string, end: number): boolean {
  let k = end - 1;
  while (k >= 0 && k > end - 4 && (text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13 || text.charCodeAt(k) === 32)) k -= 1;
  return k >= 0 && text.charCodeAt(k) === 58;
}

/** What `wordStart` steps over: blanks, `\r`, `:`, `#`, `=`, brackets (`(IdNr.): `) and a dash (`Depotnummer - 123…`). */
const BETWEEN = new Set([32, 9, 160, 13, 58, 35, 61, 40, 41, 45]);

/** Spaces and tabs `wordStart` steps over: a column of values in a form (`Kundennummer:       1234567890`). */
const MAX_BLANKS = 40;
/** Other characters `wordStart` steps over. */
const MAX_BETWEEN = 8;

/**
 * Where the word before `at` starts, over `BETWEEN` and one line break (`Depotnummer:\n1234567890`), or a blank line
 * after a label's `:` (`Kundennummer:\n\n1234567890`, a web form's field and value each in its own `<p>`), at most 8
 * characters and 40 spaces and tabs; `at` itself when none.
 */
function wordStart(text: string, at: number, overBlankLine = true): [start: number, end: number] {
  let e = at;
  let lineBreaks = 0;
  let blanks = 0;
  while (e > 0 && at - e - blanks < MAX_BETWEEN) {
    const c = text.charCodeAt(e - 1);
    if (c === 10) lineBreaks += 1;
    else if ((c === 32 || c === 9) && blanks < MAX_BLANKS) blanks += 1;
    else if (!BETWEEN.has(c)) break;
    if (c === 10 && lineBreaks > 1 && !(overBlankLine && lineBreaks === 2 && labelEndsAt(text, e - 1))) break;
    e -= 1;
  }
  let b = e;
  while (b > 0 && e - b < 40 && isWordChar(text.charCodeAt(b - 1))) b -= 1;
  return [b, e];
}

/** `wordStart`, also for a keyword that ends with a digit (`CVV2 123`, `CVC2: 123`), which `wordStart` stops at. */
function keywordStart(text: string, at: number): [start: number, end: number] {
  const [b, e] = wordStart(text, at);
  return b === e && e > 1 && isDigit(text.charCodeAt(e - 1)) && isAsciiLetter(text.charCodeAt(e - 2)) ? [wordStart(text, e - 1)[0], e] : [b, e];
}

/** Characters of a remark in brackets between a keyword and its value (REMARK). */
const MAX_REMARK = 24;

/**
 * Where the remark in brackets starts whose last word starts at `b` (`Kundennummer (neu): `: the index of `(`); -1 when
 * no `(` stands on the line within MAX_REMARK characters, or a digit or another bracket comes first.
 */
function remarkStart(text: string, b: number): number {
  for (let k = b - 1; k >= 0 && b - k <= MAX_REMARK; k -= 1) {
    const c = text.charCodeAt(k);
    if (c === 40) return k;
    if (c === 41 || c === 10 || c === 58 || isDigit(c)) return -1;
  }
  return -1;
}

/**
 * The lower-cased word before `at`, over a remark in brackets (`Kundennummer (neu): `) and one linking word (`ist`,
 * `lautet`, `lauten`, `war`, `is`, ...); `geboren am` and `born on` as one, other `am` and `on` alone.
 */
function wordBefore(text: string, at: number): string {
  let [b, e] = keywordStart(text, at);
  let word = text.slice(b, e).toLowerCase();
  if (e < at && text.charCodeAt(e) === 41 && !isKeyword(word)) {
    const open = remarkStart(text, b);
    if (open >= 0) {
      [b, e] = keywordStart(text, open);
      word = text.slice(b, e).toLowerCase();
    }
  }
  if (TAIL_ARTICLES.has(word)) {
    const [pb, pe] = keywordStart(text, b);
    const previous = text.slice(pb, pe).toLowerCase();
    if (TAIL_WORDS.has(previous)) [b, e, word] = [pb, pe, previous];
  }
  if (TAIL_WORDS.has(word)) {
    [b, e] = keywordStart(text, b);
    word = text.slice(b, e).toLowerCase();
  }
  if (AM_ON.has(word)) {
    const [pb, pe] = wordStart(text, b);
    const before = text.slice(pb, pe).toLowerCase();
    if (BEFORE_AM_ON.has(before)) return `${before} ${word}`;
    return before.length === 1 && BORN_BOTH.test(text.slice(Math.max(0, pb - 5), pe)) ? `${word === 'le' ? 'né' : 'nato'} ${word}` : word;
  }
  return word;
}

/** Words that only say a number follows (`Nr.`, `no.`, `ID`): the keyword is the word before them (`Order no.`, `Trade ID`). */
const NUMBER_WORDS = new Set(['nr', 'nr.', 'no', 'no.', 'number', 'nummer', 'id']);

/** Words between a keyword and its number that say nothing of it (`Meine Zählernummer ist 0012345678`, `lautet`, `war`). */
const LINKING_WORDS = TAIL_WORDS;
/** A number's own name (`Zählernummer`, `Belegnr.`, `order number`): only such a keyword is read over `ist`/`is`. */
const NAMES_NUMBER = /(?:nummer|nr\.?|number|no\.?|id)$/;

/**
 * The lower-cased keyword before a number at `at`: the word before it (over `:`, `#` and blanks, not over a blank
 * line), or the word before its number word (`Order no.` and `Auftrags-Nr.` give `order` and `auftrags`), or before
 * an `ist`, `lautet` or `is` after a number's own name (`Meine Zählernummer ist`; not `Die Rechnung ist`).
 */
export function keywordBefore(text: string, at: number): string {
  let [b, e] = wordStart(text, at, false);
  let word = text.slice(b, e).toLowerCase();
  if (LINKING_WORDS.has(word)) {
    const [pb, pe] = wordStart(text, b, false);
    const named = text.slice(pb, pe).toLowerCase();
    if (!NAMES_NUMBER.test(named)) return word;
    [b, e, word] = [pb, pe, named];
  }
  if (NUMBER_WORDS.has(word)) {
    [b, e] = wordStart(text, b, false);
    word = text.slice(b, e).toLowerCase();
  }
  const dash = lastDash(word);
  return dash > 0 && NUMBER_WORDS.has(word.slice(dash + 1)) ? word.slice(0, dash) : word;
}

/**
 * Where a value may start: three digits or more, digits that go on after a separator (`12 345 678`, `12.03.1980`) or
 * after letters (`12AB34CD56`), an IBAN's check digits before a group split off by an underscore, a comma or blanks
 * (`DE89_3704_…`, `DE89    3704 …`), or a day before a month name.
 */
const DIGIT_STARTS = String.raw`\d{3,}|\d{1,2}(?=[./ '’-]\d|[a-z]{1,4}\d)|\d{2}(?<=[a-z]{2}\d{2})(?=(?:[_,]|[ \t]{2,8})[0-9a-z])|\d{1,2}(?=${ORDINAL}? (?:${MONTH}))`;
const VALUE_START = new RegExp(DIGIT_STARTS, 'giu');
/**
 * VALUE_START with a month name before a day and year too (`March 3, 1980`). Only for a text with a birth keyword (MAY_NAME_BIRTH): a value that may start
 * with a letter makes the scan stop at every word, which cost 6-9% of all cleaning when every text was scanned so.
 */
const VALUE_OR_MONTH_START = new RegExp(String.raw`${DIGIT_STARTS}|(?<!\p{L})(?=${MONTH_FIRST}(?!\d))\p{L}`, 'giu');
/** The birth keywords' stems (BIRTHDATE's `before`), in any case: only a text with one can hold a month-first birth date. */
const MAY_NAME_BIRTH = /geb|born|birth|d\.?o\.?b/i;

const BIRTHDATE_RULE = KEYED_RULES.find((r) => r.type === 'BIRTHDATE');
/**
 * After a date, `geboren` as German puts it at the end of the sentence, maybe after the place (`ich bin am 3. März 1985
 * geboren`, `am 03.03.1985 in Bad Homburg geboren`, `ich bin 03.03.1985 geboren`): a birth date without a keyword before it.
 */
const BORN_AFTER = /[ \t]{1,3}(?:in[ \t]{1,3}\p{Lu}[\p{L}-]{1,40}(?:[ \t]\p{Lu}[\p{L}-]{1,40})?[ \t]{1,3})?geboren(?!\p{L})/uy;

/** The birth date at `at` that `geboren` follows (BORN_AFTER), if any. */
function bornBefore(text: string, at: number, rule: KeyedRule): Hit | undefined {
  rule.value.lastIndex = at;
  const m = rule.value.exec(text);
  if (m === null) return undefined;
  BORN_AFTER.lastIndex = at + m[0].length;
  return BORN_AFTER.test(text) ? { type: rule.type, start: at, end: at + m[0].length, placeholder: `[${rule.type}]` } : undefined;
}

/**
 * The birth date at `at` after the genealogical star for `born` (`(*01.02.1980)`, `* 01.02.1980 in Köln`), if any: the star
 * right before the date or one blank before it, standing alone, at the start of the text or of a line, or after a blank
 * or `(`. Not a footnote's or bold text's star (`*) gilt ab 01.02.2026`, `**Wichtig** 01.02.2026`, `Preis* 01.02.2026`).
 */
function starredBirth(text: string, at: number, rule: KeyedRule): Hit | undefined {
  let star = at - 1;
  if (star > 0 && (text.charCodeAt(star) === 32 || text.charCodeAt(star) === 9)) star -= 1;
  if (star < 0 || text.charCodeAt(star) !== 42) return undefined;
  const c = star === 0 ? 32 : text.charCodeAt(star - 1);
  if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 40) return undefined;
  rule.value.lastIndex = at;
  const m = rule.value.exec(text);
  return m === null ? undefined : { type: rule.type, start: at, end: at + m[0].length, placeholder: `[${rule.type}]` };
}

/**
 * Numbers named by a keyword. Driven by the digits: only where a number that could be a value starts
 * (three digits or more, or a date) is the word before it looked up, and only after a keyword's last
 * word are the rules tried, so prose with times, counts and amounts costs little more than a scan. `from`: where the
 * scan for numbers starts, at the text's first digit or before (a month name, which may start a date before it, is
 * looked for from the start).
 */
export function keyedHits(text: string, rules: readonly KeyedRule[] = KEYED_RULES, from = 0): Hit[] {
  const hits: Hit[] = [];
  const born = BIRTHDATE_RULE !== undefined && rules.includes(BIRTHDATE_RULE) ? BIRTHDATE_RULE : undefined;
  // Whether the text says `geboren` at all: asked once, at the first number that no keyword names (a scan of every text costs more).
  let saysBorn: boolean | undefined;
  // The rules whose keyword may stand before an owner and then the value (`owned`), and whose keyword the text may hold: asked once, at the first number no keyword names.
  let owning: readonly KeyedRule[] | undefined;
  const starts = born && MAY_NAME_BIRTH.test(text) ? VALUE_OR_MONTH_START : VALUE_START;
  starts.lastIndex = starts === VALUE_START ? from : 0;
  for (let m = starts.exec(text); m !== null; m = starts.exec(text)) {
    const i = m.index;
    if (i === 0 || isDigit(text.charCodeAt(i - 1))) continue;
    // `#A1234567`, `K-12345678`, `ABCD1234567`, `AB12CD345678`: letters, maybe with digits among them, and maybe a dash
    // before the digits, up to MAX_LEAD characters, starting with a letter, not the tail of a longer word.
    const q = text.charCodeAt(i - 1) === 45 ? i - 1 : i;
    let p = q;
    while (p > q - MAX_LEAD && p > 0 && isAsciiAlnum(text.charCodeAt(p - 1))) p -= 1;
    if (p === q || (p > 0 && isAsciiAlnum(text.charCodeAt(p - 1))) || !isAsciiLetter(text.charCodeAt(p))) p = i;
    const word = wordBefore(text, i);
    const lettered = p < i ? wordBefore(text, p) : '';
    const keyed = isKeyword(word) || (p < i && isKeyword(lettered));
    const found = keyed
      ? ruleAt(text, rules, i, word, p, lettered)
      : ((born ? starredBirth(text, i, born) : undefined) ??
        qualifiedAt(text, rules, i) ??
        ownedAt(text, (owning ??= rules.filter((r) => r.owned?.stem.test(text) === true)), i) ??
        (born && (saysBorn ??= text.includes('geboren')) ? bornBefore(text, i, born) : undefined));
    if (found) {
      hits.push(found);
      const more = listedAfter(text, found, rules);
      for (const hit of more) hits.push(hit);
      starts.lastIndex = (more.at(-1) ?? found).end;
    }
  }
  return hits;
}

/** Words that say whose a number is or what it is for, between its keyword and a colon: `Steuer-ID meiner Frau: `. */
export const QUALIFYING =
  'für|fuer|von|vom|bei|beim|auf|zwecks|meiner|meines|meinem|meine|seiner|seines|ihrer|ihres|unserer|unseres|des|der|zum|zur|ehemann|ehefrau|ehepartners?|ehepartnerin|mann|frau|sohn|tochter|kind|of|for|on|my|his|her|our|husband|wife|spouse|son|daughter|de|du|pour|mon|ma|mes|di|del|della|mio|mia';
/**
 * A keyword (group 1), then a qualifying word and up to three more words on the line, then a colon or a linking word
 * (`lautet`, `ist`, `war`, ...), before a value: `Steuer-ID für den Freistellungsauftrag: `, `Depotnummer bei Ihnen: `, `Steuer-ID meiner Frau lautet `.
 * Only after such a word, so that a colon after other words (`Depot Wert aktuell: 250000`) names no number; after a
 * comma instead (group 2: `Mein Geburtsdatum, falls nötig: 12.03.1980`) only a birth date's keyword, whose value is a
 * date (`Konto, Stand heute: 12345` is an amount).
 */
const QUALIFIED = new RegExp(
  String.raw`(?<![\p{L}\p{N}.-])(\p{L}[\p{L}.-]{0,39})(?:[ \t]{1,3}(?:${QUALIFYING})|(,))(?:[ \t]{1,3}\p{L}[\p{L}.-]{0,29}){0,3}(?:[ \t]?:|[ \t]{1,3}(?:${LINKS})[ \t]?:?)[ \t]{0,40}$`,
  'giu',
);
/** A linking word (maybe with a colon) right before a value: a qualified keyword may stand before it. */
const SAID_BEFORE = new RegExp(String.raw`(?:^|[ \t])(?:${LINKS})[ \t]?:?$`, 'i');
/** Characters before a value that a qualified keyword may take (a column's blanks too). */
const QUALIFIED_WINDOW = 136;

/** The value at `i` of the first of `rules` whose keyword stands before it with qualifying words and a colon (`QUALIFIED`). */
function qualifiedAt(text: string, rules: readonly KeyedRule[], i: number): Hit | undefined {
  let c = i;
  while (c > 0 && i - c < MAX_BLANKS && (text.charCodeAt(c - 1) === 32 || text.charCodeAt(c - 1) === 9)) c -= 1;
  const last = text.charCodeAt(c - 1);
  // A colon, or a linking word's last letter (the text asked only then: most numbers have neither).
  if (last !== 58 && !((isAsciiLetter(last) || last >= 0xc0) && SAID_BEFORE.test(text.slice(Math.max(0, c - 9), c)))) return undefined;
  const window = text.slice(Math.max(0, i - QUALIFIED_WINDOW), i);
  // The first match whose word is a keyword: a word before it may open the phrase too (`Date of birth for verification:`
  // matches at `Date`, then at `birth`). The window is short, so the matches tried are few.
  let m: RegExpExecArray | null;
  let word = '';
  for (QUALIFIED.lastIndex = 0; (m = QUALIFIED.exec(window)) !== null; QUALIFIED.lastIndex = m.index + 1) {
    word = m[1].toLowerCase();
    if (isKeyword(word)) break;
  }
  if (m === null) return undefined;
  // The keyword as if the colon followed it.
  const before = `${window.slice(0, m.index + m[1].length)}: `;
  const comma = m[2] !== undefined;
  for (const rule of rules) {
    const found = namesRule(word, rule) && (!comma || rule === BIRTHDATE_RULE) ? keyedAt(text, i, rule, word, before) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Characters before a value that a keyword, its tail and an owner (OWNER_PHRASE) may take. */
const OWNED_WINDOW = 160;

/** The value at `i` of the first of `rules` (each `owned`) whose keyword stands before it with an owner between (`Steuer-ID mein Mann: `). */
function ownedAt(text: string, rules: readonly KeyedRule[], i: number): Hit | undefined {
  for (const rule of rules) {
    rule.value.lastIndex = i;
    const m = rule.value.exec(text);
    if (m === null || rule.owned === undefined || !rule.owned.before.test(text.slice(Math.max(0, i - OWNED_WINDOW), i))) continue;
    return { type: rule.type, start: i, end: i + m[0].length, placeholder: `[${rule.type}]` };
  }
  return undefined;
}

/** Between the values of a list after one keyword: a remark in brackets (`(meine)`), then `,`, `;`, `/`, `&`, `und`, `and`, `oder`, `or`, `sowie`. */
const LIST_JOIN = /[ \t]{0,3}(?:\([^()\n]{1,30}\)[ \t]{0,3})?(?:[,;/&]|(?:und|and|oder|or|sowie)(?=[ \t]))[ \t]{0,3}/iy;
/** Digits a value after the first of a list needs: fewer read as a postal code (`Konto 12345678, 10115 Berlin`) or a count. */
const LISTED_MIN_DIGITS = 6;

/** What may follow a list's last value: the end of the text or line, or `.`, `!`, `?`, `;`, `)`, maybe after blanks. */
const LIST_END = /[ \t]{0,3}(?:$|[\n.!?;)])/y;

/**
 * Whether `value` (its `digits` fewer than LISTED_MIN_DIGITS), ending at `end`, is one of the list all the same: the
 * rule takes it after the keyword (`word`), it is not round, and it ends the list or another value follows
 * (`Kontonummern: 12345678, 23456789 und 34567.`); so `Konto 12345678, 10115 Berlin` keeps its postal code.
 */
function shortListed(text: string, rule: KeyedRule, value: string, digits: string, end: number, word: string): boolean {
  if (ROUND.test(digits) || (rule.accepts !== undefined && !rule.accepts(value, word))) return false;
  LIST_END.lastIndex = end;
  return LIST_END.test(text) || nextListed(text, end) >= 0;
}

/**
 * Where the next value of a list starts after `end`: after a join (LIST_JOIN), at a digit; -1 when none does. `owned`:
 * an owner may stand between the join and the value (`…, mein Mann 98 765 432 109`).
 */
function nextListed(text: string, end: number, owned = false): number {
  LIST_JOIN.lastIndex = end;
  if (!LIST_JOIN.test(text)) return -1;
  const at = LIST_JOIN.lastIndex;
  if (isDigit(text.charCodeAt(at))) return at;
  if (!owned) return -1;
  OWNER_AT.lastIndex = at;
  return OWNER_AT.test(text) && isDigit(text.charCodeAt(OWNER_AT.lastIndex)) ? OWNER_AT.lastIndex : -1;
}

/**
 * The values after `first` in a list that its keyword names (`Steuer-ID: 12345678901 (meine) und 98765432109
 * (Ehefrau)`, `Depotnummern 1234567890, 2345678901`), for the rules that allow one: each starting with a digit.
 */
function listedAfter(text: string, first: Hit, rules: readonly KeyedRule[]): Hit[] {
  const rule = rules.find((r) => r.listed === true && r.type === first.type);
  if (rule === undefined) return [];
  const more: Hit[] = [];
  let word: string | undefined;
  let end = first.end;
  const owned = rule.owned !== undefined;
  for (let at = nextListed(text, end, owned); at >= 0; at = nextListed(text, end, owned)) {
    rule.value.lastIndex = at;
    const m = rule.value.exec(text);
    if (m === null) break;
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < LISTED_MIN_DIGITS && !shortListed(text, rule, m[0], digits, at + m[0].length, (word ??= wordBefore(text, first.start)))) break;
    end = at + m[0].length;
    more.push({ type: rule.type, start: at, end, placeholder: `[${rule.type}]` });
  }
  return more;
}

/**
 * The value of the first of `rules` that a keyword names at `i`, the keyword ending with `word`; or, for a rule that
 * allows letters, at `p`, where the letters before the digits start, the keyword ending with `lettered`.
 */
function ruleAt(text: string, rules: readonly KeyedRule[], i: number, word: string, p: number, lettered: string): Hit | undefined {
  for (const rule of rules) {
    const found = (namesRule(word, rule) ? keyedAt(text, i, rule, word) : undefined) ?? (rule.letters && p < i && namesRule(lettered, rule) ? keyedAt(text, p, rule, lettered) : undefined);
    if (found) return found;
  }
  return undefined;
}

