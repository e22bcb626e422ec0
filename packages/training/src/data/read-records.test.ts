import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSourceFile } from './read-records.js';

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

  it('names the line a record that does not parse starts on', async () => {
    const p = file('unclosed.csv', 'id,body\r\n1,"a\r\nb"\r\n\r\n2,"never closed\r\n3,c\r\n');
    await expect(readSourceFile(p, 'csv')).rejects.toThrow(/unclosed\.csv:5: CSV does not parse \(Quote Not Closed: the parsing is finished with an opening quote\)/);
  });

  it('numbers JSONL lines of a file with CR line ends as an editor does', async () => {
    const source = await readSourceFile(file('cr.jsonl', '{"id":"1"}\r\r{"id":"2"}\r'), 'jsonl');
    expect(source.records.map((r) => r.line)).toEqual([1, 3]);
    expect(source.records[1].get('id')).toBe('2');
  });
});
