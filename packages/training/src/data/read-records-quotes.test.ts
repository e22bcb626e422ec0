import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSourceFile } from './read-records.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-quotes-'));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('a quote not doubled in a quoted value over several lines', () => {
  it('is said as the quote, its other lines as the rest of the value, not as field counts (QA: "3 fields" and "2 fields")', async () => {
    const text = 'id,subject,body,queue\n1,Hallo,"Er sagte "nein" dazu\nund mehr Text",tax_documents\n2,Depot,"Bitte Depot schliessen",account_management\n';
    const source = await readSourceFile(file('stray-lines.csv', text), 'csv');
    expect(source.records.map((r) => r.get('id'))).toEqual(['2']);
    expect(source.problems).toEqual([
      { line: 2, problem: expect.stringMatching(/stray-lines\.csv:2: a quote inside a quoted value on line 2 is not doubled \(write "" for a quote in a quoted value\), which ended the row there: the rest of the value is on line 3\.$/) },
      { line: 3, problem: expect.stringMatching(/stray-lines\.csv:3: the rest of the quoted value on line 2, not a row \(a quote there not doubled ended that row early\): fix that row$/) },
    ]);
  });

  it('names each line of the rest, up to the closing quote (CRLF, semicolons, a blank line in the value); a row no later line closes keeps its field count', async () => {
    const text = 'id;subject;body;queue\r\n1;Hallo;"Er sagte "nein" dazu\r\nzweite Zeile\r\n\r\ndritte "Zeile" hier";tax\r\n2;Depot;b;orders\r\n';
    const source = await readSourceFile(file('stray-long.csv', text), 'csv', ';');
    expect(source.records.map((r) => r.get('id'))).toEqual(['2']);
    expect(source.problems?.map((p) => p.line)).toEqual([2, 3, 5]);
    expect(source.problems?.[0].problem).toMatch(/stray-long\.csv:2: a quote inside a quoted value on line 2 is not doubled .*: the rest of the value is on lines 3 to 5\.$/);
    // A row whose fields are too few, quote or not, when no later line closes it into a row, keeps its field count:
    // the stray quote's value ends on its line, and the row lacks its label.
    const short = await readSourceFile(file('stray-short.csv', 'id,subject,body,queue\n1,Hallo,"Er sagte "nein" dazu"\n2,Depot,b,orders\n'), 'csv');
    expect(short.records.map((r) => r.get('id'))).toEqual(['2']);
    expect(short.problems?.map((p) => p.problem)).toEqual([expect.stringMatching(/stray-short\.csv:2: 3 fields, the header has 4 \(a line break in an unquoted value, or a missing delimiter\?\)$/)]);
    // A row cut short by a line break, no quote in it: as before.
    const broken = await readSourceFile(file('broken.csv', 'id,subject,body,queue\n1,Hallo,Er sagte\nnein,tax\n'), 'csv');
    expect(broken.problems?.map((p) => p.problem)).toEqual([
      expect.stringMatching(/broken\.csv:2: 3 fields, the header has 4 \(a line break in an unquoted value, or a missing delimiter\?\)$/),
      expect.stringMatching(/broken\.csv:3: 2 fields, the header has 4/),
    ]);
  });
});
