import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/dataset.js';
import { TAXONOMY_CHANGE, TOPICS } from './catalog.js';
import { loadDemoConfig } from './demo-config.js';
import { DEMO_DEFAULT_SEED, demoId, demoRowsToCsv, generateDemoRecords, generateDemoRows, writeDemoData } from './generate.js';
import { ibanIsValid, inventCardNumber, inventIban, luhnIsValid } from './noise.js';
import { MISFILED_RATE, neighbourQueues, UNSAID_RATE } from './queue-noise.js';
import { QUEUE_TEXTS, queueTextsOf } from './queue-texts.js';
import { TEXTS_DE } from './texts-de.js';
import { TEXTS_EN } from './texts-en.js';
import { RELATED_TOPICS, TOPIC_NOISE_RATES, VAGUE_QUEUE, VAGUE_TEXTS } from './topic-noise.js';
import { createRandom } from '../random.js';

describe('demo data', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = demoRowsToCsv(generateDemoRows({ rows: 300, seed: 1 }));
    expect(demoRowsToCsv(generateDemoRows({ rows: 300, seed: 1 }))).toBe(a);
    expect(demoRowsToCsv(generateDemoRows({ rows: 300, seed: 2 }))).not.toBe(a);
  });

  it('gives each seed ids of its own, and the default seed the ids it always had', () => {
    const ids = (seed?: number) => generateDemoRows({ rows: 3, ...(seed === undefined ? {} : { seed }) }).map((r) => r.id);
    expect(ids()).toEqual(['demo-000001', 'demo-000002', 'demo-000003']);
    expect(ids(DEMO_DEFAULT_SEED)).toEqual(ids());
    expect(ids(7)).toEqual(['demo-s7-000001', 'demo-s7-000002', 'demo-s7-000003']);
    expect(ids(0)[0]).toBe('demo-s0-000001');
    expect(demoId(3999)).toBe('demo-004000');
  });

  it('writes invented IBANs that pass mod-97 and card numbers that pass Luhn', () => {
    const random = createRandom(3);
    for (let i = 0; i < 200; i++) {
      expect(ibanIsValid(inventIban(random))).toBe(true);
      expect(luhnIsValid(inventCardNumber(random))).toBe(true);
    }
    expect(ibanIsValid('DE00 1234 5678 9012 3456 78')).toBe(false);
    const text = generateDemoRows({ rows: 2000 }).map((r) => r.body + r.html).join('\n');
    const ibans = text.match(/DE\d{2}(?: \d{4}){4} \d{2}/g) ?? [];
    expect(ibans.length).toBeGreaterThan(50);
    expect(ibans.every(ibanIsValid)).toBe(true);
  });

  it('writes no number that could be a real person\'s: card numbers published for tests, phone numbers set aside for fiction', () => {
    const text = generateDemoRows({ rows: 2000 }).map((r) => r.body + r.html).join('\n');
    const cards = [...text.matchAll(/(?:Kartennummer ist|card number is) (\d{4} \d{4} \d{4} \d{4})/g)].map((m) => m[1]);
    expect(cards.length).toBeGreaterThan(20);
    const testCards = new Set(['4111 1111 1111 1111', '4012 8888 8888 1881', '4242 4242 4242 4242', '5555 5555 5555 4444', '5105 1051 0510 5100', '4000 0566 5566 5556']);
    expect(cards.filter((c) => !testCards.has(c))).toEqual([]);
    const phones = text.match(/\+49 [\d ]+\d/g) ?? [];
    expect(phones.length).toBeGreaterThan(100);
    expect(phones.filter((p) => !/^\+49 (?:30 23125|69 90009|40 66969|221 4710|89 99998) \d{3}$/.test(p))).toEqual([]);
  });

  it('has the noise of real mail: quotes in both languages, HTML, old label names, missing labels', () => {
    const rows = generateDemoRows({ rows: 3000 });
    const bodies = rows.map((r) => r.body);
    expect(bodies.some((b) => /\nAm \d\d\.\d\d\.\d{4} um \d\d:\d\d schrieb .*:\n>/.test(b))).toBe(true);
    expect(bodies.some((b) => /\nOn \w{3}, \d+ \w{3} \d{4} at \d\d:\d\d, .* wrote:\n>/.test(b))).toBe(true);
    const html = rows.filter((r) => r.html !== '');
    expect(html.length / rows.length).toBeGreaterThan(0.08);
    expect(html.every((r) => r.body === '' && r.html.includes('<p>'))).toBe(true);
    expect(rows.some((r) => r.queue === 'kyc')).toBe(true);
    expect(rows.some((r) => r.topic === '')).toBe(true);
    const de = rows.filter((r) => r.language === 'de').length / rows.length;
    expect(de).toBeGreaterThan(0.5);
    expect(de).toBeLessThan(0.7);
  });

  it('keeps labels consistent: a topic implies its queue mostly', () => {
    const records = generateDemoRecords({ rows: 4000 });
    for (const spec of TOPICS) {
      // Only mail after the taxonomy change carries today's label names; vague and misfiled mail has a queue of its own.
      const mine = records
        .filter((r) => r.topic === spec.topic && r.topicNoise.kind !== 'vague' && !r.misfiled && Date.parse(r.row.receivedAt) >= TAXONOMY_CHANGE)
        .map((r) => r.row);
      expect(mine.length, spec.topic).toBeGreaterThan(10);
      const main = spec.queues[0][0];
      const share = mine.filter((r) => r.queue === main).length / Math.max(1, mine.length);
      expect(share, spec.topic).toBeGreaterThan(spec.queues[0][1] - 0.15);
    }
  });

  it('says in the text why mail goes to a topic\'s other queue, and misfiles a few', () => {
    const records = generateDemoRecords({ rows: 4000 });
    // A subject template as a pattern: its slots match anything.
    const pattern = (template: string) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '.+')}$`);
    const subjectOf = (subject: string, templates: readonly string[]) => templates.some((t) => pattern(t).test(subject.replace(/^(?:AW|Re): /, '')));
    let otherQueue = 0;
    let unsaid = 0;
    for (const { row, topic, topicNoise, textQueue, misfiled, queueSaid } of records) {
      const spec = TOPICS.find((t) => t.topic === topic);
      if (!spec || topicNoise.kind === 'vague' || row.subject === '' || Date.parse(row.receivedAt) < TAXONOMY_CHANGE) continue;
      const main = spec.queues[0][0];
      if (misfiled) {
        expect(row.queue, row.id).not.toBe(textQueue);
        expect(neighbourQueues(spec.queues.map(([q]) => q), textQueue), row.id).toContain(row.queue);
        continue;
      }
      expect(row.queue, row.id).toBe(textQueue);
      const lang = row.language;
      if (!queueSaid) {
        // The usual queue's mail, and some of the others' whose text does not say why: they read as the topic's.
        if (row.queue !== main) unsaid++;
        expect(subjectOf(row.subject, (lang === 'de' ? TEXTS_DE : TEXTS_EN)[topic].s), `${row.id}: ${row.subject}`).toBe(true);
      } else {
        otherQueue++;
        const texts = queueTextsOf(lang, topic, row.queue);
        expect(texts, `${row.id}: ${topic} -> ${row.queue}`).toBeDefined();
        expect(subjectOf(row.subject, texts?.s ?? []), `${row.id}: ${row.subject}`).toBe(true);
      }
    }
    expect(otherQueue).toBeGreaterThan(150);
    // Within 3.5 standard errors of UNSAID_RATE (a fixed seed: never flaky).
    const share = unsaid / (unsaid + otherQueue);
    expect(Math.abs(share - UNSAID_RATE)).toBeLessThan(3.5 * Math.sqrt((UNSAID_RATE * (1 - UNSAID_RATE)) / (unsaid + otherQueue)));
    // The default seed's 4,000 rows misfile 1.4%, 2.7 standard errors below the 2% rate by chance: the rate is checked
    // over other seeds' 12,000 rows.
    const pooled = [1, 2, 3].flatMap((seed) => generateDemoRecords({ rows: 4000, seed }));
    const misfiled = pooled.filter((r) => r.misfiled).length / pooled.length;
    expect(Math.abs(misfiled - MISFILED_RATE)).toBeLessThan(3.5 * Math.sqrt((MISFILED_RATE * (1 - MISFILED_RATE)) / pooled.length));
  });

  it('has texts of every other queue of every topic, in both languages, and none of a topic\'s usual queue', () => {
    for (const spec of TOPICS) {
      const [main, ...others] = spec.queues.map(([q]) => q);
      for (const lang of ['de', 'en'] as const) {
        expect(queueTextsOf(lang, spec.topic, main), `${lang} ${spec.topic}`).toBeUndefined();
        for (const queue of others) {
          const texts = queueTextsOf(lang, spec.topic, queue);
          expect(texts?.s.length, `${lang} ${spec.topic} -> ${queue}`).toBeGreaterThan(0);
          expect(texts?.b.length, `${lang} ${spec.topic} -> ${queue}`).toBeGreaterThan(1);
        }
      }
    }
  });

  it('does not write every topic in its email: vague mail, two topics, a related topic picked by the agent', () => {
    const records = generateDemoRecords({ rows: 4000 });
    const share = (kind: string) => records.filter((r) => r.topicNoise.kind === kind).length / records.length;
    // Each within 3.5 standard errors of its rate over these 4,000 draws (a fixed seed: never flaky), so a rate
    // halved or left out fails.
    const near = (kind: string, rate: number) => expect(Math.abs(share(kind) - rate), kind).toBeLessThan(3.5 * Math.sqrt((rate * (1 - rate)) / records.length));
    near('vague', TOPIC_NOISE_RATES.vague);
    near('two_topics', TOPIC_NOISE_RATES.twoTopics);
    near('mislabelled', TOPIC_NOISE_RATES.mislabelled);
    expect(share('none')).toBeGreaterThan(0.8);
    // An email says a sentence when it has that share of the sentence's words (typos change some; vague
    // mail, whose topic sentences are all gone, shares a word or two with some by chance).
    const words = (text: string) => text.toLowerCase().replace(/\{\w+\}/g, ' ').match(/\p{L}{4,}/gu) ?? [];
    const says = (text: string, sentences: readonly string[], share = 0.5) => {
      const have = new Set(words(text));
      return sentences.some((b) => {
        const own = [...new Set(words(b))];
        return own.filter((w) => have.has(w)).length >= share * own.length;
      });
    };
    let firstChosen = 0;
    let secondChosen = 0;
    for (const { row, topic, topicNoise } of records) {
      if (row.topic === '' || Date.parse(row.receivedAt) < TAXONOMY_CHANGE) continue; // no label, or an old name
      const text = `${row.subject}\n${row.body}${row.html}`;
      // A topic's sentences: its own, and those of mail about it to another queue.
      const texts = (t: string) => [...(row.language === 'de' ? TEXTS_DE : TEXTS_EN)[t].b, ...Object.values(QUEUE_TEXTS[row.language][t] ?? {}).flatMap((q) => q.b)];
      if (topicNoise.kind === 'vague') {
        expect(says(text, VAGUE_TEXTS[row.language].b), row.id).toBe(true);
        expect(says(text, texts(topic), 0.8), row.id).toBe(false);
        expect(row.topic).toBe(topic);
        expect(row.queue).toBe(VAGUE_QUEUE);
      } else if (topicNoise.kind === 'two_topics') {
        expect(says(text, texts(topic)) && says(text, texts(topicNoise.second)), row.id).toBe(true);
        expect([topic, topicNoise.second]).toContain(row.topic);
        if (row.topic === topic) firstChosen++;
        else secondChosen++;
      } else if (topicNoise.kind === 'mislabelled') {
        expect(says(text, texts(topic)), row.id).toBe(true);
        expect(RELATED_TOPICS[topic]).toContain(row.topic);
      } else {
        expect(row.topic).toBe(topic);
      }
    }
    // The agent labels a two-topic email with either topic, the first more often.
    expect(secondChosen).toBeGreaterThan(30);
    expect(firstChosen).toBeGreaterThan(secondChosen);
  });

  it('draws the topic noise from its own stream: without it, the rows are the same but for the topic and its words', () => {
    const noisy = generateDemoRecords({ rows: 2000, seed: 5 });
    const clean = generateDemoRows({ rows: 2000, seed: 5, topicNoise: false });
    expect(noisy.filter((r) => r.topicNoise.kind !== 'none').length).toBeGreaterThan(150);
    noisy.forEach(({ row, topicNoise }, i) => {
      const other = clean[i];
      if (topicNoise.kind === 'none') expect(row).toEqual(other);
      const { subject: _s, body: _b, html: _h, topic: _t, queue, ...rest } = row;
      const { subject: _s2, body: _b2, html: _h2, topic: _t2, queue: queue2, ...rest2 } = other;
      expect(rest).toEqual(rest2);
      if (topicNoise.kind !== 'vague') expect(queue).toBe(queue2);
    });
  });

  it('generates several thousand rows that load with the demo config', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-demo-')), 'demo.csv');
    const n = await writeDemoData(file, { rows: 4000 });
    const ds = await loadDataset(file, await loadDemoConfig());
    expect(ds.skipped).toEqual([]);
    expect(ds.rows.length + ds.unlabelled).toBe(n);
    const queue = ds.taxonomy.find((t) => t.task === 'queue');
    expect(queue?.labels).toHaveLength(9);
    expect(queue?.renamed['kyc -> onboarding_kyc']).toBeGreaterThan(0);
    const topic = ds.taxonomy.find((t) => t.task === 'topic');
    expect(topic?.retired).toBeGreaterThan(0);
    expect(topic?.labels).toContain('login_2fa');
    expect(topic?.labels).not.toContain('2fa');
  });
});
