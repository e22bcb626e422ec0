import { gzipSync } from 'node:zlib';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CleanOutputLineSchema, UNSPLIT_MULTIPART_WARNING } from '@mailroute/preprocess';
import { createContext } from '../context.js';
import { main } from '../main.js';
import { captureStream, runCli } from '../test-support.js';


function run(argv: string[], cwd: string) {
  return runCli(argv, { cwd });
}

function readOut(file: string) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => CleanOutputLineSchema.parse(JSON.parse(l)));
}

const eml = [
  'From: Erika Beispiel <erika@example.com>',
  'To: service@example.com',
  'Subject: =?ISO-8859-1?Q?AW:_Depot=FCbertrag?=',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=ISO-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Guten Tag, bitte best=E4tigen Sie den Depot=FCbertrag.',
  '',
  'Viele Gr=FC=DFe',
  'Erika',
  '',
].join('\r\n');

describe('mailroute clean', () => {
  it('cleans a JSONL batch, reports bad lines with their number and still writes the rest', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const lines = [
      JSON.stringify({ id: 'a', format: 'text', input: 'Please close my account.\n\nOn Mon, 1 Jun 2026, Bank <help@example.com> wrote:\n> Hello' }),
      '{not json',
      JSON.stringify({ id: 'b', format: 'html', input: '<p>Neue Frage zu meinem Konto</p><blockquote type="cite">alte Nachricht</blockquote>' }),
      JSON.stringify({ id: 'c', format: 'pdf', input: 'x' }),
      JSON.stringify({ id: 'd', format: 'eml', input: eml }),
    ];
    writeFileSync(path.join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const r = await run(['clean', '--in', 'in.jsonl', '--out', 'out.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/in\.jsonl:2: skipped: column 2: not JSON\n/);
    expect(r.stderr).toContain('in.jsonl:4: skipped: invalid line: format');
    const out = readOut(path.join(dir, 'out.jsonl'));
    expect(out.map((o) => o.id)).toEqual(['a', 'b', 'd']);
    expect(out[0].text).toBe('Please close my account.');
    expect(out[0].quoted).toContain('> Hello');
    expect(out[1].text).toBe('Neue Frage zu meinem Konto');
    expect(out[2].text).toBe('Guten Tag, bitte bestätigen Sie den Depotübertrag.');
    // The removed parts are written masked too: the file must not give back what `text` hides.
    expect(out[0].quoted).not.toContain('help@example.com');
    expect(out[2].signature).toBe('Viele Grüße\n[NAME]');
    // What was masked in the signature and quoted parts is listed too, with the part it is in.
    expect(out[2].redactions).toContainEqual(expect.objectContaining({ type: 'NAME', part: 'signature' }));
    expect(out[0].redactions).toContainEqual(expect.objectContaining({ type: 'EMAIL', part: 'quoted' }));
    // No temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual(['in.jsonl', 'out.jsonl']);
    const raw = await run(['clean', '--in', 'in.jsonl', '--out', 'raw.jsonl', '--no-redact'], dir);
    expect(raw.code).toBe(0);
    const kept = readOut(path.join(dir, 'raw.jsonl'));
    expect(kept[0].quoted).toContain('help@example.com');
    expect(kept[2].signature).toBe('Viele Grüße\nErika');
  });

  it('refuses an empty batch (or blank lines only) with exit code 1 and writes nothing, as for a batch of no usable line', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    writeFileSync(path.join(cwd, 'empty.jsonl'), '\n  \n');
    const res = await runCli(['clean', '--in', 'empty.jsonl', '--out', 'out.jsonl'], { cwd });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('mailroute: [CLEAN_INPUT_INVALID] empty.jsonl has no lines (it is empty or blank): nothing to clean, and nothing was written\n');
    expect(existsSync(path.join(cwd, 'out.jsonl'))).toBe(false);
  });

  it('refuses a batch that is not UTF-8, naming the line, and writes nothing: read leniently, every umlaut was lost', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const line = (body: string) => `{"id":"1","subject":"Depot","body":"${body}"}\n`;
    writeFileSync(path.join(cwd, 'cp.jsonl'), Buffer.concat([Buffer.from(line('Bitte melden')), Buffer.from(line('Ich m\xf6chte k\xfcndigen'), 'latin1')]));
    const res = await runCli(['clean', '--in', 'cp.jsonl', '--out', 'out.jsonl'], { cwd });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('mailroute: [CLEAN_INPUT_INVALID] cp.jsonl:2: not UTF-8 (saved as Windows-1252 or Latin-1?): convert it to UTF-8');
    expect(existsSync(path.join(cwd, 'out.jsonl'))).toBe(false);
    writeFileSync(path.join(cwd, 'u16.jsonl'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line('Hallo'), 'utf16le')]));
    const utf16 = await runCli(['clean', '--in', 'u16.jsonl', '--out', 'out.jsonl'], { cwd });
    expect(utf16.stderr).toContain('u16.jsonl: UTF-16 text');
    expect(utf16.code).toBe(1);
    writeFileSync(path.join(cwd, 'batch.jsonl.gz'), gzipSync(line('Hallo')));
    const gz = await runCli(['clean', '--in', 'batch.jsonl.gz', '--out', 'out.jsonl'], { cwd });
    expect(gz.stderr).toContain('batch.jsonl.gz: a gzip-compressed file, not JSONL text: decompress it first');
  });

  it('says an --in that is not there in words (no such file), exit code 1', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-clean-'));
    const res = await run(['clean', '--in', 'missing.jsonl', '--out', 'c.jsonl'], cwd);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('mailroute: [CLEAN_INPUT_UNREADABLE] cannot read missing.jsonl: no such file\n');
  });

  it('warns of repeated ids and of emails with nothing left after cleaning', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const lines = [
      { id: 'a', format: 'text', input: 'Bitte Depot übertragen.' },
      { id: 'a', format: 'text', input: 'Bitte Sparplan ändern.' },
      { id: 'b', format: 'html', input: '<style>p{color:red}</style>' },
    ];
    writeFileSync(path.join(dir, 'in.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const r = await run(['clean', '--in', 'in.jsonl', '--out', 'out.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: nothing is left after cleaning in 1 email(s) (empty, markup only or all quote): b');
    expect(r.stderr).toContain('warning: 1 id(s) occur more than once, so the output lines cannot be told apart by id: a');
    expect(readOut(path.join(dir, 'out.jsonl'))).toHaveLength(3);
  });

  it('does not call an email with a subject and no body empty: the subject is left after cleaning', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const lines = [
      { id: 'subject-only', subject: 'Kündigung Depot', body: '' },
      { id: 'prefix-only', subject: 'AW:', body: '<p></p>' },
    ];
    writeFileSync(path.join(dir, 'in.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const r = await run(['clean', '--in', 'in.jsonl', '--out', 'out.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(readOut(path.join(dir, 'out.jsonl')).map((l) => l.subject)).toEqual(['Kündigung Depot', '']);
    expect(r.stderr).toContain('warning: nothing is left after cleaning in 1 email(s) (empty, markup only or all quote): prefix-only\n');
  });

  it('shows control characters of ids and keys from the data escaped, never raw on the terminal', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const esc = '\x1b]0;owned\x07\x1b[2J';
    const lines = [
      { id: `a${esc}`, format: 'text', input: 'Bitte Depot übertragen.' },
      { id: `a${esc}`, format: 'text', input: 'Bitte Sparplan ändern.' },
      { id: `b\u009b31m`, format: 'html', input: '<style>p{color:red}</style>' },
    ];
    writeFileSync(path.join(dir, 'in.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const r = await run(['clean', '--in', 'in.jsonl', '--out', 'out.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('cannot be told apart by id: a\\x1b]0;owned\\x07\\x1b[2J');
    expect(r.stderr).toContain('(empty, markup only or all quote): b\\x9b31m');
    // eslint-disable-next-line no-control-regex -- no control character but line feeds reaches the terminal
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // The output file keeps the ids as they were.
    expect(readOut(path.join(dir, 'out.jsonl')).map((l) => l.id)).toContain(`a${esc}`);
    const missing = await run(['clean', '--in', `none${esc}.jsonl`, '--out', 'x.jsonl'], dir);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('none\\x1b]0;owned');
    // eslint-disable-next-line no-control-regex -- as above, for an error message
    expect(missing.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('writes every signature cut, also one a second pass found above the first, masked', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const input = 'Please close my account.\n\nThanks,\nAnna\n\nBest regards\nAnna Schmidt\nExample Ltd';
    writeFileSync(path.join(dir, 'in.jsonl'), `${JSON.stringify({ id: 'a', format: 'text', input })}\n`);
    expect((await run(['clean', '--in', 'in.jsonl', '--out', 'raw.jsonl', '--no-redact'], dir)).code).toBe(0);
    expect(readOut(path.join(dir, 'raw.jsonl'))[0].signature).toBe('Thanks,\nAnna\n\nBest regards\nAnna Schmidt\nExample Ltd');
    expect((await run(['clean', '--in', 'in.jsonl', '--out', 'out.jsonl'], dir)).code).toBe(0);
    const [out] = readOut(path.join(dir, 'out.jsonl'));
    expect(out.text).toBe('Please close my account.');
    expect(out.signature).toContain('Best regards\n[NAME]\nExample Ltd');
    expect(out.signature).not.toContain('Anna');
  });

  it('masks a name signed in the signature wherever it stands in the text and the quoted part too', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const input = 'Guten Tag,\nbitte prüfen Sie mein Konto. Mustermann war gestern in der Filiale.\n\nViele Grüße\nErika Mustermann\n\n> Am 3. November schrieb Service:\n> Liebe Frau Mustermann, danke.';
    writeFileSync(path.join(dir, 'sig.jsonl'), `${JSON.stringify({ id: 's', format: 'text', input })}\n`);
    expect((await run(['clean', '--in', 'sig.jsonl', '--out', 'sig-out.jsonl'], dir)).code).toBe(0);
    const [out] = readOut(path.join(dir, 'sig-out.jsonl'));
    expect(out.text).toBe('Guten Tag,\nbitte prüfen Sie mein Konto. [NAME] war gestern in der Filiale.');
    expect(out.signature).toBe('Viele Grüße\n[NAME]');
    expect(JSON.stringify(out)).not.toContain('Mustermann');
  });

  it('takes a single .eml file and honours --scope quotes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    writeFileSync(path.join(dir, 'message.eml'), Buffer.from(eml, 'latin1'));
    const r = await run(['clean', '--in', 'message.eml', '--out', 'out.jsonl', '--scope', 'quotes'], dir);
    expect(r.code).toBe(0);
    const [line] = readOut(path.join(dir, 'out.jsonl'));
    expect(line.id).toBe('message'); // no Message-ID: the file name
    writeFileSync(path.join(dir, 'named.eml'), Buffer.from(`Message-ID: <4711@mail.example.com>\r\n${eml}`, 'latin1'));
    expect((await run(['clean', '--in', 'named.eml', '--out', 'named.jsonl'], dir)).code).toBe(0);
    expect(readOut(path.join(dir, 'named.jsonl'))[0].id).toBe('4711@mail.example.com'); // as POST /v1/classify/eml names it
    expect(line.text).toContain('Viele Grüße\n[NAME]'); // the signature stays in scope quotes, its name masked
    expect(line.language).toBe('de');
  });

  it("masks an .eml's sender, as its From names them, where the text names them without a cue", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const message = ['From: "Moreau, Jean" <jean@example.org>', 'Subject: Virement', 'Content-Type: text/plain; charset=utf-8', '', 'Bonjour, mon virement est bloqué.', 'Cordialement,', 'Jean Moreau', ''].join('\r\n');
    writeFileSync(path.join(dir, 'fr.eml'), message);
    expect((await run(['clean', '--in', 'fr.eml', '--out', 'fr.jsonl'], dir)).code).toBe(0);
    const [line] = readOut(path.join(dir, 'fr.jsonl'));
    expect(JSON.stringify(line)).not.toContain('Moreau');
    expect(`${line.text}\n${line.signature ?? ''}`).toContain('[NAME]');
  });

  it('says on standard error what of an .eml file the parser could not read (a multipart with no boundary to be found)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    writeFileSync(path.join(dir, 'unsplit.eml'), ['Subject: Depot', 'Content-Type: multipart/mixed', '', '--b', '', 'Bitte schließen', ''].join('\r\n'));
    const r = await run(['clean', '--in', 'unsplit.eml', '--out', 'out.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: unsplit.eml: ${UNSPLIT_MULTIPART_WARNING}`);
  });

  it('says the same of an eml line of a JSONL batch, with its line number', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const unsplit = ['Subject: Depot', 'Content-Type: multipart/mixed', '', '--b', '', 'Bitte schließen', ''].join('\r\n');
    writeFileSync(path.join(dir, 'in.jsonl'), [JSON.stringify({ id: 'a', format: 'text', input: 'Hallo' }), JSON.stringify({ id: 'b', format: 'eml', input: unsplit })].join('\n'));
    const r = await run(['clean', '--in', 'in.jsonl', '--out', 'out.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: in.jsonl:2: ${UNSPLIT_MULTIPART_WARNING}`);
    expect(readOut(path.join(dir, 'out.jsonl')).map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('writes the lines to standard output with --out -, and no file named -', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    writeFileSync(path.join(dir, 'message.eml'), Buffer.from(eml, 'latin1'));
    const r = await run(['clean', '--in', 'message.eml', '--out', '-'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['message']);
    expect(r.stderr).toContain('wrote 1 line(s) to standard output');
    expect(existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('reads a batch saved with a byte order mark from line 1, and never quotes a line that is not JSON', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    // One line, saved with a BOM (as Windows editors do): its line, not "no line could be used".
    writeFileSync(path.join(dir, 'bom.jsonl'), `\uFEFF${JSON.stringify({ id: 'a', format: 'text', input: 'Bitte Depot übertragen.' })}\n`);
    const bom = await run(['clean', '--in', 'bom.jsonl', '--out', 'bom.out.jsonl'], dir);
    expect(bom.code, bom.stderr).toBe(0);
    expect(readOut(path.join(dir, 'bom.out.jsonl')).map((o) => o.id)).toEqual(['a']);
    // V8's message quotes the start of the line ("Sehr geeh"... is not valid JSON), which may be an email's text: only where it breaks is said.
    const lines = ['Sehr geehrte Frau Beispiel, IBAN DE89370400440532013000', '{"id":"b","format":"text","input":"Kontostand 4711 EUR}', '{"id":"c","format":"text"} Erika', JSON.stringify({ id: 'd', format: 'text', input: 'ok' })];
    writeFileSync(path.join(dir, 'leak.jsonl'), `${lines.join('\n')}\n`);
    const leak = await run(['clean', '--in', 'leak.jsonl', '--out', 'leak.out.jsonl'], dir);
    expect(leak.code).toBe(0);
    const said = leak.stderr.split('\n').filter((l) => l.includes(': skipped: '));
    expect(said).toEqual(['leak.jsonl:1: skipped: column 1: not JSON', 'leak.jsonl:2: skipped: column 56: not JSON', 'leak.jsonl:3: skipped: column 28: not JSON']);
    expect(leak.stderr).not.toMatch(/Sehr|Kontostand|Erika|4711|valid JSON/);
  });

  it('says the first few skipped lines and counts the rest per reason', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const good = JSON.stringify({ id: 'ok', format: 'text', input: 'Bitte Depot übertragen.' });
    const lines = ['{bad', '{bad', good, '{bad', JSON.stringify({ id: 'x', format: 'pdf', input: 'x' }), '{bad', '{bad', '{bad', JSON.stringify({ id: 'y', format: 'pdf', input: 'y' })];
    writeFileSync(path.join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const r = await run(['clean', '--in', 'in.jsonl', '--out', 'out.jsonl'], dir);
    expect(r.code).toBe(0);
    const said = r.stderr.trim().split('\n').filter((l) => !/^clean: \d+% /.test(l));
    expect(said.filter((l) => l.includes(': skipped: '))).toHaveLength(5);
    expect(said).toContain('in.jsonl: … and 3 more line(s) skipped: 2 not JSON; 1 invalid line: format: Invalid option: expected one of "text"|"html"|"eml"');
    expect(said.at(-1)).toBe('clean: wrote 1 line(s) to out.jsonl, skipped 8');
    expect(readOut(path.join(dir, 'out.jsonl')).map((o) => o.id)).toEqual(['ok']);
  });

  it('exits 1 with one line saying what a line must be when no line can be used, not a line per input line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    // A CSV export (as mailroute demo-data writes): each physical line is skipped as not JSON.
    const csv = ['id,subject,body', ...Array.from({ length: 40 }, (_, i) => `${i},Depot,"Bitte\nübertragen"`)].join('\n');
    writeFileSync(path.join(dir, 'demo.csv'), `${csv}\n`);
    const r = await run(['clean', '--in', 'demo.csv', '--out', 'c.jsonl'], dir);
    expect(r.code).toBe(1);
    const said = r.stderr.trim().split('\n').filter((l) => !/^clean: \d+% /.test(l));
    expect(said).toHaveLength(7);
    expect(said.slice(0, 5).every((l) => /^demo\.csv:\d+: skipped: .*not JSON/.test(l))).toBe(true);
    expect(said[5]).toBe('demo.csv: … and 76 more line(s) skipped for the same reason (not JSON)');
    expect(said[6]).toBe(
      'mailroute: [CLEAN_INPUT_INVALID] no line of demo.csv could be used (81 skipped) (it looks like CSV or plain text, not JSONL): each line must be a JSON object {"id":"…","format":"text"|"html"|"eml","input":"…"} or {"id":"…","subject":"…","body":"…","html":"…"}, or --in one .eml file',
    );
    // Nothing written: no empty file that reads as a batch with nothing in it.
    expect(readdirSync(dir)).toEqual(['demo.csv']);
    // A line of neither form is told what a line needs, not "format: Invalid option" as if it lacked only a format.
    writeFileSync(path.join(dir, 'ids.jsonl'), '{"id":"3"}\n{"id":"4","format":"pdf","input":"x"}\n');
    const ids = await run(['clean', '--in', 'ids.jsonl', '--out', 'c.jsonl'], dir);
    expect(ids.stderr).toContain('ids.jsonl:1: skipped: invalid line: no subject, body or html, nor format and input (a line needs subject, body or html, or "format": "text"|"html"|"eml" with "input")\n');
    expect(ids.stderr).toContain('ids.jsonl:2: skipped: invalid line: format: Invalid option: expected one of "text"|"html"|"eml"\n');
    // A line with input and no format (or the other way round) is told which it lacks and what that takes, not
    // "format: Invalid option" (as if its format were wrong) or "input: expected string, received undefined".
    writeFileSync(path.join(dir, 'half.jsonl'), '{"id":"6","input":"x"}\n{"id":"7","format":"text"}\n');
    const half = await run(['clean', '--in', 'half.jsonl', '--out', 'c.jsonl'], dir);
    expect(half.stderr).toContain('half.jsonl:1: skipped: invalid line: no format (a line with input needs "format": "text"|"html"|"eml")\n');
    expect(half.stderr).toContain('half.jsonl:2: skipped: invalid line: no input (a line with format needs "input": the email as text, HTML or .eml source)\n');
    // Nor is the file then said to be lines "with id, input, but no subject, body or html", as if meant to be emails.
    expect(half.stderr).toContain('[CLEAN_INPUT_INVALID] no line of half.jsonl could be used (2 skipped): each line must be a JSON object');
    // JSON lines of neither shape: their keys are named.
    writeFileSync(path.join(dir, 'other.jsonl'), `${JSON.stringify({ ticket: 'demo-1', text: 'Bitte übertragen', queue: 'securities' })}\n`);
    const jsonl = await run(['clean', '--in', 'other.jsonl', '--out', 'c.jsonl'], dir);
    expect(jsonl.code).toBe(1);
    expect(jsonl.stderr).toContain('[CLEAN_INPUT_INVALID] no line of other.jsonl could be used (1 skipped) (its lines have ticket, text, queue, but no subject, body or html): each line must be');
  });

  it('takes a whole-number id in a format/input line too, as in an email line; refuses a fraction', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const lines = [{ id: 8, format: 'text', input: 'Bitte Depot übertragen.' }, { id: 1.5, format: 'text', input: 'x' }, { id: 9, subject: 'Depot', body: 'Bitte.' }];
    writeFileSync(path.join(dir, 'num.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const r = await run(['clean', '--in', 'num.jsonl', '--out', 'c.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(readOut(path.join(dir, 'c.jsonl')).map((o) => o.id)).toEqual(['8', '9']);
    expect(r.stderr).toContain('num.jsonl:2: skipped: invalid line: id:');
  });

  it('cleans lines in the shape of an email (/v1/classify, the demo data, JSONL exports), other keys ignored', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const lines = [
      { id: 'e1', subject: 'AW: Depotübertrag', body: 'Bitte übertragen Sie mein Depot.\n\nViele Grüße\nErika Beispiel', html: '', queue: 'securities_transfers', bank: 'Nordhafen Depotbank' },
      { id: 'e2', html: '<p>IBAN DE89370400440532013000 bitte ändern</p>', subject: null },
      { id: 'e3', subject: ['x'] },
      { id: '', body: 'x' },
      { id: 17, body: 'Bitte Sparplan ändern.' },
      { id: 'e5', subject: null, body: null },
      // An HTML email a CRM put into the plain-text body: read as HTML.
      { id: 'b7', body: '<html><head><style>p{color:red}</style></head><body><p>Bitte &uuml;bertragen Sie mein Depot</p></body></html>' },
    ];
    writeFileSync(path.join(dir, 'demo.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const r = await run(['clean', '--in', 'demo.jsonl', '--out', 'c.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('demo.jsonl:3: skipped: invalid email line: subject: a string or null is needed, not an array');
    expect(r.stderr).toContain('demo.jsonl:4: skipped: invalid email line: id: a string of 1 to 200 characters, or a whole number, is needed');
    expect(r.stderr).toContain('demo.jsonl:6: skipped: invalid email line: subject, body or html is needed (null counts as absent)');
    const out = readOut(path.join(dir, 'c.jsonl'));
    expect(out.map((o) => o.id)).toEqual(['e1', 'e2', '17', 'b7']);
    expect(out[0]).toMatchObject({ subject: 'Depotübertrag', text: 'Bitte übertragen Sie mein Depot.', signature: 'Viele Grüße\n[NAME]', language: 'de' });
    expect(out[1]).toMatchObject({ subject: null, text: 'IBAN [IBAN] bitte ändern' });
    expect(out[3]).toMatchObject({ text: 'Bitte übertragen Sie mein Depot', language: 'de' });
  });

  it('masks the sender a line’s `from` names, as the server masks stored text, and refuses a `from` that is no string', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const lines = [
      { id: 'f1', from: 'Jean Moreau <j.moreau@example.org>', subject: 'Virement', body: 'Bitte überweisen Sie den Betrag.\n\nCordialement,\nJean Moreau' },
      { id: 'f2', from: 'mehmet.kaya@example.com', body: 'Kaya hier, bitte Depot prüfen.' },
      { id: 'f3', from: null, body: 'Jean Moreau schreibt ohne Absender.' },
      { id: 'f4', from: ['x'], body: 'x' },
    ];
    writeFileSync(path.join(dir, 'from.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const r = await run(['clean', '--in', 'from.jsonl', '--out', 'f.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('from.jsonl:4: skipped: invalid email line: from: a string or null is needed, not an array');
    const out = readOut(path.join(dir, 'f.jsonl'));
    expect(out.map((o) => o.id)).toEqual(['f1', 'f2', 'f3']);
    expect(`${out[0].text}\n${out[0].signature ?? ''}`).not.toContain('Moreau');
    expect(out[1].text).toBe('[NAME] hier, bitte Depot prüfen.');
    expect(out[2].text).toBe('Jean Moreau schreibt ohne Absender.');
  });

  it('writes the subject of an .eml, cleaned and masked with the names found in any part', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const message = eml.replace('Subject: =?ISO-8859-1?Q?AW:_Depot=FCbertrag?=', 'Subject: AW: Depotuebertrag Erika Beispiel').replace('Viele Gr=FC=DFe\r\nErika', 'Viele Gr=FC=DFe\r\nErika Beispiel');
    writeFileSync(path.join(dir, 'm.eml'), Buffer.from(message, 'latin1'));
    expect((await run(['clean', '--in', 'm.eml', '--out', 'm.jsonl'], dir)).code).toBe(0);
    const [line] = readOut(path.join(dir, 'm.jsonl'));
    expect(line.subject).toBe('Depotuebertrag [NAME]');
    expect(line.redactions).toContainEqual(expect.objectContaining({ type: 'NAME', part: 'subject' }));
    expect(JSON.stringify(line)).not.toContain('Beispiel');
    expect((await run(['clean', '--in', 'm.eml', '--out', 'raw.jsonl', '--no-redact'], dir)).code).toBe(0);
    expect(readOut(path.join(dir, 'raw.jsonl'))[0].subject).toBe('Depotuebertrag Erika Beispiel');
    // Text and HTML lines have no subject.
    writeFileSync(path.join(dir, 't.jsonl'), `${JSON.stringify({ id: 't', format: 'text', input: 'Hallo' })}\n`);
    expect((await run(['clean', '--in', 't.jsonl', '--out', 't-out.jsonl'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 't-out.jsonl'), 'utf8'))).toMatchObject({ id: 't', subject: null });
  });

  it('exits 2 on a bad --scope and 1 with one line on a missing input', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const bad = await run(['clean', '--in', 'x.jsonl', '--out', 'o.jsonl', '--scope', 'all'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--scope must be quotes or visible');
    const missing = await run(['clean', '--in', 'missing.jsonl', '--out', 'o.jsonl'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('CLEAN_INPUT_UNREADABLE');
  });

  it("masks --pii-patterns' own patterns in every part, before the built-in detectors; refuses a bad file before writing", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-'));
    const patterns = { patterns: [{ type: 'CASE_REF', pattern: String.raw`\bFALL-\d{4}-\d{5}\b`, flags: 'i' }, { type: 'CUSTOMER_REF', pattern: String.raw`\bKD-\d{6}\b`, placeholder: '[KUNDE]' }] };
    writeFileSync(path.join(dir, 'refs.json'), JSON.stringify(patterns));
    const email = { id: '1', subject: 'AW: Fall-2025-00042', body: 'Zu FALL-2025-00042 (KD-123456): IBAN DE89 3704 0044 0532 0130 00.\n\nGruß\nJonas\nKD-123456\n\n> Ihr Fall fall-2025-00042 ist offen.' };
    writeFileSync(path.join(dir, 'in.jsonl'), `${JSON.stringify(email)}\n`);
    const r = await run(['clean', '--in', 'in.jsonl', '--out', 'out.jsonl', '--pii-patterns', 'refs.json'], dir);
    expect(r.code).toBe(0);
    const [out] = readOut(path.join(dir, 'out.jsonl'));
    expect(out.subject).toBe('[CASE_REF]');
    expect(out.text).toBe('Zu [CASE_REF] ([KUNDE]): IBAN [IBAN].');
    expect(out.signature).toContain('[KUNDE]');
    expect(out.quoted).toContain('Ihr Fall [CASE_REF] ist offen.');
    expect(out.redactions.filter((x) => x.type === 'CASE_REF').map((x) => x.part ?? 'text').sort()).toEqual(['quoted', 'subject', 'text']);
    // Without the file, the same line keeps them.
    await run(['clean', '--in', 'in.jsonl', '--out', 'plain.jsonl'], dir);
    expect(readOut(path.join(dir, 'plain.jsonl'))[0].text).toBe('Zu FALL-2025-00042 (KD-123456): IBAN [IBAN].');

    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ patterns: [{ type: 'CASE_REF', pattern: '(FALL' }] }));
    const bad = await run(['clean', '--in', 'in.jsonl', '--out', 'bad-out.jsonl', '--pii-patterns', 'bad.json'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[PREPROCESS_OPTIONS_INVALID] --pii-patterns bad.json: patterns[0] (CASE_REF): not a valid regular expression');
    expect(existsSync(path.join(dir, 'bad-out.jsonl'))).toBe(false);
    const unread = await run(['clean', '--in', 'in.jsonl', '--out', 'bad-out.jsonl', '--pii-patterns', 'missing.json'], dir);
    expect(unread.code).toBe(1);
    expect(unread.stderr).toContain('cannot read --pii-patterns missing.json: no such file');
    const both = await run(['clean', '--in', 'in.jsonl', '--out', 'bad-out.jsonl', '--pii-patterns', 'refs.json', '--no-redact'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--pii-patterns does not go with --no-redact');
  });

  it('exits 2 without --in', async () => {
    const r = await run(['clean', '--out', 'o.jsonl'], os.tmpdir());
    expect(r.code).toBe(2);
  });

  it('with --out -, writes the lines as it cleans them: a reader that wants the first (| head -1) does not wait for the rest', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-clean-stream-'));
    const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: `m${i}`, format: 'text', input: `Bitte senden Sie mir den Kontoauszug ${i}.` }));
    writeFileSync(path.join(dir, 'batch.jsonl'), `${lines.join('\n')}\n`);
    const received: string[] = [];
    // A reader that takes the first write and closes the pipe: every later write fails as a closed pipe does.
    const stdout = new Writable({
      write(chunk, _encoding, done) {
        received.push(String(chunk));
        done(received.length > 1 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }) : undefined);
      },
    });
    stdout.on('error', () => {}); // the process's listener is bin/mailroute.mjs's
    const err = captureStream();
    const code = await main(['clean', '--in', 'batch.jsonl', '--out', '-'], createContext({ env: {}, cwd: dir, stdout, stderr: err.stream }));
    expect(code, err.text()).toBe(0);
    expect(JSON.parse(received[0].split('\n')[0])).toMatchObject({ id: 'm0' });
    // Cleaning stopped at the closed pipe, far from the end.
    const cleaned = [...err.text().matchAll(/^clean: \d+% \((\d+)\/1000\)$/gm)].map((m) => Number(m[1]));
    expect(Math.max(...cleaned), err.text()).toBeLessThan(500);
    expect(err.text()).not.toContain('wrote');
  });
});
