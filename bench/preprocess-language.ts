import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { franc } from 'franc-min';
import { detect as tinyld } from 'tinyld';
import { detectLanguage } from '@mailroute/preprocess';
import type { Figure, Table } from './lib/report.js';

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

const DETECTORS: Record<string, (t: string) => string> = {
  'mailroute stop-word scorer': (t) => detectLanguage(t),
  'tinyld 1.3 (all languages)': (t) => tinyld(t) || 'und',
  'tinyld 1.3 (de/en only)': (t) => tinyld(t, { only: ['de', 'en'] }) || 'und',
  'franc-min 6.2 (all languages)': (t) => ISO3[franc(t, { minLength: 3 })] ?? franc(t, { minLength: 3 }),
  'franc-min 6.2 (de/en only)': (t) => ISO3[franc(t, { minLength: 3, only: ['deu', 'eng'] })] ?? 'und',
};

export async function measureLanguage(data: string): Promise<{ tables: Table[]; figures: Figure[] }> {
  const set = samples(data);
  const kinds = ['subject', 'one sentence', 'two sentences'];
  const rows: Table['rows'] = [];
  const acc: Record<string, number> = {};
  for (const [name, fn] of Object.entries(DETECTORS)) {
    const t0 = performance.now();
    const ok = set.map((s) => fn(s.text) === s.lang);
    const us = ((performance.now() - t0) * 1000) / set.length;
    const rate = (filter: (s: Sample) => boolean) => {
      const idx = set.map((s, i) => (filter(s) ? i : -1)).filter((i) => i >= 0);
      return Math.round((1000 * idx.filter((i) => ok[i]).length) / idx.length) / 10;
    };
    acc[name] = rate(() => true);
    rows.push([name, acc[name], ...kinds.map((k) => rate((s) => s.kind === k)), rate((s) => s.lang === 'de'), rate((s) => s.lang === 'en'), Math.round(us * 10) / 10]);
  }
  return {
    tables: [
      {
        title: `Language detection on ${set.length} short de/en ticket texts (German-only ticket file and v4 English rows: subject, first sentence, first two sentences)`,
        columns: ['detector', 'accuracy %', ...kinds.map((k) => `${k} %`), 'de %', 'en %', 'us per text'],
        rows,
      },
    ],
    figures: [
      {
        name: 'language accuracy, mailroute stop-word scorer',
        value: acc['mailroute stop-word scorer'],
        unit: '%',
        reference: { name: 'tinyld (de/en only)', value: acc['tinyld 1.3 (de/en only)'] },
      },
    ],
  };
}
