import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSourceFile } from './data/read-records.js';
import { utf16WithoutBom } from './utf8.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-utf16-'));
function file(name: string, content: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const CSV = 'id,subject,body,queue\n1,Grüße,Bitte prüfen,tax_documents\n';

describe('UTF-16 without a byte-order mark', () => {
  it('is told by the NUL in every other byte, little- or big-endian', () => {
    expect(utf16WithoutBom(Buffer.from(CSV, 'utf16le'))).toBe('le');
    expect(utf16WithoutBom(Buffer.from(CSV, 'utf16le').swap16())).toBe('be');
    // UTF-8, Windows-1252 and too short a file are not.
    expect(utf16WithoutBom(Buffer.from(CSV, 'utf8'))).toBeUndefined();
    expect(utf16WithoutBom(Buffer.from(CSV, 'latin1'))).toBeUndefined();
    expect(utf16WithoutBom(Buffer.from('a', 'utf16le'))).toBeUndefined();
    // Nor is a file of NULs (no text beside them).
    expect(utf16WithoutBom(Buffer.alloc(64))).toBeUndefined();
  });

  it('is refused as UTF-16, with what to do, not as Latin-1 (QA: the Windows-1252 hint read `i\\0d\\0`)', async () => {
    const le = file('nobom-le.csv', Buffer.from(CSV, 'utf16le'));
    await expect(readSourceFile(le, 'csv')).rejects.toThrow(/nobom-le\.csv: UTF-16 text \(little-endian, without a byte-order mark: every other byte is NUL\): save or export it as UTF-8 \(e\.g\. "CSV UTF-8"\)$/);
    await expect(readSourceFile(le, 'csv', ',', 'windows-1252')).rejects.toThrow(/nobom-le\.csv: UTF-16 text \(little-endian/);
    // All ASCII, it is valid UTF-8 too: refused, not read with NULs in its column names.
    const be = file('nobom-be.csv', Buffer.from('id,body\n1,a\n2,b\n', 'utf16le').swap16());
    await expect(readSourceFile(be, 'csv')).rejects.toThrow(/nobom-be\.csv: UTF-16 text \(big-endian, without a byte-order mark/);
    const jsonl = file('nobom.jsonl', Buffer.from('{"id":"1","body":"a"}\n', 'utf16le'));
    await expect(readSourceFile(jsonl, 'jsonl')).rejects.toThrow(/nobom\.jsonl: UTF-16 text \(little-endian/);
  });
});
