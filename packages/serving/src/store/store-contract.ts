// The behaviour every PredictionStore shares (types.ts), as one vitest suite each store's tests run against
// their own store: SQLite here, DynamoDB in @mailroute/aws (through `@mailroute/serving/testing`).
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedbackRecord, PairWindow, PredictionRecord, PredictionStore } from './types.js';

/** A prediction record for store tests: one task, `queue`, predicted `payments`. */
export function predictionFixture(predictionId: string, emailId: string, createdAt: string): PredictionRecord {
  return {
    predictionId,
    emailId,
    modelId: 'test-model',
    createdAt,
    labels: { queue: 'payments' },
    confidences: { queue: 0.75 },
    abstained: { queue: false },
    queue: 'payments',
    latencyMs: 2,
  };
}

/**
 * Midnight (UTC) 30 days before the tests run: the records' times follow the clock, so that they stay inside the
 * stores' retention (400 days by default; a store drops or hides what is older) however long after this was written.
 */
const DAY_MS = 86_400_000;
const BASE_MS = Math.floor(Date.now() / DAY_MS) * DAY_MS - 30 * DAY_MS;

/** Hours after midnight of the base's <day>th day, as stored createdAt values are written (toISOString). */
const at = (day: number, hour: number) => new Date(BASE_MS + day * DAY_MS + hour * 3_600_000).toISOString();

/** The same instant as `iso` in another ISO form: on the clock of UTC+02:00. */
const atPlusTwo = (iso: string) => `${new Date(Date.parse(iso) + 7_200_000).toISOString().slice(0, -1)}+02:00`;

function feedback(emailId: string, queue: string, closedAt = at(10, 0)): FeedbackRecord {
  return { emailId, labels: { queue }, closedAt, receivedAt: closedAt };
}

/**
 * Runs the shared listPairs and feedback contract against the stores `open` makes: a fresh, empty store
 * for each test, closed after it.
 */
export function describePredictionStoreContract(name: string, open: () => PredictionStore | Promise<PredictionStore>): void {
  describe(`PredictionStore contract: ${name}`, () => {
    let store: PredictionStore | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });
    const fresh = async () => (store = await open());
    const ids = async (s: PredictionStore, window: PairWindow) => (await s.listPairs(window)).map((p) => p.prediction.predictionId);
    const days = { since: at(1, 0), until: at(4, 0) };

    it('lists the predictions of [since, until), newest first, each with its email’s feedback', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('before', 'e0', at(0, 23)), predictionFixture('first', 'e1', at(1, 0)), predictionFixture('second', 'e2', at(2, 9)), predictionFixture('at-until', 'e3', at(4, 0))]);
      await s.saveFeedback(feedback('e2', 'cards'));
      const pairs = await s.listPairs(days);
      expect(pairs.map((p) => p.prediction.predictionId)).toEqual(['second', 'first']);
      expect(pairs[0]).toEqual({ prediction: predictionFixture('second', 'e2', at(2, 9)), feedback: feedback('e2', 'cards') });
      expect(pairs[1].feedback).toBeUndefined();
      expect(await s.listPairs({ since: at(5, 0), until: at(6, 0) })).toEqual([]);
    });

    it('lists predictions without their stored text and attachment names, which getPrediction gives (bank and receivedAt kept in both)', async () => {
      const s = await fresh();
      const withText = { ...predictionFixture('with-text', 'e1', at(1, 0)), text: 'Bitte buchen Sie [AMOUNT] zurück.', bank: 'Comdirect', receivedAt: '2026-11-03T10:15:00+01:00', attachmentNames: ['Kontoauszug 11-2026.pdf', 'Vollmacht [NAME].pdf'] };
      await s.savePredictions([withText]);
      await s.saveFeedback(feedback('e1', 'cards'));
      const { text: _text, attachmentNames: _names, ...withoutText } = withText;
      for (const judgedOnly of [false, true]) expect(await s.listPairs({ ...days, judgedOnly })).toEqual([{ prediction: withoutText, feedback: feedback('e1', 'cards') }]);
      expect(await s.getPrediction('with-text')).toEqual(withText);
    });

    it('keeps the kind of an automated email in every read, and none for the others', async () => {
      const s = await fresh();
      const bounce = { ...predictionFixture('bounce', 'e1', at(1, 0)), queue: 'manual_triage', automated: 'delivery_failure' };
      await s.savePredictions([bounce, predictionFixture('person', 'e2', at(1, 1))]);
      await s.saveFeedback(feedback('e1', 'cards'));
      expect(await s.getPrediction('bounce')).toEqual(bounce);
      expect(await s.findPredictionByEmail('e1')).toEqual(bounce);
      for (const judgedOnly of [false, true]) expect((await s.listPairs({ ...days, judgedOnly })).find((p) => p.prediction.predictionId === 'bounce')?.prediction).toEqual(bounce);
      expect(await s.getPrediction('person')).not.toHaveProperty('automated');
    });

    it('without until, lists up to now: a prediction saved this moment, not one stamped ahead of the clock', async () => {
      const s = await fresh();
      const now = new Date().toISOString();
      const ahead = new Date(Date.now() + 2 * 3_600_000).toISOString();
      await s.savePredictions([predictionFixture('first', 'e1', at(1, 0)), predictionFixture('now', 'e2', now), predictionFixture('ahead', 'e3', ahead)]);
      expect(await ids(s, { since: days.since })).toEqual(['now', 'first']);
      expect(await ids(s, { since: days.since, until: new Date(Date.now() + 3 * 3_600_000).toISOString() })).toEqual(['ahead', 'now', 'first']);
    });

    it('refuses a window bound that is no timestamp with a StoreError naming it', async () => {
      const s = await fresh();
      await expect(s.listPairs({ since: 'yesterday' })).rejects.toThrow(/window's since is not a timestamp: "yesterday"/);
      await expect(s.listPairs({ since: days.since, until: '2026-13-45' })).rejects.toMatchObject({ name: 'StoreError', message: expect.stringContaining("window's until") });
    });

    it('takes window bounds in any ISO form as the instants they name', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('first', 'e1', at(1, 0)), predictionFixture('inside', 'e2', at(2, 9)), predictionFixture('at-until', 'e3', at(4, 0))]);
      // As text, "…T02:00:00.000+02:00" sorts after "…T00:00:00.000Z", and "…T00:00:00Z" after "…T00:00:00.000Z".
      expect(await ids(s, { since: atPlusTwo(days.since), until: days.until.replace('.000Z', 'Z') })).toEqual(['inside', 'first']);
      expect(await ids(s, { since: days.since, until: atPlusTwo(days.until) })).toEqual(['inside', 'first']);
    });

    it('in one millisecond, the greater id is the newer (ids are time-ordered), whatever order they were saved in', async () => {
      const s = await fresh();
      // Ids compare as text, by their bytes: "Q" before "p-a" before "p-b".
      await s.savePredictions(['p-b', 'Q', 'p-a'].map((id) => predictionFixture(id, 'e1', at(2, 9))));
      expect((await s.findPredictionByEmail('e1'))?.predictionId).toBe('p-b');
      expect(await ids(s, days)).toEqual(['p-b', 'p-a', 'Q']);
      expect(await ids(s, { ...days, limit: 2 })).toEqual(['p-b', 'p-a']);
    });

    it('refuses a batch that names an id twice, or one stored before, and stores none of it', async () => {
      const s = await fresh();
      await expect(s.savePredictions([predictionFixture('twice', 'e1', at(2, 9)), predictionFixture('twice', 'e2', at(2, 10))])).rejects.toMatchObject({ code: 'STORE_FAILED' });
      expect(await s.getPrediction('twice')).toBeUndefined();
      await s.savePredictions([predictionFixture('stored', 'e1', at(2, 9))]);
      await expect(s.savePredictions([predictionFixture('new', 'e2', at(2, 10)), predictionFixture('stored', 'e3', at(2, 11))])).rejects.toMatchObject({ code: 'STORE_FAILED' });
      expect(await ids(s, days)).toEqual(['stored']);
    });

    it('keeps the newest `limit` predictions of the window', async () => {
      const s = await fresh();
      await s.savePredictions([1, 2, 3].flatMap((day) => [predictionFixture(`a${day}`, `ea${day}`, at(day, 8)), predictionFixture(`b${day}`, `eb${day}`, at(day, 16))]));
      expect(await ids(s, { ...days, limit: 3 })).toEqual(['b3', 'a3', 'b2']);
      expect(await ids(s, { ...days, limit: 1 })).toEqual(['b3']);
    });

    it('judgedOnly: only the predictions with feedback, newest first; a limit keeps the newest judged ones however many unjudged are newer', async () => {
      const s = await fresh();
      await s.savePredictions([1, 2, 3].flatMap((day) => [4, 8, 12, 16].map((hour) => predictionFixture(`p${day}-${hour}`, `e${day}-${hour}`, at(day, hour)))));
      for (const email of ['e1-4', 'e1-12', 'e2-8', 'e3-4']) await s.saveFeedback(feedback(email, 'cards'));
      expect(await ids(s, { ...days, judgedOnly: true })).toEqual(['p3-4', 'p2-8', 'p1-12', 'p1-4']);
      expect(await ids(s, { ...days, judgedOnly: true, limit: 2 })).toEqual(['p3-4', 'p2-8']);
      expect(await ids(s, { ...days, judgedOnly: true, limit: 3 })).toEqual(['p3-4', 'p2-8', 'p1-12']);
      expect(await ids(s, { since: at(1, 6), until: at(2, 12), judgedOnly: true })).toEqual(['p2-8', 'p1-12']);
      const pairs = await s.listPairs({ ...days, judgedOnly: true });
      expect(pairs.every((p) => p.feedback?.emailId === p.prediction.emailId)).toBe(true);
    });

    it('joins feedback by email: each prediction of the email in the window carries it, judged or not', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('old', 'e1', at(1, 9)), predictionFixture('other', 'e2', at(2, 9)), predictionFixture('again', 'e1', at(3, 9))]);
      await s.saveFeedback({ ...feedback('e1', 'loans'), predictionId: 'again' });
      expect(await ids(s, { ...days, judgedOnly: true })).toEqual(['again', 'old']);
      const pairs = await s.listPairs(days);
      expect(pairs.map((p) => p.feedback?.labels.queue)).toEqual(['loans', undefined, 'loans']);
    });

    it('a later correction of a task replaces its label in every pair; an older one is superseded', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('p', 'e1', at(2, 9))]);
      expect(await s.saveFeedback(feedback('e1', 'cards', at(5, 0)))).not.toBe('superseded');
      expect(await s.saveFeedback(feedback('e1', 'loans', at(6, 0)))).not.toBe('superseded');
      expect(await s.saveFeedback(feedback('e1', 'stale', at(4, 0)))).toBe('superseded');
      const [judged] = await s.listPairs({ ...days, judgedOnly: true });
      expect(judged.feedback?.labels.queue).toBe('loans');
      expect((await s.listPairs(days))[0].feedback?.labels.queue).toBe('loans');
    });

    it('merges per task: a later feedback sets the tasks it names and keeps the stored labels of the others', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('p', 'e1', at(2, 9))]);
      const first = { emailId: 'e1', predictionId: 'p', labels: { business_area: 'savings', queue: 'payments', topic: 'sparplan' }, closedAt: at(3, 8), receivedAt: at(3, 9) };
      expect(await s.saveFeedback(first)).not.toBe('superseded');
      const queueOnly = { emailId: 'e1', predictionId: 'p', labels: { queue: 'advisory' }, closedAt: at(3, 10), receivedAt: at(3, 11) };
      expect(await s.saveFeedback(queueOnly)).not.toBe('superseded');
      const merged = { ...queueOnly, labels: { business_area: 'savings', queue: 'advisory', topic: 'sparplan' } };
      expect((await s.listPairs(days))[0].feedback).toEqual(merged);
      expect((await s.listPairs({ ...days, judgedOnly: true }))[0].feedback).toEqual(merged);
      // The same closedAt counts as later (a CRM sending its case again): it merges too.
      expect(await s.saveFeedback({ ...queueOnly, labels: { topic: 'depot' } })).not.toBe('superseded');
      expect((await s.listPairs(days))[0].feedback?.labels).toEqual({ business_area: 'savings', queue: 'advisory', topic: 'depot' });
    });

    it('two feedbacks of one email sent together, the earlier first, are both recorded, not the earlier superseded by the later', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('p', 'e1', at(2, 9))]);
      const [earlier, later] = await Promise.all([
        s.saveFeedback({ emailId: 'e1', labels: { queue: 'advisory' }, closedAt: at(3, 8), receivedAt: at(3, 8) }),
        s.saveFeedback({ emailId: 'e1', labels: { topic: 'sparplan' }, closedAt: at(3, 10), receivedAt: at(3, 10) }),
      ]);
      // Its label was stored: the later one merged onto it.
      expect([earlier, later]).not.toContain('superseded');
      expect((await s.listPairs(days))[0].feedback?.labels).toEqual({ queue: 'advisory', topic: 'sparplan' });
    });

    it('an older partial feedback (out-of-order delivery) is superseded and changes no task', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('p', 'e1', at(2, 9))]);
      const newer = { emailId: 'e1', predictionId: 'p', labels: { queue: 'advisory', topic: 'sparplan' }, closedAt: at(3, 10), receivedAt: at(3, 11) };
      await s.saveFeedback(newer);
      expect(await s.saveFeedback({ emailId: 'e1', labels: { queue: 'stale', business_area: 'stale' }, closedAt: at(3, 8), receivedAt: at(3, 12) })).toBe('superseded');
      expect((await s.listPairs(days))[0].feedback).toEqual(newer);
    });

    it('clearTasks: a later correction removes the stored labels of those tasks and names those it removed; an older one is superseded and clears nothing', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('p', 'e1', at(2, 9))]);
      const stored = async () => (await s.listPairs(days)).find((pair) => pair.prediction.predictionId === 'p')?.feedback;
      await s.saveFeedback({ emailId: 'e1', predictionId: 'p', labels: { queue: 'advisory', topic: 'tagesgeld_zinsen' }, closedAt: at(3, 10), receivedAt: at(3, 10) });
      // Out of order: an older correction clears nothing.
      expect(await s.saveFeedback({ emailId: 'e1', predictionId: 'p', labels: {}, clearTasks: ['topic'], closedAt: at(3, 8), receivedAt: at(3, 11) })).toEqual({ outcome: 'superseded', cleared: [] });
      expect((await stored())?.labels).toEqual({ queue: 'advisory', topic: 'tagesgeld_zinsen' });
      // A later one removes the task's label (a task it clears that held none is not named); its times become the feedback's.
      const clearing = { emailId: 'e1', predictionId: 'p', labels: {}, closedAt: at(3, 12), receivedAt: at(3, 12) };
      expect(await s.saveFeedback({ ...clearing, clearTasks: ['topic', 'business_area'] })).toEqual({ outcome: 'recorded', cleared: ['topic'] });
      expect(await stored()).toEqual({ ...clearing, labels: { queue: 'advisory' } });
      expect((await s.listPairs({ ...days, judgedOnly: true }))[0].feedback).toEqual({ ...clearing, labels: { queue: 'advisory' } });
      // The cleared label is not brought back by a delivery of the feedback it cleared, which closed earlier.
      expect(await s.saveFeedback({ emailId: 'e1', predictionId: 'p', labels: { topic: 'tagesgeld_zinsen' }, closedAt: at(3, 10), receivedAt: at(3, 13) })).toBe('superseded');
      // Nothing left to clear and nothing to set: nothing written (the stored closedAt stays), and no feedback made for an email without one.
      expect(await s.saveFeedback({ ...clearing, closedAt: at(3, 14), clearTasks: ['topic'] })).toEqual({ outcome: 'unchanged', cleared: [] });
      expect(await stored()).toEqual({ ...clearing, labels: { queue: 'advisory' } });
      expect(await s.saveFeedback({ ...clearing, emailId: 'e2', clearTasks: ['topic'] })).toEqual({ outcome: 'unchanged', cleared: [] });
      await s.savePredictions([predictionFixture('p2', 'e2', at(2, 10))]);
      expect((await s.listPairs(days)).find((pair) => pair.prediction.predictionId === 'p2')?.feedback).toBeUndefined();
      // The last label cleared leaves the email's feedback with none: its closedAt still orders later corrections.
      expect(await s.saveFeedback({ ...clearing, closedAt: at(3, 15), clearTasks: ['queue'] })).toEqual({ outcome: 'recorded', cleared: ['queue'] });
      expect((await stored())?.labels).toEqual({});
      expect(await s.saveFeedback({ emailId: 'e1', labels: { queue: 'stale' }, closedAt: at(3, 14), receivedAt: at(3, 16) })).toBe('superseded');
    });

    it('clearTasks beside labels: the labels are set, the other tasks cleared (a task it sets is not); on the first feedback of an email nothing is cleared', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('p', 'e1', at(2, 9))]);
      const first = { emailId: 'e1', predictionId: 'p', labels: { queue: 'advisory' }, closedAt: at(3, 10), receivedAt: at(3, 10), clearTasks: ['topic'] };
      expect(await s.saveFeedback(first)).toEqual({ outcome: 'recorded', cleared: [] });
      await s.saveFeedback({ emailId: 'e1', predictionId: 'p', labels: { business_area: 'savings', topic: 'sparplan' }, closedAt: at(3, 11), receivedAt: at(3, 11) });
      const mixed = { emailId: 'e1', predictionId: 'p', labels: { queue: 'payments', topic: 'depot' }, closedAt: at(3, 12), receivedAt: at(3, 12) };
      expect(await s.saveFeedback({ ...mixed, clearTasks: ['business_area', 'topic'] })).toEqual({ outcome: 'recorded', cleared: ['business_area'] });
      expect((await s.listPairs(days))[0].feedback).toEqual({ ...mixed, labels: { queue: 'payments', topic: 'depot' } });
    });

    it('keeps the prediction a feedback names, an older one of its email, on every pair of the email, one saved after it too', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('first', 'e1', at(1, 9)), predictionFixture('edited', 'e1', at(2, 9))]);
      await s.saveFeedback({ ...feedback('e1', 'loans'), predictionId: 'first' });
      await s.savePredictions([predictionFixture('again', 'e1', at(3, 9))]);
      // The email's newest is another: the feedback still says which one the person saw (live quality scores that one).
      expect((await s.findPredictionByEmail('e1'))?.predictionId).toBe('again');
      const pairs = await s.listPairs(days);
      expect(pairs.map((p) => [p.prediction.predictionId, p.feedback?.predictionId])).toEqual([
        ['again', 'first'],
        ['edited', 'first'],
        ['first', 'first'],
      ]);
      expect((await s.listPairs({ ...days, judgedOnly: true })).find((p) => p.prediction.predictionId === 'first')?.feedback?.predictionId).toBe('first');
    });

    it('keeps the API key id of the later feedback, none when it was sent without one, in every read', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('p', 'e1', at(2, 9)), predictionFixture('p2', 'e2', at(2, 10))]);
      const crm = { ...feedback('e1', 'cards', at(3, 0)), keyId: 'crm' };
      expect(await s.saveFeedback(crm)).toBe('recorded');
      await s.saveFeedback(feedback('e2', 'loans', at(3, 0)));
      for (const judgedOnly of [false, true]) {
        const pairs = await s.listPairs({ ...days, judgedOnly });
        expect(pairs.map((p) => p.feedback)).toEqual([feedback('e2', 'loans', at(3, 0)), crm]);
        expect(pairs[0].feedback).not.toHaveProperty('keyId');
      }
      // The same key again: nothing replaced. Without a key: its feedback has none.
      expect(await s.saveFeedback({ ...feedback('e1', 'loans', at(3, 1)), keyId: 'crm' })).toBe('recorded');
      await s.saveFeedback({ emailId: 'e1', labels: { topic: 'rates' }, closedAt: at(3, 2), receivedAt: at(3, 2) });
      expect((await s.listPairs(days)).find((p) => p.prediction.predictionId === 'p')?.feedback).toEqual({ emailId: 'e1', labels: { queue: 'loans', topic: 'rates' }, closedAt: at(3, 2), receivedAt: at(3, 2) });
    });

    it('says which feedback of another key a later one replaced: its key and labels before the write; not when superseded, nor one of no key', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('p', 'e1', at(2, 9))]);
      await s.saveFeedback({ emailId: 'e1', predictionId: 'p', labels: { queue: 'tax_documents', topic: 'freistellung' }, closedAt: at(3, 0), receivedAt: at(3, 0), keyId: 'crm' });
      // Older: superseded, nothing replaced.
      expect(await s.saveFeedback({ emailId: 'e1', labels: { queue: 'complaints' }, closedAt: at(2, 23), receivedAt: at(3, 1), keyId: 'other' })).toBe('superseded');
      const attack = { emailId: 'e1', predictionId: 'p', labels: { queue: 'complaints' }, closedAt: at(3, 5), receivedAt: at(3, 5), keyId: 'other' };
      expect(await s.saveFeedback(attack)).toEqual({ outcome: 'recorded', cleared: [], replaced: { keyId: 'crm', labels: { queue: 'tax_documents', topic: 'freistellung' } } });
      expect((await s.listPairs(days))[0].feedback).toEqual({ ...attack, labels: { queue: 'complaints', topic: 'freistellung' } });
      // With clearTasks: cleared and replaced alike.
      expect(await s.saveFeedback({ emailId: 'e1', labels: {}, clearTasks: ['topic'], closedAt: at(3, 6), receivedAt: at(3, 6), keyId: 'crm' })).toEqual({
        outcome: 'recorded',
        cleared: ['topic'],
        replaced: { keyId: 'other', labels: { queue: 'complaints', topic: 'freistellung' } },
      });
      // Sent without a key, over a key's: replaced; a key's over one of no key: the key that recorded it is not known.
      expect(await s.saveFeedback({ emailId: 'e1', labels: { queue: 'cards' }, closedAt: at(3, 7), receivedAt: at(3, 7) })).toEqual({ outcome: 'recorded', cleared: [], replaced: { keyId: 'crm', labels: { queue: 'complaints' } } });
      expect(await s.saveFeedback({ emailId: 'e1', labels: { queue: 'loans' }, closedAt: at(3, 8), receivedAt: at(3, 8), keyId: 'crm' })).toBe('recorded');
    });

    it('the prediction id is the later feedback’s: named, or none when it names none', async () => {
      const s = await fresh();
      await s.savePredictions([predictionFixture('old', 'e1', at(1, 9)), predictionFixture('again', 'e1', at(3, 9))]);
      await s.saveFeedback({ emailId: 'e1', predictionId: 'old', labels: { queue: 'loans', topic: 'rates' }, closedAt: at(3, 10), receivedAt: at(3, 10) });
      await s.saveFeedback({ emailId: 'e1', predictionId: 'again', labels: { queue: 'cards' }, closedAt: at(3, 11), receivedAt: at(3, 11) });
      expect((await s.listPairs(days))[0].feedback).toMatchObject({ predictionId: 'again', labels: { queue: 'cards', topic: 'rates' } });
      await s.saveFeedback({ emailId: 'e1', labels: { topic: 'fees' }, closedAt: at(3, 12), receivedAt: at(3, 12) });
      const [pair] = await s.listPairs(days);
      expect(pair.feedback?.predictionId).toBeUndefined();
      expect(pair.feedback?.labels).toEqual({ queue: 'cards', topic: 'fees' });
    });
  });
}
