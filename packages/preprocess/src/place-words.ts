/**
 * Places a signature names on the line under a closing where a name would stand (`Viele Grüße\nBerlin, Germany`,
 * `Best regards\nLondon, UK`, `Mit freundlichen Grüßen\nBad Homburg`): where the writer is, not who. And the job or
 * firm a signed name has after its comma (`Anna Schmidt, Filialleiterin bei Beispiel GmbH`): what the writer does.
 */
import { LEGAL_FORMS } from './name-words.js';
import { STARTS_UPPER } from './letter-case.js';

/** Countries and regions after a town and a comma, in lower case (`Berlin, Germany`, `Wien, Österreich`). */
const COUNTRY_NAMES = new Set(
  [
    'deutschland germany österreich oesterreich austria schweiz switzerland suisse svizzera liechtenstein luxemburg luxembourg',
    'frankreich france italien italy italia spanien spain españa niederlande netherlands holland belgien belgium polen poland',
    'tschechien czechia dänemark denmark schweden sweden norwegen norway finnland finland irland ireland portugal griechenland greece',
    'ungarn hungary england scotland schottland wales großbritannien usa kanada canada australien australia europa europe',
    'bayern bavaria hessen sachsen niedersachsen nordrhein-westfalen nrw baden-württemberg brandenburg thüringen tirol',
  ]
    .join(' ')
    .split(' '),
);
/** Countries of more than one word, in lower case (`Hamburg, United Kingdom` is none, `London, United Kingdom` one). */
const COUNTRY_PHRASES = new Set(['united kingdom', 'great britain', 'united states', 'vereinigte staaten', 'czech republic']);
/** Country codes, in capitals only: `de`, `it`, `no` in lower case are words (`Berlin, DE`, `London, UK`). */
const COUNTRY_CODES = new Set('D DE A AT CH LI LU FR IT ES NL BE PL CZ DK SE NO FI IE PT GR HU UK GB US USA EU U.K. U.S. U.S.A.'.split(' '));

/**
 * Towns a signature may name alone under a closing (`Viele Grüße\nMünchen`), in lower case: Germany's, Austria's and
 * Switzerland's larger ones, Europe's capitals and financial centres. None that is as often a given name (`Florence`,
 * `Austin`, `Sydney`, `Paris`), which a signature's line more likely is.
 */
const TOWNS = new Set(
  [
    'berlin hamburg münchen munich köln cologne frankfurt stuttgart düsseldorf dortmund essen leipzig bremen dresden hannover',
    'nürnberg nuremberg duisburg bochum wuppertal bielefeld bonn münster mannheim karlsruhe augsburg wiesbaden mainz kiel freiburg',
    'heidelberg potsdam rostock regensburg würzburg ulm darmstadt kassel erfurt magdeburg saarbrücken aachen braunschweig chemnitz',
    'lübeck oldenburg osnabrück göttingen jena trier koblenz ingolstadt wolfsburg offenbach heilbronn konstanz passau bamberg',
    'wien vienna graz linz salzburg innsbruck klagenfurt bregenz zürich zurich genf geneva basel bern lausanne luzern lucerne',
    'winterthur lugano zug vaduz luxemburg luxembourg london amsterdam rotterdam brüssel brussels madrid barcelona rom rome',
    'mailand milan prag prague warschau warsaw kopenhagen copenhagen stockholm oslo helsinki dublin lissabon lisbon athen athens',
    'budapest manchester edinburgh birmingham glasgow singapur singapore dubai toronto chicago boston',
  ]
    .join(' ')
    .split(' '),
);
/** Towns of more than one word, in lower case. */
const TOWN_PHRASES = new Set(['new york', 'hong kong', 'san francisco', 'los angeles', 'st. gallen', 'sankt gallen']);
/**
 * A town's name by its form, all of it: a spa (`Bad Homburg`, `Bad Soden am Taunus`), a saint's town (`St. Ingbert`), a
 * town on a river or in a region (`Frankfurt am Main`, `Neustadt an der Weinstraße`, `Mülheim an der Ruhr`).
 */
const TOWN_FORM = /^(?:(?:Bad|Sankt|St\.)[ \t]\p{Lu}[\p{L}-]{1,40}(?:[ \t](?:am|an der|ob der|im|in der)[ \t]\p{Lu}[\p{L}-]{1,40})?|\p{Lu}[\p{L}-]{1,40}[ \t](?:am|an der|ob der|im|in der)[ \t]\p{Lu}[\p{L}-]{1,40})$/u;
/** The parts of a place line, split by its commas. */
const COMMA = /[ \t]*,[ \t]*/;
/** A town of one word: capitalised, maybe joined by a dash (`Castrop-Rauxel`). */
const ONE_WORD = /^\p{Lu}[\p{L}-]{1,40}$/u;

/** Whether `words` (the words only) name a town: a known one, or one by its form (TOWN_FORM). */
function isTown(words: string): boolean {
  const lower = words.toLowerCase();
  return TOWNS.has(lower) || TOWN_PHRASES.has(lower) || TOWN_FORM.test(words);
}

/** Whether `part` names a country or a region: by name, in any case, or by its code in capitals (`DE`, `UK`). */
function isCountry(part: string): boolean {
  const lower = part.toLowerCase();
  return COUNTRY_NAMES.has(lower) || COUNTRY_PHRASES.has(lower) || COUNTRY_CODES.has(part);
}

/**
 * Whether a signature's line (`line`: from the words a cue took for a name to the line's end) names a place, not a
 * person: a town and its country or region (`Berlin, Germany`, `Bad Homburg, DE`, `London, UK`, `München, Bayern`), or
 * a known town alone or before a comma (`München`, `Frankfurt am Main`, `Berlin, Mitte`), or a country alone
 * (`Germany`). A name with its country
 * (`Anna Schmidt, Germany`) stays a name: the town before a country is one word, a known town or one by its form.
 */
export function isPlaceLine(line: string): boolean {
  const parts = line.trim().split(COMMA);
  if (parts.length > 2) return false;
  const [first, second] = parts;
  if (second !== undefined && second !== '' && isCountry(second)) return ONE_WORD.test(first) || isTown(first);
  return isTown(first) || (second === undefined && isCountry(first));
}

/**
 * The endings of a job's word, in lower case (`datenverarbeitungsleiter`, `geschäftsführerin`, `kundenberater`,
 * `sachbearbeiterin`, `manager`): what a signature line names after the name and a comma.
 */
const JOB_ENDING =
  /(?:leiter|leiterin|leitung|führer|führerin|berater|beraterin|referent|referentin|bearbeiter|bearbeiterin|assistent|assistentin|manager|managerin|direktor|direktorin|vorstand|vorständin|prokurist|prokuristin|inhaber|inhaberin|partner|partnerin|anwalt|anwältin|notar|notarin|ingenieur|ingenieurin|kaufmann|kauffrau|sekretär|sekretärin|spezialist|spezialistin|beauftragte|beauftragter|mitarbeiter|mitarbeiterin|vertreter|vertreterin|consultant|director|officer|engineer|analyst|specialist|assistant|advisor|adviser|president|founder|owner|accountant)$/u;
/** Jobs by their abbreviation or a word of their own, in lower case (`CEO`, `GF` for Geschäftsführer, `Head of Finance`). */
const JOB_WORDS = new Set('ceo cfo cto coo cio vp gf head lead'.split(' '));
/** Words before a job's word on a signature line, in lower case (`Senior Manager`, `Head of Finance`, `Stellv. Filialleiterin`). */
const JOB_QUALIFIERS = new Set('senior junior chief leading vice deputy managing general stellv stellvertretender stellvertretende leitender leitende geschäftsführender geschäftsführende'.split(' '));
/** LEGAL_FORMS in lower case (`Beispiel GmbH`, `Example Ltd`, `Volksbank Musterstadt eG`), as a signature line names the firm. */
const LEGAL_FORM_WORDS = new Set([...LEGAL_FORMS].map((form) => form.toLowerCase()));
/** Small words a job's line joins its words with (`Leiter der Abteilung Recht bei Beispiel GmbH`, `Head of Finance at Example`). */
const JOB_JOINERS = new Set('bei für im in der des den und von vom at of for the and & /'.split(' '));

/** Marks around a word of a signature line: brackets, quotes, punctuation. */
const MARKS = new Set('()"\'„“”‚‘’,;:.!?');

/** A word without the marks around it (`(Beispiel`, `GmbH),`), read from both ends: linear however many marks. */
function unmarked(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && MARKS.has(word[start])) start += 1;
  while (end > start && MARKS.has(word[end - 1])) end -= 1;
  return word.slice(start, end);
}

/** A line's words without the marks around them (`(Beispiel GmbH),` gives `Beispiel`, `GmbH`). */
const lineWords = (line: string) =>
  line
    .split(/[ \t]+/u)
    .map(unmarked)
    .filter((w) => w !== '');

/** Whether a word names a job (`Filialleiterin`, `CFO`), in any case, a part of a hyphenated one too (`Team-Leiter`). */
export function isJobWord(word: string): boolean {
  return word
    .toLowerCase()
    .split('-')
    .some((part) => JOB_WORDS.has(part) || JOB_ENDING.test(part));
}

/**
 * Whether what follows a signed name and its comma (`line`, to the line's end) names the writer's job or firm, not more
 * of a sentence (`Anna Schmidt, Datenverarbeitungsleiterin bei Beispiel GmbH`, `John Smith, Head of Finance`, `Anna
 * Schmidt, Beispiel GmbH`): it opens with a job's word, maybe after a qualifier (`Senior`, `Stellv.`), or a word of it
 * is a company's legal form; and it goes on with capitalised words and small joining words only (`Manager sagt nein`,
 * `ist die Beispiel GmbH …` are sentences).
 */
export function isJobLine(line: string): boolean {
  const words = lineWords(line);
  const lower = words.map((w) => w.toLowerCase());
  const named = (from: number) => words.slice(from).every((w, k) => STARTS_UPPER.test(w) || JOB_JOINERS.has(lower[from + k]) || LEGAL_FORM_WORDS.has(lower[from + k]));
  if (lower.some((w) => LEGAL_FORM_WORDS.has(w))) return named(0);
  const at = lower.length > 1 && JOB_QUALIFIERS.has(lower[0]) ? 1 : 0;
  return at < words.length && isJobWord(words[at]) && named(at + 1);
}
