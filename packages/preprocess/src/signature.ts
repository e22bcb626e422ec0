import { MAX_LINE, stripMarkers } from './patterns.js';

export type RemovedKind = 'quoted' | 'signature' | 'disclaimer' | 'device' | 'footer';

const SIGN_OFFS = [
  // German
  'mit freundlichen grüßen', 'mit freundlichen grüssen', 'mit freundlichem gruß', 'mit freundlichem gruss', 'freundliche grüße',
  'freundliche grüsse', 'freundlichen gruß', 'viele grüße', 'viele grüsse', 'beste grüße', 'beste grüsse', 'liebe grüße',
  'liebe grüsse', 'herzliche grüße', 'herzliche grüsse', 'schöne grüße', 'schöne grüsse', 'gruß', 'gruss', 'grüße', 'grüsse',
  'lg', 'vg', 'mfg', 'mit besten grüßen', 'mit besten grüssen', 'besten dank', 'vielen dank', 'danke', 'danke schön',
  'danke und viele grüße', 'danke und gruß', 'mit bestem dank', 'hochachtungsvoll', 'beste grüße aus', 'sonnige grüße',
  // English
  'best regards', 'kind regards', 'warm regards', 'warmest regards', 'regards', 'best', 'cheers', 'thanks', 'thank you',
  'many thanks', 'thanks again', 'thanks in advance', 'sincerely', 'yours sincerely', 'sincerely yours', 'yours truly',
  'yours faithfully', 'best wishes', 'all the best', 'with best regards', 'with kind regards', 'kindest regards', 'greetings',
  'thank you very much', 'thanks so much', 'thx', 'br',
  // French, Spanish, Dutch, Italian
  'cordialement', 'bien cordialement', 'bien à vous', 'salutations', 'merci', 'saludos', 'saludos cordiales', 'atentamente',
  'met vriendelijke groet', 'met vriendelijke groeten', 'vriendelijke groet', 'groeten', 'cordiali saluti', 'distinti saluti', 'saluti',
];
const SIGN_OFF_SET = new Set(SIGN_OFFS);

/** A line that is a sign-off, optionally followed by a short name: `Viele Grüße`, `Thanks, Anna`. */
export function isSignOff(line: string): boolean {
  const l = stripMarkers(line.slice(0, 80)).toLowerCase();
  if (l.length === 0 || l.length > 60) return false;
  const bare = l.replace(/[\s,.!:;-]+$/, '');
  if (SIGN_OFF_SET.has(bare)) return true;
  const comma = bare.indexOf(',');
  if (comma > 0) {
    const head = bare.slice(0, comma).trim();
    const tail = bare.slice(comma + 1).trim();
    return SIGN_OFF_SET.has(head) && tail.split(/\s+/).length <= 3 && !/[.?]/.test(tail);
  }
  return false;
}

const DEVICE = [
  /^(?:sent|gesendet|envoyé|enviado|verzonden|inviato|skickat|sendt|wysłane|lähetetty)\s(?:from|von|with|mit|via|de|depuis|desde|vanaf|met|da|från|fra|z|aus)\s.{1,60}$/i,
  /^(?:von|vom) meine[mn]? .{1,50} (?:gesendet|verschickt)\.?$/i,
  /^get outlook for (?:ios|android)\.?$/i,
  /^(?:holen sie sich|hol dir) outlook für (?:ios|android)\.?$/i,
  /^diese nachricht wurde von meinem .{1,60} gesendet\.?$/i,
  /^(?:envoyé de mon|enviado desde mi|verzonden vanaf mijn|inviato dal mio) .{1,40}$/i,
];

/** `Sent from my iPhone`, `Von meinem iPhone gesendet`, `Gesendet von Outlook für Android` ... */
export function isDeviceLine(line: string): boolean {
  const l = stripMarkers(line.slice(0, 120));
  if (l.length > 100) return false;
  return DEVICE.some((re) => re.test(l));
}

const DISCLAIMER =
  /confidential|intended (?:solely )?(?:only )?for the (?:use of the )?(?:addressee|recipient|person)|received this (?:e-?mail|message|communication) in error|vertraulich|nicht der (?:richtige|beabsichtigte) (?:adressat|empfänger)|irrtümlich|unbefugte|haftungsausschluss|disclaimer|sitz der gesellschaft|amtsgericht|handelsregister|\bhrb\b|registergericht|geschäftsführer(?:in)?:|ust-?id|registered (?:office|in england)|company (?:number|registration)|authorised and regulated|authorized and regulated|bafin/i;
const FOOTER =
  /unsubscribe|abmelden|abbestellen|newsletter|follow us|folgen sie uns|view (?:this e-?mail )?in (?:your )?browser|im browser (?:anzeigen|ansehen|öffnen)|privacy policy|datenschutzerklärung|impressum|you are receiving this|sie erhalten diese|manage (?:your )?(?:email )?preferences/i;
const RULE = /^[-_=*~#.\s]{3,}$/;

export interface TailRemoval {
  lines: string[];
  removed: Array<{ kind: RemovedKind; text: string }>;
  signature?: string;
}

/** Splits `lines` into paragraphs: [start, end) ranges of non-blank runs. */
function paragraphs(lines: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= lines.length; i += 1) {
    const blank = i === lines.length || lines[i].trim() === '';
    if (blank && start >= 0) {
      out.push([start, i]);
      start = -1;
    } else if (!blank && start < 0) start = i;
  }
  return out;
}

/** Removes disclaimers and marketing footers: trailing paragraphs that read like one. */
export function removeLegalTail(input: readonly string[]): TailRemoval {
  const lines = [...input];
  const removed: TailRemoval['removed'] = [];
  const paras = paragraphs(lines);
  let cut = lines.length;
  for (let p = paras.length - 1; p > 0; p -= 1) {
    const [s, e] = paras[p];
    const text = lines.slice(s, e).join('\n').slice(0, 4_000);
    const kind: RemovedKind | undefined = DISCLAIMER.test(text) ? 'disclaimer' : FOOTER.test(text) ? 'footer' : RULE.test(text) ? 'footer' : undefined;
    if (!kind) break;
    removed.unshift({ kind, text: lines.slice(s, e).join('\n') });
    cut = s;
  }
  return { lines: lines.slice(0, cut), removed };
}

/** Removes device lines ("Sent from my iPhone") wherever they stand. */
export function removeDeviceLines(input: readonly string[]): TailRemoval {
  const lines: string[] = [];
  const removed: TailRemoval['removed'] = [];
  for (const line of input) {
    if (line.length <= MAX_LINE && isDeviceLine(line)) removed.push({ kind: 'device', text: line.trim() });
    else lines.push(line);
  }
  return { lines, removed };
}

const SIG_MAX_LINES = 12;
const SIG_LINE_MAX = 100;

/**
 * Finds the signature: a `-- ` delimiter, or a sign-off line followed only by a few short lines
 * (name, role, contact). The earliest such start within the tail wins; the text above must not be empty.
 */
export function removeSignature(input: readonly string[]): TailRemoval {
  const lines = [...input];
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last -= 1;
  let start = -1;
  for (let i = last; i >= 0 && last - i <= SIG_MAX_LINES; i -= 1) {
    const line = lines[i];
    if (line.length > SIG_LINE_MAX && i !== last) break;
    const t = line.trimEnd();
    if (t === '--' || t === '-- ' || t === '—' || isSignOff(line)) start = i;
  }
  if (start < 0) return { lines, removed: [] };
  const above = lines.slice(0, start);
  if (!above.some((l) => l.trim() !== '')) return { lines, removed: [] };
  const signature = lines.slice(start, last + 1).join('\n').trim();
  return { lines: above, removed: [{ kind: 'signature', text: signature }], signature };
}
