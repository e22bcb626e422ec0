import { htmlToText } from '@mailroute/preprocess';
import { describe, expect, it } from 'vitest';
import { CUT_IN_TURNS_CHARS, markupCut, truncateEmail, truncateEmailInTurns } from './classify-core.js';

/** `visible` of markup whose text grows as `shape` says, counting the passes over it. */
function counted(shape: (end: number) => number) {
  const ends: number[] = [];
  return {
    ends,
    visible: (end: number) => {
      ends.push(end);
      return shape(end);
    },
  };
}

describe('markupCut', () => {
  it('keeps all of markup whose text fits, in one pass', () => {
    const { visible, ends } = counted((end) => Math.floor(end / 10));
    expect(markupCut(100_000, 20_000, visible)).toBe(100_000);
    expect(ends).toEqual([100_000]);
  });

  it('comes within 1% of the limit in a few passes: text that grows evenly, after a long <style> block, in table rows', () => {
    const shapes: Array<[string, (end: number) => number]> = [
      ['even', (end) => Math.floor(end / 4)],
      ['a 300,000-character <style> block first', (end) => Math.max(0, Math.floor((end - 300_000) / 3))],
      ['rows of 500 characters of markup with 40 of text each', (end) => Math.floor(end / 500) * 40 + Math.max(0, (end % 500) - 460)],
    ];
    for (const [name, shape] of shapes) {
      const { visible, ends } = counted(shape);
      const cut = markupCut(1_000_000, 20_000, visible);
      expect(shape(cut), name).toBeLessThanOrEqual(20_000);
      expect(shape(cut), name).toBeGreaterThanOrEqual(19_800);
      // A search that halved the markup each time took 17-20 passes here.
      expect(ends.length, name).toBeLessThanOrEqual(8);
    }
  });

  it('ends close before the point where the text jumps past the limit at once (a table written as it closes), in at most 12 passes', () => {
    // 15,000 characters of text, then 10,000 more at once at character 600,000 of the markup.
    const { visible, ends } = counted((end) => (end < 600_000 ? Math.floor(end / 40) : 25_000));
    const cut = markupCut(1_000_000, 20_000, visible);
    expect(cut).toBeLessThan(600_000);
    expect(cut).toBeGreaterThan(598_000);
    expect(ends.length).toBeLessThanOrEqual(12);
  });
});

describe('truncateEmail', () => {
  const newsletter = `<html><body><table>${Array.from({ length: 3000 }, (_, i) => `<tr><td style="padding:8px">Fondsupdate ${i}: Ausschüttung 0,42 EUR je Anteil.</td></tr>`).join('')}</table></body></html>`;

  it('cuts an HTML part the body sends the reader to by its visible text, to within 1% of the limit', () => {
    expect(htmlToText(newsletter).length).toBeGreaterThan(100_000);
    const { email, truncated } = truncateEmail({ body: '', html: newsletter }, 20_000);
    expect(truncated).toBe(true);
    const kept = htmlToText(email.html ?? '').length;
    expect(kept).toBeLessThanOrEqual(20_000);
    expect(kept).toBeGreaterThanOrEqual(19_800);
  });

  it('neither cuts nor says it cut the HTML alternative of a plain-text body, which cleaning never reads', () => {
    const sent = { body: 'Guten Tag, wo bleibt meine Steuerbescheinigung für 2025?', html: newsletter };
    expect(truncateEmail(sent, 20_000)).toEqual({ email: sent, truncated: false });
    // A body that only points at the HTML (a placeholder) sends the reader there: cut as before.
    const placeholder = { body: 'Diese Nachricht ist im HTML-Format. Bitte verwenden Sie ein E-Mail-Programm, das HTML darstellen kann.', html: newsletter };
    expect(truncateEmail(placeholder, 20_000).truncated).toBe(true);
  });

  it('cuts long markup in turns of the event loop, one pass over the markup at a time, to the same cut', async () => {
    // Text only after 600 KB of nested table markup (a fuzz trial's input held the server 1.2-2.4 s in one go).
    const html = `${'<table><tr><td>'.repeat(40_000)}${'Wort '.repeat(6_000)}</table>`;
    expect(html.length).toBeGreaterThan(CUT_IN_TURNS_CHARS);
    let ticks = 0;
    let running = true;
    const tick = () => {
      if (!running) return;
      ticks += 1;
      setImmediate(tick);
    };
    setImmediate(tick);
    const inTurns = await truncateEmailInTurns({ html }, 20_000);
    running = false;
    // Other work ran between the passes (at least one turn each), and the cut is the one made in one go.
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(inTurns).toEqual(truncateEmail({ html }, 20_000));
    expect(inTurns.truncated).toBe(true);
    // Two cuts of 600 KB of markup, several passes each: about 2 s alone, over 10 s on a loaded machine.
  }, 60_000);
});
