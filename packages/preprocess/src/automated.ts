import type { Email } from './email.js';
import { EXTERNAL_TAG } from './subject.js';

/**
 * A message no person wrote to the bank: an out-of-office or other automatic reply, a read receipt or a notice that
 * delivery is delayed (`auto_reply`), or a mail system's report that mail could not be delivered (`delivery_failure`).
 */
export type AutomatedKind = 'auto_reply' | 'delivery_failure';

/** The kinds, for schemas and documentation. */
export const AUTOMATED_KINDS = ['auto_reply', 'delivery_failure'] as const satisfies readonly AutomatedKind[];

// Subjects come in two sorts. The templates of automatic replies and reports that no customer starts a subject with
// (`Automatische Antwort:`, `Undelivered Mail Returned to Sender`) are enough alone. Words a customer may well start
// with (`Gelesen: Ihre AGB - ich widerspreche`, `Unzustellbar: Brief mit neuer PIN`, `Out of office: please block my
// card`, `Zustellung verzögert: wo bleibt meine Karte?`) count only with another sign: a mail system's sender, (read
// receipts) a receipt's text, or (away notices: `Abwesenheitsnotiz:`, `Out of Office:`, `Auto-Reply:`, `Abwesend:`)
// the subject of mail the bank sent after them (`Abwesenheitsnotiz: Ihr Depot`, `Out of Office: AW: Sparplan`: an
// automatic reply repeats the subject it answers, a customer writes `mein`, not `Ihr`) or an automatic reply's text
// (an away statement and what such replies add to it: `In dringenden Fällen ...`, `Ihre E-Mail wird nicht
// weitergeleitet`); `Auto-Submitted: auto-replied` is one alone. `auto-generated` is none (web forms send
// customers' requests with it). A reply to either (`AW: Automatische Antwort: ...`) is a person's email: both match
// the subject's start only.

/** Automatic replies' templates (Outlook, Exchange, GMX and WEB.DE, Apple Mail's rules, Notes, Thunderbird). */
const AUTO_REPLY_TEMPLATE = new RegExp(
  String.raw`^(?:(?:automatische antwort|automatic reply|out of (?:the )?office (?:auto ?)?reply|réponse automatique|risposta automatica|respuesta autom[aá]tica|` +
    String.raw`resposta autom[aá]tica|automatisch antwoord|odpowied[zź] automatyczna|automatyczna odpowied[zź]|otomat[iİ]k (?:yan[ıI]t|cevap)|abwesenheitsassistent)\s*[:：]|` +
    // The subject alone (GMX's `Abwesenheitsnotiz`), Thunderbird's receipts, Exchange's and Postfix's delay notices.
    String.raw`(?:abwesenheitsnotiz|abwesenheitsmeldung|automatische antwort|automatic reply|auto[- ]?reply|out[- ]of[- ](?:the )?office)\s*$|` +
    // ... or with the dates of the absence (`Abwesenheitsnotiz bis 15.12.2026`, `Out of Office until 12/15`).
    String.raw`(?:abwesenheitsnotiz|abwesenheitsmeldung|out[- ]of[- ](?:the )?office)\s+(?:bis|vom|von|ab|until|from|till)\s+(?:zum\s+|einschließlich\s+|incl\.?\s+)?\d|` +
    String.raw`return receipt \(displayed\)|empfangsbestätigung \(angezeigt\)|` +
    String.raw`delivery status notification \(delay\)|benachrichtigung zum übermittlungsstatus \(verzögerung\)|delayed mail \(still being retried\))`,
  'i',
);

/**
 * Notes/Domino's automatic reply (`AUTO: Max Mustermann ist außer Haus`): `AUTO:` in capitals, then its away phrase
 * (`AUTO: Kredit für Neuwagen` is a car, and so is `Auto: ...`).
 */
const NOTES_AUTO_REPLY = /^AUTO:\s/;
const NOTES_AWAY = /\b(?:is out of the office|ist außer haus|ist abwesend|ist nicht im büro)/i;

/**
 * Away notices' words before the subject they answer (GMX, WEB.DE, IONOS, Outlook 2007, Zimbra), which customers may
 * start a subject with too (`Out of office: please block my card`): only with another sign (see above).
 */
const AWAY_WORDS = /^(?:abwesenheitsnotiz|abwesenheitsmeldung|out[- ]of[- ](?:the )?office|auto[- ]?reply|abwesend)\s*[:：]\s*/i;
/**
 * The start of a subject the bank sent, as an automatic reply repeats it: a reply's or forward's prefix, a ticket
 * system's tag, or the reader addressed as the bank addresses a customer (`Ihr Depot`, `Ihre Anfrage`, `Your order`;
 * `Ihr` capitalised: `ihr`, `ihre` are `her` and `their`).
 */
const BANK_SUBJECT = /^(?:(?:re|aw|wg|fwd?|antw(?:ort)?)\s*[:：]|\[[^\]\n]{1,40}\]|your\b)/i;
const FORMAL_ADDRESS = /^(?:Ihr(?:e[nmrs]?)?|IHR(?:E[NMRS]?)?)\b/;
/** An away statement in an automatic reply's text (`Ich bin bis 15.12. nicht im Büro`, `I am out of the office until ...`). */
const AWAY_TEXT = /\b(?:ich bin|I am|I'm|I’m|I will be|ich werde)\b[^\n]{0,80}?(?:nicht im büro|außer haus|abwesend|nicht erreichbar|im urlaub|out of (?:the )?office|away from (?:the )?office|on (?:annual )?leave|on vacation|on holiday)\b/i;
/**
 * What an automatic reply adds to it, which a customer's email hardly says: whom to turn to meanwhile, that mail is
 * not forwarded or read, that it is answered after the return.
 */
const AUTO_REPLY_TEXT =
  /\b(?:in dringenden fällen|in dringenden angelegenheiten|in urgent cases|for urgent (?:matters|inquiries|requests)|(?:e-?mails?|nachrichten?) werden? nicht weitergeleitet|will not be forwarded|(?:keinen|eingeschränkten|nur eingeschränkten) zugriff auf (?:meine )?e-?mails|(?:limited|no) access to (?:my )?e-?mails?|(?:beantworte|bearbeite|antworte)[^\n]{0,60}nach meiner rückkehr|(?:reply|respond|get back to you)[^\n]{0,60}(?:after|upon|on) my return)/i;

/** Whether the subject starts with an away notice's words and another sign says it is one (see above). */
function awayNotice(subject: string, body: unknown): boolean {
  const words = AWAY_WORDS.exec(subject);
  if (!words) return false;
  const answered = subject.slice(words[0].length);
  if (BANK_SUBJECT.test(answered) || FORMAL_ADDRESS.test(answered)) return true;
  const text = typeof body === 'string' ? body.slice(0, 2_000) : '';
  return AWAY_TEXT.test(text) && AUTO_REPLY_TEXT.test(text);
}

/** A read receipt's subject (Outlook's `Gelesen:`): taken with its text (`... wurde am 03.12.2026 09:14 gelesen.`). */
const READ_RECEIPT_WORDS = /^(?:gelesen|nicht gelesen|read|not read|lu|letto|le[ií]do|gelezen)\s*[:：]/i;
const READ_RECEIPT_TEXT = /\bwurde am\b[^\n]{0,200}\b(?:gelesen|ungelesen gelöscht)\b|\bwas read on\b|\bwas deleted without being read\b|\bThis is a Return Receipt for the mail\b|\ba été lu(?:e)? le\b/i;

/** Notices that mail is on its way or arrived, not failed: from a mail system, an `auto_reply`. */
const DELIVERY_NOTICE = /^(?:(?:delivery delayed|zustellung verzögert|zugestellt|delivered|relayed)\s*[:：]|warning: message \S+ delayed\b|warning: could not send message for past\b|delivery status notification \(delay\)|benachrichtigung zum übermittlungsstatus \(verzögerung\)|delayed mail \(still being retried\))/i;

/** Delivery reports' templates (Postfix, Gmail, Exim's whole subject). */
const FAILURE_TEMPLATE = /^(?:undelivered mail returned to sender\s*$|delivery status notification \(failure\)|benachrichtigung zum übermittlungsstatus \(fehler\)|mail delivery failed: returning message to sender\s*$)/i;

/**
 * Words that start delivery reports' subjects (Exchange, Exim, qmail, Domino) and a customer's about a letter or card:
 * only with another sign.
 */
const FAILURE_WORDS = /^(?:(?:undeliverable|unzustellbar|non remis|non recapitabile|no se puede entregar|onbestelbaar|niedostarczalne|mail delivery failed|delivery failure)\s*[:：]|failure notice\s*$|returned mail\s*:)/i;

/** A mail system's own address: `MAILER-DAEMON` (with or without a domain), Exchange's `MicrosoftExchange<32 hex>@`. */
const MAIL_SYSTEM_ADDRESS = /^(?:mailer-daemon(?:@|$)|microsoftexchange[0-9a-f]{32}@)/i;
/**
 * The names delivery reports are sent under (Postfix, Exim, sendmail, Gmail: `Mail Delivery System`, `Mail Delivery
 * Subsystem`, `MAILER-DAEMON`), whatever the address (a bounce address, `<>` written out, none): no person's name.
 */
const MAIL_DELIVERY_NAME = /^\s*"?\s*(?:mail delivery (?:system|subsystem)|mailer[- ]daemon)\s*"?\s*(?:<|$)/i;
/** `postmaster@`: a mail system's, or a small firm's only mailbox; a system's with another sign (a name such as these). */
const POSTMASTER_ADDRESS = /^postmaster(?:@|$)/i;
/**
 * A delivery report's text (Exchange's in English and German, Postfix's, Exim's, Gmail's), from `postmaster@` a sign
 * such as a report's subject: a customer may quote one, but not send it from a postmaster address.
 */
const DELIVERY_FAILURE_TEXT =
  /\b(?:delivery has failed to these recipients|die zustellung an folgende empfänger(?: oder gruppen)? ist fehlgeschlagen|this is the mail system at host|this message was created automatically by mail delivery software|your message (?:couldn't|could not|wasn't|was not) (?:be )?delivered|ihre nachricht (?:konnte|wurde) nicht (?:an [^\n]{1,80}? )?zugestellt|delivery to the following recipients? (?:failed|has failed)|i'm sorry to have to inform you that your message could not)/i;
const MAIL_SYSTEM_NAME = /^\s*"?(?:microsoft outlook|microsoft exchange|mail delivery (?:system|subsystem)|mail (?:system|administrator|router)|mailer[- ]daemon|postmaster|system administrator)"?\s*</i;

/** Values of Auto-Submitted (RFC 3834) that say a program answered: `auto-replied` (an auto-reply, a bounce, a receipt). */
const AUTO_REPLIED = /^\s*auto-replied\b/i;
/** What `parseEml` adds to it for a delivery report (multipart/report of report-type delivery-status). */
const DELIVERY_REPORT = /\bdelivery-status\b/i;
/** ... and, for one whose recipients were all delayed or delivered, not failed (`delivery-status; delayed`). */
const DELIVERY_REPORT_NOT_FAILED = /\bdelivery-status; (?:delayed|delivered|relayed|expanded)\b/i;

/** The address of a From value: in angle brackets when it has them (`"postmaster@old.example" <kunde@new.example>`), else the whole. */
function addressOf(from: string): string {
  const m = /<([^<>]*)>\s*$/.exec(from);
  return (m ? m[1] : from).trim();
}

/**
 * Whether the sender is a mail system: its address, a delivery report's sender name, or `postmaster@` (a small firm's
 * only mailbox, maybe) with a system's name, a report's subject or a report's text (`body`).
 */
function fromMailSystem(from: unknown, otherSign: boolean, body: unknown): boolean {
  if (typeof from !== 'string') return false;
  const address = addressOf(from);
  if (MAIL_SYSTEM_ADDRESS.test(address) || MAIL_DELIVERY_NAME.test(from)) return true;
  if (!POSTMASTER_ADDRESS.test(address)) return false;
  return otherSign || MAIL_SYSTEM_NAME.test(from) || (typeof body === 'string' && DELIVERY_FAILURE_TEXT.test(body.slice(0, 2_000)));
}

/**
 * Whether the email is automated, and which kind (undefined: a person's email, as far as these signs tell): by
 * its sender (a mail system), its `autoSubmitted` field (the Auto-Submitted header, which `parseEml` reads) and the
 * start of its subject; the body only beside another sign: a read receipt's text after its subject's words, an away
 * notice's after its words, a delivery report's from `postmaster@`. A customer who writes that they are away (`Ich
 * bin bis 12.12. nicht im Büro`, `In dringenden Fällen ...`) is a person asking something. A header value `auto-generated` alone is not taken: web
 * forms send customers' requests with it.
 */
export function automatedKind(email: Pick<Email, 'subject' | 'from' | 'autoSubmitted' | 'body'>): AutomatedKind | undefined {
  const { from, autoSubmitted } = email;
  // Fields may be null as callers of predict send them (null is absent).
  const subject = typeof email.subject === 'string' ? withoutTags(email.subject) : '';
  // Only `auto-replied` (RFC 3834, and parseEml's reading of a report) says a program answered.
  const replied = typeof autoSubmitted === 'string' && AUTO_REPLIED.test(autoSubmitted);
  if (replied && DELIVERY_REPORT.test(autoSubmitted)) return DELIVERY_REPORT_NOT_FAILED.test(autoSubmitted) ? 'auto_reply' : 'delivery_failure';
  const failureWords = FAILURE_WORDS.test(subject) || /^DELIVERY FAILURE:/.test(subject);
  const notice = DELIVERY_NOTICE.test(subject);
  if (fromMailSystem(from, failureWords || notice || FAILURE_TEMPLATE.test(subject), email.body)) return notice ? 'auto_reply' : 'delivery_failure';
  if (FAILURE_TEMPLATE.test(subject) || (failureWords && replied)) return 'delivery_failure';
  if (replied || AUTO_REPLY_TEMPLATE.test(subject) || (NOTES_AUTO_REPLY.test(subject) && NOTES_AWAY.test(subject)) || awayNotice(subject, email.body)) return 'auto_reply';
  if (READ_RECEIPT_WORDS.test(subject) && typeof email.body === 'string' && READ_RECEIPT_TEXT.test(email.body.slice(0, 2_000))) return 'auto_reply';
  return undefined;
}

/**
 * A tag a spam filter, gateway or ticket system puts before a subject: `[SPAM]`, `[Possible Spam]`, `***SPAM***`,
 * `[CAUTION: External Email]`, `[Externe Nachricht]`, `[WARNUNG: Externer Absender]`, `[#12345]`,
 * `[Ticket#2026120110000123]`; not a customer's own (`[WICHTIG]`, `[DRINGEND]`).
 */
const BRACKET_TAG = /^(?:\[[^\]\n]{0,30}\b(?:spam|extern\w*|caution|warnung|achtung|vorsicht|suspicious)\b[^\]\n]{0,30}\]|\*+\s*spam\s*\*+|\[\s*(?:(?:ticket|case|vorgang|fall|ref|req|incident|anfrage)\s*)?(?:#|nr\.?|no\.?)?\s*:?\s*[\w-]{0,10}\d[\w-]{0,30}\])\s*/i;

/**
 * The subject without the tags a receiving gateway, spam filter or ticket system puts before it (`[EXTERNAL] Automatic
 * reply: ...`), its white space folded (a folded header's tab, a no-break space) and its letters composed (`é` written
 * as `e` and an accent).
 */
function withoutTags(subject: string): string {
  let s = subject.normalize('NFC').replace(/\s+/g, ' ').trimStart();
  for (let i = 0; i < 5; i++) {
    const m = EXTERNAL_TAG.exec(s) ?? BRACKET_TAG.exec(s);
    if (!m || m[0].length === 0) break;
    s = s.slice(m[0].length);
  }
  return s;
}
