import { readFileSync } from 'node:fs';
import path from 'node:path';
import { franc } from 'franc-min';
import { detect as tinyld } from 'tinyld';
import { detectLanguage } from '@mailroute/preprocess';
import { bestPeer, cell, type Figure, type Table } from './lib/report.js';
import { interleavedMedians } from './lib/timing.js';

/** A minimal RFC 4180 reader (quoted fields, doubled quotes, newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

interface Sample {
  kind: string;
  text: string;
  lang: string;
}

/**
 * Short labelled texts: German from the German-only ticket file, English from the v4 rows labelled `en`
 * (v4's `de` label is noisy: many of its rows are English). Each subject, first sentence, first two sentences.
 */
function samples(data: string, perLanguage = 800): Sample[] {
  const dir = path.join(data, 'customer_support_tickets_bueck');
  const read = (file: string, lang: string) => {
    const [header, ...rows] = parseCsv(readFileSync(path.join(dir, file), 'utf8'));
    const col = (name: string) => header.indexOf(name);
    return rows.filter((r) => r[col('language')] === lang).slice(0, perLanguage).map((r) => ({ subject: r[col('subject')] ?? '', body: r[col('body')] ?? '', lang }));
  };
  const out: Sample[] = [];
  for (const r of [...read('de_dataset-tickets-german_normalized.csv', 'de'), ...read('v4_dataset-tickets-multi-lang-4-20k.prefix.csv', 'en')]) {
    const subject = r.subject.trim();
    const sentences = r.body.split(/(?<=[.!?])\s+/).filter((x) => x.trim() !== '');
    if (subject) out.push({ kind: 'subject', text: subject, lang: r.lang });
    if (sentences[0]) out.push({ kind: 'one sentence', text: sentences[0], lang: r.lang });
    if (sentences[1]) out.push({ kind: 'two sentences', text: `${sentences[0]} ${sentences[1]}`, lang: r.lang });
  }
  return out;
}

const ISO3: Record<string, string> = { deu: 'de', eng: 'en' };

/** The detector measured; the others are its peers. */
const OURS = 'mailroute stop-word scorer';

const DETECTORS: Record<string, (t: string) => string> = {
  [OURS]: (t) => detectLanguage(t),
  'tinyld 1.3 (all languages)': (t) => tinyld(t) || 'und',
  'tinyld 1.3 (de/en only)': (t) => tinyld(t, { only: ['de', 'en'] }) || 'und',
  'franc-min 6.2 (all languages)': (t) => ISO3[franc(t, { minLength: 3 })] ?? franc(t, { minLength: 3 }),
  'franc-min 6.2 (de/en only)': (t) => ISO3[franc(t, { minLength: 3, only: ['deu', 'eng'] })] ?? 'und',
};

/** Texts timed per detector and round: a spread subset, so that the rounds are many but short (the slowest peers take about 0.3 ms a text). */
const TIMING_TEXTS = 500;

/**
 * Accuracy of each detector on every sample text, and its time per text: warm-up passes of every detector,
 * then `rounds` interleaved rounds in rotating order over a spread subset of the texts, median per detector
 * (lib/timing.ts, as the cleaners' throughput). The figure's reference is the most accurate peer.
 */
export async function measureLanguage(data: string, rounds = 15): Promise<{ tables: Table[]; figures: Figure[] }> {
  const set = samples(data);
  const kinds = ['subject', 'one sentence', 'two sentences'];
  const names = Object.keys(DETECTORS);
  // Accuracy: every text once per detector (untimed; also the first warm-up pass).
  const ok = Object.fromEntries(names.map((name) => [name, set.map((s) => DETECTORS[name](s.text) === s.lang)]));
  const step = Math.max(1, Math.floor(set.length / TIMING_TEXTS));
  const timedTexts = set.filter((_, i) => i % step === 0).map((s) => s.text);
  let sink = 0;
  const ms = interleavedMedians(
    Object.fromEntries(
      names.map((name) => [
        name,
        () => {
          for (const t of timedTexts) sink += DETECTORS[name](t).length;
        },
      ]),
    ),
    { rounds, warmUpPasses: 3 },
  );
  if (sink === 0) throw new Error('language detection: no detector answered');
  const usPerText = (name: string) => (ms[name] * 1000) / timedTexts.length;
  const rows: Table['rows'] = [];
  const acc: Record<string, number> = {};
  for (const name of names) {
    const rate = (filter: (s: Sample) => boolean) => {
      const idx = set.map((s, i) => (filter(s) ? i : -1)).filter((i) => i >= 0);
      return Math.round((1000 * idx.filter((i) => ok[name][i]).length) / idx.length) / 10;
    };
    acc[name] = rate(() => true);
    rows.push([name, acc[name], ...kinds.map((k) => rate((s) => s.kind === k)), rate((s) => s.lang === 'de'), rate((s) => s.lang === 'en'), usPerText(name)]);
  }
  const best = bestPeer(acc, OURS);
  const us = (name: string) => cell(usPerText(name));
  return {
    tables: [
      {
        title: `Language detection on ${set.length} short de/en ticket texts (German-only ticket file and v4 English rows: subject, first sentence, first two sentences); time per text: median of ${rounds} interleaved rounds over ${timedTexts.length} of the texts, after 3 warm-up passes`,
        columns: ['detector', 'accuracy %', ...kinds.map((k) => `${k} %`), 'de %', 'en %', 'µs per text'],
        rows,
      },
    ],
    figures: [
      {
        name: 'language accuracy, mailroute stop-word scorer',
        value: acc[OURS],
        unit: '%',
        reference: { name: `best peer (${best})`, value: acc[best] },
        note: `time per text: ours ${us(OURS)} µs, ${best} ${us(best)} µs`,
      },
    ],
  };
}
