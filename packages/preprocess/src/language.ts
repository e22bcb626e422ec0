// A stop-word scorer with word-shape hints. Measured in bench/preprocess.ts on 4,588 short de/en ticket
// texts: one sentence 99.6 %, two sentences 100 %, bare subjects 81.7 %; franc-min 6.2 restricted to de/en
// 98.8 / 99.9 / 91.8 %, tinyld 1.3 restricted to de/en 95.9 / 98.8 / 90.2 %, both several times slower and
// without an 'und' answer. On emails of one or two sentences the scorer is as accurate, so no dependency.
const STOP_WORDS: Record<string, string> = {
  de: 'aber als am an auch auf aus bei bin bis bitte da dann das dass dem den der des die dies diese doch du ein eine einem einen einer es für gibt habe haben hat hier ich ihr ihre ihnen im in ist ja jetzt kann keine können leider mein meine mich mir mit möchte nach nicht noch nur ob oder sehr sein sich sie sind so um und uns unser unsere von vom vor war was weil wenn wie wir wird wurde zu zum zur über danke grüße freundlichen hallo guten tag sehr geehrte geehrter damen herren konto überweisung',
  en: 'a about after all also am an and any are as at be because been but by can could did do does for from had has have hello hi how i if in is it its me my no not of on or our please so than thank thanks that the their them there this to up us was we were what when which will with would you your dear regards account',
  fr: 'au avec bonjour ce cette dans de des du elle en est et il je la le les leur mais merci ne nous on ou par pas pour qu que qui sa se ses son sur une vous votre vos été être avez',
  es: 'al como con de del el en es esta este hola la las lo los muy no para pero por que se su sus un una usted y gracias estimado saludos',
  nl: 'aan bij de dat een en het hij ik in is je met niet nog op te van voor wat we ze zijn u uw graag bedankt groeten',
  it: 'al che con da del della di e il in la le lo non per più si sono un una grazie saluti buongiorno',
};

const LEXICON = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOP_WORDS)) {
  for (const w of words.split(' ')) {
    const list = LEXICON.get(w) ?? [];
    list.push(lang);
    LEXICON.set(w, list);
  }
}

const NON_WORD = /[^\p{L}']+/u;
const DE_SHAPE = /[äöüß]|sch|(?:ung|ungen|keit|heit|lich|isch|chen|schaft|ierung|tät)$|^(?:ge|be|ver|zer|ent)\p{L}{3,}(?:t|en)$/u;
const EN_SHAPE = /(?:ing|tion|tions|ness|ment|ments|ship|ity|ies|ed|ly|ful|ous)$|^th|w[hr]|ck$/u;

/** A weak vote from the shape of one word: German suffixes and letters, English suffixes and clusters. */
function shapeHint(word: string): string | undefined {
  if (word.length < 4) return undefined;
  const de = DE_SHAPE.test(word);
  const en = EN_SHAPE.test(word);
  return de === en ? undefined : de ? 'de' : 'en';
}
/** Enough text to decide; longer inputs only cost time. */
const MAX_CHARS = 1_000;
/** Stop reading once one language leads by this much: short emails decide within a sentence. */
const CLEAR_LEAD = 4;

/**
 * The language of a text as an ISO 639-1 code ('de', 'en', 'fr', 'es', 'nl', 'it'), or 'und' when the
 * text has too little evidence. Never throws.
 */
export function detectLanguage(text: string): string {
  const sample = text.slice(0, MAX_CHARS).toLowerCase();
  const scores = new Map<string, number>();
  let words = 0;
  let top = 0;
  let second = 0;
  const unknown: string[] = [];
  for (const word of sample.split(NON_WORD)) {
    if (word === '') continue;
    words += 1;
    const langs = LEXICON.get(word);
    if (!langs) {
      if (unknown.length < 40) unknown.push(word);
      continue;
    }
    // A word shared by several languages counts for each, but less.
    for (const lang of langs) scores.set(lang, (scores.get(lang) ?? 0) + 1 / langs.length);
    if (words % 8 === 0) {
      top = 0;
      second = 0;
      for (const v of scores.values()) {
        if (v > top) {
          second = top;
          top = v;
        } else if (v > second) second = v;
      }
      if (top - second >= CLEAR_LEAD) break;
    }
  }
  // Word shapes settle texts with few function words (subjects, noun phrases); they weigh less and are
  // only read when the function words did not decide.
  let maxScore = 0;
  for (const v of scores.values()) maxScore = Math.max(maxScore, v);
  if (maxScore < 3) {
    for (const w of unknown) {
      const hint = shapeHint(w);
      if (hint) scores.set(hint, (scores.get(hint) ?? 0) + 0.4);
    }
  }
  // German letters tip close calls between German and its neighbours.
  if (/[äöüß]/.test(sample)) scores.set('de', (scores.get('de') ?? 0) + 0.5);
  let best = 'und';
  let bestScore = 0;
  for (const [lang, score] of scores) {
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  return words > 0 && bestScore >= 0.8 ? best : 'und';
}
