import type { RemovedPart } from './clean.js';
import { FIRST_PERSON } from './first-person.js';
import { opensWithGreeting } from './signature.js';
import { STARTS_LOWER } from './letter-case.js';

/**
 * The warning a receiving mail system puts at the top of mail from outside (Microsoft 365, Mimecast,
 * Proofpoint): `CAUTION: This email originated from outside of the organization. Do not click links ...`,
 * `ACHTUNG: Diese E-Mail stammt von einem externen Absender ...`, `[EXTERNAL]`, `You don't often get email from
 * x@example.com. Learn why this is important`. The bank's own gateway adds it to every customer's mail, or to
 * some of it (first contacts): it says nothing of what the customer wants, and the model read it as text.
 *
 * A banner is found only at the top: a first line that opens as one does, and the lines right under it that carry
 * on its sentence (it was wrapped: the line before ends in no full stop, and the line starts in lower case) or are a
 * banner's own further sentences (`Do not click links ...`, `Please verify the sender ...`), up to a blank line, a
 * greeting or the first line of other text (the customer wrote on right under it: `My card was stolen ...`); that
 * goes when it is short (a banner's few lines), else its first line alone. Stacked banners go one after the other
 * (at most three).
 */
// A tag alone on its line: `[EXTERNAL]`, `*** EXTERNAL EMAIL ***`, `[EXTERN]`, `EXTERNE E-MAIL`.
const BANNER_TAG = String.raw`^[\[(*\s]*(?:external|extern|externe)(?:\s+(?:e-?mail|mail|sender|message|absender|nachricht))?[\])*\s:!.]*$`;
const IS_TAG = new RegExp(BANNER_TAG, 'iu');
const BANNER_START = new RegExp(
  [
    BANNER_TAG,
    // `CAUTION: This email originated from outside ...`, `WARNING: This message is from an EXTERNAL SENDER`.
    String.raw`^[\[(*\s]*(?:caution|warning|attention|notice|important|external(?:\s+e-?mail)?)\s*[\]):!*-]+\s*(?:this|the)\s+(?:e-?mail|message|mail)\s+(?:originated|was\s+sent|came|comes|is|has\s+been\s+sent)\s+(?:from|by)\s+(?:outside|an?\s+external|external)`,
    // The same without a leading word: `This email originated from outside of the organization.`, `This message originated outside your organization.`
    String.raw`^(?:this|the)\s+(?:e-?mail|message)\s+(?:originated|was\s+sent|came)\s+(?:from\s+)?outside\s+(?:of\s+)?(?:the|your|our)\s+(?:organi[sz]ation|company|bank)`,
    // A tag and its advice on one line: `CAUTION - EXTERNAL EMAIL: Do not click links ...`, `EXTERNE E-MAIL: Prüfen Sie ...`.
    // The advice is a gateway's (`Do not click`, `Prüfen Sie`), not a customer's `Please reset my password`.
    String.raw`^[\[(*\s]*(?:(?:caution|warning|achtung|vorsicht)[\s\]):!*-]*)?(?:external|externe)\s+(?:e-?mail|sender|absender|nachricht)\s*[\]):!*-]+\s*(?:do\s+not\s+(?:click|open)|don['’]t\s+(?:click|open)|(?:please\s+)?(?:be\s+(?:careful|cautious)|verify\s+the\s+sender|use\s+caution)|this\s+(?:e-?mail|message)\s+(?:originated|came|is\s+from|was\s+sent)|prüfen\s+sie|klicken\s+sie\s+nicht|öffnen\s+sie\s+(?:keine|nicht)|seien\s+sie\s+vorsichtig|diese\s+(?:e-?mail|nachricht)\s+(?:stammt|kommt))`,
    // `ACHTUNG: Diese E-Mail stammt von einem externen Absender`, `Vorsicht: Diese Nachricht kommt von außerhalb ...`.
    String.raw`^[\[(*\s]*(?:achtung|vorsicht|warnung|hinweis|externe?(?:\s+e-?mail)?)\s*[\]):!*-]+\s*(?:diese|die)\s+(?:e-?mail|nachricht|mail)\s+(?:stammt|kommt|wurde|ist)\s+(?:von|aus|außerhalb|ausserhalb)`,
    String.raw`^(?:diese|die)\s+(?:e-?mail|nachricht)\s+(?:stammt|kommt)\s+(?:von\s+(?:einem|einer)\s+externen|von\s+außerhalb|von\s+ausserhalb)`,
    // Outlook's first-contact tip, in its older (`You don't often get email from`) and current wording (`Some people who
    // received this message don't often get email from`, `Einige Personen, die diese Nachricht erhalten haben, erhalten nicht oft E-Mails von`).
    String.raw`^(?:some\s+people\s+who\s+received\s+this\s+message\s+(?:you\s+)?|you\s+)don['’]?t\s+often\s+get\s+e-?mail\s+from\s`,
    String.raw`^(?:einige\s+personen,\s+die\s+diese\s+nachricht\s+erhalten\s+haben,\s+(?:sie\s+)?|sie\s+)erhalten\s+nicht\s+oft\s+(?:eine\s+)?e-?mails?\s+von\s`,
  ].join('|'),
  'iu',
);

/**
 * The words a banner's further sentences are made of: links, attachments, the sender, caution, trust, reporting
 * (`Please verify the sender before clicking links`, `Seien Sie vorsichtig beim Öffnen von Links und Anhängen`).
 */
const BANNER_WORD =
  /(?<![\p{L}])(?:links?|click\w*|klick\w*|attachments?|anh(?:a|ä)nge?n?|senders?|absender\w*|open\w*|öffne\w*|verif\w+|(?:über)?prüf\w*|caution\w*|cautious\w*|careful\w*|vorsicht\w*|sorgfältig\w*|suspicious|verdächtig\w*|phishing|trust\w*|vertrau\w*|safe|sicher\w*|recogni[sz]e\w*|erkenn\w*|kennen|report\w*|melde\w*|external|extern\w*|organi[sz]ation\w*|outside|außerhalb|ausserhalb|content|inhalt\w*|unless|expecting|erwarte\w*)(?![\p{L}])/giu;

/** A line of a banner's own: two of its words or more, and not the writer speaking. */
function isBannerSentence(line: string): boolean {
  if (FIRST_PERSON.test(line)) return false;
  const words = new Set<string>();
  for (const m of line.matchAll(BANNER_WORD)) words.add(m[0].toLowerCase().slice(0, 4));
  return words.size >= 2;
}

/**
 * A line that ends its sentence: a full stop, or the closing words of Outlook's tip, which has none; a link after
 * either (`Learn why this is important<https://aka.ms/LearnAboutSenderIdentification>`, `[https://…]`).
 */
const ENDS_SENTENCE = /(?:[.!?:]["'’)\]*]*|this\s+is\s+important|dies\s+wichtig\s+ist)(?:\s*(?:<https?:[^<>\s]*>|\[https?:[^\]\s]*\]))?$/iu;

/** A banner's paragraph at most: a longer one holds the customer's text after it, so only its first line goes. */
const MAX_BANNER_LINES = 6;
const MAX_BANNER_CHARS = 700;
const MAX_BANNERS = 3;

const isBlank = (line: string) => line.trim() === '';

/** The index after the banner whose first line is `start`: its wrapped lines and further sentences, no other text. */
function bannerEnd(lines: readonly string[], start: number): number {
  const first = lines[start].trim();
  let open = !IS_TAG.test(first) && !ENDS_SENTENCE.test(first);
  let end = start + 1;
  while (end < lines.length && !isBlank(lines[end]) && !opensWithGreeting(lines[end])) {
    const line = lines[end].trim();
    // The rest of a wrapped sentence starts in lower case; anything else under the banner is a banner's only by its words.
    if (!(open && STARTS_LOWER.test(line)) && !isBannerSentence(line)) break;
    open = !ENDS_SENTENCE.test(line);
    end += 1;
  }
  return end;
}

/** The lines without the banners at their top, and what went (as a disclaimer); the same array when there is none. */
export function removeLeadingBanner(lines: readonly string[]): { lines: readonly string[]; removed: RemovedPart[] } {
  const removed: RemovedPart[] = [];
  let start = 0;
  for (let banner = 0; banner < MAX_BANNERS; banner += 1) {
    while (start < lines.length && isBlank(lines[start])) start += 1;
    if (start >= lines.length || !BANNER_START.test(lines[start].trim())) break;
    const end = bannerEnd(lines, start);
    const paragraph = lines.slice(start, end);
    const whole = paragraph.length <= MAX_BANNER_LINES && paragraph.join('\n').length <= MAX_BANNER_CHARS;
    const cut = whole ? end : start + 1;
    removed.push({ kind: 'disclaimer', text: lines.slice(start, cut).join('\n').trim() });
    start = cut;
  }
  return removed.length === 0 ? { lines, removed } : { lines: lines.slice(start), removed };
}
