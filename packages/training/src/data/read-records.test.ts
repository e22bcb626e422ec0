import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { decodeWindows1252, readSourceFile, strayQuote } from './read-records.js';

// An export of 2^29 bytes, more characters than V8 puts in one string, without writing 512 MB to disk.
const OVER_LIMIT = 'over-512mb';
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  const readFile = (async (file: Parameters<typeof fs.readFile>[0], options?: Parameters<typeof fs.readFile>[1]) =>
    String(file).includes(OVER_LIMIT) ? Buffer.alloc(2 ** 29, 'a') : fs.readFile(file, options)) as typeof fs.readFile;
  return { ...fs, default: { ...fs, readFile }, readFile };
});

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-records-'));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('CSV line numbers', () => {
  it('counts a CRLF line end once, also inside a quoted field, and gives values plain newlines', async () => {
    const p = file('crlf.csv', 'id,body\r\n1,"one\r\ntwo\r\nthree"\r\n2,b\r\n3,c\r\n');
    const source = await readSourceFile(p, 'csv');
    expect(source.records.map((r) => r.line)).toEqual([2, 5, 6]);
    expect(source.records[0].get('body')).toBe('one\ntwo\nthree');
  });

  it('counts a lone CR as a line end, as an editor does', async () => {
    const source = await readSourceFile(file('cr.csv', 'id,body\r1,"a\rb"\r2,c\r'), 'csv');
    expect(source.records.map((r) => r.line)).toEqual([2, 4]);
    expect(source.records[0].get('body')).toBe('a\nb');
  });

  it('counts skipped blank lines: a record keeps the line it starts on', async () => {
    const p = file('blank.csv', 'id,body\n\n1,a\n\n\n2,"x\n\ny"\n\n3,c');
    const source = await readSourceFile(p, 'csv');
    expect(source.records.map((r) => r.line)).toEqual([3, 6, 10]);
    expect(source.records[1].get('body')).toBe('x\n\ny');
  });

  it('names the line a record that does not parse starts on, and that the export may be cut off', async () => {
    const p = file('unclosed.csv', 'id,body\r\n1,"a\r\nb"\r\n\r\n2,"never closed\r\n3,c\r\n');
    await expect(readSourceFile(p, 'csv')).rejects.toThrow(/unclosed\.csv:5: CSV does not parse \(a quoted value that starts on this line is still open at the end of the file: was the export cut off, or is a quote in it not doubled \(""\)\?\)$/);
  });

  it('refuses a quoted value whose quote is not doubled, which would run into the next row (QA: it took its label)', async () => {
    const text = 'id,subject,body,queue\n1,Bildschirm,"Mein Monitor 24"",complaints\n2,Steuer,"Bitte senden",tax_documents\n3,Login,"Kann mich nicht anmelden",technical_support\n';
    const source = await readSourceFile(file('stray.csv', text), 'csv');
    expect(source.records.map((r) => r.get('id'))).toEqual(['3']);
    expect(source.problems).toEqual([
      {
        line: 2,
        problem: expect.stringMatching(/^.*stray\.csv:2: a quote inside a quoted value on line 3 is not doubled \(write "" for a quote in a quoted value\)\. Read on, the row would run to line 3, taking in any rows up to there\.$/),
      },
    ]);
  });

  it('says that a row cut off inside a quoted value ran on into the next row, which it took in (QA: a ragged row lost the one after it)', async () => {
    const text = 'id,subject,body,queue,area\n1,Steuer,"Hallo\n2,Order,"Hallo, bitte kaufen",orders,brokerage\n3,Login,Geht nicht,support,savings\n4,Konto,"a\nb",x,y,z\n';
    const source = await readSourceFile(file('cut.csv', text), 'csv');
    expect(source.records.map((r) => r.get('id'))).toEqual(['3']);
    expect(source.problems).toEqual([
      { line: 2, problem: expect.stringMatching(/cut\.csv:2: 6 fields, the header has 5 \(an unquoted delimiter in a value\?\); the row runs on to line 3 inside a quoted value \(a quote not closed, or not doubled\?\), taking in any rows up to there$/) },
      { line: 5, problem: expect.stringMatching(/cut\.csv:5: 6 fields, the header has 5 \(an unquoted delimiter in a value\?\); the row runs on to line 6 inside/) },
    ]);
    // A row on one line says only its field count.
    const one = await readSourceFile(file('short.csv', 'id,subject,body\n1,Steuer\n2,a,b\n'), 'csv');
    expect(one.problems?.[0].problem).toMatch(/short\.csv:2: 2 fields, the header has 3 \(a line break in an unquoted value, or a missing delimiter\?\)$/);
  });

  it('makes the rest of a value that a run-on row stopped in bad rows, not a row of mixed cells (found by the load property test)', async () => {
    // Row 1's quote is not closed; it runs on to the quote that opens row 2's body, which starts with a line break.
    // Read on from there, line 4 was a row of six fields: id "b1", subject "b2", body 'b3"', label tax.
    const text = 'id,subject,body,receivedAt,queue,topic\n1,"Hallo,s,,payments,x\n2,s,"\nb1,b2,b3",,tax,y\n3,s,b,,support,z\n';
    const source = await readSourceFile(file('rest.csv', text), 'csv');
    expect(source.records.map((r) => r.get('id'))).toEqual(['3']);
    expect(source.problems?.map((p) => p.line)).toEqual([2, 4]);
    expect(source.problems?.[1].problem).toMatch(/rest\.csv:4: the rest of a quoted value that the row on line 2 ran into \(a quote there not closed, or not doubled\): fix that row$/);
    // Over several lines, up to the one that closes it; the row after it is read again.
    const longer = 'id,subject,body,receivedAt,queue,topic\n1,"Hallo,s,,payments,x\n2,s,"\nzeile\nb1,b2,b3",,tax,y\n3,s,b,,support,z\n';
    const again = await readSourceFile(file('rest-longer.csv', longer), 'csv');
    expect(again.records.map((r) => r.get('id'))).toEqual(['3']);
    expect(again.problems?.map((p) => p.line)).toEqual([2, 4, 5]);
    // Stopped where the value opens with text before its line break: the lenient reading ends the row there too.
    const texted = 'id,subject,body,receivedAt,queue,topic\n1,"Hallo,s,,payments,x\n2,s,"a\nb1,b2,b3",,tax,y\n3,s,b,,support,z\n';
    const third = await readSourceFile(file('rest-texted.csv', texted), 'csv');
    expect(third.records.map((r) => r.get('id'))).toEqual(['3']);
    expect(third.problems?.map((p) => p.line)).toEqual([2, 4]);
    // Or at a quote alone on a line, opening a first column's value that starts with a line break.
    const first = 'subject,id,body,queue\n"Hallo,1,b,tax\n"\nb1",2,b,tax\n3,s,b,tax\n';
    const fourth = await readSourceFile(file('rest-first.csv', first), 'csv');
    expect(fourth.records.map((r) => r.get('subject'))).toEqual(['3']);
    expect(fourth.problems?.map((p) => p.line)).toEqual([2, 4]);
    // Or where the rest holds a bare quote of its own (`b3"` closes the value, `x"` is text): its quotes are even,
    // and line 4 was a row with the id and labels of the row that started on line 3.
    const bare = 'subject,id,body,queue\n"Hallo,1,b,tax\n"\nb3",x",b,tax\n3,s,b,tax\n';
    const fifth = await readSourceFile(file('rest-bare.csv', bare), 'csv');
    expect(fifth.records.map((r) => r.get('subject'))).toEqual(['3']);
    expect(fifth.problems?.map((p) => p.line)).toEqual([2, 4]);
    // A bad row whose value ends with a line break (its closing quote starts a line) leaves the row after it as it
    // is, one with a bare quote too.
    const closing = await readSourceFile(file('rest-not.csv', 'id,subject,body,queue\n1,s,"Hallo\n",tax,x\n2,my 5" screen,b,tax\n'), 'csv');
    expect(closing.records.map((r) => r.get('id'))).toEqual(['2']);
    // Nor does one whose value's last line ends with the delimiter: with the row after it, it makes no row.
    const comma = await readSourceFile(file('rest-comma.csv', 'id,subject,body,queue\n1,"Grüße,\nMax,",b,tax,x\n2,my 5" screen,b,tax\n'), 'csv');
    expect(comma.records.map((r) => r.get('id'))).toEqual(['2']);
  });

  it('reads rows that stop before a header\'s trailing empty columns, and names a row\'s trailing delimiter the header lacks (QA: every row refused)', async () => {
    const padded = await readSourceFile(file('padded-header.csv', 'id,subject,queue,,\n1,Login,support\n2,Steuer,tax,\n3,Depot,orders,,\n4,Kurz\n'), 'csv');
    expect(padded.records.map((r) => [r.get('id'), r.get('queue')])).toEqual([['1', 'support'], ['2', 'tax'], ['3', 'orders']]);
    expect(padded.problems?.map((p) => p.problem)).toEqual([expect.stringMatching(/padded-header\.csv:5: 2 fields, the header has 5 \(a line break in an unquoted value, or a missing delimiter\?\)$/)]);
    const trailing = await readSourceFile(file('trailing.csv', 'id,subject,queue\n1,Login,support,\n2,Steuer,tax,,\n3,Depot,orders,x\n'), 'csv');
    expect(trailing.problems?.map((p) => p.problem)).toEqual([
      expect.stringMatching(/trailing\.csv:2: 4 fields, the header has 3 \(the last is empty: a delimiter at the end of the line, which the header line lacks\?\)$/),
      expect.stringMatching(/trailing\.csv:3: 5 fields, the header has 3 \(the last 2 are empty: a delimiter/),
      expect.stringMatching(/trailing\.csv:4: 4 fields, the header has 3 \(an unquoted delimiter in a value\?\)$/),
    ]);
    // QA: a well-quoted value over several lines in such a row was said to run on "inside a quoted value (a quote not closed?)".
    const multiline = await readSourceFile(file('trailing-multiline.csv', 'id,body,queue\n1,"Hallo,\nbitte Depot übertragen.\nGrüße",orders,,\n'), 'csv');
    expect(multiline.problems?.map((p) => p.problem)).toEqual(['trailing-multiline.csv:2: 5 fields, the header has 3 (the last 2 are empty: a delimiter at the end of the line, which the header line lacks?)'].map((m) => expect.stringContaining(m)));
    expect(multiline.problems?.[0].problem).not.toContain('runs on');
  });

  it('reads doubled quotes, quotes closing a value at a line end, and a bare quote in an unquoted value as before', async () => {
    const text = 'id,body,queue\r\n1,"a ""quoted"" word",x\r\n2,my 5" screen,y\r\n3,"two\r\nlines ""and"" more"\r\n';
    const source = await readSourceFile(file('fine.csv', text.replace('more"\r\n', 'more",z\r\n')), 'csv');
    expect(source.problems).toEqual([]);
    expect(source.records.map((r) => r.get('body'))).toEqual(['a "quoted" word', 'my 5" screen', 'two\nlines "and" more']);
    expect(strayQuote('1,"a "b" c",x', ',')).toBe(5);
    expect(strayQuote('1;"a;b";"c"', ';')).toBe(-1);
  });

  it('makes the header line repeated mid-file (two exports joined with cat) a bad row, not an example', async () => {
    const text = 'id,subject,queue\n1,Login,account_management\n"id", subject ,queue\n2,Steuer,tax_documents\n';
    const source = await readSourceFile(file('joined.csv', text), 'csv');
    expect(source.records.map((r) => r.get('queue'))).toEqual(['account_management', 'tax_documents']);
    expect(source.problems).toEqual([{ line: 3, problem: expect.stringMatching(/joined\.csv:3: the header again \(two exports joined\?\): remove this line$/) }]);
  });

  it('names a second header of other columns (two exports of other versions joined), and reads the rows after it as that export\'s', async () => {
    const text = 'id,subject,body,queue\n1,Login,a,account_management\nid,subject,body,queue,version\n2,Steuer,b,tax_documents,5\n3,Depot,c,orders,5\n4,Karte,d,cards\n';
    const source = await readSourceFile(file('joined-other.csv', text), 'csv');
    expect(source.records.map((r) => r.get('queue'))).toEqual(['account_management', 'cards']);
    expect(source.problems).toEqual([
      { line: 3, problem: expect.stringMatching(/joined-other\.csv:3: another header line, its columns differ: version added \(two exports joined\?\): give the exports as separate files \(--data a\.csv b\.csv\), each with its own header$/) },
      { line: 4, problem: expect.stringMatching(/joined-other\.csv:4: 5 fields, the header has 4, as the other header on line 3 has \(two exports joined\?\)$/) },
      { line: 5, problem: expect.stringMatching(/:5: 5 fields, the header has 4, as the other header on line 3 has/) },
    ]);
    // A row of data whose cells happen to be words is no header: it stays a row.
    const words = await readSourceFile(file('words.csv', 'id,subject,body,queue\n1,subject,body,queue\n'), 'csv');
    expect(words.problems).toEqual([]);
  });

  it('numbers JSONL lines of a file with CR line ends as an editor does', async () => {
    const source = await readSourceFile(file('cr.jsonl', '{"id":"1"}\r\r{"id":"2"}\r'), 'jsonl');
    expect(source.records.map((r) => r.line)).toEqual([1, 3]);
    expect(source.records[1].get('id')).toBe('2');
  });
});

describe('encodings', () => {
  it('decodes Windows-1252 bytes 0x80-0x9F as their characters, not as control characters', () => {
    const bytes = Uint8Array.from([0x80, 0x84, 0x93, 0x94, 0x91, 0x92, 0x96, 0x97, 0x85, 0x8a, 0x9f, 0x20, 0xe4, 0xdf]);
    expect(decodeWindows1252(bytes)).toBe('€„“”‘’–—…ŠŸ äß');
    // The five bytes Windows-1252 leaves undefined keep their own code point (WHATWG).
    expect(decodeWindows1252(Uint8Array.from([0x81, 0x8d, 0x8f, 0x90, 0x9d]))).toBe('\u0081\u008D\u008F\u0090\u009D');
  });

  it('reads a Windows-1252 export with typographic quotes, dashes and the euro sign', async () => {
    const p = file('cp1252.csv', Buffer.concat([Buffer.from('id,body\n1,'), Buffer.from([0x84, 0x61, 0x93, 0x20, 0x96, 0x20, 0x35, 0x80, 0x85]), Buffer.from('\n')]));
    expect((await readSourceFile(p, 'csv', ',', 'windows-1252')).records[0].get('body')).toBe('„a“ – 5€…');
  });

  it('reads a UTF-8 export as UTF-8 under "windows-1252" (a newer export, the model trained on a Latin-1 one): no mojibake', async () => {
    const p = file('utf8-later.csv', 'id,body\n1,Grüße aus Köln – 5€\n');
    expect((await readSourceFile(p, 'csv', ',', 'windows-1252')).records[0].get('body')).toBe('Grüße aus Köln – 5€');
  });

  it('reads each line of a file pasted together from a Latin-1 month and a UTF-8 month in its own encoding, not the UTF-8 one as mojibake', async () => {
    const october = Buffer.concat([Buffer.from('id,body\n1,"Gr'), Buffer.from([0xfc, 0xdf, 0x65]), Buffer.from('\nzwei Zeilen"\n2,plain\n3,'), Buffer.from([0x84, 0x35, 0x80, 0x93]), Buffer.from('\n')]);
    const november = Buffer.from('4,"prüfen\nbitte – 5€"\r\n5,plain\r\n6,„Köln“\r\n');
    const p = file('pasted.csv', Buffer.concat([october, november, Buffer.from([0x37, 0x2c, 0xe4, 0x0a])]));
    const bodies = (await readSourceFile(p, 'csv', ',', 'windows-1252')).records.map((r) => r.get('body'));
    expect(bodies).toEqual(['Grüße\nzwei Zeilen', 'plain', '„5€“', 'prüfen\nbitte – 5€', 'plain', '„Köln“', 'ä']);
  });

  it('refuses a UTF-16 file, saying to save it as UTF-8', async () => {
    const le = file('utf16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,body\n1,a\n', 'utf16le')]));
    await expect(readSourceFile(le, 'csv')).rejects.toThrow(/utf16le\.csv: UTF-16 text .*save or export it as UTF-8/);
    const be = file('utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('id,body\n1,a\n', 'utf16le').swap16()]));
    await expect(readSourceFile(be, 'csv', ',', 'windows-1252')).rejects.toThrow(/utf16be\.csv: UTF-16 text/);
  });
});

describe('files that are not the CSV or JSONL they seem', () => {
  it('reads the delimiter of Excel\'s sep= first line over the configured one, and skips the line, keeping line numbers', async () => {
    const source = await readSourceFile(file('sep.csv', 'sep=;\r\nid;body;queue\r\n1;"a, b";x\r\n2;c;y\r\n'), 'csv', ',');
    expect(source.columns).toEqual(['id', 'body', 'queue']);
    expect(source.records.map((r) => [r.line, r.get('body'), r.get('queue')])).toEqual([
      [3, 'a, b', 'x'],
      [4, 'c', 'y'],
    ]);
    expect((await readSourceFile(file('sep-tab.csv', '"sep=\t"\nid\tbody\n1\ta\n'), 'csv', ';')).records[0].get('body')).toBe('a');
  });

  it('reads the sep= line as LibreOffice writes it, padded with a delimiter per further column', async () => {
    for (const first of ['"sep=;";;', 'sep=;;;']) {
      const source = await readSourceFile(file('padded.csv', `${first}\nid;body;queue\n1;"a, b";x\n`), 'csv', ',');
      expect(source.columns).toEqual(['id', 'body', 'queue']);
      expect(source.records.map((r) => [r.line, r.get('body')])).toEqual([[3, 'a, b']]);
    }
  });

  it('says a JSON array is not JSONL, read as CSV or as JSONL', async () => {
    const array = file('export.json', '[\n {\n  "id": "1",\n  "body": "a"\n }\n]\n');
    expect((await readSourceFile(array, 'csv')).hint).toBe('; it looks like a JSON array: mailroute reads CSV and JSONL (one JSON object per line, named .jsonl)');
    await expect(readSourceFile(array, 'jsonl')).rejects.toThrow(/export\.json: a JSON array, not JSONL: mailroute reads CSV and JSONL \(one JSON object per line\)$/);
  });

  it('says the config\'s "format" is the cause when a file named .jsonl is read as CSV, or one named .csv as JSONL', async () => {
    const jsonl = file('export.jsonl', '{"id":"1","body":"a"}\n{"id":"2","body":"b"}\n');
    // Renaming it .jsonl would not help: it is named so.
    expect((await readSourceFile(jsonl, 'csv')).hint).toBe('; it looks like JSONL, as its name says, but the config\'s "format" is "csv": set "format": "jsonl" in the config, or leave "format" out (the file\'s ending then decides)');
    expect((await readSourceFile(jsonl, 'csv', ',', 'utf-8', 'flags')).hint).toMatch(/"format" is "csv": pass --config with a training config that sets "format": "jsonl"/);
    // Another name: renaming it is the advice, as before.
    expect((await readSourceFile(file('export.txt', '{"id":"1","body":"a"}\n'), 'csv')).hint).toBe('; it looks like JSONL: name it .jsonl or set "format": "jsonl" in the config');
    // A CSV read as JSONL: one error saying so, not a "not JSON" bad row per line with advice to skip them all.
    const csv = file('export.csv', 'id,body\n1,a\n2,b\n');
    await expect(readSourceFile(csv, 'jsonl')).rejects.toThrow(/export\.csv: no line is JSON \(it looks like CSV, as its name says, but the config's "format" is "jsonl"\): set "format": "csv" in the config, or leave "format" out/);
    // A JSONL file with some bad lines is still read, its bad lines counted.
    const mixed = await readSourceFile(file('mixed.jsonl', '{"id":"1","body":"a"}\nnot json\n'), 'jsonl');
    expect([mixed.records.length, mixed.problems?.length]).toEqual([1, 1]);
  });

  it('says an Excel workbook is one, not a file that is not UTF-8', async () => {
    const xlsx = file('export.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0xfe]), Buffer.from('[Content_Types].xml')]));
    await expect(readSourceFile(xlsx, 'csv')).rejects.toThrow(/export\.xlsx: a ZIP file \(an Excel workbook, \.xlsx\?\), not CSV or JSONL text: in Excel, save it as "CSV UTF-8"$/);
    await expect(readSourceFile(xlsx, 'csv', ',', 'windows-1252')).rejects.toThrow(/a ZIP file/);
    const xls = file('export.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00, 0x90]));
    await expect(readSourceFile(xls, 'csv')).rejects.toThrow(/export\.xls: an Excel 97-2003 workbook \(\.xls\), not CSV or JSONL text/);
    const gz = file('export.csv.gz', gzipSync('id,body\n1,Hallo\n'));
    await expect(readSourceFile(gz, 'csv', ',', 'windows-1252')).rejects.toThrow(/export\.csv\.gz: a gzip-compressed file, not CSV or JSONL text: decompress it first \(gunzip -k export\.csv\.gz\)$/);
  });
});

describe('an export too big for one string', () => {
  it('is refused naming the file and how to read it', async () => {
    await expect(readSourceFile(`${OVER_LIMIT}.csv`, 'csv')).rejects.toMatchObject({
      code: 'DATASET_FILE_INVALID',
      message: `${OVER_LIMIT}.csv: too big to read as one file (537 MB; at most about 512 MB of text a file): split it into smaller files and give them together (--data part1.csv part2.csv)`,
    });
    // Filling and decoding 512 MB took 6.8 s on a loaded 2-core machine.
  }, 30_000);
});

describe('readSourceFile progress', () => {
  it('reports the characters parsed of a file of a million or more, at most every 2% of it, ending with all: CSV and JSON lines', async () => {
    const filler = 'x'.repeat(2_000);
    const rows = Array.from({ length: 500 }, (_, i) => `e-${i},"Betreff ${i}","Zeile eins\nZeile zwei ${i} ${filler}",kyc`);
    const csv = `id,subject,body,queue\n${rows.join('\n')}\n`;
    const jsonl = `${Array.from({ length: 500 }, (_, i) => JSON.stringify({ id: `e-${i}`, body: `Text ${i} ${filler}`, queue: 'kyc' })).join('\n')}\n`;
    const cases = [['progress.csv', csv, 'csv'], ['progress.jsonl', jsonl, 'jsonl'], ['unended.jsonl', jsonl.trimEnd(), 'jsonl']] as const;
    for (const [name, text, format] of cases) {
      expect(text.length).toBeGreaterThan(1_000_000);
      const seen: Array<[number, number]> = [];
      const source = await readSourceFile(file(name, text), format, ',', 'utf-8', 'config', (done, total) => seen.push([done, total]));
      expect(source.records).toHaveLength(500);
      expect(seen.length).toBeGreaterThan(10);
      expect(seen.length).toBeLessThanOrEqual(52);
      expect(seen.every(([done, total]) => total === text.length && done <= total)).toBe(true);
      expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
      expect(seen[seen.length - 1]).toEqual([text.length, text.length]);
    }
    // A small file: nothing to report.
    const quiet: number[] = [];
    await readSourceFile(file('small.csv', 'id,body\ne-1,Hallo\n'), 'csv', ',', 'utf-8', 'config', (done) => quiet.push(done));
    expect(quiet).toEqual([]);
  });
});
