import { describe, expect, it } from 'vitest';
import { blockKey, hashStep, hashStepKey, hashString } from './hash.js';
import { featurizeCounted, featurizeHashed, featurizeHashedBag, featurizeHashedBags, HashedNgramsParamsSchema, poolingWeight, readsText, weighCountedBag, wordTokens } from './hashed-ngrams.js';
import { tokenSpans } from './token-spans.js';

describe('hashString', () => {
  it('is stable across releases (values are part of every trained model)', () => {
    expect(hashString('', 0)).toBe(0);
    // Pinned values: changing the hash would silently break every artifact.
    expect([hashString('freistellungsauftrag', 1), hashString('über', 2)]).toEqual([PINNED[0], PINNED[1]]);
  });
  it('depends on seed, order and every code unit', () => {
    expect(hashString('ab', 1)).not.toBe(hashString('ba', 1));
    expect(hashString('ab', 1)).not.toBe(hashString('ab', 2));
    expect(hashString('über', 0)).not.toBe(hashString('uber', 0));
  });
});

const PINNED = [3106324050, 258391720];

describe('hashStepKey', () => {
  it('is hashStep split in two: the block half computed once, the state half per step', () => {
    for (const [state, block] of [[0, 0], [0x5eed0002, 32], [-123456789, 0xfc], [2 ** 31 - 1, 0xd83d], [7, 2 ** 32 - 1]]) {
      expect(hashStepKey(state, blockKey(block))).toBe(hashStep(state, block));
    }
  });
});

describe('tokenSpans', () => {
  it('finds the tokens the Unicode regex finds, surrogate pairs and lone surrogates included', () => {
    const texts = [
      '', '   ', 'abc', 'Grüße, Straße! Depotübertrag 2026 – OK?', 'İstanbul ǅ Ⅻ ½ ² ٣٤ 中文 かな', 'emoji 😀 𝒜𝒷𝒸 𐐀𐐨x ok',
      'lone \ud800 a\udc00b \ud800', 'a\u0301b-c_d.e', 'x'.repeat(3000) + ' y',
    ].map((t) => t.toLowerCase());
    for (const text of texts) {
      const { spans, count } = tokenSpans(text);
      const found = Array.from({ length: count }, (_, t) => text.slice(spans[2 * t], spans[2 * t + 1]));
      expect(found).toEqual(text.match(/[\p{L}\p{N}]+/gu) ?? []);
    }
  });
});

describe('featurizeHashed', () => {
  it('tokenises Unicode words in lower case and keeps umlauts and ß', () => {
    expect(wordTokens('Grüße, Straße! Depotübertrag 2026 – OK?')).toEqual(['grüße', 'straße', 'depotübertrag', '2026', 'ok']);
  });

  it('emits word uni- and bigrams, char n-grams within word boundaries and meta tokens', () => {
    const only = (over: object) => HashedNgramsParamsSchema.parse({ ...over });
    // "ab cd": 2 unigrams + 1 bigram.
    expect(featurizeHashed('ab cd', [], only({ charNgrams: [0, 0] })).length).toBe(3);
    // " ab " has 4 units: n-grams of length 2..5: 3 + 2 + 1 = 6 per word, no word features.
    expect(featurizeHashed('ab cd', [], only({ wordNgrams: 0 })).length).toBe(12);
    expect(featurizeHashed('ab', ['bank=x', 'lang=de'], only({ wordNgrams: 0, charNgrams: [0, 0] })).length).toBe(2);
  });

  it('gives the ids it always gave (they are part of every trained model)', () => {
    const p = HashedNgramsParamsSchema.parse({ buckets: 4096, wordNgrams: 2, charNgrams: [3, 4] });
    // Pinned from the featurizer before it hashed in place: words, bigrams, char n-grams, meta.
    expect(Array.from(featurizeHashed('Grüße: Depot 2026!', ['lang=de'], p))).toEqual([
      3875, 3069, 1417, 2036, 1421, 1667, 3581, 1958, 450, 1754, 0, 3163, 1429, 1008, 1236, 2008, 484, 3534, 1880, 1681, 895, 460, 523, 1536, 105, 2852, 212,
      962, 3352, 1964, 802,
    ]);
  });

  it('gives each token its word hash and the char n-grams of its padded string, whichever tokens came before it (cached ones, ones sharing its cache slot) and with whichever params', () => {
    const SEED_CHAR = 0x5eed0002;
    const reference = (text: string, buckets: number, cmin: number, cmax: number) =>
      wordTokens(text).flatMap((word) => {
        const padded = ` ${word} `;
        const ids: number[] = [];
        for (let i = 0; i + cmin <= padded.length; i++) {
          for (let size = cmin; size <= cmax && i + size <= padded.length; size++) ids.push(hashString(padded.slice(i, i + size), SEED_CHAR) % buckets);
        }
        return ids;
      });
    // 5,000 words in the cache's 16,384 slots: hundreds of slots are shared, each word pushing the other out.
    const words = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
    const text = `${words.join(' ')} Ära ab ${words.slice(0, 50).join(' ')} ${'x'.repeat(40)} ab ${words.join(' ')}`;
    for (const [buckets, cmin, cmax] of [[4096, 3, 5], [4096, 2, 4], [1000, 3, 5], [4096, 3, 5], [4096, 1, 8]]) {
      const params = HashedNgramsParamsSchema.parse({ buckets, wordNgrams: 1, charNgrams: [cmin, cmax], maxChars: text.length });
      const wordIds = wordTokens(text).map((word) => hashString(word, 0x5eed0001) % buckets);
      for (let pass = 0; pass < 2; pass++) expect(Array.from(featurizeHashed(text, [], params))).toEqual([...wordIds, ...reference(text, buckets, cmin, cmax)]);
    }
  }, 60_000); // About 2 s here with helpers running; its large arrays took over 5 s in a CI run on a more loaded machine.

  it('keeps every id inside the buckets and is deterministic', () => {
    const small = HashedNgramsParamsSchema.parse({ buckets: 97 });
    const ids = featurizeHashed('Sehr geehrte Damen und Herren, bitte Freistellungsauftrag ändern.', ['lang=de'], small);
    expect(ids.every((id) => id >= 0 && id < 97)).toBe(true);
    expect(Array.from(featurizeHashed('Sehr geehrte Damen und Herren, bitte Freistellungsauftrag ändern.', ['lang=de'], small))).toEqual(Array.from(ids));
  });

  it('tells word, char and meta features apart and is case-insensitive', () => {
    const words = HashedNgramsParamsSchema.parse({ charNgrams: [0, 0], wordNgrams: 1 });
    expect(Array.from(featurizeHashed('Depot', [], words))).toEqual(Array.from(featurizeHashed('DEPOT', [], words)));
    expect(featurizeHashed('depot', [], words)[0]).not.toBe(featurizeHashed('', ['depot'], words)[0]);
  });

  it('cuts text at maxChars', () => {
    const cut = HashedNgramsParamsSchema.parse({ maxChars: 5, charNgrams: [0, 0], wordNgrams: 1 });
    expect(featurizeHashed('abcde fghij', [], cut).length).toBe(1);
  });

  it('weights ids by 1/n or 1/sqrt(n)', () => {
    expect(poolingWeight(4, 'mean')).toBeCloseTo(0.25, 12);
    expect(poolingWeight(4, 'sqrt')).toBeCloseTo(0.5, 12);
    expect(poolingWeight(0, 'sqrt')).toBe(0);
  });

  it('weighs each group (words, chars, meta) by 1/sqrt of its size with group-sqrt pooling', () => {
    const p = HashedNgramsParamsSchema.parse({ pooling: 'group-sqrt' });
    // "ab cd": 3 word ids, 12 char ids, 2 meta ids.
    const bag = featurizeHashedBag('ab cd', ['bank=x', 'lang=de'], p);
    expect(Array.from(bag.ids)).toEqual(Array.from(featurizeHashed('ab cd', ['bank=x', 'lang=de'], p)));
    expect(bag.weights[0]).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(bag.weights[3]).toBeCloseTo(1 / Math.sqrt(12), 6);
    expect(bag.weights[16]).toBeCloseTo(1 / Math.sqrt(2), 6);
    const mean = featurizeHashedBag('ab cd', ['bank=x', 'lang=de'], { ...p, pooling: 'mean' });
    expect(mean.weights.every((w) => Math.abs(w - 1 / 17) < 1e-7)).toBe(true);
    expect(featurizeHashedBag('', [], p).ids).toHaveLength(0);
  });

  it('merges repeated ids with sublinear counts (1 + ln count) before normalising', () => {
    const p = HashedNgramsParamsSchema.parse({ charNgrams: [0, 0], wordNgrams: 2, pooling: 'sqrt' });
    const bag = featurizeHashedBag('ok ok ok', [], p);
    expect(bag.ids).toHaveLength(2);
    const a = 1 + Math.log(3);
    const b = 1 + Math.log(2);
    expect(bag.weights[0]).toBeCloseTo(a / Math.hypot(a, b), 6);
    expect(bag.weights[1]).toBeCloseTo(b / Math.hypot(a, b), 6);
    const mean = featurizeHashedBag('ok ok ok', [], { ...p, pooling: 'mean' });
    expect(mean.weights[0] + mean.weights[1]).toBeCloseTo(1, 6);
  });
});

describe('textIds', () => {
  it('counts the ids the text gave, not the meta tokens: 0 for text that makes no token (zero-width, emoji, combining marks, punctuation)', () => {
    const p = HashedNgramsParamsSchema.parse({ buckets: 256 });
    const meta = ['lang=und', 'bank=x'];
    const texts = ['\u200b\u2060', '😀🙏', '\u0301\u0308', '?!... ---', '', 'ab cd'];
    const expected = [0, 0, 0, 0, 0, 15];
    expect(featurizeHashedBags(texts.map((text) => ({ text, meta })), p).map((bag) => bag.textIds)).toEqual(expected);
    expect(texts.map((text) => featurizeHashedBag(text, meta, p).textIds)).toEqual(expected);
    expect(texts.map((text) => weighCountedBag(featurizeCounted(text, meta, p), p).textIds > 0)).toEqual(expected.map((n) => n > 0));
  });

  it('is over 0 exactly when readsText says the featurizer reads text (the rule serving and training share)', () => {
    const texts = ['\u200b\u2060', '😀🙏', '\u0301\u0308', '?!... ---', '', 'ab cd', 'a', '😀 x', '👍'.repeat(6) + ' ok', 'İ', 'Straße', '12'];
    const grid = [
      { wordNgrams: 2, charNgrams: [2, 5] },
      { wordNgrams: 0, charNgrams: [2, 5] },
      { wordNgrams: 0, charNgrams: [4, 5] },
      { wordNgrams: 0, charNgrams: [0, 0] },
      { wordNgrams: 1, charNgrams: [0, 0] },
      { wordNgrams: 0, charNgrams: [5, 3] },
      { wordNgrams: 2, charNgrams: [2, 5], maxChars: 12 },
    ];
    for (const params of grid) {
      const p = HashedNgramsParamsSchema.parse({ buckets: 256, ...params });
      for (const text of texts) expect(readsText(text, p), `${JSON.stringify(params)} ${JSON.stringify(text)}`).toBe(featurizeHashedBag(text, ['lang=de'], p).textIds > 0);
    }
    expect(texts.map((text) => readsText(text, HashedNgramsParamsSchema.parse({})))).toEqual([false, false, false, false, false, true, true, true, true, true, true, true]);
  });
});

describe('featurizeHashedBags', () => {
  it('gives each text the bag featurizeHashedBag gives it, also when the shared arrays grow', () => {
    const p = HashedNgramsParamsSchema.parse({ pooling: 'group-sqrt' });
    const inputs = [
      { text: 'Sehr geehrte Damen und Herren, bitte Freistellungsauftrag ändern.', meta: ['lang=de'] },
      { text: '', meta: [] },
      { text: 'ok ok ok', meta: ['bank=x', 'lang=en'] },
      { text: 'Depotübertrag '.repeat(300), meta: ['lang=de'] },
    ];
    const bags = featurizeHashedBags(inputs, p);
    expect(bags).toHaveLength(inputs.length);
    inputs.forEach((input, i) => {
      const one = featurizeHashedBag(input.text, input.meta, p);
      expect(Array.from(bags[i].ids)).toEqual(Array.from(one.ids));
      expect(Array.from(bags[i].weights)).toEqual(Array.from(one.weights));
    });
  });

  it('writes into lent arrays when they are big enough, and grows them when not (the lender keeps the larger arrays)', () => {
    const p = HashedNgramsParamsSchema.parse({ pooling: 'group-sqrt' });
    const short = [{ text: 'Bitte Freistellungsauftrag ändern.', meta: ['lang=de'] }];
    const into = { ids: new Int32Array(4096).fill(-7), weights: new Float32Array(4096).fill(-7) };
    const lent = featurizeHashedBags(short, p, undefined, into);
    const own = featurizeHashedBags(short, p);
    expect(lent[0].ids.buffer).toBe(into.ids.buffer);
    expect(Array.from(lent[0].ids)).toEqual(Array.from(own[0].ids));
    expect(Array.from(lent[0].weights)).toEqual(Array.from(own[0].weights));
    const tiny = { ids: new Int32Array(8), weights: new Float32Array(8) };
    const long = [{ text: 'Depotübertrag zur neuen Bank '.repeat(50), meta: [] }];
    const small = tiny.ids;
    const grown = featurizeHashedBags(long, p, undefined, tiny);
    expect(grown[0].ids.buffer).not.toBe(small.buffer);
    expect(tiny.ids.buffer).toBe(grown[0].ids.buffer);
    expect(tiny.weights.buffer).toBe(grown[0].weights.buffer);
    expect(Array.from(grown[0].ids)).toEqual(Array.from(featurizeHashedBag(long[0].text, [], p).ids));
    // Lent again, the grown arrays are big enough: used as they are.
    expect(featurizeHashedBags(long, p, undefined, tiny)[0].ids.buffer).toBe(grown[0].ids.buffer);
  });
});

describe('IDF weighting', () => {
  const p = HashedNgramsParamsSchema.parse({ buckets: 256, pooling: 'group-sqrt', idf: true });
  const idf = Float32Array.from({ length: 256 }, (_, id) => 1 + (id % 7) * 0.5);
  const norm = (w: Float32Array) => Math.hypot(...Array.from(w));

  it('multiplies each sublinear count by idf[id] before normalising each group (TF-IDF)', () => {
    const words = { ...p, charNgrams: [0, 0] as [number, number], wordNgrams: 1 };
    const plain = featurizeHashedBag('depot depot depot bitte', [], { ...words, idf: false });
    const weighted = featurizeHashedBag('depot depot depot bitte', [], words, idf);
    expect(Array.from(weighted.ids)).toEqual(Array.from(plain.ids));
    const tfidf = [(1 + Math.log(3)) * idf[plain.ids[0]], idf[plain.ids[1]]];
    expect(weighted.weights[0]).toBeCloseTo(tfidf[0] / Math.hypot(...tfidf), 6);
    expect(weighted.weights[1]).toBeCloseTo(tfidf[1] / Math.hypot(...tfidf), 6);
    expect(idf[plain.ids[0]]).not.toBe(idf[plain.ids[1]]);
    // Each group still has norm 1.
    expect(norm(featurizeHashedBag('Depotübertrag bitte heute', ['lang=de'], p, idf).weights)).toBeCloseTo(Math.sqrt(3), 5);
  });

  it('gives batches the bags one text gets, and refuses a missing or wrong-sized table', () => {
    const inputs = [{ text: 'Sparplan ändern', meta: ['lang=de'] }, { text: '', meta: [] }, { text: 'ok ok', meta: ['lang=en'] }];
    featurizeHashedBags(inputs, p, idf).forEach((bag, i) => {
      expect(Array.from(bag.weights)).toEqual(Array.from(featurizeHashedBag(inputs[i].text, inputs[i].meta, p, idf).weights));
    });
    expect(() => featurizeHashedBag('x', [], p)).toThrow(/table of 256 values/);
    expect(() => featurizeHashedBags(inputs, p, new Float32Array(255))).toThrow(/got 255/);
  });

  it('writes each id as its row with rowOf, the weights those of its bucket, with and without IDF, for every pooling', () => {
    const inputs = [{ text: 'Depotübertrag bitte bitte', meta: ['lang=de'] }, { text: '', meta: [] }, { text: 'Sparplan ändern, Sparplan!', meta: ['bank=x'] }];
    // Rows as a compact table has them: several buckets share row 0, the others a row each.
    const rowOf = Uint16Array.from({ length: 256 }, (_, id) => (id % 3 === 0 ? 0 : 1 + Math.floor((2 * id) / 3)));
    for (const pooling of ['group-sqrt', 'sqrt', 'mean'] as const) {
      for (const [params, table] of [[{ ...p, pooling }, idf], [{ ...p, pooling, idf: false }, undefined]] as const) {
        const plain = featurizeHashedBags(inputs, params, table);
        const rows = featurizeHashedBags(inputs, params, table, undefined, rowOf);
        rows.forEach((bag, i) => {
          expect(Array.from(bag.ids)).toEqual(Array.from(plain[i].ids, (id) => rowOf[id]));
          expect(Array.from(bag.weights)).toEqual(Array.from(plain[i].weights));
          expect(bag.textIds).toBe(plain[i].textIds);
        });
      }
    }
  });
});

describe('featurizeCounted and weighCountedBag', () => {
  const texts = [
    { text: 'Bitte den Freistellungsauftrag ändern, bitte bitte.', meta: ['lang=de', 'bank=x'] },
    { text: '', meta: [] },
    { text: 'ok ok ok', meta: ['lang=en'] },
  ];
  it('gives a counted text, once weighed, exactly the bag featurizeHashedBag gives it, for every pooling, with and without IDF', () => {
    const idf = Float32Array.from({ length: 512 }, (_, id) => 1 + (id % 5) * 0.25);
    for (const pooling of ['group-sqrt', 'sqrt', 'mean'] as const) {
      for (const withIdf of [false, true]) {
        const p = HashedNgramsParamsSchema.parse({ buckets: 512, pooling, idf: withIdf });
        for (const { text, meta } of texts) {
          const counted = featurizeCounted(text, meta, p);
          const bag = weighCountedBag(counted, p, withIdf ? idf : undefined);
          const direct = featurizeHashedBag(text, meta, p, withIdf ? idf : undefined);
          expect(Array.from(bag.ids)).toEqual(Array.from(direct.ids));
          expect(Array.from(bag.weights)).toEqual(Array.from(direct.weights));
        }
      }
    }
  });
  it('keeps the counts apart from the weights: one counted bag weighs with two tables', () => {
    const p = HashedNgramsParamsSchema.parse({ buckets: 512, idf: true });
    const counted = featurizeCounted(texts[0].text, texts[0].meta, p);
    const before = Array.from(counted.counts);
    const a = weighCountedBag(counted, p, new Float32Array(512).fill(1));
    const b = weighCountedBag(counted, p, Float32Array.from({ length: 512 }, (_, id) => 1 + (id % 3)));
    expect(Array.from(counted.counts)).toEqual(before);
    expect(Array.from(a.weights)).not.toEqual(Array.from(b.weights));
    expect(counted.ends[2]).toBe(counted.ids.length);
    expect(() => weighCountedBag(counted, p)).toThrow(/table of 512 values/);
  });
});
