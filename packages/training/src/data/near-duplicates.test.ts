import { describe, expect, it } from 'vitest';
import { countNearDuplicates, nearDuplicateWarning } from './near-duplicates.js';

const template = (name: string, amount: string) => `Sehr geehrte Damen und Herren, bitte ändern Sie meinen Freistellungsauftrag auf ${amount} Euro ab dem nächsten Jahr. Vielen Dank und freundliche Grüße ${name}`;

describe('countNearDuplicates', () => {
  it('counts a test text as near when 60% of its word 5-grams are in the training texts, however its names and amounts differ', () => {
    const training = [template('Anna Schmidt', '1000'), 'Ich komme seit gestern nicht mehr in die App, die Anmeldung mit dem zweiten Faktor schlägt jedes Mal fehl.'];
    const test = [
      template('Mehmet Kaya', '801'), // names and amount changed at the end: most 5-grams shared
      'Mein Depotübertrag zur anderen Bank dauert jetzt schon sechs Wochen, bitte sagen Sie mir, wann er fertig ist.', // worded anew
      'Login geht nicht.', // too short to judge
    ];
    expect(countNearDuplicates(training, test)).toEqual({ judged: 2, near: 1 });
  });

  it('reads words in lower case, punctuation and spacing aside', () => {
    const text = 'Bitte senden Sie mir die Jahressteuerbescheinigung für das Jahr 2025 an meine neue Adresse, danke.';
    expect(countNearDuplicates([text], [text.toUpperCase().replaceAll(' ', '  ').replaceAll(',', ' ;')])).toEqual({ judged: 1, near: 1 });
    expect(countNearDuplicates([], [text])).toEqual({ judged: 1, near: 0 });
  });
});

describe('nearDuplicateWarning', () => {
  it('warns when half or more of 20 judged test rows are near, naming the share and what to do', () => {
    expect(nearDuplicateWarning({ judged: 799, near: 425 })).toMatch(/^425 of the 799 test rows long enough to judge \(53.2%\) share 60% or more of their word 5-grams with training rows .*split kind "time".*--test-data/);
    expect(nearDuplicateWarning({ judged: 100, near: 49 })).toBeUndefined();
    expect(nearDuplicateWarning({ judged: 19, near: 19 })).toBeUndefined();
  });

  it('advises what the run does not do yet: no time split to a run that splits by time, no test file to one tested on a file', () => {
    const count = { judged: 799, near: 425 };
    expect(nearDuplicateWarning(count, { kind: 'stratified' })).toBe(nearDuplicateWarning(count));
    const timed = nearDuplicateWarning(count, { kind: 'time' });
    expect(timed).toMatch(/mail worded anew; its test rows are already later mail \(split kind "time"\), so this wording recurs over time in this data: measure it on a file of its own \(--test-data\)/);
    expect(timed).not.toMatch(/measure it on later mail/);
    const file = nearDuplicateWarning(count, { kind: 'time', testFile: true });
    expect(file).toMatch(/mail worded anew; the test file \(--test-data\) repeats the wording of the training rows: measure it on a file of mail written apart from them$/);
  });
});
