import type { RemovedPart } from './clean.js';
import { opensWithGreeting } from './signature.js';

/**
 * The warning a receiving mail system puts at the top of mail from outside (Microsoft 365, Mimecast,
 * Proofpoint): `CAUTION: This email originated from outside of the organization. Do not click links ...`,
 * `ACHTUNG: Diese E-Mail stammt von einem externen Absender ...`, `[EXTERNAL]`, `You don't often get email from
 * x@example.com. Learn why this is important`. The bank's own gateway adds it to every customer's mail, or to
 * some of it (first contacts): it says nothing of what the customer wants, and the model read it as text.
 *
 * A banner is found only at the top: a first line that opens as one does, and the lines right under it that carry
 * on its sentence (it was wrapped: the line before ends in no full stop) or are a banner's own further sentences
 * (`Do not click links ...`, `Klicken Sie nicht auf Links ...`), up to a blank line, a greeting or the first line of
 * other text (the customer wrote on right under it: `My card was stolen ...`); that goes when it is short (a banner's
 * few lines), else its first line alone. Stacked banners go one after the other (at most three).
 */
// A tag alone on its line: `[EXTERNAL]`, `*** EXTERNAL EMAIL ***`, `[EXTERN]`, `EXTERNE E-MAIL`.
const BANNER_TAG = String.raw`^[\[(*\s]*(?:external|extern|externe)(?:\s+(?:e-?mail|mail|sender|message|absender|nachricht))?[\])*\s:!.]*$`;
const IS_TAG = new RegExp(BANNER_TAG, 'iu');
const BANNER_START = new RegExp(
  [
    BANNER_TAG,
    // `CAUTION: This email originated from outside ...`, `WARNING: This message is from an EXTERNAL SENDER`.
    String.raw`^[\[(*\s]*(?:caution|warning|attention|notice|important|external(?:\s+e-?mail)?)\s*[\]):!*-]+\s*(?:this|the)\s+(?:e-?mail|message|mail)\s+(?:originated|was\s+sent|came|comes|is|has\s+been\s+sent)\s+(?:from|by)\s+(?:outside|an?\s+external|external)`,
    // The same without a leading word: `This email originated from outside of the organization.`
    String.raw`^(?:this|the)\s+(?:e-?mail|message)\s+(?:originated|was\s+sent|came)\s+from\s+outside\s+(?:of\s+)?(?:the|your|our)\s+(?:organi[sz]ation|company|bank)`,
    // `ACHTUNG: Diese E-Mail stammt von einem externen Absender`, `Vorsicht: Diese Nachricht kommt von außerhalb ...`.
    String.raw`^[\[(*\s]*(?:achtung|vorsicht|warnung|hinweis|externe?(?:\s+e-?mail)?)\s*[\]):!*-]+\s*(?:diese|die)\s+(?:e-?mail|nachricht|mail)\s+(?:stammt|kommt|wurde|ist)\s+(?:von|aus|außerhalb|ausserhalb)`,
    String.raw`^(?:diese|die)\s+(?:e-?mail|nachricht)\s+(?:stammt|kommt)\s+(?:von\s+(?:einem|einer)\s+externen|von\s+außerhalb|von\s+ausserhalb)`,
    // Outlook's first-contact tip.
    String.raw`^(?:some\s+people\s+who\s+received\s+this\s+message\s+)?you\s+don['’]?t\s+often\s+get\s+e-?mail\s+from\s`,
    String.raw`^(?:einige\s+personen,\s+die\s+diese\s+nachricht\s+erhalten\s+haben,\s+)?sie\s+erhalten\s+nicht\s+oft\s+(?:eine\s+)?e-?mails?\s+von\s`,
  ].join('|'),
  'iu',
);

/**
 * A banner's further sentences: what not to click or open, whom to trust, where to report it. Phrases, not single
 * words (a customer's `Ich kann den Anhang nicht öffnen` right under a banner stays).
 */
const BANNER_SENTENCE = new RegExp(
  [
    String.raw`\b(?:do\s+not|don['’]?t|never)\s+(?:click|open|reply|respond|enter|provide)\b`,
    String.raw`\bunless\s+you\s+(?:recogni[sz]e|know|trust|were\s+expecting)\b`,
    String.raw`\brecogni[sz]e\s+the\s+sender\b`,
    String.raw`\b(?:know|are\s+sure)\s+the\s+content\s+is\s+safe\b`,
    String.raw`\b(?:use|exercise)\s+caution\b`,
    String.raw`\breport\s+(?:this|it|suspicious|phishing)\b`,
    String.raw`\blearn\s+why\s+this\s+is\s+important\b`,
    String.raw`\bklicken\s+sie\s+(?:nicht|keine|nur)\b`,
    String.raw`\böffnen\s+sie\s+(?:keine|nicht|nur)\b`,
    String.raw`\b(?:keine|nicht\s+auf)\s+(?:links|anhänge)\b`,
    String.raw`\bwenn\s+sie\s+den\s+absender\s+(?:nicht\s+)?(?:kennen|erkennen)\b`,
    String.raw`\berfahren\s+sie,?\s+warum\s+dies\s+wichtig\s+ist\b`,
  ].join('|'),
  'iu',
);

/** A line that ends its sentence: a full stop, or the closing words of Outlook's tip, which has none. */
const ENDS_SENTENCE = /(?:[.!?:]["'’)\]*]*|this\s+is\s+important|dies\s+wichtig\s+ist)$/iu;

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
    if (!open && !BANNER_SENTENCE.test(line)) break;
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
