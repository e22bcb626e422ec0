import { describe, expect, it } from 'vitest';
import { EvaluationReportSchema, evaluatePredictions, UNTRAINED_LANGUAGE_WARN_SHARE } from './evaluate.js';
import { evaluationReportJsonSchema } from './json-schema.js';
import type { PredictionLine } from './prediction-line.js';
import { reportPictures } from './pictures.js';
import { evaluationHtml } from './report-html.js';
import { evaluationMarkdown, evaluationText } from './report-text.js';
import { computeTaskMetrics } from './task-metrics.js';

/** A model trained on English and German mail, one French email and 16 without a language among them (a manifest's `training.languages`). */
const TRAINING = { en: 2347, de: 879, und: 16, fr: 1 };

/** `n` lines in `language`, every other one right. */
function linesIn(language: string, n: number): PredictionLine[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${language}-${i}`,
    truth: { queue: i % 2 === 0 ? 'cards' : 'loans' },
    prediction: { queue: { label: i % 4 === 1 ? 'cards' : i % 2 === 0 ? 'cards' : 'loans' } },
    meta: { language },
  }));
}

/** 40 emails: 20 German, 12 English, 6 Spanish, 1 French, 1 without a language detected. */
const mixed = [...linesIn('de', 20), ...linesIn('en', 12), ...linesIn('es', 6), ...linesIn('fr', 1), ...linesIn('und', 1)];

/** The By language table of report.md's first task, from its note to the blank line after the rows. */
function languageTable(md: string): string {
  const from = md.indexOf('**Note:** Languages are detected');
  return md.slice(from, md.indexOf('\n\n', md.indexOf('| --- |', from)));
}

describe('languages the model was not trained on', () => {
  it('counts the emails per detected language against the manifest\'s training languages, as serving decides them', () => {
    const report = evaluatePredictions(mixed, { trainingLanguages: TRAINING });
    expect(report.languages).toMatchObject({
      key: 'language',
      detectable: ['de', 'en', 'fr', 'es', 'nl', 'it', 'pl', 'tr'],
      emails: { de: 20, en: 12, es: 6, fr: 1, und: 1 },
      trainingEmails: TRAINING,
      // fr's one training email is under 10 and 1%: not trained on; und is no language, never untrained.
      trainedOn: ['de', 'en'],
      untrained: [
        { language: 'es', n: 6, share: 6 / 40, trainingEmails: 0 },
        { language: 'fr', n: 1, share: 1 / 40, trainingEmails: 1 },
      ],
    });
    // The figures without them: the 33 emails in de, en and und.
    const kept = mixed.filter((l) => l.meta?.language !== 'es' && l.meta?.language !== 'fr');
    const m = computeTaskMetrics(kept.map((l) => l.truth.queue as string), kept.map((l) => l.prediction.queue.label));
    expect(report.languages?.trainedOnly).toEqual([{ task: 'queue', n: 33, accuracy: m.accuracy, macroF1: m.macro.f1 }]);
    // metrics.json stays readable by its schema, which names the new field (optional: older reports have none).
    expect(EvaluationReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    const schema = evaluationReportJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(schema.properties.languages).toBeDefined();
    expect(schema.required).not.toContain('languages');
  });

  it('warns in every report form when a notable share is in them, naming each with its count, share and training emails', () => {
    const report = evaluatePredictions(mixed, { trainingLanguages: TRAINING });
    const warning = report.warnings?.find((w) => w.includes('languages the model had few or no training emails of'));
    expect(warning).toMatch(
      /^7 of the 40 emails \(17\.5%\) are in languages the model had few or no training emails of: es 6 \(15\.0%, 0 training emails\), fr 1 \(2\.5%, 1 training email\)\. The model was trained on de and en \(each at least 1% and 10 of its training emails, the rule serving warns of other mail by\); the figures here count these emails too, and figures on them say little of its quality on de and en mail\. Without them \(the other 33 emails with a label\): queue accuracy 0\.\d{4}, macro-F1 0\.\d{4}\. Languages are detected from each email's text, not read from the data: the detector knows de, en, fr, es, nl, it, pl and tr, and mail in another language \(Portuguese, say\) counts as the nearest of these or as und\.$/,
    );
    expect(evaluationText(report)).toContain(`WARNING: ${warning}`);
    expect(evaluationMarkdown(report)).toContain('> **Warning:** 7 of the 40 emails (17.5%) are in languages the model had few or no training emails of');
    expect(evaluationHtml(report, reportPictures(report))).toContain('<b>Warning:</b> 7 of the 40 emails (17.5%) are in languages the model had few or no training emails of');
  });

  it(`warns only from ${UNTRAINED_LANGUAGE_WARN_SHARE * 100}% of the emails on, but marks their rows in the By language table below it too`, () => {
    // 2 Spanish emails of 40 (5%): warned; 1 of 40 (2.5%): not, yet its row is marked.
    const at = evaluatePredictions([...linesIn('de', 20), ...linesIn('en', 18), ...linesIn('es', 2)], { trainingLanguages: TRAINING });
    expect(at.warnings?.[0]).toMatch(/^2 of the 40 emails \(5\.0%\) are in languages/);
    const below = evaluatePredictions([...linesIn('de', 20), ...linesIn('en', 19), ...linesIn('es', 1)], { trainingLanguages: TRAINING });
    expect(below.warnings).toBeUndefined();
    expect(below.languages?.untrained).toEqual([{ language: 'es', n: 1, share: 1 / 40, trainingEmails: 0 }]);
    expect(evaluationMarkdown(below)).toContain('| es | 1 | 1.0000 | 1.0000 | **0: untrained** |');
    // Mail without a language detected is not "untrained" (serving warns of none either).
    const und = evaluatePredictions([...linesIn('de', 10), ...linesIn('und', 10)], { trainingLanguages: TRAINING });
    expect(und.languages?.untrained).toEqual([]);
    expect(und.warnings).toBeUndefined();
  });

  it('says in each By language table that the languages are detected, which the detector knows, and marks the untrained rows', () => {
    const report = evaluatePredictions(mixed, { trainingLanguages: TRAINING });
    expect(languageTable(evaluationMarkdown(report))).toBe(
      [
        "**Note:** Languages are detected from each email's text when it is predicted (as mailroute predict records them), not read from a column of the data: the detector knows de, en, fr, es, nl, it, pl and tr, and counts mail in any other language (Portuguese, say) under the nearest of these, or as und when the text tells too little. The model was trained on de and en (at least 1% and 10 of its training emails each); a row marked untrained is in a language it had few or no training emails of: its figures say little of the model's quality on the languages it was trained on.",
        '',
        "By language (each value's macro-F1 is over the labels its emails have or were given: one the model gave there that none of them has counts at F1 0, as scikit-learn counts it; one the config retires is left out):",
        '',
        "| value | examples | accuracy | macro-F1 | model's training emails |",
        '| --- | ---: | ---: | ---: | ---: |',
        '| de | 20 | 0.7500 | 0.7333 | 879 |',
        '| en | 12 | 0.7500 | 0.7333 | 2347 |',
        '| es | 6 | 0.6667 | 0.6250 | **0: untrained** |',
        '| fr | 1 | 1.0000 | 1.0000 | **1: untrained, too few** |',
        '| und | 1 | 1.0000 | 1.0000 | 16 (no language detected) |',
      ].join('\n'),
    );
    const html = evaluationHtml(report, reportPictures(report));
    expect(html).toContain('<p class="caption" data-languages><b>Note:</b> Languages are detected from each email');
    expect(html).toContain('<th scope="col">model\'s training emails</th>');
    expect(html).toContain('<th scope="row">es</th><td class="n">6</td><td class="n">0.6667</td><td class="n">0.6250</td><td class="n">0.6250</td><td class="n"><span class="weak" data-untrained-language>&#9888; 0: untrained</span></td>');
    expect(html.match(/data-untrained-language/g)).toHaveLength(2);
    expect(html).toContain('<th scope="row">de</th><td class="n">20</td><td class="n">0.7500</td><td class="n">0.7333</td><td class="n">0.7333</td><td class="n">879</td>');
  });

  it('without the training languages (prediction lines alone, an older model) still says the languages are detected, marks none and warns of none', () => {
    const report = evaluatePredictions(mixed);
    expect(report.languages).toEqual({ key: 'language', detectable: ['de', 'en', 'fr', 'es', 'nl', 'it', 'pl', 'tr'], emails: { de: 20, en: 12, es: 6, fr: 1, und: 1 } });
    expect(report.warnings).toBeUndefined();
    const md = evaluationMarkdown(report);
    expect(md).toContain('The languages the model was trained on: not known here (the model was not at hand, or its manifest records none), so no row is marked as untrained.');
    expect(md).toContain('| value | examples | accuracy | macro-F1 |\n');
    // Counts in which no language has 1% and 10 emails: none is trained on, so none is marked (as serving warns of none).
    const few = evaluatePredictions(mixed, { trainingLanguages: { de: 5, en: 4 } });
    expect(few.languages?.trainedOn).toBeUndefined();
    expect(few.warnings).toBeUndefined();
    expect(evaluationMarkdown(few)).toContain('The languages the model was trained on: none with at least 1% and 10 of its training emails, so no row is marked as untrained.');
    // Lines without a language: no languages in the report.
    expect(evaluatePredictions(mixed.map(({ meta: _meta, ...l }) => l), { trainingLanguages: TRAINING }).languages).toBeUndefined();
  });
});
