import type { Email } from './email.js';
import { EXTERNAL_TAG } from './subject.js';

/**
 * A message no person wrote to the bank: an out-of-office or other automatic reply, a read receipt
 * (`auto_reply`), or a mail system's report that mail could not be delivered (`delivery_failure`).
 */
export type AutomatedKind = 'auto_reply' | 'delivery_failure';

/** The kinds, for schemas and documentation. */
export const AUTOMATED_KINDS = ['auto_reply', 'delivery_failure'] as const satisfies readonly AutomatedKind[];

/**
 * The subjects that mail clients and servers give their automatic replies and receipts, in the languages we see
 * (Outlook, Exchange, Notes, GMX and WEB.DE, Apple Mail's rules): only as the subject's start, so that a person's
 * answer to one (`AW: Automatische Antwort: ...`) stays a person's email.
 */
const AUTO_REPLY_SUBJECT = new RegExp(
  String.raw`^(?:automatische antwort|automatic reply|auto[- ]?reply|auto[- ]?response|out of (?:the )?office(?: (?:auto)?reply)?|abwesenheitsnotiz|abwesenheitsmeldung|abwesenheitsassistent|` +
    String.raw`réponse automatique|risposta automatica|respuesta automática|automatisch antwoord|odpowiedź automatyczna|otomatik yanıt|` +
    // Read receipts (Outlook: `Gelesen:`, `Read:`, `Nicht gelesen:`, `Not read:`).
    String.raw`gelesen|nicht gelesen|read|not read)\s*[:：]`,
  'i',
);

/**
 * The subjects of a mail system's report of mail it could not deliver (Exchange, Postfix, Exim, sendmail, qmail,
 * Gmail): only forms no customer writes about a card or a letter that did not arrive (`Zustellung fehlgeschlagen`
 * is not one of them), the most of them up to a colon.
 */
const DELIVERY_FAILURE_SUBJECT = new RegExp(
  String.raw`^(?:(?:undeliverable|unzustellbar|nicht zustellbar|non remis|non recapitabile|no se puede entregar|onbestelbaar)\s*[:：]|` +
    String.raw`delivery status notification \((?:failure|delay)\)|benachrichtigung zum übermittlungsstatus \((?:fehler|verzögerung)\)|` +
    String.raw`mail delivery failed\s*:|returned mail\s*:|undelivered mail returned to sender\s*$|failure notice\s*$)`,
  'i',
);

/** The sender a mail system reports as (`Mail Delivery System <MAILER-DAEMON@mx.example>`, `postmaster@...`). */
const MAIL_SYSTEM_SENDER = /(?:^|[<\s"])(?:mailer-daemon|postmaster)@/i;

/** Values of Auto-Submitted (RFC 3834) that say a program answered: `auto-replied` (an auto-reply, a bounce, a receipt). */
const AUTO_REPLIED = /^\s*auto-replied\b/i;

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
  const subject = typeof email.subject === 'string' ? withoutExternalTags(email.subject) : '';
  if ((typeof from === 'string' && MAIL_SYSTEM_SENDER.test(from)) || DELIVERY_FAILURE_SUBJECT.test(subject)) return 'delivery_failure';
  if ((typeof autoSubmitted === 'string' && AUTO_REPLIED.test(autoSubmitted)) || AUTO_REPLY_SUBJECT.test(subject)) return 'auto_reply';
  return undefined;
}

/** The subject without the tags a receiving gateway puts before it (`[EXTERNAL] Automatic reply: ...`). */
function withoutExternalTags(subject: string): string {
  let s = subject.trimStart();
  for (let i = 0; i < 5; i++) {
    const m = EXTERNAL_TAG.exec(s);
    if (!m || m[0].length === 0) break;
    s = s.slice(m[0].length);
  }
  return s;
}
