/**
 * The demo dataset: SYNTHETIC emails to an invented broker and wealth manager, generated from a seed.
 * Every name, bank, account number, IBAN and card number is invented (IBANs pass mod-97 and card numbers
 * pass Luhn only so that PII redaction has something realistic to find). It exists for the demo,
 * `npm start` and the fast tests; it says nothing about real customer mail.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatOf } from '../config.js';
import { csvField } from '../data/csv-field.js';
import { createRandom, pick, pickWeighted } from '../random.js';
import {
  BANKS, DEVICES, ETFS, FIRST_NAMES, LAST_NAMES, OLD_QUEUE_NAMES, OLD_TOPIC_NAMES, RETIRED_TOPIC, STOCKS, TAXONOMY_CHANGE, TOPICS,
  type Weights,
} from './catalog.js';
import { addTypos, amount, greeting, inventCardNumber, inventIban, inventIsin, plea, quotedReply, signature, toHtml, type Lang } from './noise.js';
import { TEXTS_DE } from './texts-de.js';
import { TEXTS_EN } from './texts-en.js';
import { drawMisfiling, UNSAID_RATE } from './queue-noise.js';
import { queueTextsOf } from './queue-texts.js';
import { drawTopicNoise, labelledTopic, SECOND_TOPIC_OPENERS, VAGUE_QUEUE, VAGUE_TEXTS, type TopicNoise } from './topic-noise.js';

export interface DemoRow {
  id: string;
  subject: string;
  body: string;
  html: string;
  from: string;
  bank: string;
  receivedAt: string;
  language: Lang;
  business_area: string;
  queue: string;
  topic: string;
}

export const DEMO_COLUMNS = ['id', 'subject', 'body', 'html', 'from', 'bank', 'receivedAt', 'language', 'business_area', 'queue', 'topic'] as const;

export interface DemoOptions {
  rows?: number;
  seed?: number;
  /**
   * Vague emails, emails with two topics and topics mislabelled by the agent (`topic-noise.ts`); default on.
   * Off, every email names its topic and the topic label is always right; the rows are otherwise the same
   * (the noise draws from a random stream of its own).
   */
  topicNoise?: boolean;
}

/** One generated row and what happened to its topic (`topic` is the one the email is about, before any renaming). */
export interface DemoRecord {
  row: DemoRow;
  topic: string;
  topicNoise: TopicNoise;
  /** The queue the email is for (before any renaming), which its text says unless `UNSAID_RATE` drew otherwise. */
  textQueue: string;
  /** The agent filed it under a neighbouring queue (`queue-noise.ts`), not `textQueue`. */
  misfiled: boolean;
  /** The text says why it goes to `textQueue`, another queue than the topic's usual one (`queue-texts.ts`). */
  queueSaid: boolean;
}

export const DEMO_DEFAULT_ROWS = 4000;
export const DEMO_DEFAULT_SEED = 42;

const START = Date.UTC(2026, 0, 5);
const DAYS = 300;
const MONTHS_DE = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function receivedTime(random: () => number): Date {
  const day = Math.floor(random() * DAYS);
  // Mostly office hours, some evenings, few nights.
  const hour = random() < 0.8 ? 7 + Math.floor(random() * 11) : Math.floor(random() * 24);
  return new Date(START + day * 86_400_000 + hour * 3_600_000 + Math.floor(random() * 3_600_000));
}

function fill(template: string, lang: Lang, when: Date, random: () => number): string {
  // A value that ends a sentence with its own dot (`Solvane Inc.`) takes the template's.
  return template.replace(/\{(\w+)\}(\.?)/g, (_, slot: string, dot: string) => {
    const value = slotValue(slot, lang, when, random);
    return dot !== '' && value.endsWith('.') ? value : value + dot;
  });
}

function slotValue(slot: string, lang: Lang, when: Date, random: () => number): string {
  switch (slot) {
    case 'amount': return amount(lang, random);
    case 'iban': return inventIban(random);
    case 'isin': return inventIsin(random);
    case 'etf': return pick(ETFS, random);
    case 'stock': return pick(STOCKS, random);
    case 'bank': return pickWeighted(BANKS, random);
    case 'depot': return String(100_000_000 + Math.floor(random() * 899_999_999));
    case 'shares': return String(1 + Math.floor(random() * 250));
    case 'device': return pick(DEVICES, random);
    case 'rate': return (1 + Math.floor(random() * 30) / 10).toFixed(1).replace('.', lang === 'de' ? ',' : '.');
    case 'year': return String(when.getUTCFullYear());
    // The year a tax certificate is for: the one before (it is issued in the new year).
    case 'taxYear': return String(when.getUTCFullYear() - 1);
    case 'month': return (lang === 'de' ? MONTHS_DE : MONTHS_EN)[(when.getUTCMonth() + 11) % 12];
    case 'nextMonth': return (lang === 'de' ? MONTHS_DE : MONTHS_EN)[(when.getUTCMonth() + 1) % 12];
    case 'date': {
      const d = new Date(when.getTime() - Math.floor(random() * 20) * 86_400_000);
      return lang === 'de'
        ? `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`
        : `${d.getUTCDate()} ${MONTHS_EN[d.getUTCMonth()]}`;
    }
    default: return slot;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function oldName(current: string, table: Record<string, readonly string[]>, random: () => number): string {
  const olds = table[current];
  return olds ? pick(olds, random) : current;
}

function topicWeights(month: number): Weights {
  return TOPICS.map((t) => [t.topic, t.weight * (t.season?.[month] ?? 1)] as const);
}

/** Hints at the business area that customers often give (which account they mean); sometimes absent. */
const AREA_HINTS: Record<string, Record<Lang, string[]>> = {
  brokerage: {
    de: ['Es geht um mein Wertpapierdepot {depot}.', 'Depotnummer: {depot}', 'Ich handle über Ihr Online-Depot.'],
    en: ['This is about my brokerage account {depot}.', 'Securities account no. {depot}', 'I trade through your online depot.'],
  },
  savings: {
    de: ['Es betrifft mein Tagesgeldkonto.', 'Ich spare bei Ihnen über das Sparkonto.', 'Kontonummer Sparkonto: {depot}'],
    en: ['This concerns my savings account.', 'I save with you through the overnight account.', 'Savings account no. {depot}'],
  },
  wealth_management: {
    de: ['Ich bin Mandant Ihrer Vermögensverwaltung.', 'Mein Mandat wird von Ihrem Private-Banking-Team betreut.', 'Betreff: Vermögensverwaltungsmandat {depot}'],
    en: ['I am a client of your wealth management service.', 'My mandate is looked after by your private banking team.', 'Re: discretionary mandate {depot}'],
  },
};

function textsOf(lang: Lang, topic: string): { s: string[]; b: string[] } {
  return (lang === 'de' ? TEXTS_DE : TEXTS_EN)[topic];
}

/**
 * The email's subject and body. `random` makes the same draws whatever the topic noise, whose own words come
 * from `noiseRandom`, so that the noise changes no other row and, in its own row, only the topic's words.
 */
function message(
  lang: Lang, topic: string, area: string, when: Date, first: string, last: string, random: () => number,
  noise: TopicNoise, noiseRandom: () => number, byQueue: { texts: { s: string[]; b: string[] }; random: () => number } | undefined,
): { subject: string; body: string } {
  const texts = textsOf(lang, topic);
  const hello = greeting(lang, first, random);
  const nCore = random() < 0.35 ? 2 : 1;
  const sentences = (from: readonly string[], draw: () => number): string => {
    const core: string[] = [];
    for (let i = 0; i < nCore; i++) {
      const s = fill(pick(from, draw), lang, when, draw);
      if (!core.includes(s)) core.push(s);
    }
    return core.map((s, i) => (i > 0 || lang === 'en' || hello === '' ? capitalise(s) : s)).join(' ');
  };
  let text = sentences(texts.b, random);
  const typos = random() < 0.3;
  if (typos) text = addTypos(text, random);
  // Mail of another queue than the topic's usual one says why in its own words, drawn from a stream of its own:
  // the topic's sentences above were drawn all the same, so `random` goes on as in every other row.
  if (byQueue) {
    text = sentences(byQueue.texts.b, byQueue.random);
    if (typos) text = addTypos(text, byQueue.random);
  }
  if (noise.kind === 'vague') {
    const vague = fill(pick(VAGUE_TEXTS[lang].b, noiseRandom), lang, when, noiseRandom);
    text = lang === 'en' || hello === '' ? capitalise(vague) : vague;
  } else if (noise.kind === 'two_topics') {
    const opener = pick(SECOND_TOPIC_OPENERS[lang], noiseRandom);
    const other = fill(pick(textsOf(lang, noise.second).b, noiseRandom), lang, when, noiseRandom);
    text = `${text} ${opener}${opener === '' || opener.endsWith(': ') ? capitalise(other) : other}`;
  }
  const hints = AREA_HINTS[area]?.[lang];
  if (hints && random() < 0.55) text = `${text} ${fill(pick(hints, random), lang, when, random)}`;
  const paras = [hello, text].filter((p) => p !== '');
  if (random() < 0.15) paras.push(`${lang === 'de' ? 'Meine IBAN lautet' : 'My IBAN is'} ${inventIban(random)}.`);
  if (random() < 0.04) paras.push(`${lang === 'de' ? 'Meine Kartennummer ist' : 'My card number is'} ${inventCardNumber(random)}.`);
  const please = plea(lang, random);
  if (please) paras.push(please);
  paras.push(signature(lang, first, last, random));
  let subject = fill(pick(texts.s, random), lang, when, random);
  if (byQueue) subject = fill(pick(byQueue.texts.s, byQueue.random), lang, when, byQueue.random);
  if (noise.kind === 'vague') subject = fill(pick(VAGUE_TEXTS[lang].s, noiseRandom), lang, when, noiseRandom);
  if (random() < 0.22) {
    paras.push(quotedReply(lang, when, random));
    subject = `${lang === 'de' ? 'AW' : 'Re'}: ${subject}`;
  } else if (random() < 0.04) subject = '';
  return { subject, body: paras.join('\n\n') };
}

/** Mixed into the seed of the topic noise's own random stream. */
const TOPIC_NOISE_STREAM = 0x70b1c5;
/** Mixed into the seed of the random stream of the words of mail to a topic's other queues (`queue-texts.ts`). */
const QUEUE_TEXT_STREAM = 0x9e0e7e;

/**
 * The id of row `i` (from 0): `demo-000001` for the default seed, as ever (the figures quoted on that data, its data
 * hash and the demo champion's stay as they were), `demo-s7-000001` for seed 7: the files of two seeds share no id,
 * so given together (a second demo export as more data) their rows are not taken for copies of the same emails.
 */
export function demoId(i: number, seed: number = DEMO_DEFAULT_SEED): string {
  const n = String(i + 1).padStart(6, '0');
  return seed === DEMO_DEFAULT_SEED ? `demo-${n}` : `demo-s${seed}-${n}`;
}

/** Deterministic for a seed: the same options give byte-identical rows. */
export function generateDemoRows(options: DemoOptions = {}): DemoRow[] {
  return generateDemoRecords(options).map((r) => r.row);
}

/** The rows of `generateDemoRows`, each with the topic it is about and what happened to that topic. */
export function generateDemoRecords(options: DemoOptions = {}): DemoRecord[] {
  const n = options.rows ?? DEMO_DEFAULT_ROWS;
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const random = createRandom(seed);
  const noiseRandom = createRandom(seed ^ TOPIC_NOISE_STREAM);
  const queueRandom = createRandom(seed ^ QUEUE_TEXT_STREAM);
  const records: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    const when = receivedTime(random);
    const old = when.getTime() < TAXONOMY_CHANGE;
    let topic = pickWeighted(topicWeights(when.getUTCMonth() + 1), random);
    const spec = TOPICS.find((t) => t.topic === topic) ?? TOPICS[0];
    let queue = pickWeighted(spec.queues, random);
    let area = pickWeighted(spec.areas, random);
    if (old && random() < 0.025) {
      topic = RETIRED_TOPIC;
      queue = 'account_management';
    }
    const lang: Lang = random() < 0.6 ? 'de' : 'en';
    const first = pick(FIRST_NAMES, random);
    const last = pick(LAST_NAMES, random);
    const drawn = drawTopicNoise(topic, noiseRandom);
    const noise: TopicNoise = options.topicNoise === false ? { kind: 'none' } : drawn;
    const misfiledTo = drawMisfiling(spec.queues.map(([q]) => q), queue, queueRandom);
    const unsaid = queueRandom() < UNSAID_RATE;
    const otherQueue = queue === spec.queues[0][0] || unsaid ? undefined : queueTextsOf(lang, topic, queue);
    const byQueue = otherQueue && { texts: otherQueue, random: queueRandom };
    const { subject, body } = message(lang, topic, area, when, first, last, random, noise, noiseRandom, byQueue);
    const asHtml = random() < 0.15;
    let bank = pickWeighted(BANKS, random);
    if (area === 'wealth_management' && random() < 0.5) bank = 'Alpenblick Privatbank';
    if (random() < 0.05) bank = '';
    let label = labelledTopic(topic, noise);
    const textQueue = queue;
    if (old) {
      queue = oldName(queue, OLD_QUEUE_NAMES, random);
      const renamed = oldName(topic, OLD_TOPIC_NAMES, random);
      // A label the noise changed takes its old name from the noise's stream: `random` draws as without it.
      label = label === topic ? renamed : oldName(label, OLD_TOPIC_NAMES, noiseRandom);
    }
    // The retired topic's mail has one queue. A misfiled queue takes its old name from the queue texts' stream, so
    // that `random` draws as without it.
    const filedUnder = topic === RETIRED_TOPIC ? undefined : misfiledTo;
    if (filedUnder !== undefined) queue = old ? oldName(filedUnder, OLD_QUEUE_NAMES, queueRandom) : filedUnder;
    // Mail that does not say what it is about goes to the general service team, which calls back.
    if (noise.kind === 'vague') queue = VAGUE_QUEUE;
    if (random() < 0.03) label = '';
    if (random() < 0.015) area = '';
    const row: DemoRow = {
      id: demoId(i, seed),
      subject,
      body: asHtml ? '' : body,
      html: asHtml ? toHtml(body) : '',
      from: `${first}.${last}@mail.example`.toLowerCase(),
      bank,
      receivedAt: when.toISOString(),
      language: lang,
      business_area: area,
      queue,
      topic: label,
    };
    records.push({ row, topic, topicNoise: noise, textQueue, misfiled: filedUnder !== undefined, queueSaid: otherQueue !== undefined });
  }
  return records;
}


export function demoRowsToCsv(rows: readonly DemoRow[]): string {
  const lines = [DEMO_COLUMNS.join(',')];
  for (const row of rows) lines.push(DEMO_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Writes the demo dataset as CSV (or JSONL when the file ends in .jsonl or .ndjson, as training reads it) and returns the row count. */
export async function writeDemoData(file: string, options: DemoOptions = {}): Promise<number> {
  const { text, rows } = demoDataText(file, options);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
  return rows;
}

/** The demo dataset as the text of `file` (JSONL for `.jsonl` / `.ndjson`, else CSV) and its row count, for a caller that writes it itself. */
export function demoDataText(file: string, options: DemoOptions = {}): { text: string; rows: number } {
  const rows = generateDemoRows(options);
  const text = formatOf({}, file) === 'jsonl' ? rows.map((r) => JSON.stringify(r)).join('\n') + '\n' : demoRowsToCsv(rows);
  return { text, rows: rows.length };
}
