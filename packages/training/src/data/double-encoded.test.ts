import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { generateDemoRows } from '../demo/generate.js';
import { loadDataset } from './dataset.js';
import { looksDoubleEncoded } from './double-encoded.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-double-encoded-');
const config = parseTrainingConfig({ columns: { subject: 'subject', body: 'body' }, tasks: [{ name: 'queue', column: 'queue', minCount: 1 }] });

/** UTF-8 read as Windows-1252 and written again, as a spreadsheet's round trip does (enough of cp1252 for these texts). */
function doubleEncoded(text: string): string {
  const cp1252: Record<number, string> = { 0x80: '€', 0x9e: 'ž', 0x9c: 'œ', 0x9f: 'Ÿ', 0x93: '“', 0x94: '”', 0x96: '–' };
  return [...Buffer.from(text, 'utf8')].map((b) => cp1252[b] ?? String.fromCharCode(b)).join('');
}

describe('text encoded twice (QA: an Excel round trip turned ü into Ã¼ and the model trained on it without a word)', () => {
  it('is told from real letters, German, French, euro signs and quotes alike', () => {
    for (const text of ['Grüße aus München', 'Gebühr 5 €', 'Café – „Depot“', 'Straße', 'INFORMAÇÃO', 'São Paulo']) {
      expect(looksDoubleEncoded({ body: text }), text).toBe(false);
      if (/[^ -~]/.test(text) && !/Ã/.test(text)) expect(looksDoubleEncoded({ body: doubleEncoded(text) }), doubleEncoded(text)).toBe(true);
    }
    expect(doubleEncoded('Grüße')).toBe('GrÃ¼ÃŸe');
  });

  it('is warned of when the data is read, naming the first rows; the demo data is not', async () => {
    const csv = file('export.csv', `subject,body,queue\nDepot,${doubleEncoded('Bitte übertragen Sie mein Depot.')},orders\nLogin,Ich komme nicht rein,support\n`);
    const ds = await loadDataset(csv, config);
    expect(ds.rows).toHaveLength(2);
    expect(ds.warnings).toEqual([expect.stringMatching(new RegExp(`^1 of 2 row\\(s\\) hold text that looks encoded twice \\(Ã¼ where ü was meant.*, e\\.g\\. ${csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: `))]);
    const demo = generateDemoRows({ rows: 2000, seed: 3 });
    expect(demo.filter((r) => looksDoubleEncoded(r))).toEqual([]);
  });
});
