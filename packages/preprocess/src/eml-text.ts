import { FIRST_PERSON } from './first-person.js';
/**
 * What mail clients write into a plain-text part that is not the writer's text: the armor of an inline PGP
 * signature (`-----BEGIN PGP SIGNED MESSAGE-----`, its `Hash:` header, the base64 signature block), and
 * Outlook's placeholders for inline images (`[cid:image001.png@01DB4A2C.5E6F7A80]`) in the text alternative
 * of an HTML email; an inline PGP-encrypted block (`-----BEGIN PGP MESSAGE-----`), which is no text to read; and
 * the placeholder a web form or newsletter tool sends as the text alternative of its HTML (`To view the message,
 * please use an HTML compatible email viewer!`). parseEml takes them out of the body, so the text is the customer's.
 */

const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----';
const BEGIN_SIGNATURE = '-----BEGIN PGP SIGNATURE-----';
const END_SIGNATURE = '-----END PGP SIGNATURE-----';

/** The armor headers after the first line (`Hash: SHA256`), up to and with the blank line that ends them. */
const ARMOR_HEADERS = /^(?:[ \t]*\r?\n)?(?:[A-Za-z-]{1,40}:[^\r\n]{0,200}\r?\n){0,10}[ \t]*\r?\n/;

/** Where `marker` next stands as a line of its own in `text`, from `from` on; -1 when nowhere. */
function nextLine(text: string, marker: string, from: number): number {
  for (let at = text.indexOf(marker, from); at !== -1; at = text.indexOf(marker, at + 1)) {
    const after = text.slice(at + marker.length, at + marker.length + 4);
    if ((at === 0 || text[at - 1] === '\n') && /^[ \t]*(?:\r?\n|$)/.test(after)) return at;
  }
  return -1;
}

/**
 * The text with each whole inline PGP signature (RFC 4880 7: the signed text between the armor, its lines
 * starting with `- ` dash-escaped) replaced by the signed text, unescaped. An armor without its signature
 * block is left as written. Each marker is searched for from where the last was found (a message controls
 * how many it holds), so the text is read once.
 */
export function withoutPgpArmor(text: string): string {
  let out = '';
  let from = 0;
  let signature = -1;
  let end = -1;
  for (let at = nextLine(text, BEGIN_SIGNED, 0); at !== -1; at = nextLine(text, BEGIN_SIGNED, Math.max(at + 1, from))) {
    const headers = ARMOR_HEADERS.exec(text.slice(at + BEGIN_SIGNED.length, at + BEGIN_SIGNED.length + 2_400));
    if (!headers) continue;
    const start = at + BEGIN_SIGNED.length + headers[0].length;
    if (signature < start) signature = nextLine(text, BEGIN_SIGNATURE, start);
    if (signature === -1) break;
    if (end < signature) end = nextLine(text, END_SIGNATURE, signature);
    if (end === -1) break;
    out += text.slice(from, at) + text.slice(start, signature).replace(/^- /gm, '');
    from = end + END_SIGNATURE.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Outlook's placeholder for an inline image as a paragraph of its own: with the blank line above it. */
const CID_PARAGRAPH = /\r?\n[ \t]*\r?\n[ \t]*\[cid:[^[\]\s]{1,200}\][ \t]*(?=\r?\n[ \t]*\r?\n)/g;
/** The placeholder with the line it stands alone on, and anywhere else. */
const CID_LINE = /^[ \t]*\[cid:[^[\]\s]{1,200}\][ \t]*(?:\r?\n|$)/gm;
const CID = /\[cid:[^[\]\s]{1,200}\]/g;

const BEGIN_MESSAGE = '-----BEGIN PGP MESSAGE-----';
const END_MESSAGE = '-----END PGP MESSAGE-----';

/** The text without its inline PGP-encrypted blocks (each from its start line to its end line; one without an end stays). */
function withoutPgpMessages(text: string): string {
  let out = '';
  let from = 0;
  let end = -1;
  for (let at = nextLine(text, BEGIN_MESSAGE, 0); at !== -1; at = nextLine(text, BEGIN_MESSAGE, from)) {
    if (end < at) end = nextLine(text, END_MESSAGE, at);
    if (end === -1) break;
    out += text.slice(from, at);
    from = end + END_MESSAGE.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Whether the text holds an inline PGP-encrypted block. */
export function holdsPgpMessage(text: string): boolean {
  const at = text.includes(BEGIN_MESSAGE) ? nextLine(text, BEGIN_MESSAGE, 0) : -1;
  return at !== -1 && nextLine(text, END_MESSAGE, at) !== -1;
}

/**
 * A text alternative that only says to read the HTML (PHPMailer's `To view the message, please use an HTML
 * compatible email viewer!`, `This is an HTML-only message`, `Diese E-Mail ist im HTML-Format`): short, naming
 * HTML and how to see it.
 */
const HTML_PLACEHOLDER =
  /^(?=[\s\S]{0,300}$)(?=[\s\S]*\bHTML\b)[\s\S]*\b(?:view(?:er)?|display|activate|client|compatible|capable|support|HTML[- ](?:only|format|e-?mail|message|version)|anzeigen|anzusehen|darstellen|aktivieren|unterstützt|Programm|Format)\b/i;

/** Whether a plain-text body is only such a placeholder for its HTML. */
export function htmlPlaceholder(text: string): boolean {
  const t = text.trim();
  // The writer speaking of HTML (`ich kann sie nicht lesen`) is a customer's words, no placeholder.
  return HTML_PLACEHOLDER.test(t) && !FIRST_PERSON.test(t);
}

/** The plain-text body without PGP armor, encrypted blocks and image placeholders (see above). */
export function writersText(text: string): string {
  let unarmored = text.includes(BEGIN_SIGNED) ? withoutPgpArmor(text) : text;
  if (unarmored.includes(BEGIN_MESSAGE)) unarmored = withoutPgpMessages(unarmored);
  return unarmored.includes('[cid:') ? unarmored.replace(CID_PARAGRAPH, '').replace(CID_LINE, '').replace(CID, '') : unarmored;
}
