import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-lookalikes-');

/** `card_arrival` written three other ways on a few rows each, beside two labels written one way. */
const labels = [
  ...Array<string>(4).fill('card_arrival'),
  'Card Arrival',
  'card-arrival',
  ...Array<string>(3).fill('top_up'),
  ...Array<string>(3).fill('exchange_rate'),
];
const csv = file('labels.csv', `text,category\n${labels.map((l, i) => `mail ${i},${l}`).join('\n')}\n`);
const config = (task: object = {}) => parseTrainingConfig({ columns: { body: 'text' }, tasks: [{ name: 'topic', column: 'category', minCount: 2, ...task }] });

describe('labels written with "_", "-" or spaces (QA: "Card Arrival" beside "card_arrival" merged into other silently)', () => {
  it('are lookalikes, warned of when the data is read (before the taxonomy lines say they were merged as rare), with the aliases', async () => {
    const ds = await loadDataset(csv, config());
    expect(ds.taxonomy[0].lookalikes).toEqual([[['card_arrival', 4], ['Card Arrival', 1], ['card-arrival', 1]]]);
    expect(ds.taxonomy[0].rare).toEqual({ 'Card Arrival': 1, 'card-arrival': 1 });
    expect(ds.warnings).toEqual([
      'topic: labels that differ only in case or spacing are separate classes: "card_arrival" (4), "Card Arrival" (1), "card-arrival" (1); "_", "-" and spaces count alike; ' +
        '2 rows under the less frequent spellings, 2 of these spellings under minCount and merged into other; ' +
        'if each group is one label, add to the task\'s aliases (they apply before minCount): {"Card Arrival":"card_arrival","card-arrival":"card_arrival"}',
    ]);
  });

  it('are one label once the aliases the warning gives are added, and then said no more', async () => {
    const warning = (await loadDataset(csv, config())).warnings[0];
    const aliases = JSON.parse(warning.slice(warning.indexOf(': {') + 2)) as Record<string, string>;
    const ds = await loadDataset(csv, config({ aliases }));
    expect(ds.taxonomy[0].counts).toEqual({ card_arrival: 6, exchange_rate: 3, top_up: 3 });
    expect(ds.taxonomy[0].lookalikes).toBeUndefined();
    expect(ds.warnings).toEqual([]);
  });

  it('are not looked for where the task lists its labels (those refuse the other spellings, with a guess)', async () => {
    const ds = await loadDataset(csv, { ...config({ labels: ['card_arrival', 'top_up', 'exchange_rate'] }), onBadRow: 'skip' });
    expect(ds.taxonomy[0].lookalikes).toBeUndefined();
    expect(ds.skipped[0]).toMatch(/label "Card Arrival" is not in the topic taxonomy \(did you mean "card_arrival"\?/);
  });
});
