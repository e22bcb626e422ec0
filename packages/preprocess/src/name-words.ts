/** Words that a cue of `names.ts` takes for a name and that name no one, and the checks made with them. */

/** Titles a greeting may carry before the name (`Hallo Frau Müller`): never echoed themselves. */
export const TITLE_WORDS = new Set([
  ...['frau', 'herr', 'herrn', 'dr', 'dr.', 'prof', 'prof.', 'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'miss', 'mx', 'mx.', 'ing.', 'mag.', 'dipl.-ing.', 'dipl.-kfm.', 'dipl.-kffr.', 'dipl.-vw.'],
  // French and Italian (`Madame Dupont`, `Sig.ra Rossi`). Not `M.` (`M. Dupont`), as often a given name's initial.
  ...['madame', 'mme', 'mme.', 'monsieur', 'mlle', 'mlle.', 'mademoiselle', 'signora', 'signor', 'signore', 'signorina', 'sig.', 'sig.ra', 'sig.na', 'dott.', 'dott.ssa', 'avv.'],
]);
/**
 * Words a cue takes for a name that are no person's (`Hi Support,`, `Ihre Sparkasse`, a closing read as
 * a signature, the role in `Ihr Kunde`, `Ihre Kundin`): a name holding one is not looked for elsewhere.
 */
export const NOT_NAME_WORDS = new Set(
  [
    'support team service services customer customers client clients valued kundenservice kundensupport kundenbetreuung kunde kundin sir sirs madam colleagues kollegen kolleginnen everyone everybody there folks all bank banking sparkasse volksbank sparda deutsche commerzbank account konto name plus grüße gruß grüsse regards wishes thanks danke dank vielen liebe viele beste best kind freundlichen hochachtungsvoll herzliche herzlichen mfg lg vg cheers sincerely yours ihr ihre your the team-support hallo hello hi hey dear moin servus grüezi guten tag morgen abend sehr geehrte geehrter damen herren all alle zusammen allerseits miteinander mitenand leute guys nochmal again lieben liebes',
    // French and Italian: titles and greetings said to no one (`Bonjour Madame,`, `Gentili Signori,`), the desk, closings.
    'madame mesdames monsieur messieurs mademoiselle signora signore signori signorina cliente clienti clientèle équipe servizio banque banca bonjour bonsoir salut buongiorno buonasera salve ciao tous tutti',
    'cordialement salutations distinguées meilleures sincères saluti saluto cordiali cordiale distinti grazie merci vielmal journée',
  ]
    .join(' ')
    .split(' '),
);
/**
 * Words that say something about a name after `mein Name ist` or `my name is` instead of giving it (`my name is spelled
 * wrong`, `mein name ist falsch geschrieben`, `my name is not on the card`): a name in lower case holds none of them.
 */
export const NOT_GIVEN_WORDS = new Set(
  [
    'nicht kein keine keiner falsch falsche richtig richtige korrekt inkorrekt verkehrt anders geändert korrigiert geschrieben eingetragen hinterlegt angegeben gespeichert vermerkt gedruckt verwechselt vertauscht vergessen abgeschnitten unvollständig vollständig bekannt unbekannt gleich identisch derselbe dieselbe aktuell neu alt',
    'noch immer schon auch doch jetzt nun leider seit wie so sehr zu lang kurz oben unten hier dort bereits weiterhin ebenfalls auf in im bei mit ohne für an am vom zum zur unter über nach vor laut gemäß',
    'not no wrong wrongly spelled spelt misspelled misspelt written printed misprinted shown displayed listed registered recorded stored entered incorrect incorrectly correct correctly right different changed updated missing incomplete complete cut truncated known unknown same unchanged mixed swapped',
    'still now also already as like on in at under above below with without for from of to by attached mentioned being been too very long short new old',
    // After `je m'appelle`, `mon nom est`, `mi chiamo`, `il mio nome è` (`mon nom est mal orthographié`, `mi chiamo come mio padre`).
    'pas ne mal mauvais faux fausse erroné erronée incorrect incorrecte correct correcte correctement écrit orthographié différent changé modifié comme aussi encore toujours déjà sur dans avec sans pour par',
    'non sbagliato sbagliata errato errata scritto corretto corretta diverso cambiato modificato come anche ancora sempre già su nel nella con senza per',
  ]
    .join(' ')
    .split(' '),
);

/** Legal forms of companies, as a word of a name (`Deutsche Bank AG`, `Example Trading Ltd`, `Dupont SA`, `Rossi Srl`): a firm, not a person. */
export const LEGAL_FORMS = new Set('AG SE KG KGaA OHG GbR GmbH gGmbH UG mbH eG plc PLC Ltd LTD Limited LLC LLP Inc INC Corp SA Sàrl SARL Sarl SpA Srl'.split(' '));

/**
 * Words in capitals that are no part of a name next to them (`Herrn Müller IBAN`, `Frau SCHMIDT DRINGEND`,
 * `10:15 AM Christine Spang`) and make a line in capitals after a closing no name (`Danke!\nBITTE UM
 * RÜCKRUF`), besides NOT_NAME_WORDS: what customers and mail programs write in capitals.
 */
const NOT_NAME_CAPS = new Set(
  [
    'iban bic swift depot konto pin tan eur usd chf gbp ag gmbh kg se ltd inc llc plc urgent dringend eilt eilig wichtig important asap bitte please info fyi achtung hinweis ps it hr am pm und and oder or',
    // What a fintech's customers write in capitals: products, indices, countries, orders, short replies.
    'etf etfs fonds fund funds aktie aktien anleihe anleihen bond bonds dax mdax sdax tecdax msci world stoxx ftse nasdaq sp index usa us uk eu',
    // Banks, brokers and payment firms, which an email in capitals names after a title-like word (`HERR POSTBANK`) or
    // signs with (`TRADE REPUBLIC`); `BANK`, `SPARKASSE`, `VOLKSBANK`, `COMMERZBANK`, `DEUTSCHE` are in NOT_NAME_WORDS.
    // Those whose name is also a surname (`DIBA`, `SANTANDER`, `BARCLAYS`) are in BANK_PHRASES instead.
    'ing ingdiba dkb n26 comdirect consors consorsbank postbank targobank norisbank hypovereinsbank hvb unicredit raiffeisenbank kreissparkasse stadtsparkasse psd gls',
    'trade republic scalable capital flatex degiro onvista smartbroker justtrade maxblue revolut bunq paypal klarna bnp paribas banco barclaycard',
    'sparplan sparplans depotübertrag übertrag überweisung lastschrift dauerauftrag kündigung storno stornierung auftrag order kauf verkauf steuer steuern freistellungsauftrag steuerbescheinigung',
    'ok okay yes no ja nein note notiz sir madam call me back rückruf sofort danke thanks',
    // Verbs and small words an email in capitals puts after a name (`HERR MÜLLER HAT MIR ZUGESAGT`).
    'hat haben habe hatte ist sind war waren wird werden wurde kann konnte soll sagt sagte meint schreibt ruft rief hier heute gestern morgen noch schon auch nicht mir mich uns ihnen ihm ihr sie er es wir ich',
    'has have had is are was were will would can could said says says wrote writes called calls here today yesterday tomorrow also not me us him her they we i',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Banks named by words that are also surnames: they name no one only in capitals and together (`ING DIBA`,
 * `BANCO SANTANDER`), while `HERR DIBA` or `MARIA SANTANDER` are people.
 */
const BANK_PHRASES: readonly (readonly string[])[] = [
  ['ing', 'diba'],
  ['banco', 'santander'],
  ['santander', 'consumer'],
  ['santander', 'bank'],
  ['barclays', 'bank'],
  ['barclays', 'plc'],
];

/** Which of a run of words belong to one of BANK_PHRASES written in capitals (`ING DIBA`: both; `FARAH DIBA`: neither). */
function inBankPhrase(words: readonly string[]): boolean[] {
  const lower = words.map((w) => (LOWER_CASE.test(w) ? '' : w.toLowerCase()));
  const marked = lower.map(() => false);
  for (let i = 0; i < lower.length; i++) {
    for (const phrase of BANK_PHRASES) {
      if (phrase.every((p, k) => lower[i + k] === p)) for (let k = 0; k < phrase.length; k++) marked[i + k] = true;
    }
  }
  return marked;
}

/** The word right before `start` and right after `end` in `text`, if any (on the same line). */
const WORD_BEFORE = /(\S+)[ \t]+$/u;
const WORD_AFTER = /^[ \t]+(\S+)/u;

/**
 * Whether the words `text` holds in [start, end), in capitals, are part of a bank's name with the words next
 * to them (`DIBA` in `… bei ING DIBA`): an echo of a person's name (`Farah Diba`) there names the bank.
 */
export function inBankPhraseAt(text: string, start: number, end: number): boolean {
  const before = WORD_BEFORE.exec(text.slice(Math.max(0, start - 40), start))?.[1];
  const after = WORD_AFTER.exec(text.slice(end, end + 40))?.[1];
  const own = text.slice(start, end).split(/[ \t]+/u);
  const words = [...(before ? [before] : []), ...own, ...(after ? [after] : [])];
  const marked = inBankPhrase(words);
  const from = before ? 1 : 0;
  return marked.slice(from, from + own.length).some(Boolean);
}

/** A name of capitals only (`ANNA SCHMIDT`, not `Jean DUPONT`). */
export function isAllCaps(name: string): boolean {
  return !LOWER_CASE.test(name) && UPPER_CASE.test(name);
}

/** A phrase of closing and greeting words only (`Viele Grüße`, `Best Regards`): what a signature line is not. */
export function isClosingPhrase(words: string): boolean {
  return words.trim().split(/\s+/u).every((w) => NOT_NAME_WORDS.has(w.toLowerCase().replace(/[,.!]+$/u, '')));
}

/** A lower-case letter other than `ß`, which has no capital in common use (`WEIß`). */
const LOWER_CASE = /(?!ß)\p{Ll}/u;
/** A capital. A constant, not a literal in the function: esbuild (tsx, the serving bundle) writes a literal with `\p{…}` as `new RegExp(…)`, built anew at every call. */
const UPPER_CASE = /\p{Lu}/u;

const isNotNameWord = (word: string) => NOT_NAME_WORDS.has(word) || NOT_NAME_CAPS.has(word);

/** A word in capitals that names no one, or of which a part does (`DEPOT-TEAM`). */
const isCapsWordNotName = (word: string) => !LOWER_CASE.test(word) && word.toLowerCase().split('-').some(isNotNameWord);

const NAME_WORD_SPANS = /[^ \t]+/g;

/** Words all in capitals of which one names no one (`BITTE UM RÜCKRUF`, `URGENT REPLY NEEDED`). */
export function isCapsNotName(words: string): boolean {
  if (LOWER_CASE.test(words)) return false;
  const parts = words.split(/[ \t]+/);
  const banked = inBankPhrase(parts);
  return parts.some((w, i) => banked[i] || isCapsWordNotName(w));
}

/**
 * Where a name's words start and end without the words in capitals at either end that name no one
 * (`Müller IBAN`, `10:15 AM Christine Spang`, `BITTE DRINGEND`); `[0, 0]` when none is left.
 */
export function capsTrimmed(name: string): [start: number, end: number] {
  const words = [...name.matchAll(NAME_WORD_SPANS)];
  const banked = inBankPhrase(words.map((w) => w[0]));
  const named = (w: RegExpMatchArray, i: number) => !banked[i] && !isCapsWordNotName(w[0]);
  const first = words.findIndex(named);
  if (first < 0) return [0, 0];
  const last = words.findLastIndex(named);
  return [words[first].index, words[last].index + words[last][0].length];
}

/**
 * Whom or what a greeting in lower case addresses that is no name, besides NOT_NAME_WORDS: pronouns, a time of day or
 * a filler after the greeting (`hallo guten morgen,`, `hallo nochmals,`, `hey du,`), people by their role or kin
 * (`dear friend,`, `hallo mitarbeiter,`, `hallo mama,`). A lower-case word is not known as a name the way a
 * capitalised one after a greeting is, so these must be named.
 */
const GREETED_NOT_NAMES = new Set(
  [
    'du you euch ihr sie ya yall guten gutem morgen tag abend moin moinsen servus grüezi nochmals erneut wieder mal zurück again world',
    'both mate mates friend friends buddy dude bro sweetie darling dears freund freunde freundin nachbar nachbarn leser leserin schatz mama papa mutti vati',
    'colleague kollege kollegin mitarbeiter mitarbeiterin mitarbeitende admin helpdesk hotline filiale beratung berater beraterin sachbearbeiter sachbearbeiterin doktor',
    // French and Italian (`cher ami,`, `cara mia,`, `gentile cliente,`, `chers collègues,`).
    'ami amie amis amies collègue collègues cher chère chers chères amico amica amici mio mia miei collega colleghi tutte',
  ]
    .join(' ')
    .split(' '),
);
/** Endings of a team, a desk or a role (`serviceteam`, `kundendienst`, `kundencenter`, `depotabteilung`, `bankberater`). */
const GREETED_ROLE_ENDING = /(?:team|service|dienst|center|zentrale|abteilung|beratung|berater|beraterin|bearbeiter|bearbeiterin|support|desk|hotline|mitarbeiter|mitarbeiterin)$/u;

/** Whether a word (in lower case) ends as a team, a desk or a role does (`kundendienst`, `depotabteilung`): no person's name. */
export function isRoleWord(word: string): boolean {
  return GREETED_ROLE_ENDING.test(word);
}

/**
 * The last words of a team's or a desk's name (`Pensions Team`, `Client Services`, `Private Client Desk`, `Payments
 * Department`), in lower case: what the words before them name is which team, not a person.
 */
const DESK_ENDING = /^(?:team|teams|desk|services|service|support|department|dept|office|helpdesk|hotline|abteilung|\p{Ll}{0,30}team)$/u;

/** Whether a word (in lower case) ends a team's or a desk's name (DESK_ENDING). */
export function isDeskWord(word: string): boolean {
  return DESK_ENDING.test(word);
}

/** Whether a word greeted in lower case names no one by GREETED_NOT_NAMES or a role's ending. */
export function isGreetedNotName(word: string): boolean {
  return GREETED_NOT_NAMES.has(word) || GREETED_ROLE_ENDING.test(word);
}
