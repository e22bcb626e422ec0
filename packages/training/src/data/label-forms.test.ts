import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-label-forms-');

const WARN = '\u26a0';
const VS16 = '\ufe0f';
const VS15 = '\ufe0e';
const NFC = '\u00dcberweisung';
const NFD = 'U\u0308berweisung';

describe('a label typed two ways (emoji variation selectors, NFC and NFD)', () => {
  const csv = file(
    'forms.csv',
    'id,subject,queue\n' +
      [`${WARN}${VS16} urgent`, `${WARN} urgent`, `${WARN}${VS15} urgent`, NFC, NFD, `${NFD}${VS16}`, `\u2757${VS16}`].map((label, i) => `${i},Mail ${i},${label}`).join('\n') +
      '\n',
  );

  it('is one label in a task without a label list, where each form was a class of its own', async () => {
    const ds = await loadDataset(csv, parseTrainingConfig({ columns: { id: 'id', subject: 'subject' }, tasks: [{ name: 'queue' }] }));
    expect(ds.taxonomy[0].counts).toEqual({ [`${WARN} urgent`]: 3, [NFC]: 3, '\u2757': 1 });
  });

  it('is one label in the config\'s labels, aliases and retired labels, written in either form', async () => {
    const config = parseTrainingConfig({
      columns: { id: 'id', subject: 'subject' },
      tasks: [{ name: 'queue', labels: [`${WARN}${VS15} urgent`, NFD], aliases: { [`\u2757${VS15}`]: `${WARN}${VS16} urgent` } }],
    });
    expect(config.tasks[0]).toMatchObject({ labels: [`${WARN} urgent`, NFC], aliases: { '\u2757': `${WARN} urgent` } });
    const ds = await loadDataset(csv, config);
    expect(ds.badRows).toBe(0);
    expect(ds.taxonomy[0].counts).toEqual({ [`${WARN} urgent`]: 4, [NFC]: 3 });
    const retired = parseTrainingConfig({ columns: { id: 'id', subject: 'subject' }, tasks: [{ name: 'queue', retired: [`\u2757${VS15}`] }] });
    expect((await loadDataset(csv, retired)).taxonomy[0].retired).toBe(1);
  });

  it('is trimmed after its variation selectors are stripped: one standing before a blank leaves no leading blank', async () => {
    const spaced = file('spaced.csv', `id,subject,queue\n0,Mail 0,${VS16} urgent\n1,Mail 1,urgent\n2,Mail 2,urgent ${VS15}\n`);
    const ds = await loadDataset(spaced, parseTrainingConfig({ columns: { id: 'id', subject: 'subject' }, tasks: [{ name: 'queue' }] }));
    expect(ds.taxonomy[0].counts).toEqual({ urgent: 3 });
    const config = parseTrainingConfig({
      columns: { id: 'id', subject: 'subject' },
      tasks: [{ name: 'queue', labels: [`${VS16} urgent`], aliases: { [`${VS16} dringend`]: `urgent ${VS16}` }, retired: [`${VS15} alt`] }],
    });
    expect(config.tasks[0]).toMatchObject({ labels: ['urgent'], aliases: { dringend: 'urgent' }, retired: ['alt'] });
    expect((await loadDataset(spaced, config)).badRows).toBe(0);
    expect(() => parseTrainingConfig({ columns: { id: 'id', subject: 'subject' }, tasks: [{ name: 'queue', aliases: { [`${VS16} pay`]: 'urgent', pay: 'urgent' } }] })).toThrow(
      /tasks\.0\.aliases: "\ufe0f pay", "pay" are one old name, "pay"/,
    );
  });
});
