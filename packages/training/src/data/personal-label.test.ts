import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { DatasetError } from '../errors.js';
import { tempFiles } from '../test-support/temp-files.js';
import { loadDataset } from './dataset.js';
import { createPersonalLabelCheck, personalDataIn } from './personal-label.js';

const { file } = tempFiles('mailroute-personal-label-');

// Invented people and numbers (the IBAN is the standard's example one).
const NAMED = 'Frau Irmgard Crumpetson irmgard.c@posteo.example';
const IBAN = 'GB82 WEST 1234 5698 7654 32';
const PERSONAL = /Crumpetson|Irmgard|posteo|GB82|WEST 1234/;

/** 12 rows of two ordinary topics, then one row whose topic cell holds `cell` (a column shift put it there). */
function export_(name: string, cell: string): string {
  const rows = Array.from({ length: 12 }, (_, i) => `${i},Mail ${i},${i % 2 === 0 ? 'card_arrival' : 'Technical Support'}`);
  return file(name, `id,subject,topic\n${rows.join('\n')}\n12,Mail 12,"${cell}"\n`);
}

const openTopic = (onBadRow: 'fail' | 'skip', extra: object = {}) =>
  parseTrainingConfig({ columns: { id: 'id', subject: 'subject' }, tasks: [{ name: 'topic', minCount: 2, rare: 'other', ...extra }], onBadRow });

describe('a label cell holding personal data, in a task without labels', () => {
  it('is a bad row, its cell quoted masked, where it was a label name of the manifest (merged into other)', async () => {
    const csv = export_('named.csv', NAMED);
    const error = await loadDataset(csv, openTopic('fail')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('DATASET_ROW_INVALID');
    const message = (error as DatasetError).message;
    expect(message).toContain(`${csv}:14, column "topic" (3): the label cell "Frau [NAME] [EMAIL]" holds personal data (a name and an email address): a shifted column?`);
    expect(message).not.toMatch(PERSONAL);
    expect((error as DatasetError).problems.join('\n')).not.toMatch(PERSONAL);
  });

  it('is left out with onBadRow skip: nothing of it in the taxonomy the manifest and run record are written from', async () => {
    const ds = await loadDataset(export_('iban.csv', `Kunde ${IBAN}`), openTopic('skip'));
    expect(ds.badRows).toBe(1);
    expect(ds.skipped).toEqual([expect.stringContaining('the label cell "Kunde [IBAN]" holds personal data (an IBAN)')]);
    expect(ds.taxonomy[0].labels).toEqual(['Technical Support', 'card_arrival']);
    expect(JSON.stringify({ taxonomy: ds.taxonomy, skipped: ds.skipped, warnings: ds.warnings })).not.toMatch(PERSONAL);
  });

  it('is no bad row read for a trained model, whose labels are fixed: a label it lacks, said only masked (predict goes on)', async () => {
    const fixedLabels = { topic: ['card_arrival', 'Technical Support', 'other'] };
    const ds = await loadDataset(export_('model.csv', NAMED), openTopic('fail'), { fixedLabels, forModel: true });
    expect(ds.badRows).toBe(0);
    expect(ds.notInModel).toEqual({ topic: { [NAMED]: 1 } });
    expect(ds.rows.at(-1)?.labels).toEqual({ topic: 'other' });
    // A task of the config the model lacks is read as training reads it.
    const other = await loadDataset(export_('other-task.csv', NAMED), openTopic('skip'), { fixedLabels: { queue: ['a'] }, forModel: true });
    expect(other.badRows).toBe(1);
  });

  it('is left to the config where it names the cell: an alias renames it, a task with labels says it is not one of them', async () => {
    const aliased = await loadDataset(export_('alias.csv', NAMED), openTopic('fail', { aliases: { [NAMED]: 'complaints' } }));
    expect(aliased.badRows).toBe(0);
    const fixed = await loadDataset(export_('fixed.csv', NAMED), openTopic('skip', { labels: ['card_arrival', 'Technical Support'] }));
    expect(fixed.skipped).toEqual([expect.stringContaining('label "Frau [NAME] [EMAIL]" is not in the topic taxonomy')]);
  });
});

describe('personalDataIn and the check of a load', () => {
  it('says what the masking finds, and finds nothing in labels that are plainly labels', () => {
    expect(personalDataIn(NAMED)).toEqual(['a name', 'an email address']);
    expect(personalDataIn('Rückruf +49 171 2345678')).toEqual(['a phone number']);
    for (const label of ['card_arrival', 'Technical Support', 'login_2fa', 'Kündigung', 'Steuerbescheinigung', 'High', 'other', 'Depotübertrag']) {
      expect(personalDataIn(label)).toEqual([]);
    }
  });

  it('answers each label alike, however often it is asked', () => {
    const check = createPersonalLabelCheck();
    expect([check(NAMED), check(NAMED), check('card_arrival'), check('card_arrival')]).toEqual(['a name and an email address', 'a name and an email address', undefined, undefined]);
    expect(check(`Herr Bartholomew Quimby, ${IBAN} und 0171 2345678`)).toBe('a name, an IBAN and a phone number');
  });
});
