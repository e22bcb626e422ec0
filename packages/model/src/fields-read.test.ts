import { describe, expect, it } from 'vitest';
import { asRead, fieldsRead, modelTextReader } from './fields-read.js';
import { prepareModelInput } from './model-input.js';

const email = { subject: 'AW: Steuerbescheinigung fehlt', body: 'Bitte senden Sie mir die Steuerbescheinigung.\n\nViele Grüße\nAnna Schmidt', bank: 'Rheinau Wertpapierbank' };

describe('fields read by a model', () => {
  it('leaves out the fields its training config named no column for; all of them for a manifest without a config', () => {
    const bodyOnly = { trainingConfig: { columns: { body: 'text' } } };
    expect(fieldsRead(bodyOnly)).toEqual(new Set());
    expect(asRead(email, fieldsRead(bodyOnly))).toEqual({ body: email.body });
    expect(fieldsRead({})).toBeUndefined();
    expect(asRead(email, undefined)).toBe(email);
  });

  it('modelTextReader gives the text the model reads: cleaned, and without a subject it never read', () => {
    expect(modelTextReader({ trainingConfig: { columns: { subject: 'subject', body: 'body' } } })(email)).toBe('Steuerbescheinigung fehlt\nBitte senden Sie mir die Steuerbescheinigung.');
    expect(modelTextReader({ trainingConfig: { columns: { body: 'body' } } })(email)).toBe('Bitte senden Sie mir die Steuerbescheinigung.');
    expect(modelTextReader({})(email)).toBe(prepareModelInput(email).text);
  });
});
