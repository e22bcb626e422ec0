import { describe, expect, it } from 'vitest';
import { cell, toMarkdown } from './report.js';

describe('benchmark tables', () => {
  it('write numbers to 4 significant digits without exponent form, integers and text as they are', () => {
    expect(cell(17101.1257)).toBe('17101');
    expect(cell(0.7528)).toBe('0.7528');
    expect(cell(1.23456)).toBe('1.235');
    expect(cell(0.00012345)).toBe('0.0001234');
    expect(cell(-0.5)).toBe('-0.5000');
    expect(cell(42)).toBe('42');
    expect(cell('met')).toBe('met');
    expect(cell(null)).toBe('–');
  });

  it("show each figure's note in the Markdown, as in the JSON", () => {
    const md = toMarkdown(
      { section: 's', tables: [], notes: [], figures: [{ name: 'banking77 accuracy', value: 0.91493, unit: 'accuracy', reference: { name: 'target', value: 0.913 }, note: 'sklearn here: 0.9117' }] },
      { commit: 'abc1234', date: '2026-12-03', machine: {} },
    );
    expect(md).toContain('| banking77 accuracy | 0.9149 | accuracy | target: 0.9130 | sklearn here: 0.9117 |');
  });
});
