import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EvaluationReportSchema } from '@mailroute/evaluation';
import { detectLanguage } from '@mailroute/preprocess';
import { demoRowsToCsv, generateDemoRows } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { demoChampionFolder } from '../test-support.js';
import { registeredManifest, trainingLanguagesOf } from './evaluate-languages.js';

const registeredTrainingLanguages = async (home: string, id: string | undefined) => {
  const manifest = await registeredManifest(home, id);
  return manifest && trainingLanguagesOf(manifest);
};

// A demo champion (trained on German and English mail) evaluated on mail of which a fifth is Spanish.
const { dir, home, champion, run } = demoChampionFolder('mailroute-cli-languages-', 10);

/** Invented Spanish customer emails: a language the demo model never saw. */
const SPANISH = [
  { subject: 'Problema con mi tarjeta', body: 'Hola, mi tarjeta no funciona desde ayer y no puedo pagar en las tiendas. Por favor, necesito una solución lo antes posible. Gracias y saludos, Lucía Ferrandis' },
  { subject: 'Consulta sobre una transferencia', body: 'Estimado equipo, hice una transferencia el lunes y todavía no ha llegado a la cuenta de destino. ¿Pueden revisar qué pasa con ella? Muchas gracias, Tomás Arribalzaga' },
];

describe('evaluate: mail in languages the model was not trained on', () => {
  it('warns on stderr, under the figures and in every report, and marks the rows of the By language table', async () => {
    // Every fifth email Spanish; the file's own language column, which evaluate does not read, still says de or en.
    const rows = generateDemoRows({ rows: 40, seed: 77 }).map((r, i) => (i % 5 === 0 ? { ...r, ...SPANISH[(i / 5) % 2], html: '' } : r));
    writeFileSync(path.join(dir, 'mixed.csv'), demoRowsToCsv(rows));
    const { code, stdout, stderr } = await run(['evaluate', '--model', 'champion', '--data', 'mixed.csv', '--out', 'rep', '--no-png']);
    expect(code, stderr).toBe(0);
    const report = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'rep/metrics.json'), 'utf8')));
    const manifest = JSON.parse(readFileSync(path.join(home, 'models', champion.id, 'manifest.json'), 'utf8')) as { training: { languages: Record<string, number> } };
    expect(report.languages?.trainingEmails).toEqual(manifest.training.languages);
    expect(report.languages?.trainedOn).toEqual(['de', 'en']);
    expect(report.languages?.untrained?.find((u) => u.language === 'es')).toEqual({ language: 'es', n: 8, share: 0.2, trainingEmails: 0 });
    const warning = report.warnings?.find((w) => w.includes('languages the model had few or no training emails of'));
    expect(warning).toContain('es 8 (20.0%, 0 training emails)');
    expect(warning).toContain('The model was trained on de and en');
    expect(warning).toContain("figures on them say little of its quality on de and en mail");
    // Said as it comes, and again under the figures (standard output may go to a file of its own).
    expect(stderr).toContain(`warning: ${warning}`);
    expect(stdout.slice(stdout.indexOf('weighted-F1'))).toContain(`warning: ${warning}`);
    for (const form of ['report.txt', 'report.md', 'report.html', 'model-card.md']) expect(readFileSync(path.join(dir, 'rep', form), 'utf8'), form).toContain(warning?.slice(0, 80));
    const md = readFileSync(path.join(dir, 'rep/report.md'), 'utf8');
    expect(md).toContain("**Note:** Languages are detected from each email's text when it is predicted");
    expect(md).toMatch(/\| es \| 8 \| [\d.]+ \| [\d.]+ \| \*\*0: untrained\*\* \|/);
    expect(readFileSync(path.join(dir, 'rep/report.html'), 'utf8')).toContain('<span class="weak" data-untrained-language>&#9888; 0: untrained</span>');

    // The predictions kept beside the report name the model: evaluated alone, its training languages are read from the registry.
    const again = await run(['evaluate', '--predictions', 'rep/predictions.jsonl', '--out', 'rep2', '--no-png']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`warning: ${warning}`);
  });

  it('names only languages the detector tells apart: each is what detectLanguage answers for a text in it', async () => {
    const { code, stderr } = await run(['evaluate', '--model', 'champion', '--data', 'test.csv', '--out', 'plain', '--no-png']);
    expect(code, stderr).toBe(0);
    const report = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'plain/metrics.json'), 'utf8')));
    // Invented one-sentence emails, one per language the reports say the detector knows.
    const samples: Record<string, string> = {
      de: 'Ich habe leider keine Überweisung auf meinem Konto, können Sie bitte nachsehen?',
      en: 'Hello, I would like to know why my account was closed, thank you.',
      fr: 'Bonjour, je ne trouve pas le virement sur mon compte, merci de vérifier pour moi.',
      es: 'Hola, no encuentro la transferencia en mi cuenta, por favor revisen el pago. Gracias.',
      nl: 'Ik heb een vraag over de rekening van mijn bedrijf, graag een antwoord. Bedankt.',
      it: 'Buongiorno, non trovo il bonifico sul conto della mia azienda, grazie per la risposta.',
      pl: 'Dzień dobry, nie widzę przelewu na moim koncie, proszę o sprawdzenie. Pozdrawiam.',
      tr: 'Merhaba, hesabımı kontrol etmek istiyorum, lütfen bu konuda yardım edin. Teşekkürler.',
    };
    expect(report.languages?.detectable).toEqual(Object.keys(samples));
    for (const [language, text] of Object.entries(samples)) expect(detectLanguage(text), language).toBe(language);
    // Portuguese, which it does not know, comes out as one it knows (or und), as the reports say.
    expect([...Object.keys(samples), 'und']).toContain(detectLanguage('Olá, não encontro a transferência na minha conta, por favor verifiquem o pagamento. Obrigado.'));
    // The demo test mail is German and English only: nothing warned, no row marked.
    expect(report.languages?.untrained).toEqual([]);
    expect(report.warnings?.some((w) => w.includes('languages the model had few or no training emails of')) ?? false).toBe(false);
  });

  it("gives a file of a registered model's predictions that model's operating points: its thresholds, its routing (`other` routes nowhere) and targets", async () => {
    expect((await run(['evaluate', '--model', 'champion', '--data', 'test.csv', '--out', 'op-model', '--no-png'])).code).toBe(0);
    const again = await run(['evaluate', '--predictions', 'op-model/predictions.jsonl', '--out', 'op-lines', '--no-png']);
    expect(again.code, again.stderr).toBe(0);
    const read = (folder: string) => EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, folder, 'metrics.json'), 'utf8')));
    const [byModel, byLines] = [read('op-model'), read('op-lines')];
    expect(byModel.routing?.queueTask).toBe('queue');
    for (const field of ['routing', 'targetPrecision'] as const) expect(byLines[field], field).toEqual(byModel[field]);
    for (const t of byModel.tasks) expect(byLines.tasks.find((x) => x.task === t.task)?.operating, t.task).toEqual(t.operating);
  });

  it('reads the training languages only as counts, and looks up only registry ids of this home', async () => {
    expect(trainingLanguagesOf({ training: { languages: { en: 20, de: 9, x: 'many' } } })).toEqual({ en: 20, de: 9 });
    expect(trainingLanguagesOf({ training: { languages: ['en'] } })).toBeUndefined();
    expect(trainingLanguagesOf({})).toBeUndefined();
    expect(await registeredTrainingLanguages(home, champion.id)).toEqual(trainingLanguagesOf(JSON.parse(readFileSync(path.join(home, 'models', champion.id, 'manifest.json'), 'utf8')) as { training?: Record<string, unknown> }));
    for (const id of [undefined, 'champion', '../models', 'no-such-model']) expect(await registeredTrainingLanguages(home, id), String(id)).toBeUndefined();
  });
});
