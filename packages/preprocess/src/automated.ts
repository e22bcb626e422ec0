import type { Email } from './email.js';
import { EXTERNAL_TAG } from './subject.js';

/**
 * A message no person wrote to the bank: an out-of-office or other automatic reply, a read receipt or a notice that
 * delivery is delayed (`auto_reply`), or a mail system's report that mail could not be delivered (`delivery_failure`).
 */
export type AutomatedKind = 'auto_reply' | 'delivery_failure';

/** The kinds, for schemas and documentation. */
export const AUTOMATED_KINDS = ['auto_reply', 'delivery_failure'] as const satisfies readonly AutomatedKind[];

/**
 * The subjects that mail clients and servers give their automatic replies, receipts and delay notices, in the
 * languages we see (Outlook, Exchange, GMX and WEB.DE, Apple Mail's rules, Thunderbird, Postfix): only as the
 * subject's start, so that a person's answer to one (`AW: Automatische Antwort: ...`) stays a person's email.
 */
const AUTO_REPLY_SUBJECT = new RegExp(
  String.raw`^(?:(?:automatische antwort|automatic reply|auto[- ]?reply|auto[- ]?response|out[- ]of[- ](?:the )?office(?: (?:auto)?reply)?|abwesenheitsnotiz|abwesenheitsmeldung|abwesenheitsassistent|` +
    String.raw`réponse automatique|risposta automatica|respuesta automática|automatisch antwoord|odpowiedź automatyczna|otomatik yanıt|` +
    // Read receipts (Outlook: `Gelesen:`, `Read:`, `Nicht gelesen:`, `Not read:`) and delay notices.
    String.raw`gelesen|nicht gelesen|read|not read|delivery delayed|zustellung verzögert)\s*[:：]|` +
    // The subject alone (`Abwesenheitsnotiz`), Thunderbird's receipts, Exchange's and Postfix's delay notices.
    String.raw`(?:abwesenheitsnotiz|out of (?:the )?office)\s*$|return receipt \(displayed\)|empfangsbestätigung \(angezeigt\)|` +
    String.raw`delivery status notification \(delay\)|benachrichtigung zum übermittlungsstatus \(verzögerung\)|delayed mail \(still being retried\))`,
  'i',
);

/** Notes/Domino's automatic reply (`AUTO: Max Mustermann ist außer Haus`): in capitals only, `Auto:` is a car. */
const NOTES_AUTO_REPLY = /^AUTO:\s/;

/**
 * The subjects of a mail system's report of mail it could not deliver (Exchange, whose reports come from an
 * address of its own, Exim, Postfix, qmail, Gmail, Domino): only forms no customer writes about a card or a letter that
 * did not arrive (`Zustellung fehlgeschlagen`, `Nicht zustellbar: Brief ...` and `Returned mail: ...` are not among them;
 * the reports that use those come from `MAILER-DAEMON@`, which the sender rule knows).
 */
const DELIVERY_FAILURE_SUBJECT = new RegExp(
  String.raw`^(?:(?:undeliverable|unzustellbar|non remis|non recapitabile|no se puede entregar|onbestelbaar)\s*[:：]|` +
    String.raw`delivery status notification \(failure\)|benachrichtigung zum übermittlungsstatus \(fehler\)|` +
    String.raw`mail delivery failed\s*:|undelivered mail returned to sender\s*$|failure notice\s*$)`,
  'i',
);
/** Domino's report, in capitals only. */
const DOMINO_FAILURE = /^DELIVERY FAILURE:/;

/** A mail system's address (`MAILER-DAEMON@mx.example`, `postmaster@...`), as the address of `from` (not its name). */
const MAIL_SYSTEM_ADDRESS = /^(?:mailer-daemon|postmaster)@/i;

/** Values of Auto-Submitted (RFC 3834) that say a program answered: `auto-replied` (an auto-reply, a bounce, a receipt). */
const AUTO_REPLIED = /^\s*auto-replied\b/i;
/** What `parseEml` adds to it for a delivery report (multipart/report of report-type delivery-status). */
const DELIVERY_REPORT = /\bdelivery-status\b/i;

/** The address of a From value: in angle brackets when it has them (`"postmaster@old.example" <kunde@new.example>`), else the whole. */
function addressOf(from: string): string {
  const m = /<([^<>]*)>\s*$/.exec(from);
  return (m ? m[1] : from).trim();
}

/**
 * Whether the email is automated, and which kind (undefined: a person's email, as far as these signs tell): by
 * its sender (a mail system), its `autoSubmitted` field (the Auto-Submitted header, which `parseEml` reads) and the
 * start of its subject. The body is not read: a customer who writes that they are away (`Ich bin bis 12.12. nicht im
 * Büro`) is a person asking something. A header value `auto-generated` alone is not taken: web forms send
 * customers' requests with it.
 */
export function automatedKind(email: Pick<Email, 'subject' | 'from' | 'autoSubmitted'>): AutomatedKind | undefined {
  const { from, autoSubmitted } = email;
  // Fields may be null as callers of predict send them (null is absent).
  const subject = typeof email.subject === 'string' ? withoutTags(email.subject) : '';
  const replied = typeof autoSubmitted === 'string' && AUTO_REPLIED.test(autoSubmitted);
  if ((typeof from === 'string' && MAIL_SYSTEM_ADDRESS.test(addressOf(from))) || (replied && DELIVERY_REPORT.test(autoSubmitted))) return 'delivery_failure';
  if (DELIVERY_FAILURE_SUBJECT.test(subject) || DOMINO_FAILURE.test(subject)) return 'delivery_failure';
  if (replied || AUTO_REPLY_SUBJECT.test(subject) || NOTES_AUTO_REPLY.test(subject)) return 'auto_reply';
  return undefined;
}

/** A tag in brackets before a subject: a spam filter's (`[SPAM]`), a ticket system's (`[#12345]`). */
const BRACKET_TAG = /^\[[^\]\n]{1,40}\]\s*/;

/** The subject without the tags a receiving gateway, spam filter or ticket system puts before it (`[EXTERNAL] Automatic reply: ...`). */
function withoutTags(subject: string): string {
  let s = subject.trimStart();
  for (let i = 0; i < 5; i++) {
    const m = EXTERNAL_TAG.exec(s) ?? BRACKET_TAG.exec(s);
    if (!m || m[0].length === 0) break;
    s = s.slice(m[0].length);
  }
  return s;
}
