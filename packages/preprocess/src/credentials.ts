/**
 * Credentials, for `redactPii`'s `credentials` detector: the value a keyword names as a secret or a login, masked as
 * `[CREDENTIAL]` (the keyword stays). Narrow on purpose: a keyword used as a word (`PIN-Brief`, `Passwort vergessen`,
 * `neue TAN-Liste`, `der Login funktioniert nicht`) names no value.
 * - `PIN`, `TAN` (also `mTAN`, `pushTAN`, `Karten-PIN`, `PIN-Nummer`, `Geheimzahl`): 4-8 digits, also in groups of one
 *   length (`TAN 123 456`);
 * - between the keyword and `:`, `ist` or `lautet`, blanks of a column, a remark in brackets or words on whose the
 *   secret is (`Passwort (neu):`, `PIN meiner Kreditkarte lautet`), and `jetzt` or `neu` after the link;
 * - `Passwort`, `Kennwort`, `password`, `passcode` (also in compounds: `Zugangspasswort`), `Login(-ID, -Name)`,
 *   `Benutzername`, `Benutzerkennung`, `Anmeldename`, `Legitimations-ID`, `Zugangsnummer`, `Zugangsdaten`, `username`,
 *   `user ID`, `PW`, one-time codes (`Verifizierungscode`, `SMS-Code`, `OTP`): a quoted value, or a word of 3-64 characters holding a
 *   digit, a symbol or a capital after its first letter (`Geheim123!`, `max1985`, `anna.schmidt`, `GeHeim`), and such a
 *   word after a slash (`max1985 / Geheim123`), or a plain word that ends its clause after `:`, `=` or `lautet`
 *   (`Kennwort: sommerwind`), or after `ist`/`is` with eight letters or more, unless it says something about the secret
 *   (`Passwort: vergessen`, `my password is compromised`);
 * - a year 20xx after `PIN` or `TAN` and blanks, then a word about it (`TAN 2025 abgelaufen`), is no PIN;
 * - the answers UK banks ask for as secrets: `memorable word`, `memorable information`, `security answer`, a mother's
 *   maiden name (`my memorable word is lighthouse`, `mother's maiden name: Hargreaves`), any word of three letters or
 *   more that ends its clause;
 * - a new secret after `to` where the sentence says it was changed (`I've reset my password to Summer2025!!`, `PIN
 *   changed to 4711`);
 * - a card's security code as `[CVV]` (`CSC 771`, `CV2 number: 771`, `the 3 digit code on the back is 771`), which the
 *   `ids` detector's keywords (`CVV`, `security code`) miss;
 * - the values in the query of a web address that a secret or the customer is in (`https://bank.example/reset?token=8f3a…&user=hmueller`).
 */
import { cryptoSecretAt } from './crypto-secrets.js';
import type { Hit } from './redact.js';
import { QUALIFYING } from './keyed-numbers.js';
import { YEAR } from './patterns.js';

const NOT_LETTER_BEFORE = String.raw`(?<![\p{L}\p{N}])`;
/**
 * A secret set anew, as English says it (`password has been reset to Summer2025!`, `PIN changed to 4711`, `I've reset
 * my password to …`): `to`, maybe after the verb; where the verb is not in it, `credentialHits` looks for it before the
 * keyword (CHANGED_BEFORE), so that `my password to the app` and `send my PIN to me` name no value.
 */
const CHANGED_TO = String.raw`[ \t]{1,3}(?:(?:(?:has|have|had|was|is)[ \t]{1,3}(?:been[ \t]{1,3}|now[ \t]{1,3})?)?(?:reset|changed|set|updated)[ \t]{1,3})?to[ \t]{1,3}`;
/** A join that ends with CHANGED_TO's `to`. */
const TO_JOIN = /[ \t]to[ \t]{1,3}$/;
/** CHANGED_TO with its verb in the join (`… changed to `). */
const VERB_IN_JOIN = /(?:reset|changed|set|updated)[ \t]{1,3}to[ \t]{1,3}$/;
/**
 * A verb of change right before the keyword, maybe with up to three words that say whose the secret is (`I've reset my
 * `, `I changed the online banking `): a `to` after the keyword then names the new secret (`I've reset my password to
 * Summer2025!!`).
 */
const CHANGED_BEFORE = /(?<![\p{L}\p{N}])(?:reset|changed?|changing|set|setting|updated?|updating)[ \t]{1,3}(?:\p{L}[\p{L}'’-]{0,20}[ \t]{1,3}){0,3}$/iu;
/** How far before a keyword CHANGED_BEFORE looks. */
const CHANGED_LOOKBACK = 60;
/**
 * A dash between blanks, as a form or list writes a value (`Mother's maiden name - Hargreaves`): a link for an answer's
 * keyword only (ANSWER_KEYWORD), as a subject reads `Passwort - Zurücksetzen`.
 */
const DASH = String.raw`[ \t]{1,3}[-–][ \t]{1,3}`;
const DASH_JOIN = /[ \t][-–][ \t]{1,3}$/;
/**
 * A colon's value on the next line, maybe after one blank line (`PIN:⏎⏎4711`, `Meine PIN lautet:⏎4711`, as a form or a
 * letter is copied): read as after blanks alone (`credentialHits`), so a word there is a secret only where it reads as
 * one wherever it stands (`Passwort:⏎Sonne2024!`, not `Passwort:⏎Hallo,`).
 */
const NEXT_LINE = String.raw`[ \t]{0,3}\n(?:[ \t]{0,3}\n)?[ \t]{0,3}`;
/**
 * What links a keyword to its value: `:` or `=` (after blanks lining values up in a column: `PIN:         4711`), or
 * `ist`, `is`, `war`, `was`, `lautet`, `lautete`, French `est`, `était`, Italian `è`, `era`, maybe with `jetzt`, `nun`,
 * `neu`, `maintenant` or `ora` after it (`ist jetzt …`), also with a colon (`lautet: `, `ist: `) or an article (`Die neue
 * PIN ist die 4711.`); `to` after a change
 * (CHANGED_TO); a dash after an answer's keyword (DASH).
 */
const LINK = String.raw`[ \t]{0,40}[:=](?:${NEXT_LINE}|[ \t]{0,40})|${CHANGED_TO}|${DASH}|[ \t]{1,3}(?:ist|is|war|was|lautet|lautete|est|était|è|era)(?:[ \t]{1,3}(?:jetzt|nun|neu|now|maintenant|ora|adesso))?(?:[ \t]{0,3}:(?:${NEXT_LINE}|[ \t]{0,3})|[ \t]{1,3}(?:(?:die|der|das)[ \t]{1,3})?)`;
/**
 * Words between a keyword and its link that say whose the secret is or what it is for (`Passwort für das Online-Banking
 * ist`, `PIN meiner Kreditkarte lautet`, `PIN für die Karte:`): a qualifying word and up to three more; or a remark in
 * brackets (`Passwort (neu): `). Only before a link, never before blanks alone (`PIN für die Karte 4711` reads as prose).
 */
const QUALIFIER = String.raw`[ \t]{1,3}(?:\([^()\n:=]{1,24}\)|(?:${QUALIFYING}|zu|im|fürs|to|on|aus)(?:[ \t]{1,3}[\p{L}\p{N}][\p{L}\p{N}.-]{0,29}){0,3})`;
/** The keyword, then what joins it to its value: a link, maybe after a qualifier, or blanks alone. */
const JOIN = String.raw`(?:(?:${QUALIFIER})?(?:${LINK})|[ \t]{1,40})`;
/** A link that names a value (`:`, `=`, `lautet`); any other but blanks is `ist`, `is`, `war` or `was` (`my password is …`). */
const STRONG_JOIN = /[:=]|lautete?[ \t]/;
/** Words of a PIN or TAN: its value is digits. */
const PIN_WORD = String.raw`(?<=^|[^\p{L}\p{N}]|${NOT_LETTER_BEFORE}(?:m|sms|push|chip|photo|app))(?:PIN|TAN|Pin|Tan|pin)(?:[- ]?(?:Nummer|nummer|Nr\.|Code|code|number|no\.))?|${NOT_LETTER_BEFORE}(?:Geheimzahl|Geheimnummer)`;
/** Words of a one-time code (`Verifizierungscode: 839201`, `OTP 839201`, `Aktivierungscode: X7K9-P2M4`): its value is a word, as a password's. */
const ONE_TIME_CODE = String.raw`(?:SMS-?|[Vv]erifizierungs|[Bb]estätigungs|[Aa]ktivierungs|[Ff]reischalt|[Ee]inmal|[Ss]icherheits|[Zz]ugangs)-?[Cc]ode|[Cc]ode[ \t]aus[ \t]der[ \t](?:SMS|App|E-Mail)|OTP|(?:SMS|[Vv]erification|[Cc]onfirmation|[Aa]ctivation|[Oo]ne-time) [Cc]ode`;
/**
 * Words of the answers UK banks ask for as secrets (`memorable word`, `memorable information`, `security answer`), and a
 * mother's maiden name, the security question's answer (`my mother's maiden name is Hargreaves`; a maiden name alone,
 * `my maiden name was Smith`, is a name, for the `names` detector). Their value is any word that ends its clause
 * (ANSWER_KEYWORD).
 */
const ANSWER_WORD = String.raw`[Mm]emorable[ \t](?:[Ww]ord|[Ii]nformation|[Ii]nfo|[Dd]ata|[Aa]nswer|[Pp]hrase|[Nn]ame|[Pp]lace|[Dd]ate)|[Ss]ecurity[ \t](?:[Aa]nswer|[Ww]ord|[Pp]hrase)|[Ss]ecret[ \t](?:[Aa]nswer|[Ww]ord)|(?<=[Mm](?:other|um|om)(?:['’]s|s)?[ \t])[Mm]aiden[ \t][Nn]ame|[Mm]ädchenname[ \t](?:meiner|der|Ihrer)[ \t]Mutter|[Ss]icherheitsantwort|[Aa]ntwort[ \t]auf[ \t](?:die|meine)[ \t]Sicherheitsfrage`;
/** A keyword that is one of ANSWER_WORD: a plain word of three letters or more is its value after `is` too (`my memorable word is lighthouse`). */
const ANSWER_KEYWORD = /^(?:(?:[Mm]emorable|[Ss]ecurity|[Ss]ecret|[Mm]aiden|[Mm]ädchenname|[Aa]ntwort)[ \t]|[Ss]icherheitsantwort$)/;
/**
 * Words of a password or login: its value is a word. French and Italian: `mot de passe`, `identifiant`, `nom
 * d'utilisateur`, `nome utente` (`password` is theirs too).
 */
const SECRET_WORD = String.raw`(?:[Pp]asswor[dt]|[Kk]ennwort|[Pp]asscode|[Pp]assphrase|${NOT_LETTER_BEFORE}(?:${ANSWER_WORD}|[Mm]ot[- ]de[- ]passe|[Ii]dentifiant|[Nn]om d['’]utilisateur|[Nn]ome utente|[Pp]asswd|PWD?|pw|[Ll]ogin(?:[- ]?(?:ID|Id|id|[Nn]ame|[Kk]ennung))?|[Bb]enutzer(?:name|kennung|-?ID)|[Aa]nmelde-?(?:name|kennung)|[Ll]egitimations-?(?:ID|[Nn]ummer)|[Zz]ugangs(?:nummer|kennung|daten)|[Aa]nmeldedaten|[Nn]utzer-?(?:ID|Id|[Nn]ame|[Kk]ennung)|[Kk]unden-?[Kk]ennung|(?:VR-)?Net[Kk]ey|[Tt]eilnehmer-?(?:[Nn]ummer|[Kk]ennung)|[Vv]erfüger-?(?:[Nn]ummer|[Kk]ennung)|[Bb]enutzer(?=[ \t]{0,3}:)|(?:[Oo]nline-?[Bb]anking[- ])?[Kk]ennung|[Uu]ser ?(?:[Nn]ame|ID|[Ii]d)|${ONE_TIME_CODE}))`;
/** At a keyword (group 1: a PIN or TAN; group 3: a password, login or one-time code), then the join (group 2 or 4). */
const CUE = new RegExp(String.raw`(${PIN_WORD})(?![\p{L}\p{N}-])(${JOIN})|(${SECRET_WORD})(?![\p{L}\p{N}-])(${JOIN})`, 'uy');
/** A keyword that names a card's security code as well as a one-time code: its value of three or four digits is a card's (CARD_CODE_DIGITS). */
const CARD_OR_CODE = /^[Ss]icherheits-?[Cc]ode$/;
const CARD_CODE_DIGITS = /^\d{3,4}$/;
/** A keyword that is a one-time code's: its value holds a digit (`OTP SMS nicht erhalten` names none). */
const CODE_KEYWORD = new RegExp(String.raw`^(?:${ONE_TIME_CODE})$`);
/** A PIN or TAN: 4-8 digits, not the start of a longer number, date or amount. */
const PIN_VALUE = /\d{4,8}(?![\p{L}\p{N}]|[.,/-]\d)/uy;
/**
 * A PIN or TAN written in groups, as an app or a letter shows it (`TAN 123 456`, `TAN: 123-456`, `PIN 12 34`): two to
 * four groups of 2-4 digits joined by one blank or one dash, with no further group after them. isGroupedPin says whether
 * it is one.
 */
const GROUPED_PIN_VALUE = /\d{2,4}([ -])\d{2,4}(?:\1\d{2,4}){0,2}(?![\p{L}\p{N}]|[.,/-]\d|[ -]\d)/uy;
/** A quoted secret (`"Geheim 123"`, `„Geheim 123“`). */
const QUOTED_VALUE = /(?:"[^"\n]{1,64}"|„[^“”\n]{1,64}[“”]|'[^'\n]{1,64}'|«[^»\n]{1,64}»)/y;
/** A secret written as one word: no blank, starting with a letter, a digit or a symbol other than a bracket or a dash. */
const WORD_VALUE = /[\p{L}\p{N}!#$%&*+?@^_~§][^\s]{2,63}(?!\S)/uy;
/** What makes a word read as a secret wherever it stands: a digit, a symbol, a capital after its first letter. */
const SECRET_LIKE = /[\p{N}!#$%&*+?@^_~§=/\\|<>.]|.\p{Lu}/u;
/** A plain word after `:` or `lautet` is a value only where it ends its clause (`Kennwort: sommerwind`), not in `Passwort: Bitte zurücksetzen`. */
const CLAUSE_END = /[ \t]*(?:[,;(]|\r?\n|$)/y;
/** The end of a sentence after the value (`Geheim123.`), not taken into the mask. */
const TRAILING = /[.,;:)]+$/;
/** `!` and `?` at its end, masked with it (a secret may end so: `Geheim123!`) but no sign of one (`Passwort vergessen!`). */
const TRAILING_MARKS = /[!?]+$/;
/** Words after `:` or `lautet` that say something about the secret instead of giving it. */
const NOT_VALUE_WORDS = new Set(
  [
    'vergessen falsch abgelaufen gesperrt ungültig geändert ändern zurücksetzen neu nicht funktioniert geht unbekannt fehlt forgotten forgot wrong expired locked blocked invalid incorrect changed change reset new not missing unknown kompromittiert deaktiviert zurückgesetzt veraltet identisch freigeschaltet entsperrt aktiviert aktualisiert abgelehnt unsicher compromised deactivated outdated identical insecure activated unlocked updated rejected',
    // English words that say how an answer is (`my memorable word is correct`), which any word may be.
    'correct right accepted recognised recognized working required needed lost fine different same something anything nothing blank empty unchanged',
    // French and Italian.
    'oublié oubliée oublie perdu perdue bloqué bloquée expiré expirée invalide incorrecte faux fausse erroné erronée changé changée modifié modifiée réinitialisé réinitialisée nouveau nouvelle inconnu inconnue dimenticato dimenticata perso persa bloccato bloccata scaduto scaduta errato errata sbagliato sbagliata cambiato cambiata modificato modificata nuovo nuova sconosciuto sconosciuta',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Where a keyword may start: one cheap scan (no `u` flag, no lookbehind) finds the first letters of each, and CUE
 * runs anchored there only. Scanning with CUE itself cost a third of all masking. Keywords that share a first
 * letter share one branch (`P(?:IN|in|ass…)`): the scan then tries fewer branches at each character, 15% faster.
 */
const KEYWORD_START =
  /P(?:IN|in|ass[wcp]|W|rivat)|p(?:in|ass[wcp]|w|rivat)|SMS[- ]?[Cc]ode|T(?:AN|an|eilnehmer)|[Gg]eheim|[Kk](?:enn[wu]|unden-?[Kk])|[Ll](?:ogin|egitim)|[Bb](?:enutzer|estätigungs|ackup[- ])|[Aa](?:nmelde|ktivierungs|ctivation|ntwort[ \t]auf)|[Zz]ugangs|N(?:utzer|et[Kk]ey)|[Uu]ser ?[NnIi]|[Vv]er(?:ifi|füger)|[Ff]reischalt|[Ee]inmal|OTP|C(?:VV|VC|V2|SC|VN|onfirmation|ode[ \t]aus)|c(?:v[vc]|sc|onfirmation|ode[ \t]aus)|[Oo]n(?:e-time|line-?[Bb]anking[- ][Kk])|[Mm](?:ot[- ]de[- ]p|emorable[ \t]|aiden[ \t][Nn]ame|ädchenname|nemonic)|[Ss](?:ec(?:urity|ret)[ \t][AaWwPp]|icherheits[ac]|eed)|[Rr]ecovery|[Ww]iederherstellungs|back[ \t:]|digit[ \t]|[Ii]dentifiant|[Nn]om(?:e utente| d['’]u)/g;

/** The `[CREDENTIAL]` spans of a text: the value after each keyword, in text order. */
export function credentialHits(text: string): Hit[] {
  const hits: Hit[] = [];
  KEYWORD_START.lastIndex = 0;
  for (let k = KEYWORD_START.exec(text); k !== null; k = KEYWORD_START.exec(text)) {
    CUE.lastIndex = k.index;
    const m = CUE.exec(text);
    if (m === null) {
      const other = cardCodeAt(text, k.index) ?? cryptoSecretAt(text, k.index);
      if (other !== undefined) {
        hits.push(other);
        KEYWORD_START.lastIndex = other.end;
      }
      continue;
    }
    const at = m.index + m[0].length;
    const keyword = m[1] ?? m[3];
    const join = m[2] ?? m[4];
    const kind: JoinKind = join.trim() === '' || join.includes('\n') ? 'blanks' : STRONG_JOIN.test(join) ? 'strong' : 'said';
    // `PW` is also other words' short form (`PW 2024`, `150 PW`): a password only after `:` or `=`.
    if ((keyword === 'PW' || keyword === 'pw') && kind !== 'strong') continue;
    if (DASH_JOIN.test(join) && !ANSWER_KEYWORD.test(keyword)) continue;
    // `to` names a new secret only where the sentence says it was changed (`I've reset my password to …`).
    if (TO_JOIN.test(join) && !VERB_IN_JOIN.test(join) && !CHANGED_BEFORE.test(text.slice(Math.max(0, m.index - CHANGED_LOOKBACK), m.index))) continue;
    // A PIN joined by blanks alone may be a year (`PIN 2024 geändert`).
    const end = m[1] !== undefined ? pinEnd(text, at, kind === 'blanks') : secretEnd(text, at, kind, CODE_KEYWORD.test(keyword), ANSWER_KEYWORD.test(keyword));
    if (end === undefined) continue;
    // `Sicherheitscode` also names a card's: three or four digits after it are that, the `ids` detector's `[CVV]`.
    if (CARD_OR_CODE.test(keyword) && CARD_CODE_DIGITS.test(text.slice(at, end))) continue;
    hits.push({ type: 'CREDENTIAL', start: at, end, placeholder: '[CREDENTIAL]' });
    KEYWORD_START.lastIndex = end;
  }
  if (!text.includes('://')) return hits;
  const inQueries = urlQueryHits(text);
  return inQueries.length === 0 ? hits : [...hits, ...inQueries].sort((a, b) => a.start - b.start);
}

/**
 * A web address up to its query: up to a blank, `?`, `#`, a comma, a bracket or a quote. Found apart from the query
 * (URL_QUERY): one pattern for both started again at each `http://` inside an address that has no query and read on to
 * its end, in time growing with the square of its length (`http://` 6,000 times on one line: 0.6 s; 32 such emails
 * froze a server for 19 s). Every `http://` inside an address ends where it ends, so none of them can have a query if
 * the first has none.
 */
const URL_ADDRESS = /\bhttps?:\/\/[^\s?#<>"'(),[\]]+/gi;
/** The query right after an address (group 1: after `?`, up to a blank, `#`, a comma, a bracket or a quote). */
const URL_QUERY = /\?([^\s#<>"'(),[\]]+)/y;
/** One parameter of a query: its name (group 1) and value (group 2). */
const QUERY_PARAMETER = /(?:^|[&;])([^=&;]*)=([^&;]+)/g;
/** Parameter names of a secret or of who the customer is: their values are masked whatever they hold. */
const SECRET_PARAMETER = /token|key|code|session|sid|auth|pass|pw|pwd|secret|sig|otp|tan|pin|user|login|mail|name|iban|account|konto|kunde|customer|client|id$/i;
/** A value that reads as a token or an address whatever its name: an `@` (or `%40`), or 16 characters and more of letters and digits mixed. */
const SECRET_VALUE = /@|%40|^(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}$/i;

/** Where a web address ends before the punctuation of the sentence it stands in (`…?user=hmueller.`). */
function endOfAddress(query: string): number {
  let end = query.length;
  while (end > 0 && '.,;:!?'.includes(query[end - 1])) end -= 1;
  return end;
}

/**
 * The values in the queries of web addresses that a secret or the customer is in (`https://bank.example/reset?token=8f3a…&user=hmueller`):
 * a parameter named as a token, session, login, e-mail address, name or account; or a value with an `@` or one that
 * reads as a token (16 letters and digits mixed). Others stay (`?lang=de`, `?page=2`, `?isin=DE0005140008`), and so do
 * the address and the names of its parameters.
 */
function urlQueryHits(text: string): Hit[] {
  const hits: Hit[] = [];
  URL_ADDRESS.lastIndex = 0;
  while (URL_ADDRESS.exec(text) !== null) {
    URL_QUERY.lastIndex = URL_ADDRESS.lastIndex;
    const u = URL_QUERY.exec(text);
    if (u === null) continue;
    URL_ADDRESS.lastIndex = URL_QUERY.lastIndex;
    const query = u[1].slice(0, endOfAddress(u[1]));
    const queryStart = u.index + 1;
    QUERY_PARAMETER.lastIndex = 0;
    for (let p = QUERY_PARAMETER.exec(query); p !== null; p = QUERY_PARAMETER.exec(query)) {
      if (!SECRET_PARAMETER.test(p[1]) && !SECRET_VALUE.test(p[2])) continue;
      const end = queryStart + p.index + p[0].length;
      hits.push({ type: 'CREDENTIAL', start: end - p[2].length, end, placeholder: '[CREDENTIAL]' });
    }
  }
  return hits;
}

/**
 * A year this century right after the keyword, then a word about the PIN or TAN (`TAN 2025 abgelaufen`, `PIN 2024
 * geändert`): when it happened, not the secret. Narrow on purpose: joined by `:`, `=`, `ist` or `lautet`, or without such
 * a word after it, four digits are the secret; and 19xx stays one (a birth year is a common PIN).
 */
const YEAR_NOT_PIN = /20\d\d[ \t]{1,3}(?:abgelaufen|geändert|gesperrt|entsperrt|ungültig|zurückgesetzt|expired|changed|blocked|locked|reset)(?![\p{L}\p{N}])/uy;

/**
 * Whether `grouped` (GROUPED_PIN_VALUE) is a PIN or TAN: 4-8 digits in groups of one length (`123 456`, `12 34`), so a
 * count after a PIN keeps its digits (`PIN 1234 10 mal falsch eingegeben`).
 */
function isGroupedPin(grouped: string): boolean {
  const groups = grouped.split(/[ -]/);
  const digits = groups.join('').length;
  return digits >= 4 && digits <= 8 && groups.every((g) => g.length === groups[0].length);
}

/** Where the PIN or TAN at `at` ends; `blankJoin`: only blanks join it to its keyword (no `:`, `=`, `ist`, `lautet`). */
function pinEnd(text: string, at: number, blankJoin: boolean): number | undefined {
  GROUPED_PIN_VALUE.lastIndex = at;
  const grouped = GROUPED_PIN_VALUE.exec(text);
  if (grouped !== null && isGroupedPin(grouped[0])) return at + grouped[0].length;
  PIN_VALUE.lastIndex = at;
  if (!PIN_VALUE.test(text)) return undefined;
  const end = PIN_VALUE.lastIndex;
  YEAR_NOT_PIN.lastIndex = at;
  return blankJoin && end - at === 4 && YEAR_NOT_PIN.test(text) ? undefined : end;
}

/** How a keyword is joined to its value: `:`, `=` or `lautet` (strong); `ist`, `is`, `war`, `was` (said); blanks alone. */
type JoinKind = 'strong' | 'said' | 'blanks';
/** Letters a plain word after `ist` or `is` needs to be a secret: shorter ones there say how it is (`my password is weak`). */
const SAID_MIN_LETTERS = 8;
const DIGIT = /\d/;
/** A slash between a login and its password (`Zugangsdaten: max1985 / Geheim123`). */
const SLASH = /[ \t]{0,3}\/[ \t]{0,3}/y;

/**
 * Where the secret at `at` ends, joined to its keyword as `join` says; `code`: the keyword is a one-time code's, whose
 * value holds a digit; `answer`: the keyword is an answer's (ANSWER_KEYWORD). A second secret after a slash is masked with it where it reads as one wherever it stands
 * (`max1985 / Geheim123`, not `Geheim123 / bitte ändern`).
 */
function secretEnd(text: string, at: number, join: JoinKind, code: boolean, answer: boolean): number | undefined {
  const end = answer ? answerEnd(text, at, join) : wordSecretEnd(text, at, join);
  if (end === undefined || (code && !DIGIT.test(text.slice(at, end)))) return undefined;
  SLASH.lastIndex = end;
  return SLASH.test(text) ? (wordSecretEnd(text, SLASH.lastIndex, 'blanks') ?? end) : end;
}

/**
 * Where the one secret at `at` ends. A plain word is one after a strong join, or after `ist`/`is` when it is long
 * (SAID_MIN_LETTERS: `my password is correcthorsebattery`), and only where it ends its clause and is no word about the secret.
 */
function wordSecretEnd(text: string, at: number, join: JoinKind, saidMinLetters = SAID_MIN_LETTERS): number | undefined {
  QUOTED_VALUE.lastIndex = at;
  if (QUOTED_VALUE.test(text)) return QUOTED_VALUE.lastIndex;
  WORD_VALUE.lastIndex = at;
  const m = WORD_VALUE.exec(text);
  if (m === null) return undefined;
  const word = m[0].replace(TRAILING, '');
  if (word.length < 3) return undefined;
  const end = at + word.length;
  const bare = word.replace(TRAILING_MARKS, '');
  if (bare.length < 3) return undefined;
  if (SECRET_LIKE.test(bare)) return end;
  const said = join === 'said' && bare.length >= saidMinLetters;
  if ((join !== 'strong' && !said) || NOT_VALUE_WORDS.has(bare.toLowerCase())) return undefined;
  CLAUSE_END.lastIndex = at + m[0].length;
  return word.length < m[0].length || CLAUSE_END.test(text) ? end : undefined;
}

/**
 * Two or three capitalised words that end their clause after an answer's keyword: a surname or place of more than one
 * word (`mother's maiden name is Van Dyke.`, `memorable place is New York`).
 */
const ANSWER_WORDS = /\p{Lu}[\p{L}'’-]{1,30}(?:[ \t]\p{Lu}[\p{L}'’-]{1,30}){1,2}/uy;
/** The end of a clause or sentence after ANSWER_WORDS (`… Van Dyke.`, `… New York, and …`). */
const ANSWER_END = /[ \t]*(?:[.,;:!?(]|\r?\n|$)/y;
/** Letters a plain word after `is` needs to be an answer (`my memorable word is owl`): any word but one about the answer. */
const ANSWER_MIN_LETTERS = 3;

/**
 * Where the answer at `at` ends (ANSWER_KEYWORD): a word as a secret's (wordSecretEnd), any of three letters or more after
 * `is` too, or two or three capitalised words ending their clause (ANSWER_WORDS), after a link (not blanks alone).
 */
function answerEnd(text: string, at: number, join: JoinKind): number | undefined {
  if (join !== 'blanks') {
    ANSWER_WORDS.lastIndex = at;
    if (ANSWER_WORDS.test(text)) {
      const end = ANSWER_WORDS.lastIndex;
      ANSWER_END.lastIndex = end;
      if (ANSWER_END.test(text)) return end;
    }
  }
  return wordSecretEnd(text, at, join, ANSWER_MIN_LETTERS);
}

/**
 * A card's security code by its abbreviation (`CSC 771`, `CV2 number: 771`, `CVV number is 771`, `cvc: 771`), maybe
 * with `number`, `code` or `no.` after it, then `:`, `=`, `#`, `is` or blanks, and three or four digits (group 1). The
 * `ids` detector's CVV rule knows `CVV`, `CVC` and `security code` before the value only.
 */
const CARD_CODE_ABBREVIATION = /(?:CVV2?|CVC2?|CV2|CSC|CVN|cvv2?|cvc2?|csc)(?:[ \t](?:[Nn]umber|[Cc]ode|[Nn]o\.|#))?(?![\p{L}\p{N}])(?:[ \t]{0,3}[:=#][ \t]{0,3}|[ \t]{1,3}(?:is|was)(?:[ \t]{0,3}:)?[ \t]{1,3}|([ \t]{1,3}))(\d{3,4})(?![\p{L}\p{N}]|[.,/-]\d)/uy;
/**
 * The code as a customer describes it, at `back` or `digit` (`the 3 digit code on the back is 771`, `the last 3 digits on
 * the back of my card are 771`, `three-digit code: 771`): after `on the back` (of the card), or after `digit code` /
 * `digit number`, then `is`, `are` or `:`, and three or four digits (group 1). CARD_CODE_PHRASE_BEFORE checks the words
 * before.
 */
const CARD_CODE_PHRASE = /(?:back(?:[ \t]of[ \t](?:my|the|your|his|her|our)[ \t](?:(?:debit|credit|bank)[ \t])?card)?|digit[ \t](?:security[ \t])?(?:code|number))(?:[ \t]{1,3}(?:is|are|was|were)(?:[ \t]{0,3}:)?[ \t]{1,3}|[ \t]{0,3}[:=][ \t]{0,3})(\d{3,4})(?![\p{L}\p{N}]|[.,/-]\d)/uy;
/**
 * Before CARD_CODE_PHRASE: a code, number or digits `on the` back (`code on the back`, `digits on the back`), or three
 * (`3`, `three`) before `digit code` (a six-digit code is a one-time code's, a four-digit one a PIN's).
 */
const CARD_CODE_PHRASE_BEFORE = /(?:(?:code|number|numbers|digits|CVV|CVC|CSC)[ \t]{1,3}on[ \t]{1,3}the[ \t]{1,3}|(?<![\p{L}\p{N}])(?:3|three)[ \t-])$/iu;

/**
 * A card's security code at a keyword's start `at` (`CSC 771`, `the 3 digit code on the back is 771`), as `[CVV]`, the
 * type the `ids` detector's CVV rule gives it; undefined if none. Joined by blanks alone, four digits that read as a year
 * are none (`CSC 2024 annual report`).
 */
function cardCodeAt(text: string, at: number): Hit | undefined {
  CARD_CODE_ABBREVIATION.lastIndex = at;
  const abbreviation = CARD_CODE_ABBREVIATION.exec(text);
  if (abbreviation !== null) {
    if (abbreviation[1] !== undefined && (YEAR.test(abbreviation[2]) || countAfter(text, CARD_CODE_ABBREVIATION.lastIndex))) return undefined;
    return cardCodeHit(CARD_CODE_ABBREVIATION.lastIndex, abbreviation[2]);
  }
  CARD_CODE_PHRASE.lastIndex = at;
  const phrase = CARD_CODE_PHRASE.exec(text);
  if (phrase === null || !CARD_CODE_PHRASE_BEFORE.test(text.slice(Math.max(0, at - 24), at))) return undefined;
  return cardCodeHit(CARD_CODE_PHRASE.lastIndex, phrase[1]);
}

/**
 * A lower-case word after a number that makes it a count (`CSC 365 days`, `CSC 200 employees`): CSC names firms and
 * service centres too. Words that may follow a code are no such word (`CSC 771 and expiry 12/27`).
 */
const WORD_AFTER = /[ \t]{1,3}(\p{Ll}{2,20})(?![\p{L}\p{N}])/uy;
const CODE_FOLLOWERS = new Set('and exp expiry expires expiring valid please thanks thank on'.split(' '));

/** Whether a lower-case word after the number ending at `end` makes it a count (WORD_AFTER). */
function countAfter(text: string, end: number): boolean {
  WORD_AFTER.lastIndex = end;
  const word = WORD_AFTER.exec(text);
  return word !== null && !CODE_FOLLOWERS.has(word[1]);
}

/** The `[CVV]` hit of a code ending at `end`. */
function cardCodeHit(end: number, code: string): Hit {
  return { type: 'CVV', start: end - code.length, end, placeholder: '[CVV]' };
}
