/**
 * Names, for `redactPii`'s `names` detector (street addresses are in addresses.ts). Only what the text itself marks is
 * taken, so ordinary capitalised nouns stay:
 * - a name after a salutation or title (`Frau Schneider`, `Herrn Dr. Meier`, `Mr. Smith`): the title
 *   stays, the name becomes `[NAME]`;
 * - a name greeted without a title, before the greeting's comma (`Hallo Anna,`, `Dear John Smith,`, `Sehr geehrte Anna Schmidt,`; in lower case
 *   after a greeting that opens its line: `hallo markus,`);
 * - a name the writer gives (`mein Name ist Anna Schneider`, `Mein Name lautet`, `ich heiße`, `my name is`, `Name:`,
 *   `Ich, Anna Schneider, widerrufe …`), a relative's (`meine Tochter Lena Schmitt`, `unsere Tochter`), or one signed
 *   with after a closing (`Viele Grüße, Anna`, `Best regards\nJohn Smith`), alone on the rest of its line, or of two
 *   words or more on the next line before a separator (`Anna Schmidt | Tel. …`);
 * - the display name in a quoted or forwarded header (`Von: Erika Mustermann <…>`, `To: Jane <…>`).
 * A name in capitals (`Herr MÜLLER`, `ANNA SCHMIDT`, `Jean DUPONT`) is taken where its capitalised form would
 * be, less the words in capitals at its ends that name no one (`Herrn Müller IBAN`); after a closing, a line
 * in capitals with such a word (`Danke!\nBITTE UM RÜCKRUF`) is no name but more of the message.
 */
import { composeDiacritics } from './compose.js';
import { plainSpaces } from './spaces.js';
import { capsTrimmed, inBankPhraseAt, isAllCaps, isCapsNotName, isClosingPhrase, isDeskWord, isGreetedNotName, isRoleWord, LEGAL_FORMS, NOT_GIVEN_WORDS, NOT_NAME_WORDS, TITLE_WORDS } from './name-words.js';
import { inIntroducedListAt } from './introduced-list.js';
import { isJobLine, isJobWord, isPlaceLine } from './place-words.js';
import type { Hit } from './redact.js';
import { STARTS_UPPER } from './letter-case.js';

// Every quantifier is bounded and each part starts with a literal or a capital letter, so matching stays linear.
/** `Anna`, `O'Neill`, `McDonald`; two of them joined by a hyphen (`Heide-Schulz`); never `Dr.` or `Prof.`. */
const PART = String.raw`\p{Lu}(?:['’]\p{Lu}|\p{Ll}{1,2}\p{Lu})?\p{Ll}{1,30}`;
export const WORD = String.raw`(?!(?:Dr|Prof|Ing|Mag)\.)${PART}(?:-${PART})?`;
/** `MÜLLER`, `O'NEILL`, `WEIß` (`ß` has no capital in common use): two letters or more, in capitals. */
const CAPS_PART = String.raw`\p{Lu}(?:['’]\p{Lu})?[\p{Lu}ß]{1,30}`;
/**
 * A name word capitalised or in capitals (`ANNA SCHMIDT`, `Jean DUPONT`); never `DR.` or `PROF.`, nor `Dr`, `Prof` or
 * `Mx` before a blank, titles without their dot (`Dr Mehta`), whose own cue (TITLE) takes the name after them.
 */
const NAME_WORD = String.raw`(?:(?!(?:Dr|Prof|Mx)[ \t])${WORD}|(?!(?:DR|PROF)\.)${CAPS_PART}(?:-${CAPS_PART})?)`;
/**
 * The particles of family names (`Anna von der Heide`, `JAN VAN DER BERG`, `Marco della Valle`): in lower case or in
 * capitals; capitalised only those that open no German or English sentence (`Luca Di Stefano`, `Jean De Montmollin`,
 * `Marco Del Monte`; not `Da`, `Von`, `Le`: `Herr Müller Da Sie …`).
 */
const PARTICLE_WORDS = ['von', 'van', 'de', 'der', 'den', 'zu', 'di', 'da', 'du', 'le', 'la', 'ten', 'ter', 'del', 'della', 'dei'];
const CAPITALISED_PARTICLES = ['De', 'Di', 'Del', 'Della', 'Van'];
const PARTICLE = `(?:${[...PARTICLE_WORDS, ...PARTICLE_WORDS.map((w) => w.toUpperCase()), ...CAPITALISED_PARTICLES].join('|')})`;
/**
 * `min` to `max` name words, with the particles of family names between them (`Anna von der Heide`), the initials of
 * given names before the first (`J. R. R. Tolkien`) and of middle names before a later one (`John A. Doe`, `Hans P.
 * Müller`: the initial counts with the word after it).
 */
const nameWordRun = (min: number, max: number, initials = INITIALS) =>
  String.raw`${initials}(?:${PARTICLE}[ \t]){0,2}${NAME_WORD}(?:[ \t]${MIDDLE_INITIALS}(?:${PARTICLE}[ \t]){0,2}${NAME_WORD}){${min - 1},${max - 1}}`;
/**
 * One to `n` name words (`nameWordRun`); a surname after a particle belongs to the name past `n` words (`Friedrich
 * Wilhelm von Hohenstein`).
 */
const nameWords = (n: number, initials = INITIALS) => String.raw`${nameWordRun(1, n, initials)}(?:[ \t](?:${PARTICLE}[ \t]){1,2}${NAME_WORD})?`;
/**
 * First names written as their initials (`A. Schmidt`, `J. R. R. Tolkien`), also glued to the name (`A.Schmidt`,
 * `T.Müller`), or without a dot before a blank, as British writing has them (`J Thornton`, `G Pryce`): up to three.
 * Without a dot not `A` or `I`, which are English words (`Hi A Team,`, `Hello I Need Help,`); after a title they are
 * initials too (TITLED_INITIALS: `Mr A Smith`).
 */
const INITIALS = String.raw`(?:\p{Lu}\.[ \t]{0,2}|(?![AI][ \t])\p{Lu}[ \t](?=\p{Lu})){0,3}`;
const TITLED_INITIALS = String.raw`(?:\p{Lu}\.[ \t]{0,2}|\p{Lu}[ \t](?=\p{Lu})){0,3}`;
/** Middle names written as their initials, between a given name and the next word (`John A. Doe`): up to two. */
const MIDDLE_INITIALS = String.raw`(?:\p{Lu}\.[ \t]{1,2}){0,2}`;
export const END_OF_WORD = String.raw`(?![\p{L}\p{N}])`;

export const BEFORE = String.raw`(?<![\p{L}\p{N}])`;

/**
 * Titles, also in capitals where they cannot be mistaken (`HERR`, `FRAU`, `MRS.`; not `MS`, often Microsoft), and
 * the German engineer's and economist's degrees (`Dipl.-Ing.`, `Dipl.-Kfm.`); French and Italian ones (`Madame`, `Mme`,
 * `Monsieur`, `M.`, `Mlle`, `Signora`, `Sig.`, `Sig.ra`, `Dott.ssa`), `M.` not before a degree's abbreviation (`M. Sc.`).
 * `Dr`, `Prof` and `Mx` also without a dot before a blank, as British writing has them (`Dear Dr Mehta,`), not as a
 * word's start (`Dresden`, `Profil`). No `\p{…}` here: NAME_CUE, which holds it, has no `u` flag.
 */
const TITLE = String.raw`(?:Herrn?|Frau|Hr\.|Fr\.|Mrs?\.?|Ms\.?|Mx(?:\.|(?=[ \t]))|Miss|Dr(?:\.|(?=[ \t]))|Prof(?:\.|(?=[ \t]))|Dipl\.-(?:Ing|Kfm|Kffr|Vw)\.|HERRN?|FRAU|MRS?\.|MS\.|Madame|Mme\.?|Monsieur|Mademoiselle|Mlle\.?|M\.(?![ \t]?(?:Sc|Eng|Ed|Phil|Litt|A|B)\.)|Signora|Signorina|Signor|Sig\.(?:ra|na)?|Dott\.(?:ssa)?|Avv\.|MADAME|MONSIEUR|SIGNORA|SIGNOR)`;
/** The signature separator, `-- ` alone on its line: a signature's name follows it as it follows a closing. */
const SIG_DASHES = String.raw`(?<=^|\n)--(?=[ \t]?\r?\n)`;
/**
 * A greeting a name may follow, also in lower case (`hallo Anna,`, `moin Jens,`, `Guten Tag Anna,`, `Sehr geehrte Anna
 * Schmidt,`); French and Italian ones (`Bonjour Pierre,`, `Salut Pierre,`, `Cher Pierre,`, `Chère Madame Favre,`, `Ciao
 * Luca,`, `Caro Marco,`, `Gentile Signora Rossi,`). `Ciao` capitalised is a closing's cue as well: read as a greeting
 * on the text's first line only.
 */
const GREETING = String.raw`(?:[Ss]ehr geehrte[rs]?|[Hh]allo|[Hh]ello|[Hh]i|[Hh]ey|[Ll]iebe|[Ll]ieber|[Dd]ear|[Mm]oin|[Ss]ervus|[Gg]rüezi|[Gg]uten (?:[Tt]ag|[Mm]orgen|[Aa]bend)|[Bb]onjour|[Bb]onsoir|[Ss]alut|[Cc]h(?:er|ère)s?|[Bb]uongiorno|[Bb]uonasera|[Ss]alve|[Cc]iao|Car[oai]|[Gg]entil(?:e|i|issim[oa])|[Ee]gregi[oa])`;
/**
 * A relative the writer names (`my husband Thomas Becker`, `my late father, Karl-Heinz Brandt`, `meine Tochter Lena
 * Schmitt`, `das Konto meiner Mutter Gertrud Krüger`, `meinem verstorbenen Vater Andrzej Kowalski`, `für meinen Sohn
 * Paul Schmitt`): the name after it is
 * a person's as surely as one a writer introduces themself with. Written from the letter after `m` (`y husband`,
 * `eine Tochter`, `einer Mutter`), as the scan's other cues are, so that `My` and `Meine` need no second spelling. In
 * French and Italian too (`ma mère Monique Favre`, `mon père`, `mia madre Maria Rossi`, `mio padre`).
 * Not `Frau` or `Herr` alone, which are titles and cue a name of their own (`meine Frau Schmidt`).
 */
const RELATIVE_CUE = String.raw`(?:y (?:late )?(?:husband|wife|son|daughter|mother|father|partner|brother|sister|grandmother|grandfather|grandson|granddaughter|mum|mom|dad|uncle|aunt)|ein(?:e[nrms]?)? (?:verstorbene[nr]? )?(?:Ehemann(?:e?s)?|Ehefrau|Mann(?:e?s)?|Sohn(?:e?s)?|Tochter|Mutter|Vaters?|Bruders?|Schwester|Partnerin|Partners?|Lebensgefährtin|Lebensgefährten?|Großmutter|Großvaters?|Oma|Opas?|Enkelin|Enkels?|Tante|Onkels?|Schwiegermutter|Schwiegervaters?)|eine verstorbene Frau|a (?:défunte )?(?:mère|femme|fille|sœur|soeur|grand-mère|conjointe|compagne|tante|belle-mère|petite-fille)|on (?:défunt |feu )?(?:père|mari|fils|frère|grand-père|époux|épouse|conjoint|compagnon|oncle|beau-père|petit-fils)|ia (?:defunta )?(?:madre|moglie|figlia|sorella|nonna|zia|compagna|suocera)|io (?:defunto )?(?:padre|marito|figlio|fratello|nonno|zio|compagno|suocero)),?`;
/**
 * A relative of the writer's family (`Unsere Tochter Lena Schmitt`, `für unseren Sohn Paul`, `our daughter Emily
 * Smith`), as RELATIVE_CUE from the letter after `U` or `O` (`nsere Tochter`, `ur daughter`): kin only, not a partner
 * or `Mann`, which a firm has too (`unser Partner Beispiel`, `unser Mann in Frankfurt`); `unsere Bank`,
 * `unsere Tochtergesellschaft` name no relative.
 */
const OUR_RELATIVE_CUE = String.raw`(?:ur (?:late )?(?:son|daughter|mother|father|brother|sister|grandmother|grandfather|grandson|granddaughter|mum|mom|dad|uncle|aunt)|nser(?:e[nmrs]?)? (?:verstorbene[nr]? )?(?:Sohn(?:e?s)?|Tochter|Mutter|Vaters?|Bruders?|Schwester|Großmutter|Großvaters?|Oma|Opas?|Enkelin|Enkels?|Tante|Onkels?)),?`;
/**
 * The relatives after whom one capitalised word is a given name (`Meine Tochter Emma soll …`, `my son Paul`), from the
 * letter after `m` as RELATIVE_CUE: in German only at a sentence's `Mein`/`Meine`, where the word after the relative
 * can be no object (`Darf meine Tochter Aktien kaufen?`, `meinem Sohn Geld überweisen`), and not `meine Bank`. The
 * word ends the clause or a word in lower case follows it, as a verb does (`Emma soll`; `Mein Vater Jahrgang 1950`,
 * `Mein Mann Ende Mai` are no names).
 */
const RELATIVE_ALONE = new RegExp(
  String.raw`(?:(?<=${BEFORE}[Mm])y (?:late )?(?:husband|wife|son|daughter|mother|father|brother|sister|grandson|granddaughter|mum|mom|dad)|(?<=${BEFORE}M)eine? (?:Ehemann|Ehefrau|Mann|Sohn|Tochter|Mutter|Vater|Bruder|Schwester|Enkelin|Enkel|Oma|Opa)|(?<=${BEFORE}[Mm])(?:a (?:mère|femme|fille|sœur|soeur)|on (?:père|mari|fils|frère)|ia (?:madre|moglie|figlia|sorella)|io (?:padre|marito|figlio|fratello))),?[ \t]{1,3}(${WORD})${END_OF_WORD}(?=[ \t]{1,3}\p{Ll}|[ \t]{0,3}(?:[,.;:!?)]|\r?\n|$))`,
  'uy',
);

/**
 * The cues of NAME_CUE for the French and Italian phrases a writer gives a name with (`Je m'appelle`, `Mi chiamo`, `Mon
 * nom est`, `Il mio nome è`) and the fields that name a person (`Titulaire du compte:`, `Titolare del conto:`,
 * `Intestatario:`, `Nom:`, `Prénom:`, `Nome:`, `Cognome:`, `Nominativo:`, `Bénéficiaire:`, `Beneficiario:`): GIVEN reads them.
 */
const FR_IT_GIVEN_CUE = String.raw`appelle|chiamo|nom est|nome è|Titulaire|Titolare|Intestatari|Nom|Prénom|Cognome|Bénéficiaire|Beneficiario`;
/**
 * The cues of NAME_CUE for the French, Italian and Swiss closings of CLOSING (`Cordialement`, `Bien à vous`,
 * `Meilleures salutations`, `Bonne journée`, `Merci vielmal`, `En schöne Tag`, `Cordiali saluti`, `Un cordiale saluto`,
 * `Grazie`, `Buona giornata`), each starting where its CLOSING alternative starts. `Salutations` and `Saluti` from their
 * capital: the greeting `Salut` (a later group) would take their first letters.
 */
const FR_IT_CLOSING_CUE = String.raw`ordialement|[Ss]alutations|ien à (?:vous|toi)|onne (?:fin de )?journée|onne soirée|elle journée|erci|chönen? Tag|[Ss]alut[io]|ordiale saluto|razie|uona (?:giornata|serata)|ORDIALEMENT|SALUTATIONS|SALUT[IO]`;

// One cheap scan finds the cues (a title, a naming phrase, a closing, a greeting, a header); the full
// pattern then runs only where a cue is, anchored there. Scanning with the full patterns, or with a
// lookbehind, costs several times more on every text, and most texts hold no cue.
const NAME_CUE = new RegExp(String.raw`(${TITLE})|(name's|Name|name|heiße|his is|ch bin|I'm|I’m|I am|er ist|behalf of|${RELATIVE_CUE}|${OUR_RELATIVE_CUE}|[Ii]ch,(?<![A-Za-zÄÖÜäöüß][Ii]ch,)|ICH,|I,|gez\.|Kontoinhaber|Depotinhaber|Karteninhaber|Inhaber|Bevollmächtigte|Vorname|Nachname|Cardholder|Card holder|Ansprechpartner|Empfänger|Zahlungsempfänger|Begünstigte|Account holder|Beneficiary|Payee|Contact person|${FR_IT_GIVEN_CUE})|(Grü(?:ß|ss)en?|Gruß|Gru(?:ss|essen?)|egards|incerely|aithfully|ruly|ochachtungsvoll|Tschüs|Ciao|Bis dann|Bis bald|Mfg|mfg|heers|hanks|hank you|ielen Dank|anke|MfG|LG|VG|esten Dank|est|ishes|${FR_IT_CLOSING_CUE}|GRÜ(?:ß|SS)EN?|GRU(?:ß|SS|ESSEN?)|EGARDS|INCERELY|HANKS|ANKE|MFG|${SIG_DASHES})|(${GREETING})|((?:Von|From|An|To|Cc|CC|Absender|Sender):)`, 'g');
/**
 * Academic titles and their faculties after the first title (`Frau Prof. Dr. med.`, `Herr Dr. Dr. h.c. mult.`, `Herr Ing.`, `Frau Mag.`, `Herr
 * Dipl.-Ing.`). `Ing.` and `Mag.` only here: alone they may end a sentence about the bank (`Kunde bei der Ing.`).
 */
const MORE_TITLES = String.raw`(?:[ \t]{1,3}(?:Dr(?:\.|(?=[ \t]))|Prof(?:\.|(?=[ \t]))|DR\.|PROF\.|Ing\.|Mag\.|Dipl\.-(?:Ing|Kfm|Kffr|Vw)\.|med\.|phil\.|jur\.|rer\.[ \t]?nat\.|h\.[ \t]?c\.|mult\.)){0,5}`;
/** At a title: the title, then the name (group 1), its initials with or without dots (`Mr G Pryce`, `Mr A Smith`). */
const TITLED = new RegExp(String.raw`${BEFORE}${TITLE}${MORE_TITLES}[ \t]{1,3}(${nameWords(2, TITLED_INITIALS)})${END_OF_WORD}`, 'uy');
/** The French and Italian phrases a writer gives a name with: `Je m'appelle`, `Mi chiamo`, `Mon nom est`, `Il mio nome è`. */
const FR_IT_GIVEN = String.raw`(?<=${BEFORE}[Jj]e m['’])appelle|(?<=${BEFORE}[Mm]i )chiamo|(?<=${BEFORE}[Mm]on )nom est|(?<=${BEFORE}[Mm]io )nome è`;
/** French and Italian fields that name a person, before their colon (`Titulaire du compte`, `Titolare del conto`, `Cognome`). */
const FR_IT_FIELD = String.raw`Titulaire(?: du compte| de la carte)?|Titolare(?: del conto| della carta)?|Intestatari[oa](?: del conto)?|Nom(?: de famille)?|Prénom|Nome|Cognome|Nominativo|Bénéficiaire|Beneficiario`;
/**
 * At `Name`, `name` or `heiße`: the phrase a writer gives a name with, then the name (group 1); also a field that
 * names a person (`Kontoinhaber:`, `Depotinhaber:`, `Bevollmächtigter:`, `Nachname:`, `Ansprechpartnerin:`, `Empfänger:`, `Beneficiary:`).
 * The name ends before the label of a field after it on the same line (`Vorname: Lisa Nachname: Schmitz`).
 */
const GIVEN = new RegExp(
  String.raw`(?:(?<=${BEFORE}[Mm]ein )Name (?:ist|lautet)|(?<=${BEFORE}[Mm]y )name is|${BEFORE}[Nn]ame:|(?<=${BEFORE}[Ii]ch )heiße|${FR_IT_GIVEN}|${BEFORE}gez\.|${BEFORE}(?:(?:Kontoi|Depoti|Karteni|I)nhaber(?:in|\(in\))?|Bevollmächtigte(?:[rn]|\(r\))?|Vorname|Nachname|Card[ ]?holder|Ansprechpartner(?:in)?|(?:Zahlungs)?[Ee]mpfänger(?:in)?|Begünstigte[rn]?|Account holder|Beneficiary|Payee|Contact person|${FR_IT_FIELD}):)[ \t]{1,40}(${nameWords(3)})${END_OF_WORD}(?!(?<=[ \t](?:(?:Vor|Nach|Geburts)?[Nn]ame|Nom|Prénom|Nome|Cognome)):)`,
  'uy',
);
/**
 * At a label of a field that names a person, opening its line without a colon, then a name ending the line (group 1):
 * a form, or an HTML table's row as text (`<td>Name</td><td>Anna Schmidt</td>` reads `Name Anna Schmidt`). After
 * `Vorname` and `Nachname` one word, after the others two or three (`Name Betrag` heads a table's column).
 */
const FIELD_LINE = new RegExp(
  String.raw`(?<=(?:^|\n)[ \t]{0,8})(?:Vorname|Nachname|Name|(?:Kontoi|Depoti|Karteni|I)nhaber(?:in)?|Card[ ]?holder|Account holder)[ \t]{1,8}(${nameWords(3)})(?=[ \t]*(?:\r?\n|$))`,
  'uy',
);
/** A name word in lower case (`max`, `mustermann`, `müller-lüdenscheidt`). */
const LOWER_WORD = String.raw`\p{Ll}{2,30}(?:-\p{Ll}{2,30})?`;
/**
 * At `name` or `heiße` of the explicit phrases only (`mein name ist`, `my name is`, `ich heiße`), a name of two or three
 * words in lower case (group 1), as a writer in lower case gives it; only where it ends the clause (a mark, the line's
 * end, `und`, `and`), so that more of a sentence is not taken for it.
 */
const GIVEN_LOWER = new RegExp(
  String.raw`(?:(?<=${BEFORE}[Mm]ein )[Nn]ame (?:ist|lautet)|(?<=${BEFORE}[Mm]y )name is|(?<=${BEFORE}[Ii]ch )heiße|${FR_IT_GIVEN})[ \t]{1,3}(${LOWER_WORD}(?:[ \t]${LOWER_WORD}){1,2})(?=[ \t]*(?:[,.;:!?)\r\n]|$)|[ \t]{1,3}(?:und|and|et|e)[ \t])`,
  'uy',
);

/**
 * At a phrase a writer introduces themself with (`This is John Smith`, `My name's`, `I'm Emily Clarke`, `Ich bin Peter Müller`, `Hier
 * ist`, `on behalf of`), then a name of two or three words (group 1): one word is too often no name (`Ich bin Kunde`).
 */
const INTRODUCED = new RegExp(
  String.raw`(?:(?<=${BEFORE}[Mm]y )name's|(?<=${BEFORE}[Tt])his is|(?<=${BEFORE}[Ii])ch bin|${BEFORE}I(?:'m|’m| am)|(?<=${BEFORE}[Hh]i)er ist|(?<=${BEFORE}on )behalf of)[ \t]{1,3}(${nameWordRun(2, 3)})${END_OF_WORD}`,
  'uy',
);
/** At a relative (RELATIVE_CUE, OUR_RELATIVE_CUE), then a name of two or three words (group 1), as INTRODUCED. */
const RELATED = new RegExp(
  String.raw`(?:(?<=${BEFORE}[Mm])(?:${RELATIVE_CUE})|(?<=${BEFORE}[OoUu])(?:${OUR_RELATIVE_CUE}))[ \t]{1,3}(${nameWordRun(2, 3)})${END_OF_WORD}`,
  'uy',
);
/**
 * At a first-person pronoun opening a sentence or line and its comma, a name of two or three words between commas
 * (group 1), as a writer names themself in a declaration: `Ich, Erika Musterfrau, widerrufe …`, `I, John Smith, hereby
 * …`, `Sehr geehrte Damen und Herren,\nich, Erika Musterfrau, …`. Words in lower case are none (`Ich, als Kunde seit
 * 2010, …`, `I, too, …`).
 */
const FIRST_PERSON = new RegExp(
  String.raw`(?<=(?:^|[\n.!?:;])[ \t>"'„“”‚‘»«(]{0,8})(?:Ich|ich|ICH|I),[ \t]{1,3}(${nameWordRun(2, 3)})(?=[ \t]{0,3},)`,
  'uy',
);
/**
 * Informal closings (`Tschüss`, `Ciao`, `Bis dann`, `Servus`): `Servus` and `Ciao` greet too, so none of them is a
 * closing on the text's first line (`Servus,\nBitte …` opens a request).
 */
const INFORMAL = String.raw`Tschüs{1,2}|Ciao|Bis dann|Bis bald|[Ss]ervus`;
const INFORMAL_START = new RegExp(String.raw`^(?:${INFORMAL})`);
/**
 * French, Italian and Swiss closings, from where FR_IT_CLOSING_CUE finds them: `Cordialement` (`Bien cordialement`),
 * `Salutations distinguées`, `Meilleures salutations`, `Bien à vous`, `Bonne journée`, `Merci vielmal`, `Merci
 * beaucoup`, `En schöne Tag`, `Schönen Tag noch`, `Cordiali saluti`, `Saluti cordiali`, `Un cordiale saluto`, `Grazie
 * mille`, `Buona giornata`; `Besten Dank` too.
 */
const FR_IT_CLOSING = String.raw`(?<=${BEFORE}[Cc])ordialement|${BEFORE}[Ss]alutations(?:[ \t]{1,3}(?:distinguées|cordiales))?|(?<=${BEFORE}[Bb])ien à (?:vous|toi)|(?<=${BEFORE}[Bb])(?:onne (?:fin de )?journée|onne soirée|elle journée)|(?<=${BEFORE}[Mm])erci(?:[ \t]{1,3}(?:vielmal|viel mal|beaucoup|bien|d['’]avance|par avance))?|(?<=${BEFORE}[Ss])chönen? Tag(?:[ \t]{1,3}noch)?${END_OF_WORD}|${BEFORE}[Ss]alut[io](?:[ \t]{1,3}[Cc]ordiali)?|(?<=${BEFORE}[Cc])ordiale saluto|(?<=${BEFORE}[Gg])razie(?:[ \t]{1,3}mille)?|(?<=${BEFORE}[Bb])uona (?:giornata|serata)|(?<=${BEFORE}[Bb])esten Dank(?:[ \t]{1,3}(?:im[ \t]{1,3}[Vv]oraus|vorab))?|(?<=${BEFORE}C)ORDIALEMENT|${BEFORE}SALUTATIONS|${BEFORE}SALUT[IO]`;
/**
 * At a closing (its first letter may be before the cue; also in capitals: `MIT FREUNDLICHEN GRÜSSEN`,
 * `KIND REGARDS`; and spelt without umlauts: `Gruss`, `Viele Gruesse`, `Mit freundlichen Gruessen`), then a name alone on the rest of its line or on a line after it, blank lines between
 * allowed (group 1).
 */
const CLOSING = String.raw`(?:${BEFORE}Gr(?:ü(?:ß|ss)en?|uß|u(?:ss|essen?))|(?<=${BEFORE}[Rr])egards|(?<=${BEFORE}[Ss])incerely|(?<=${BEFORE}[Ff])aithfully|(?<=${BEFORE}[Tt])ruly|(?<=${BEFORE}[Hh])ochachtungsvoll|(?<=${BEFORE}[Cc])heers|(?<=${BEFORE}[Tt])hanks|(?<=${BEFORE}[Tt])hank you(?:[ \t]{1,3}(?:in advance|very much|so much))?|(?<=${BEFORE}[Vv])ielen Dank(?:[ \t]{1,3}(?:im[ \t]{1,3}[Vv]oraus|vorab))?|(?<=${BEFORE}[Dd])anke(?:[ \t]{1,3}(?:im[ \t]{1,3}[Vv]oraus|vorab))?|${BEFORE}(?:${INFORMAL})|${BEFORE}(?:MfG|Mfg|mfg|LG|VG)|(?<=${BEFORE}[Bb])est|(?<=${BEFORE}[Ww])ishes|${BEFORE}GR(?:Ü(?:ß|SS)EN?|U(?:ß|SS|ESSEN?))|(?<=${BEFORE}R)EGARDS|(?<=${BEFORE}S)INCERELY|(?<=${BEFORE}T)HANKS|(?<=${BEFORE}D)ANKE|${BEFORE}MFG|${FR_IT_CLOSING}|${SIG_DASHES})`;
/**
 * After a closing: where it was written from (`Herzliche Grüße aus Berlin`, `Salutations de Genève`, `Saluti da
 * Lugano`), then the line breaks (blank lines allowed) before the signature.
 */
const CLOSING_BREAK = String.raw`(?:[ \t]{1,3}(?:aus|from|de|depuis|da|dalla|dal)[ \t]{1,3}(?:(?:dem|der|den)[ \t]{1,3})?${WORD}(?:[ \t](?:am|an der|im|ob der)[ \t]${WORD}|[ \t]${WORD})?)?[,!.]?[ \t]{0,8}(?:\r?\n[ \t]{0,8}){1,3}`;
/**
 * Between a closing and the name signed after it: its comma, a dash on the same line (`Thanks! - Ravi Patel`, `Cheers
 * – Anna`), or the line breaks of CLOSING_BREAK.
 */
const SIGN_AFTER = String.raw`(?:,[ \t]{1,3}|[,!.]?[ \t]{1,3}[-–—][ \t]{1,3}|${CLOSING_BREAK})`;
/** A family signing (`Viele Grüße\nFam. Krüger`, `Familie Krüger`): the word stays, the surname after it is a name. */
const FAMILY = String.raw`(?:Fam\.|Familie(?=[ \t]))`;
/**
 * Academic titles before a signed name, kept: Austrian ones that TITLE leaves out, as they may end a sentence about
 * a bank (`Mag.`, `Mag.a`, `MMag.`, `Ing.`, `DI`; `Liebe Grüße\nMag. Sabine Huber`), maybe with `Dr.` after them.
 */
const SIGNED_TITLES = String.raw`(?:(?:M?Mag\.(?:a(?![\p{L}])\.?)?|Ing\.|DI(?=[ \t])|Dipl\.-Ing\.)[ \t]{1,3}(?:Dr\.[ \t]{1,3})?)?`;
/**
 * Before a signed name, kept: who signs for whom (`i.A.`, `i.V.`, `ppa.`, `gez.`), the closing's `Ihr`, `Ihre`, the
 * role a customer signs with (`Ihr Kunde`, `Ihre Kundin`), on the name's line or the line above it, or a family's
 * `Fam.`, `Familie`.
 */
const SIGNER = String.raw`(?:(?:Ihr[ \t]{1,3}Kunde|Ihre[ \t]{1,3}Kundin)(?:[ \t]{1,3}|[ \t]{0,8}\r?\n[ \t]{0,8})|(?:[iI]\.[ \t]?A\.|[iI]\.[ \t]?V\.|[Pp]pa\.|[Gg]ez\.|Ihr|Ihre|Dein|Deine|Euer|Eure)[ \t]{1,3}|${FAMILY}[ \t]{0,3})?${SIGNED_TITLES}`;
/**
 * Degrees after a signed name, ending its line, kept (`Johann Gruber, MBA`, `Sabine Huber MSc`, `Anna Berger, LL.M.`).
 */
const POST_NOMINALS = String.raw`(?:,?[ \t]{1,3}(?:MBA|MSc|M\.Sc\.|BSc|B\.Sc\.|BA|MA|M\.A\.|LL\.M\.|LL\.B\.|PhD|Ph\.D\.|CFA|CFP|CIIA|MAS|EMBA|CPA|CEFA)){1,3}`;
/** A name born with after a signed name, ending its line (`Nicole Braun, geb. Schulte`): `withMaidenNames` masks it. */
const MAIDEN_ENDS_LINE = String.raw`,?[ \t]{1,3}(?:geb\.|geborene|née)[ \t]{1,3}${NAME_WORD}[ \t]*(?:\r?\n|$)`;
const SIGNED = new RegExp(String.raw`${CLOSING}${SIGN_AFTER}${SIGNER}(${nameWords(3)})(?=(?:${POST_NOMINALS})?[ \t]*(?:\r?\n|$)|${MAIDEN_ENDS_LINE})`, 'uy');
/**
 * At a closing, then after its comma or on the next line a name of two or three words with more after a separator
 * (group 1): `Grüße, Peter Schneider, Tel. 0171 …`, `Anna Schmidt | Tel. 0211 …`, `Anna Schmidt, Berliner Allee 3, …`, `John Smith - Customer since 2010`. One word before a
 * comma is too often a sentence's first (`Danke` then `Also, ich …`).
 */
const SIGNED_THEN_MORE = new RegExp(
  String.raw`${CLOSING}${SIGN_AFTER}${SIGNER}(${nameWordRun(2, 3)})(?=[ \t]*(?:[,|·•–—]|[-/][ \t]))`,
  'uy',
);

/**
 * At a closing without a comma, then the name to the end of the line (group 1): `LG Tom`, `Gruß Anna`, `Gruß ANNA`,
 * `Mit freundlichen Grüßen Thomas Müller`, `Best regards John Smith`, `Ciao Anna`. After `MfG`, `LG` or `VG` not in
 * capitals: `LG OLED` and `VG WORT` are names of their own. `Grüßen` only after the closing's adjective (`Grüßen Sie
 * …` is a sentence), `regards` only after one or opening its line (`with regards to …`).
 */
const SIGNED_SHORT = new RegExp(
  String.raw`(?:${BEFORE}(?:(?:MfG|Mfg|mfg|LG|VG)[ \t]{1,3}(?!\p{Lu}{2})|Gr(?:ü(?:ß|ss)e|uß|u(?:ss|esse))[ \t]{1,3}|(?<=(?:[Ff]reundlichen|[Bb]esten|[Hh]erzlichen|[Ll]ieben|[Vv]ielen)[ \t]{1,3})Gr(?:ü(?:ß|ss)|ue(?:ss|ß))en[ \t]{1,3}|(?:Tschüs{1,2}|Ciao|[Ss]ervus|[Ss]aluti(?![ \t]{1,3}(?:da|dal|dalla|di)[ \t]))[ \t]{1,3})|(?<=(?:^|\n)[ \t]{0,3}(?:[Bb]ien )?C)ordialement[ \t]{1,3}|(?<=(?:(?:^|\n)[ \t]{0,3}R|(?:[Bb]est|[Kk]ind|[Kk]indest|[Ww]arm|[Ww]armest)[ \t]{1,3}[Rr]))egards[ \t]{1,3})(${nameWords(3)})(?=[ \t]*(?:\r?\n|$))`,
  'uy',
);
/** The abbreviated closings, which also name firms and products (`LG Electronics`, `Position: LG Display`). */
const ABBREVIATED = /^(?:MfG|Mfg|mfg|LG|VG)/;
const ABBREVIATED_THEN_WORD = /^(?:MfG|Mfg|mfg|LG|VG)[ \t]/;
/** Words after `LG` that make it the firm's name (`LG Electronics`, `LG Chem`), not a signature. */
const FIRM_AFTER_LG = new Set('electronics display chem energy innotek uplus household corp group'.split(' '));
/**
 * A closing's word that SIGNED_SHORT or CLOSING reads as a cue with the name or place after it (`Gruß`, `Grüße`,
 * `Regards`, `Ciao`, `Cordialement`, `Salutations`, `Saluti`): a signature line may open with it, or have it second after
 * an adjective (`Schöne Grüße`, `Best Regards`, `Meilleures Salutations`, `Cordiali Saluti`).
 */
const CLOSING_WORD = /^(?:Gr(?:ü(?:ß|ss)e|uß|u(?:ss|esse))|[Rr]egards|Ciao|Tschüs{1,2}|Servus|Cordialement|[Ss]alutations|[Ss]aluti|[Ss]aluto|Merci|Grazie)$/u;

/** Whether a cued name's line opens with a closing that takes a name after it (`Gruß Hamburg`, `Schöne Grüße Anna`). */
function opensWithClosing(name: string): boolean {
  const words = name.split(/[ \t]+/u);
  return CLOSING_WORD.test(words[0]) || (words.length > 1 && CLOSING_WORD.test(words[1]));
}

/** A sentence's end right before a closing on the same line (`Danke. LG Tom`). */
const AFTER_SENTENCE = /[.!?][ \t]{1,3}$/;

/**
 * At a closing, then after its comma or on the next line two signers with one surname, or two given names
 * (`Anna und Peter Schmidt`, `Anna & Peter Schmidt`, `Anna and Peter`): the first name (group 1), the joining word
 * (group 2), the second name ending the line (group 3).
 */
const SIGNED_PAIR = new RegExp(
  String.raw`${CLOSING}${SIGN_AFTER}${SIGNER}(${NAME_WORD})([ \t]{1,3}(?:und|and|&|u\.)[ \t]{1,3})(${nameWords(2)})(?=[ \t]*(?:\r?\n|$))`,
  'uy',
);
/**
 * At a closing, then on the next line a name written surname first, as a list has it: `Müller, Thomas`, also in
 * capitals (`MÜLLER, Thomas`, `MÜLLER, THOMAS`) (group 1).
 */
const SIGNED_REVERSED = new RegExp(String.raw`${CLOSING}${CLOSING_BREAK}${SIGNER}(${NAME_WORD},[ \t]{1,3}${NAME_WORD}(?:[ \t]${NAME_WORD})?)(?=[ \t]*(?:\r?\n|$))`, 'uy');

/** A title alone on its line, then the name alone on the next, as an address block has it: `Herrn\nThomas Müller` (group 1). */
const TITLED_LINE = new RegExp(
  String.raw`${BEFORE}${TITLE}${MORE_TITLES}[ \t]{0,8}\r?\n[ \t]{0,8}(?:(?:Dr\.|Prof\.)[ \t]{1,3}){0,3}(${nameWords(3)})(?=[ \t]*(?:\r?\n|$))`,
  'uy',
);

/** At a greeting without a title: the first name(s) right before the greeting's comma (group 1): `Hallo Anna,`. */
const GREETED = new RegExp(String.raw`${BEFORE}${GREETING}[ \t]{1,3}(${nameWords(2)})(?=[ \t]{0,3},)`, 'uy');
/**
 * At a greeting, a name of one or two words in lower case right before the greeting's comma (group 1), as a writer in
 * lower case greets: `hallo markus,`, `Hi anna schmidt,`, `hallo herr müller,` (the title stays).
 */
const GREETED_LOWER = new RegExp(String.raw`${BEFORE}${GREETING}[ \t]{1,3}(?:(?:herrn?|frau)[ \t]{1,3})?(${LOWER_WORD}(?:[ \t]${LOWER_WORD})?)(?=[ \t]{0,3},)`, 'uy');

/** Header fields of a quoted or forwarded mail that may follow a display name on the same line (Outlook runs them together). */
const NEXT_FIELD = String.raw`(?:Betreff|Subject|Gesendet|Sent|Datum|Date|Cc|CC|An|To):`;
/**
 * At a header field of a quoted or forwarded mail (`Von:`, `From:`, `An:`, `To:`, `Cc:`): the sender's or
 * recipient's display name (group 1), before the address, `[mailto:`, the line's end or the next field.
 */
const NAME_END = String.raw`(?="?(?:[ \t]{0,3}(?:<|\[mailto:|\(|;|,|\r?\n|$)|[ \t]{1,3}${NEXT_FIELD}))`;
/** A display name, also as Outlook writes it: `Mustermann, Erika`. */
const DISPLAY_NAME = String.raw`${nameWords(4)}(?:,[ \t]${nameWords(2)}(?=[ \t]{0,3}[<"\[]))?`;
const HEADER_NAME = new RegExp(String.raw`${BEFORE}(?:Von|From|An|To|Cc|CC|Absender|Sender):[ \t]{1,3}(?:${TITLE}${MORE_TITLES}[ \t]{1,3})?"?(${DISPLAY_NAME})${NAME_END}`, 'uy');
/** The next recipient of a list (`An: Dr. Max Müller; Erika Mustermann <...>`): after the `;`. */
const NEXT_RECIPIENT = new RegExp(String.raw`[^;\r\n]{0,200}?;[ \t]{0,3}(?:${TITLE}${MORE_TITLES}[ \t]{1,3})?"?(${DISPLAY_NAME})${NAME_END}`, 'uy');
/** Header keys a line of a quoted header starts with, so that `Bitte überweisen An: Finanzamt` is no header. */
const HEADER_LINE_START = /^[\s>*]*(?:(?:Von|From|An|To|Cc|CC|Absender|Sender|Gesendet|Sent|Datum|Date|Betreff|Subject):|$)/;

/** How far back a header field's line may start: Outlook's run-together fields fit, a megabyte line is not scanned. */
const HEADER_LINE_LOOKBACK = 300;

/** Whether the text before `at` on its line is empty (markers aside) or itself a header field (Outlook runs them together). */
function atHeaderLine(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && text[start - 1] !== '\n') {
    if (at - start >= HEADER_LINE_LOOKBACK) return false;
    start -= 1;
  }
  return HEADER_LINE_START.test(text.slice(start, at));
}

/** A date field or an `<address>` of a mail header: what tells a quoted header from the customer's own `Von: Tagesgeldkonto`. */
const MAIL_HEADER_EVIDENCE = /(?:^|\n)[\s>*]*(?:Gesendet|Sent|Datum|Date)(?: am)?[ \t]?:|<[^<>\s@]{1,64}@|\[mailto:/;
/** How far around a header field its header's date field or address may stand. */
const HEADER_EVIDENCE_REACH = 400;

/** Whether a date field or an address stands near the header field at `at` (the same header block). */
function nearMailHeader(text: string, at: number): boolean {
  return MAIL_HEADER_EVIDENCE.test(text.slice(Math.max(0, at - HEADER_EVIDENCE_REACH), at + HEADER_EVIDENCE_REACH));
}

/** The match of a sticky pattern at `at`, if any. */
export function stickyAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/**
 * The name of a cue's match (group 1, which ends the match), without the words in capitals at either end
 * that name no one (`Müller IBAN`, `BITTE DRINGEND`); undefined when none is left.
 */
function nameHit(m: RegExpExecArray): Hit | undefined {
  const at = m.index + m[0].length - m[1].length;
  const [start, end] = capsTrimmed(m[1]);
  return start === end ? undefined : { type: 'NAME', start: at + start, end: at + end, placeholder: '[NAME]' };
}

/**
 * The names a text's cues give (after a title, greeting, closing or header field), each once, as masking reads them:
 * letters composed, no-break spaces as spaces, invisible characters gone (`plainSpaces`), so a name written with them
 * is found, and masked in a text cleaned or masked so (`Anna\u00a0Schmidt` as `Anna Schmidt`).
 */
export function namesFound(input: string): string[] {
  const text = composeDiacritics(plainSpaces(input));
  return [...new Set(cuedNameHits(text).flatMap((h) => (h.echo === false ? [] : [text.slice(h.start, h.end)])))];
}

/**
 * Names after a title or greeting, given by the writer or signed after a closing (`[NAME]`), then each of
 * them, and each of `known` (names found in another part of the same email), wherever else it stands; in
 * text order. A name that runs into one of `addresses` (`Herr Meyer Musterstraße 12, …`) ends before it, so
 * the street's words are not looked for elsewhere as a name.
 */
export function nameHits(text: string, known: readonly string[] = [], addresses: readonly Hit[] = []): Hit[] {
  const hits = addresses.length === 0 ? cuedNameHits(text) : withAddressees(text, beforeAddresses(text, cuedNameHits(text), addresses), addresses);
  return hits.length === 0 && known.length === 0 ? hits : withMaidenNames(text, withEchoes(text, hits, known));
}

/** After a name, the name a person was born with: `, geb. Schulte`, ` geborene Schulte`, ` née Smith` (group 1). */
const MAIDEN_NAME = new RegExp(String.raw`,?[ \t]{1,3}(?:geb\.|geborene|née)[ \t]{1,3}(${NAME_WORD})${END_OF_WORD}`, 'uy');

/**
 * `hits` (in text order) with the name each was born with after it: `Nicole Braun, geb. Schulte` → `[NAME], geb.
 * [NAME]` (`geb.` alone before a date is the birth date's keyword: `geb. 14.03.1971`).
 */
function withMaidenNames(text: string, hits: Hit[]): Hit[] {
  const maiden: Hit[] = [];
  for (const h of hits) {
    const m = h.type === 'NAME' ? stickyAt(MAIDEN_NAME, text, h.end) : null;
    const hit = m === null ? undefined : nameHit(m);
    if (hit !== undefined && !NOT_NAME_WORDS.has(m![1].toLowerCase())) maiden.push({ ...hit, echo: false });
  }
  return maiden.length === 0 ? hits : [...hits, ...maiden].sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Each hit cut where an address starts inside it, less the blanks before; dropped when no letter is left. Both lists are in text order. */
function beforeAddresses(text: string, hits: readonly Hit[], addresses: readonly Hit[]): Hit[] {
  const out: Hit[] = [];
  let j = 0;
  for (const h of hits) {
    while (j < addresses.length && addresses[j].end <= h.start) j++;
    const address = j < addresses.length && addresses[j].start < h.end ? addresses[j] : undefined;
    if (address === undefined) out.push(h);
    else if (address.start > h.start) {
      const kept = text.slice(h.start, address.start).trimEnd();
      if (LETTER_AT_END.test(kept)) out.push({ ...h, end: h.start + kept.length });
    }
  }
  return out;
}
const LETTER_AT_END = /\p{L}$/u;

/** A line of two or three name words alone (`Anna Schmidt`, `Jörg van der Berg`): the addressee above a street's line. */
const ADDRESSEE_LINE = new RegExp(String.raw`[ \t]*(${nameWordRun(2, 3)})[ \t]*`, 'uy');
/** Words such a line holds that name no one: the label above an address (`Neue Anschrift`, `Meine Lieferadresse`). */
const ADDRESS_LABEL_WORDS = new Set('neue neuer alte alter meine mein unsere unser ihre anschrift adresse lieferadresse rechnungsadresse postanschrift wohnanschrift hausanschrift absender empfänger empfaenger kontoinhaber kontoinhaberin firma postfach new old my our address delivery billing postal home'.split(' '));

/**
 * `hits` with the addressee of each of `addresses` that starts a line: the line right above it when it holds two or
 * three name words alone and nothing else (`Lieferadresse:⏎Anna Schmidt⏎Gartenweg 3⏎12345 Musterstadt`), not a
 * label, a firm (`Muster GmbH`) or words that name no one. Both lists are in text order.
 */
function withAddressees(text: string, hits: Hit[], addresses: readonly Hit[]): Hit[] {
  const found: Hit[] = [];
  let j = 0;
  for (const address of addresses) {
    const lineStart = lineStartBefore(text, address.start);
    if (lineStart < 2 || text.slice(lineStart, address.start).trim() !== '') continue;
    const above = lineStartBefore(text, lineStart - 1);
    if (above < 0) continue;
    const m = stickyAt(ADDRESSEE_LINE, text, above);
    if (m === null || above + m[0].length !== lineStart - 1) continue;
    const words = m[1].split(/[ \t]+/);
    if (words.some((w) => LEGAL_FORMS.has(w) || ADDRESS_LABEL_WORDS.has(w.toLowerCase()) || NOT_NAME_WORDS.has(w.toLowerCase()))) continue;
    const hit = nameHit(m);
    if (hit === undefined) continue;
    while (j < hits.length && hits[j].end <= hit.start) j++;
    if (j >= hits.length || hits[j].start >= hit.end) found.push(hit);
  }
  return found.length === 0 ? hits : [...hits, ...found].sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The longest line an addressee's is read from: a name line is short, and a long line is not searched back. */
const ADDRESSEE_LINE_CHARS = 120;

/** Where the line holding `at` starts (after the line break before it), looking back at most ADDRESSEE_LINE_CHARS; -1 if further. */
function lineStartBefore(text: string, at: number): number {
  for (let i = at - 1; i >= 0 && at - i <= ADDRESSEE_LINE_CHARS; i -= 1) if (text.charCodeAt(i) === 10) return i + 1;
  return at <= ADDRESSEE_LINE_CHARS ? 0 : -1;
}

function cuedNameHits(text: string): Hit[] {
  const hits: Hit[] = [];
  const signScan: SignScan = { from: 0, at: -1 };
  // Where the text's first line of words ends: an informal closing there greets (`Servus,\nBitte …`).
  const firstContent = text.search(/\S/);
  const firstLineEnd = firstContent < 0 ? text.length : (text.indexOf('\n', firstContent) + 1 || text.length);
  NAME_CUE.lastIndex = 0;
  for (let cue = NAME_CUE.exec(text); cue !== null; cue = NAME_CUE.exec(text)) {
    const at = cue.index;
    if (cue[5] !== undefined) {
      if (!atHeaderLine(text, at)) continue;
      // The field's first name, then each further recipient after a `;`.
      for (let m = stickyAt(HEADER_NAME, text, at); m !== null; m = stickyAt(NEXT_RECIPIENT, text, m.index + m[0].length)) {
        // One word with no mail header around it is the customer's own field: `Von: Tagesgeldkonto`.
        const hit = /\s/.test(m[1]) || nearMailHeader(text, at) ? nameHit(m) : undefined;
        if (hit !== undefined) hits.push(hit);
        NAME_CUE.lastIndex = m.index + m[0].length;
      }
      continue;
    }
    const informal = (cue[3] ?? cue[4]) !== undefined && INFORMAL_START.test(cue[0]);
    // On the text's first line an informal closing greets (`Servus,\nBitte …`); `Ciao` greets a name there (`Ciao Luca,`).
    const greetsFirst = informal && cue[3] !== undefined && at < firstLineEnd;
    if (greetsFirst && !cue[0].startsWith('Ciao')) continue;
    const greeting = cue[4] !== undefined || greetsFirst;
    let m = stickyAt(cue[1] !== undefined ? TITLED : cue[2] !== undefined ? GIVEN : greeting ? GREETED : SIGNED, text, at);
    // `Bitte Herrn Meier Kontoauszüge zusenden`: the noun after a title's or a field's name is the request's, not the name's.
    if (cue[1] !== undefined || cue[2] !== undefined) m = withoutNounAfter(m, 1);
    // `kann meine Frau Zugriff auf das Konto bekommen?`: after `meine Frau` (a wife, not a title) a request's noun, no
    // surname; read as one, the word would be masked wherever it stands (`Der [NAME] soll ab Montag gelten`). A title
    // alone before such a word still names someone (`Bitte Herrn Karte anrufen`).
    if (cue[1] !== undefined && m !== null && POSSESSIVE_BEFORE.test(text.slice(Math.max(0, at - 12), at)) && m[1].split(/[ \t]+/u).every(isObjectNoun)) m = null;
    if (m === null && cue[1] !== undefined) m = titledLine(text, at);
    if (m === null && cue[2] !== undefined) m = introduced(INTRODUCED, text, at) ?? introduced(RELATED, text, at) ?? givenLowerCase(text, at) ?? fieldLine(text, at) ?? relativeAlone(text, at) ?? firstPerson(text, at);
    if (m === null && greeting) m = greetedLowerCase(text, at);
    // `Servus` greets, and closes too below the text's first line (`…\nServus\nThomas`): then it is read as a closing.
    const closing = (cue[3] !== undefined && !greetsFirst) || (m === null && informal && at >= firstLineEnd);
    if (m === null && closing && cue[3] === undefined) m = stickyAt(SIGNED, text, at);
    let thenMore = false;
    let reversed = false;
    if (m === null && closing) {
      const pair = signedPair(text, at);
      if (pair !== undefined) {
        hits.push(...pair);
        NAME_CUE.lastIndex = pair[pair.length - 1].end;
        continue;
      }
      m = signedShort(text, at);
      if (m === null) reversed = (m = signedReversed(text, at)) !== null;
      if (m === null) thenMore = (m = signedThenMore(text, at, signScan)) !== null;
    }
    if (m === null) continue;
    const words = m[1].split(/[ \t]+/u);
    // `Vielen Dank, Frau Müller`, `Hallo Herr Meier,`: the title's own cue takes the name, and the title stays; so does
    // a title's after another (`Madame Monsieur Dupont`), and a field's where TITLED reads one (`Account name: Mr G
    // Pryce`, `Payee: Dr Anil Mehta`; a field's value of a title TITLED does not know is masked as it was).
    if ((closing || greeting || cue[1] !== undefined || (cue[2] !== undefined && titledAt(text, m))) && TITLE_WORDS.has(words[0].toLowerCase())) continue;
    // `Ansprechpartner: Kundenservice Team`: a field or greeting naming a desk names no one.
    if ((cue[2] !== undefined || greeting) && words.every((w) => NOT_NAME_WORDS.has(w.toLowerCase()))) continue;
    // `Sehr geehrtes Support-Team,`, `Sehr geehrter Kundendienst,`, `Hallo Team der Depotabteilung,`: a greeted desk;
    // `Hallo Welt,`, `Hallo Du,`: no one.
    if (greeting && greetsDesk(words)) continue;
    // `Inhaber: Deutsche Bank AG`, `Kontoinhaber: Musterfirma GmbH`: a field that names a firm names no person.
    if (cue[2] !== undefined && namesFirm(text, words, m.index + m[0].length)) continue;
    // After a closing the name is its whole line: one in capitals with a word that names no one (`Danke!` then
    // `BITTE UM RÜCKRUF`) is more of the message.
    if (closing && isCapsNotName(m[1])) continue;
    // `Danke.\nLG Chem`: a short closing opening the line under a closing is a cue of its own, read with its checks.
    // `Danke.\nGruß Hamburg`, `Danke.\nSchöne Grüße Anna`: so is a closing that opens the name's line, whose name (or
    // place) is the rest of it.
    if (closing && (ABBREVIATED_THEN_WORD.test(m[1]) || opensWithClosing(m[1]))) {
      NAME_CUE.lastIndex = m.index + m[0].length - m[1].length;
      continue;
    }
    const hit = nameHit(m);
    if (hit === undefined) continue;
    // Without a title, one word in capitals on a line of its own is too often no name (`Viele Grüße\nETF`,
    // `Danke\nOK`); on the cue's line (`Gruß ANNA`, `Hallo TOM,`) it is one unless NOT_NAME_CAPS knows it.
    const name = text.slice(hit.start, hit.end);
    if (cue[1] === undefined && isAllCaps(name) && !/[ \t]/.test(name) && text.slice(at, hit.start).includes('\n')) continue;
    // `Viele Grüße\nBerlin, Germany`, `Mit freundlichen Grüßen\nMünchen`: where the writer is, not who.
    if (closing && isPlaceLine(restOfLine(text, hit.start, 'none'))) continue;
    // `Danke!` then `Viele Grüße` (or `Hochachtungsvoll`) then the name: the second closing is no name; it is a cue of its own.
    if (closing && isClosingPhrase(name)) {
      NAME_CUE.lastIndex = hit.start;
      continue;
    }
    // A payee may be a firm (`Empfänger: Allianz Versicherung`), and a name found by SIGNED_THEN_MORE is weakly cued:
    // masked where they stand, their words are not looked for elsewhere (`Meine Versicherung`). Nor is `Müller, Thomas`,
    // whose last word is the given name.
    if (thenMore || reversed || (cue[2] !== undefined && PAYEE.test(m[0]))) hit.echo = false;
    hits.push(hit);
    NAME_CUE.lastIndex = m.index + m[0].length;
    // A field's name written surname first (`Kontoinhaber: Schmidt, Anna`): the given name after the comma too.
    const given = cue[2] !== undefined ? givenNameAfter(text, hit.end) : undefined;
    if (given !== undefined) {
      hits.push(given);
      NAME_CUE.lastIndex = given.end;
    }
    // `Best regards\nJohn Smith\nJane Smith (joint account holder)`: a second signer on the next line.
    const next = closing && !thenMore ? nextSigner(text, hit) : undefined;
    if (next !== undefined) {
      hits.push(next);
      NAME_CUE.lastIndex = next.end;
    }
  }
  return addressedNameHits(text, hits);
}

/** A comma and one name word ending its line or before `;`, `(` or `<` (group 1): a given name after the surname. */
const GIVEN_AFTER_SURNAME = new RegExp(String.raw`,[ \t]{1,3}(${NAME_WORD})(?=[ \t]*(?:\r?\n|$|[;(<]))`, 'uy');

/** The given name after a field's surname at `end` (`Schmidt, Anna`, `Huber, Sabine (Privat)`), not echoed elsewhere; undefined if none. */
function givenNameAfter(text: string, end: number): Hit | undefined {
  const m = stickyAt(GIVEN_AFTER_SURNAME, text, end);
  // Not a place (`Empfänger: Allianz, Deutschland`, `Name: Huber, München`).
  if (m === null || NOT_NAME_WORDS.has(m[1].toLowerCase()) || TITLE_WORDS.has(m[1].toLowerCase()) || isPlaceLine(m[1])) return undefined;
  const hit = nameHit(m);
  return hit === undefined ? undefined : { ...hit, echo: false };
}

/** Whether TITLED reads a title and a name where the name of a cue's match `m` (group 1) starts. */
function titledAt(text: string, m: RegExpExecArray): boolean {
  return stickyAt(TITLED, text, m.index + m[0].length - m[1].length) !== null;
}

/** The most of a line that `restOfLine` reads: a place line is short, and a megabyte line is not read for each cue on it. */
const PLACE_LINE_MAX = 80;

/**
 * The text from `start` to its line's end, if that is at most PLACE_LINE_MAX characters away; of a longer line, ''
 * (`long: 'none'`: a place line is short) or its first PLACE_LINE_MAX characters (`long: 'cut'`: a job's line is read
 * from its start).
 */
function restOfLine(text: string, start: number, long: 'none' | 'cut'): string {
  const head = text.slice(start, start + PLACE_LINE_MAX + (long === 'none' ? 1 : 0));
  const end = head.search(/\r?\n/);
  return end >= 0 ? head.slice(0, end) : long === 'cut' || head.length <= PLACE_LINE_MAX ? head : '';
}

/** Whether a cued name's words read as a sentence or name no one (`Viele Grüße\nBitte Konto`, `Herrn\nKonto Müller`). */
function namesNoOne(name: string): boolean {
  const words = lowerWords(name.replace(/,/g, ' ')).filter((w) => w !== '' && !PARTICLES.has(w));
  return SENTENCE_STARTERS.has(words[0]) || words.some((w) => NOT_NAME_WORDS.has(w));
}

/**
 * SIGNED_SHORT's match at `at`, unless it names no one. After `MfG`, `LG` or `VG` as the cleaner reads a closing: not
 * mid-line unless after a sentence's end (`Position: LG Display`, `ich kaufe LG Display`; `Danke. LG Tom` is one), not
 * in a list a line ending in `:` introduces (`Bitte kaufen Sie:\nLG Electronics`), and not `LG` of the firm (`LG
 * Chem`, `LG Display AG`).
 */
function signedShort(text: string, at: number): RegExpExecArray | null {
  const m = stickyAt(SIGNED_SHORT, text, at);
  if (m === null || namesNoOne(m[1])) return null;
  if (!ABBREVIATED.test(m[0])) return m;
  if (!startsLine(text, at) && !AFTER_SENTENCE.test(text.slice(Math.max(0, at - 4), at))) return null;
  if (inIntroducedList(text, at)) return null;
  const words = m[1].split(/[ \t]+/u);
  return FIRM_AFTER_LG.has(words[0].toLowerCase()) || namesFirm(text, words, m.index + m[0].length) ? null : m;
}

/**
 * SIGNED_REVERSED's match at `at`, unless a word of it names no one or starts a sentence (`Danke\nAlso, Thomas`), also
 * in capitals (`Viele Grüße\nOK, Thomas`, `ETF, DAX`).
 */
function signedReversed(text: string, at: number): RegExpExecArray | null {
  const m = stickyAt(SIGNED_REVERSED, text, at);
  return m === null || namesNoOne(m[1]) || m[1].split(/[ \t,]+/u).some(isCapsNotName) ? null : m;
}

/** SIGNED_PAIR's two names at `at` (`Anna` and `Peter Schmidt`), the first not looked for elsewhere, as a given name alone. */
function signedPair(text: string, at: number): Hit[] | undefined {
  const m = stickyAt(SIGNED_PAIR, text, at);
  if (m === null || namesNoOne(`${m[1]} ${m[3]}`) || isCapsNotName(`${m[1]} ${m[3]}`)) return undefined;
  const end = m.index + m[0].length;
  const start = end - m[3].length - m[2].length - m[1].length;
  return [{ type: 'NAME', start, end: start + m[1].length, placeholder: '[NAME]', echo: false }, { type: 'NAME', start: end - m[3].length, end, placeholder: '[NAME]' }];
}

/**
 * TITLED_LINE's match at `at`: a title opening its line, alone on it, and a name of two words or more on the next that
 * reads as one (`Herr\nDepot` is no address block).
 */
function titledLine(text: string, at: number): RegExpExecArray | null {
  if (!startsLine(text, at)) return null;
  const m = stickyAt(TITLED_LINE, text, at);
  return m === null || !/[ \t]/.test(m[1]) || namesNoOne(m[1]) || isCapsNotName(m[1]) ? null : m;
}

/** Where the line holding `at` starts, looked for at most `reach` characters back; -1 when it starts further back. */
function lineStartWithin(text: string, at: number, reach: number): number {
  for (let i = at; i >= 0 && i >= at - reach; i -= 1) if (i === 0 || text[i - 1] === '\n') return i;
  return -1;
}

/**
 * Whether the line at `at`, a few characters from its start at most, is an item of a list that a line ending in `:`
 * introduces, as the cleaner reads it (`inIntroducedListAt`): that line stands above it in its paragraph, with only
 * short items between that read as no sentence (`Bitte kaufen Sie:\nLG Electronics`).
 */
function inIntroducedList(text: string, at: number): boolean {
  const lineStart = lineStartWithin(text, at, LINE_START_SLACK + 3);
  return lineStart > 0 && inIntroducedListAt(text, lineStart);
}

/** A legal form right after a name (`Musterfirma GmbH`, `Muster & Co. KG`, `Example Trading plc`, `Verein e.V.`), which NAME_WORD does not take. */
const LEGAL_FORM_AFTER = new RegExp(String.raw`(?:[ \t]{1,3}[&+][ \t]{1,3}Co\.?)?[ \t]{1,3}(?:(?:${[...LEGAL_FORMS].join('|')})\.?|e\.[ \t]?V\.|S\.A\.|N\.V\.|B\.V\.)(?![\p{L}\p{N}])`, 'uy');

/** Whether a cued name is a firm's: a legal form among its words (`Deutsche Bank AG`, `Example Ltd`) or right after it, at `end`. */
function namesFirm(text: string, words: readonly string[], end: number): boolean {
  return words.some((w) => LEGAL_FORMS.has(w.replace(/\.$/, ''))) || stickyAt(LEGAL_FORM_AFTER, text, end) !== null;
}

/** A cued name's words in lower case, as the word sets hold them. */
const lowerWords = (name: string) => name.split(/[ \t]+/u).map((w) => w.toLowerCase());

/** GIVEN_LOWER's match at `at`, unless a word of it says something about the name (`my name is spelled wrong`) or starts sentences. */
function givenLowerCase(text: string, at: number): RegExpExecArray | null {
  const m = stickyAt(GIVEN_LOWER, text, at);
  return m && !m[1].split(/[ \t]/).some((w) => NOT_GIVEN_WORDS.has(w) || SENTENCE_STARTERS.has(w) || NOT_NAME_WORDS.has(w)) ? m : null;
}

/** Characters a greeting may stand after at the start of its line: blanks and the `>` of a quote. */
const LINE_START_SLACK = 8;

/** Whether only blanks and quote marks (`> `) stand between `at` and the start of its line. */
function startsLine(text: string, at: number): boolean {
  for (let i = at - 1; i >= Math.max(-1, at - 1 - LINE_START_SLACK); i--) {
    if (i < 0 || text[i] === '\n') return true;
    if (text[i] !== ' ' && text[i] !== '\t' && text[i] !== '>') return false;
  }
  return false;
}

/**
 * Whom a greeting addresses that is no name, capitalised or not, besides NOT_NAME_WORDS and the roles (`Hallo Welt,`,
 * `Hello World,`, `Hallo Du,`, `Dear Friends,`, `Hallo Admin,`, `Hallo Filiale,`), and a firm's departments as British
 * customers greet them (`Dear Compliance,`, `Hi Pensions,`, `Dear Payments Team,`). Not kin or pet names (`Hallo
 * Schatz,`): capitalised, they are surnames as often.
 */
const GREETED_NO_ONE = new Set(
  [
    'welt world du sie ihr euch you ya nochmals erneut freunde friend friends leser readers nachbarn neighbours neighbors admin filiale',
    'compliance pensions payments accounts operations billing complaints settlements dealing custody onboarding',
  ]
    .join(' ')
    .split(' '),
);

/**
 * GREETED_LOWER's match at `at`, only for a greeting that opens its line (`ich sage hallo zurück,` greets no one), and
 * unless a word of it names no one or is no name (`hallo zusammen,`, `hallo team,`, `hi there,`, `hallo ihr lieben,`,
 * `hallo nochmal,`, `hey du,`, `hallo guten morgen,`, `hallo serviceteam,`).
 */
function greetedLowerCase(text: string, at: number): RegExpExecArray | null {
  if (!startsLine(text, at)) return null;
  const m = stickyAt(GREETED_LOWER, text, at);
  const noName = (w: string) => NOT_NAME_WORDS.has(w) || SENTENCE_STARTERS.has(w) || NOT_GIVEN_WORDS.has(w) || TITLE_WORDS.has(w) || isGreetedNotName(w) || GREETED_NO_ONE.has(w);
  return m && !m[1].split(/[ \t]/).some(noName) ? m : null;
}

/**
 * A greeting's words that name a team, a desk, a role or no one (`Support-Team`, `Hallo Welt,`), each part of a
 * hyphenated word too, particles between.
 */
function greetsDesk(words: readonly string[]): boolean {
  const named = words.filter((w) => !PARTICLES.has(w));
  // Not the lower-case greeting's list (`hallo kollege,`, `hallo schatz,`): capitalised, `Kollege Schatz` is a name.
  const noName = (part: string) => NOT_NAME_WORDS.has(part) || isRoleWord(part) || GREETED_NO_ONE.has(part);
  if (named.length === 0) return false;
  // `Hi Pensions Team,`, `Dear Private Client Desk,`: words before a team's or desk's word name which team it is.
  // `Hallo Wertpapier-Team,`: a team's word ending a compound names which team too.
  const last = named[named.length - 1].toLowerCase();
  const compoundEnd = last.includes('-') ? last.slice(last.lastIndexOf('-') + 1) : undefined;
  return named.every((w) => w.toLowerCase().split('-').every(noName)) || (named.length > 1 && isDeskWord(last)) || (compoundEnd !== undefined && isDeskWord(compoundEnd));
}

/** Words that head a table's columns (`Name Betrag Datum`, `Name Vorname Geburtsdatum`): a row of them names no one. */
const COLUMN_WORDS = new Set(
  'betrag datum wert summe saldo anzahl menge stück kurs preis währung isin wkn vorname nachname geburtsdatum adresse anschrift straße ort plz telefon email e-mail konto iban bic depot status typ art nummer amount date value price quantity currency phone address'.split(' '),
);

/**
 * FIELD_LINE's match at `at` (its name in group 1), unless the name is in capitals (`Name ISIN WKN`) or a word of it
 * starts sentences, names no one (`Name Ihrer Bank`) or heads a column.
 */
function fieldLine(text: string, at: number): RegExpExecArray | null {
  const m = stickyAt(FIELD_LINE, text, at);
  if (m === null || isAllCaps(m[1])) return null;
  const words = lowerWords(m[1]).filter((w) => !PARTICLE_WORDS.includes(w));
  if (words.length < 2 && !/^(?:Vor|Nach)name/.test(m[0])) return null;
  return words.some((w) => SENTENCE_STARTERS.has(w) || NOT_NAME_WORDS.has(w) || NOT_GIVEN_WORDS.has(w) || COLUMN_WORDS.has(w)) ? null : m;
}

/**
 * The match at `at` of INTRODUCED or RELATED (`re`), unless a word of it starts sentences or names no one (`Ich bin
 * Neukunde Ihrer Bank`), or it opens with a title, whose own cue takes the name after it (`meinem Vater Herrn Brandt`:
 * the title stays), or with a noun of time (`Ich bin Anfang Juni …`, `Mein Mann Ende Mai …`); after a relative, not a
 * security (`für unseren Sohn Apple Aktien`: see `namesSecurity`).
 */
function introduced(re: RegExp, text: string, at: number): RegExpExecArray | null {
  // `meiner Tochter Anna Schmidt Vollmacht erteilen`: the noun after the name is the request's. After a relative one
  // word is left a name (`meiner Tochter Anna Vollmacht`), after `Ich bin` two (`Ich bin Kunde` names no one).
  const m = withoutNounAfter(stickyAt(re, text, at), re === RELATED ? 1 : 2);
  const words = m ? lowerWords(m[1]) : [];
  if (m === null || TITLE_WORDS.has(words[0]) || TIME_NOUNS.has(words[0])) return null;
  if (words.some((w) => SENTENCE_STARTERS.has(w) || NOT_NAME_WORDS.has(w) || PROSE_WORDS.has(w))) return null;
  // After a relative, what one buys or saves for them (`für unseren Sohn Apple Aktien`, `meiner Tochter MSCI World ETF`).
  return re === RELATED && namesSecurity(m[1]) ? null : m;
}

/** A possessive right before a title's word (`meine Frau`, `meiner Frau`, `Ihre Frau`): the word names a relative, not a title. */
const POSSESSIVE_BEFORE = /(?<![\p{L}])(?:mein|dein|sein|ihr|unser|euer|eur)(?:e[mnrs]?)?[ \t]{1,3}$/iu;

/**
 * Nouns of a request that a capitalised name runs into (`Bitte meiner Tochter Anna Schmidt Vollmacht erteilen`, `Bitte
 * Herrn Meier Kontoauszüge zusenden`, `Mein Vater Karl Huber Testament liegt bei`, `Ich bin Peter Müller Kunde seit
 * 2010`), in lower case: no name's last word. Whole words, and the ends of compounds (OBJECT_NOUN_END: `Kontovollmacht`,
 * `Depotauszüge`, `Kreditkarte`), none of them a surname's.
 */
const OBJECT_NOUNS = new Set(
  [
    'vollmacht vollmachten testament testaments erbschein erbscheins nachlass unterlagen dokument dokumente kopie kopien zugang zugriff zugangsdaten einsicht auskunft informationen geld kredit darlehen sparbuch überweisung überweisungen auszahlung unterschrift schlüssel bescheinigung bescheinigungen bescheid nachricht rückruf termin kunde kundin',
    'power statements statement documents access card account customer money',
  ]
    .join(' ')
    .split(' '),
);
const OBJECT_NOUN_END = /(?:vollmachte?n?|auszug|auszüge|auszügen|karten?|konto|konten|depots?|vertrag|verträge|urkunden?)$/u;

/** Whether a word of a cued name is a request's noun (OBJECT_NOUNS, OBJECT_NOUN_END), written capitalised or in capitals. */
function isObjectNoun(word: string): boolean {
  const w = word.toLowerCase();
  return OBJECT_NOUNS.has(w) || OBJECT_NOUN_END.test(w);
}

/**
 * A cued name's match (group 1 ends it) less the request's nouns at its end (`Anna Schmidt Vollmacht` → `Anna Schmidt`)
 * and a next field's label before its colon; null when fewer than `min` words are left. A match of nouns only stays as
 * it is, for the cue's own checks.
 */
function withoutNounAfter(m: RegExpExecArray | null, min: number): RegExpExecArray | null {
  if (m === null) return null;
  let name = m[1];
  // `Nachname: Möllenkamp Geburtsdatum: 30.09.1961`, a form run onto one line: a field's word before a colon labels the
  // next field (a surname before a colon stays: `Konto von Herrn Max Spargelmann: DE89 …`).
  const lastWord = /[ \t]+([^ \t]+)$/u.exec(name)?.[1];
  if (lastWord !== undefined && COLUMN_WORDS.has(lastWord.toLowerCase()) && /^[ \t]{0,3}:/.test(m.input.slice(m.index + m[0].length, m.index + m[0].length + 4))) {
    name = name.slice(0, name.length - lastWord.length).trimEnd();
  }
  for (let last = name.search(/[ \t][^ \t]*$/u); last > 0 && isObjectNoun(name.slice(last + 1)); last = name.search(/[ \t][^ \t]*$/u)) {
    name = name.slice(0, last).trimEnd();
  }
  if (name.length === m[1].length) return m;
  if (name.split(/[ \t]+/u).length < min) return null;
  const cut = m[1].length - name.length;
  m[0] = m[0].slice(0, m[0].length - cut);
  m[1] = name;
  return m;
}

/**
 * Words of securities, accounts and who holds them (`Apple Aktien`, `Deka Fonds`, `Tesla Shares`, `Apple Aktionär`), in
 * lower case: a cued name holding one, or a hyphened part of one (`Apple-Aktien`), names none.
 */
const SECURITY_WORDS = new Set(
  'aktie aktien anleihe anleihen fonds etf etfs zertifikat zertifikate wertpapier wertpapiere sparplan depot konto share shares stock stocks bond bonds fund funds aktionär aktionärin aktionäre anleger anlegerin shareholder shareholders investor'.split(' '),
);

/** Whether a cued name's words hold a security's word (SECURITY_WORDS) or a word in capitals that names no one (`MSCI World ETF`). */
function namesSecurity(name: string): boolean {
  return name.split(/[ \t]+/u).some((w) => isCapsNotName(w) || w.toLowerCase().split('-').some((part) => SECURITY_WORDS.has(part)));
}

/**
 * FIRST_PERSON's match at `at`, unless a word of it starts sentences, names no one, is prose, a job's or a noun's (`Ich,
 * Ihre Kundin, …`, `I, The Undersigned, …`, `Ich, Inhaber Des Kontos, …`), or it opens with a title, whose own cue takes
 * the name after it (`Ich, Frau Erika Musterfrau, …`: the title stays).
 */
function firstPerson(text: string, at: number): RegExpExecArray | null {
  const m = stickyAt(FIRST_PERSON, text, at);
  const words = m ? lowerWords(m[1]) : [];
  if (m === null || TITLE_WORDS.has(words[0]) || TIME_NOUNS.has(words[0])) return null;
  const noName = (w: string) => SENTENCE_STARTERS.has(w) || NOT_NAME_WORDS.has(w) || PROSE_WORDS.has(w) || NOT_GIVEN_WORDS.has(w) || NOUN_ENDING.test(w);
  return words.some(noName) || m[1].split(/[ \t]+/u).some((w) => isJobWord(w)) || namesSecurity(m[1]) ? null : m;
}

/**
 * Verbs that Title Case writing capitalises after a relative (`My Son Has An Account` as `My son Has …`), and the nouns
 * of time a German subject takes after it (`Meine Mutter Anfang des Jahres …`).
 */
const VERBS_AFTER_RELATIVE = new Set('has had have is was were will would can could did does do passed died lives lived wants wanted needs needed anfang ende mitte jahrgang'.split(' '));
/** German nouns of time a name's cue may stand before (`Ich bin Anfang Juni im Urlaub`, `Mein Mann Ende Mai`): no name. */
const TIME_NOUNS = new Set('anfang ende mitte jahrgang'.split(' '));

/**
 * RELATIVE_ALONE's match at `at`: a given name alone after a relative (`Meine Tochter Emma`), unless the word starts
 * sentences, names no one, is a title, prose, a job's or a noun's (`My son Has`, `Mein Sohn Anfang …`).
 */
function relativeAlone(text: string, at: number): RegExpExecArray | null {
  const m = stickyAt(RELATIVE_ALONE, text, at);
  if (m === null) return null;
  const word = m[1].toLowerCase();
  const noName = SENTENCE_STARTERS.has(word) || NOT_NAME_WORDS.has(word) || TITLE_WORDS.has(word) || PROSE_WORDS.has(word) || NOT_GIVEN_WORDS.has(word) || GREETED_NO_ONE.has(word) || VERBS_AFTER_RELATIVE.has(word);
  return noName || isJobWord(m[1]) || NOUN_ENDING.test(word) || isAllCaps(m[1]) ? null : m;
}

/**
 * Words of prose that Title Case writing capitalises after `I am` / `I'm` (`I am Writing To You`, `I am Very Happy`):
 * no name holds one.
 */
const PROSE_WORDS = new Set(
  'to you your for with about in on at of from by as is am are was be been being not very so too just really still writing looking trying going glad happy sorry pleased interested unhappy unsure sure new'.split(' '),
);

/** Fields that name whom money goes to: a firm as often as a person. */
const PAYEE = /^(?:(?:Zahlungs)?[Ee]mpfänger|Begünstigte|Beneficiary|Payee|Bénéficiaire|Beneficiario)/;

/** Words a sentence starts with after a closing line (`Danke` then `Die Überweisung, die …`): no name starts so. */
const SENTENCE_STARTERS = new Set(
  'die der das dem den des ein eine einen einem einer mein meine meinen meinem meiner unser unsere ihr ihre ihrer ihren ihrem bitte ich wir sie es er hier heute leider also aber und noch the a an my our your please i we this that it here today sorry also but and still'.split(' '),
);
/** Of one text: from `from`, the first digit, `@` or line break is at `at` (none between). */
interface SignScan {
  from: number;
  at: number;
}

/**
 * What masking leaves of a number or an address (`[PHONE]`, `[EMAIL]`, `[ACCOUNT]`): stored text masks names in a
 * text whose numbers are masked already (`Thanks, Tom Baker, [EMAIL]`), and they still make the line a signature's.
 */
const MASKED = /\[[A-Z][A-Z0-9_]{1,30}\]/y;

/**
 * After a comma, a signature line goes on with an address, a number or an email address (`Anna Schmidt, Berliner Allee
 * 3`), or what masking left of one (MASKED): whether a digit, `@` or such a placeholder comes before the line ends.
 * The first such character (or line break) found from a place is remembered in `scan` (one per text): the next
 * closing on the same line reads it again, not the rest of the line (a line of 60,000 `Gruß, Max Muster,` took a
 * minute when each read its whole rest).
 */
function signatureRestOnLine(text: string, from: number, scan: SignScan): boolean {
  if (!(from >= scan.from && from <= scan.at)) {
    let at = from;
    for (; at < text.length; at += 1) {
      const c = text.charCodeAt(at);
      if (c === 10 || c === 13 || c === 64 || (c >= 48 && c <= 57)) break;
      if (c === 91 && stickyAt(MASKED, text, at) !== null) break;
    }
    scan.from = from;
    scan.at = at;
  }
  return scan.at < text.length && text.charCodeAt(scan.at) !== 10 && text.charCodeAt(scan.at) !== 13;
}

/**
 * SIGNED_THEN_MORE's match at `at`, unless it reads as a sentence: a word of it names no one (`Ihre Kundin, Frau
 * Meier`), its first word starts sentences (`Die Überweisung, die …`), a legal form makes it a firm's (`Apple Inc`),
 * or after a comma the line holds no digit, `@` or placeholder (`Mein Anliegen, bitte …`), names no place (`Anna
 * Schmidt, Berlin`, `Anna Schmidt, London, UK`) and no job or firm after a name (`Anna Schmidt, Filialleiterin bei
 * Beispiel GmbH`; see `jobAfterName`).
 */
function signedThenMore(text: string, at: number, scan: SignScan): RegExpExecArray | null {
  const m = stickyAt(SIGNED_THEN_MORE, text, at);
  if (m === null) return null;
  const words = lowerWords(m[1]);
  if (SENTENCE_STARTERS.has(words[0]) || words.some((w) => NOT_NAME_WORDS.has(w))) return null;
  // `Many thanks - Apple Inc, 5 shares`: a firm, which a legal form says.
  if (namesFirm(text, m[1].split(/[ \t]+/u), m.index + m[0].length)) return null;
  let i = m.index + m[0].length;
  while (i < text.length && /\s/.test(text[i])) i += 1;
  if (text[i] !== ',' || signatureRestOnLine(text, i + 1, scan)) return m;
  return isPlaceLine(restOfLine(text, i + 1, 'none')) || jobAfterName(words, restOfLine(text, i + 1, 'cut')) ? m : null;
}

/** German nouns by their ending (`Abteilung`, `Buchhaltung`, `Sicherheit`, `Gesellschaft`, `Kommunikation`): no name's word. */
const NOUN_ENDING = /(?:\p{L}{4}ung|heit|keit|schaft|tion|tät)$/u;

/**
 * Whether a signed name's words (`words`, in lower case) then its comma and `rest` read as a name and the writer's job
 * or firm (`Hendrik Wagner, Datenverarbeitungsleiter bei Beispiel GmbH`, `John Smith, Head of Finance`, `Anna Schmidt,
 * Beispiel GmbH`): the rest opens with a job or names a legal form (`isJobLine`), and no word of the name is a job's
 * or a noun's (`Leiter Datenverarbeitung, Beispiel GmbH`, `Abteilung Recht, Beispiel AG` name no one).
 */
function jobAfterName(words: readonly string[], rest: string): boolean {
  return isJobLine(rest) && !words.some((w) => isJobWord(w) || NOUN_ENDING.test(w));
}

/**
 * At the end of a signed name, a name of two or three words on the next line (group 1), alone or before a remark in
 * brackets (`Jane Smith (joint account holder)`).
 */
const NEXT_SIGNER = new RegExp(
  String.raw`[ \t]*\r?\n[ \t]{0,8}(${nameWordRun(2, 3)})(?=[ \t]*(?:\r?\n|$|(\()))`,
  'uy',
);

/**
 * A second signer after a signed name: NEXT_SIGNER's name, when it shares the signed name's surname (`John Smith`,
 * then `Jane Smith`) or a remark in brackets follows it; a line of a role or firm (`Chefarzt Kardiologie`, `Customer
 * Service`) does neither.
 */
function nextSigner(text: string, signed: Hit): Hit | undefined {
  const m = stickyAt(NEXT_SIGNER, text, signed.end);
  if (m === null) return undefined;
  const words = lowerWords(m[1]);
  if (SENTENCE_STARTERS.has(words[0]) || words.some((w) => NOT_NAME_WORDS.has(w) || TITLE_WORDS.has(w)) || isCapsNotName(m[1]) || isClosingPhrase(m[1])) return undefined;
  const surname = lowerWords(text.slice(signed.start, signed.end)).pop();
  if (m[2] === undefined && words[words.length - 1] !== surname) return undefined;
  return nameHit(m);
}

/** An address in angle brackets: the display name before it is a name (`Am 3.11. schrieb Peter Lange <p@x.de>:`). */
const ADDRESS = /<[^<>\s@]{1,64}@[^<>\s]{1,255}>/g;
const NAME_BEFORE_ADDRESS = new RegExp(String.raw`${BEFORE}(${nameWords(3)})"?[ \t]*$`, 'u');

/**
 * The display names in front of `<address>`s (reply attribution lines, forwarded headers, signatures),
 * added to `hits` where no hit covers them yet, in text order.
 */
function addressedNameHits(text: string, hits: Hit[]): Hit[] {
  if (!text.includes('@')) return hits;
  const added: Hit[] = [];
  // `hits` are in text order, as the addresses: one pass tells which cue hit a name would overlap.
  let j = 0;
  ADDRESS.lastIndex = 0;
  for (let a = ADDRESS.exec(text); a !== null; a = ADDRESS.exec(text)) {
    const from = Math.max(0, a.index - 80);
    const m = NAME_BEFORE_ADDRESS.exec(text.slice(from, a.index));
    const [trimStart, trimEnd] = m ? capsTrimmed(m[1]) : [0, 0];
    if (!m || trimStart === trimEnd) continue;
    const at = from + m.index + m[0].indexOf(m[1]);
    const start = at + trimStart;
    const end = at + trimEnd;
    while (j < hits.length && hits[j].end <= start) j++;
    const overlaps = j < hits.length && hits[j].start < end;
    if (overlaps || isClosingPhrase(m[1]) || (added.length > 0 && added[added.length - 1].end > start)) continue;
    added.push({ type: 'NAME', start, end, placeholder: '[NAME]' });
  }
  return added.length === 0 ? hits : [...hits, ...added].sort((x, y) => x.start - y.start);
}

const LETTER = /\p{L}/u;
/** A title (and academic titles) right before a name: `Frau `, `Herrn Dr. `, `MRS. `. */
const TITLE_BEFORE = new RegExp(String.raw`${BEFORE}${TITLE}${MORE_TITLES}[ \t]{1,3}$`, 'u');
/** A family's `Fam.` or `Familie` right before a surname (`Fam. Krüger`): looked for elsewhere as after a title. */
const FAMILY_BEFORE = new RegExp(String.raw`${BEFORE}${FAMILY}[ \t]{0,3}$`, 'u');

/** After a surname, what makes it a company's (`Bayer-Aktien`, `Apple shares`, `Linde plc`): not looked for there as the writer's name. */
const SECURITY_AFTER = /^(?:-?(?:aktien?|anleihen?|papiere?|fonds|zertifikate?|titel)(?!\p{L})|[ \t](?:aktien?|anleihen?|shares?|stocks?|bonds?|plc|ag|se|inc|corp|ltd|n\.v\.)(?!\p{L}))/iu;

/**
 * Surnames that are also the words of dates and money (`Mai`, `August`, `Freitag`, `Winter`, `Franken`, `Pfund`), in lower
 * case: found again alone, they are that word (`im Mai`, `ab August`, `1000 Franken`), not the person greeted.
 */
const TIME_OR_MONEY_WORDS = new Set(
  [
    'januar jänner februar märz maerz april mai juni juli august september oktober november dezember',
    'january february march may june july october december',
    'montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag monday tuesday wednesday thursday friday saturday sunday',
    'frühling fruehling sommer herbst winter spring summer autumn fall',
    'euro franken pfund mark dollar pound pounds krone kronen yen rand lira rubel rente pension cash',
  ]
    .join(' ')
    .split(' '),
);

/** Words before a month, a day or a season (`im Mai`, `ab August`, `am Freitag`, `in June`, `next Friday`), or a number (`15. Mai`, `1000 Franken`). */
const DATE_OR_MONEY_BEFORE = /(?:(?:^|[^\p{L}])(?:im|am|ab|bis|seit|in|zum|vom|um|bis zum|anfang|ende|mitte|nächsten|naechsten|letzten|diesen|jeden|kommenden|vergangenen|on|by|until|from|since|next|last|this|every|early|late|mid|of)|\d\.?)[ \t]+$/iu;
/** A number after the word (`Mai 2026`, `August 15`). */
const NUMBER_AFTER = /^[ \t]+\d/u;

/** Whether the word at `start` to `end` stands where a date or an amount does: after such a word or a number, or before a number. */
function dateOrMoneyAt(text: string, start: number, end: number): boolean {
  return DATE_OR_MONEY_BEFORE.test(text.slice(Math.max(0, start - 24), start)) || NUMBER_AFTER.test(text.slice(end, end + 4));
}

/** Distinct names looked for at most: beyond that a text is a list or an attack, and the cost would grow with names × length. */
const MAX_ECHOED_NAMES = 20;

/**
 * What of a cued name is looked for elsewhere: a person's name, not what a cue mistook for one. With a
 * title (`Frau Müller`), the name after it, and its surname; without, only a name of two capitalised
 * words or more (`Erika Mustermann`: a single greeted word is too often `Support` or `Team`), and its
 * surname when it has four letters or more. None of the words may be a known non-name word. `afterTitle`:
 * the title stood before the cued name, outside it.
 */
function echoesOf(name: string, afterTitle = false): string[] {
  const words = name.trim().split(/\s+/u);
  let titled = afterTitle;
  while (words.length > 0 && TITLE_WORDS.has(words[0].toLowerCase())) {
    words.shift();
    titled = true;
  }
  if (words.length === 0 || words.length > 4) return [];
  if (words.some((w) => NOT_NAME_WORDS.has(w.toLowerCase()) || !STARTS_UPPER.test(w))) return [];
  // Capitals without a title are looked for whole only, not by their last word: a line in capitals taken
  // for a name by mistake (`Thanks\nGREEN ENERGY`) would spread its last word through the text.
  if (!titled && isAllCaps(words.join(' '))) return words.length >= 2 ? [words.join(' ')] : [];
  if (!titled && words.length < 2) return [];
  const last = words[words.length - 1];
  const out = words.length >= 2 ? [words.join(' ')] : [];
  if ([...last].length >= (titled ? 3 : 4)) out.push(last);
  return out;
}

/**
 * Given names that are also words, places, months or brands (`Rose`, `Ernst`, `Frank`, `Will`, `August`, `Nur`, `Paris`,
 * `Otto`), words a sentence starts with (`Some One` names no one), and the words an address's local part gives before
 * a surname (`familie.muster@…` as `Familie Muster`), in lower case: never looked for alone, where a sentence's first
 * word or a capitalised noun would be masked.
 */
const WORD_GIVEN_NAMES = new Set(
  [
    'rose ernst heide iris wolf engel mark max mai jan juni juli august april sonne stern roman kai linde otto horst till fee frank christian nur said',
    'will may june bill grant hope faith joy rich art pat sue chase dean page gene ray dawn summer autumn holly ivy lily daisy ruby pearl amber crystal sandy sunny penny carol angel don guy jack rob bob drew buck bud cliff dale glen heath lane miles wade ward wells wood brook rocky rusty sky star storm reed rod skip stan can',
    'paris florence sydney austin victoria viktoria georgia india jordan chelsea dallas phoenix orlando lincoln madison denver aurora milan mercedes alexa siri',
    'familie family fam haus praxis kanzlei büro buero office info kontakt contact post mail verwaltung hausverwaltung',
    // Words a sentence starts with, as placeholder names have them (`Some One`, `Any Body`), besides SENTENCE_STARTERS.
    'some any one other others each every all none new first last next his her its their these those such',
  ]
    .join(' ')
    .split(' '),
);
/** A given name looked for alone: capitalised, three letters or more, maybe two joined by a hyphen (`Anna-Lena`). */
const GIVEN_NAME = /^\p{Lu}\p{Ll}{2,30}(?:-\p{Lu}\p{Ll}{1,30})?$/u;

/**
 * The given name of a person's name of two to four words (`Erika` of `Erika Muster`, `Dr. Erika Muster`), looked for
 * alone too: in the same email it is the same person (`Kontoauszug_Januar_Erika.pdf` from `Erika Muster`). Not when
 * the name is none `echoesOf` looks for, nor a given name that is also a word (WORD_GIVEN_NAMES), a job's or a noun's,
 * nor one of a firm (`Beispiel Versicherung AG`).
 */
function givenNameOf(name: string): string | undefined {
  const words = name.trim().split(/\s+/u);
  while (words.length > 0 && TITLE_WORDS.has(words[0].toLowerCase())) words.shift();
  if (words.length < 2 || words.length > 4 || echoesOf(words.join(' ')).length === 0) return undefined;
  const first = words[0];
  const lower = first.toLowerCase();
  if (!GIVEN_NAME.test(first) || WORD_GIVEN_NAMES.has(lower) || SENTENCE_STARTERS.has(lower) || PROSE_WORDS.has(lower) || NOT_GIVEN_WORDS.has(lower)) return undefined;
  if (GREETED_NO_ONE.has(lower) || isRoleWord(lower) || isJobWord(first) || NOUN_ENDING.test(lower)) return undefined;
  return words.some((w) => LEGAL_FORMS.has(w.replace(/\.$/, ''))) ? undefined : first;
}

/** Lower case with the length kept: `İ` (U+0130), the one letter that grows in lower case (`i` and a dot), is read as `I`. */
const folded = (s: string) => s.replace(/\u0130/g, 'I').toLowerCase();

/** The particles in lower case, which a capitalised name keeps so (`Anna von der Heide`). */
const PARTICLES = new Set(PARTICLE_WORDS);

/**
 * How else than as found an echo of a name may be written: in capitals (`WEBER` for `Weber`), unless a word of it
 * names no one in capitals (`ING` for a name `Ing`), or capitalised (`Weber` for `WEBER`, `Anna von der Heide`);
 * never in lower case (`weber`, `lange`: words, not names).
 */
function isEchoCase(written: string): boolean {
  if (isAllCaps(written)) return !isCapsNotName(written);
  return written.split(/[ \t]+/u).every((w) => STARTS_UPPER.test(w) || PARTICLES.has(w));
}

/**
 * A person's name found by its cue, found again anywhere else in the text (`Überweisung von Max
 * Mustermann` in the subject of a mail signed `Max Mustermann`), and `known` names (found in another part
 * of the email): the name without its title, its surname alone (see `echoesOf`) and its given name alone (see
 * `givenNameOf`). Whole words only, as found, in capitals or capitalised (`KARL WEBER` signed, `Karl Weber` elsewhere,
 * and the reverse; see `isEchoCase`); at most MAX_ECHOED_NAMES names, so the cost stays linear in the text. Hits come
 * back in text order.
 */
function withEchoes(text: string, hits: Hit[], known: readonly string[]): Hit[] {
  const names = new Set<string>();
  // The words looked for alone: surnames (a name's last word, or a title's one) and given names (see `partOfName`).
  const surnames = new Set<string>();
  const givens = new Set<string>();
  const add = (echo: string) => {
    names.add(echo);
    if (!echo.includes(' ')) surnames.add(echo);
  };
  // A name right after its title (`Frau` then `Schmidt`) has its surname looked for too.
  for (const h of hits) {
    if (h.echo === false) continue;
    const before = text.slice(Math.max(0, h.start - 40), h.start);
    for (const echo of echoesOf(text.slice(h.start, h.end), TITLE_BEFORE.test(before) || FAMILY_BEFORE.test(before))) add(echo);
  }
  for (const name of known) for (const echo of echoesOf(name)) add(echo);
  if (names.size === 0 || names.size > MAX_ECHOED_NAMES) return hits;
  // Then the given names alone, while there is room: after the whole names, which win where both start.
  const given = [...hits.filter((h) => h.echo !== false).map((h) => text.slice(h.start, h.end)), ...known].map(givenNameOf);
  for (const name of given) {
    if (name === undefined || names.has(name) || names.size >= MAX_ECHOED_NAMES) continue;
    names.add(name);
    givens.add(name);
  }
  // Searched in lower case, where each character keeps its place in `text` (`folded` keeps the length).
  const lower = folded(text);
  const taken = new Set(hits.map((h) => h.start));
  const out = [...hits];
  for (const name of names) {
    const sought = folded(name);
    // `WEIß` is also written `WEISS`, `Müller` as `Mueller` or `Muller` (a file name, `Ausweis_Anna_Mueller.pdf`).
    for (const form of asciiForms(sought)) {
      for (let at = lower.indexOf(form); at !== -1; at = lower.indexOf(form, at + form.length)) {
        const end = at + form.length;
        if (taken.has(at) || LETTER.test(text[at - 1] ?? '') || LETTER.test(text[end] ?? '')) continue;
        const written = text.slice(at, end);
        if (written !== name && !isEchoCase(written)) continue;
        // `Farah Diba` signed, then `ING DIBA`: the bank's name, not her.
        if (isAllCaps(written) && inBankPhraseAt(text, at, end)) continue;
        // `Thomas Bayer` signed, then `50 Bayer-Aktien`: a company's securities, what the email is about; so is a
        // firm's or a fund's name the word is part of (`Marks & Spencer (MKS)`, `Baillie Gifford American fund`).
        if (!name.includes(' ') && (SECURITY_AFTER.test(text.slice(end, end + 16)) || inFirmName(text, end, givens.has(name)))) continue;
        // `Herr Mai` greeted, then `im Mai`, `1000 Franken`: the word of a month, a day or a currency, not the person.
        if (!name.includes(' ') && TIME_OR_MONEY_WORDS.has(folded(written)) && dateOrMoneyAt(text, at, end)) continue;
        // `Karl` of `Karl-Heinz`, `Brandt` of `Müller-Brandt`: the whole hyphenated name, not a part of it.
        let [start, stop] = hyphenatedName(text, at, end);
        // `Mary Doyle` where `Doyle` is known, `Rebecca Holt` where `Rebecca` is: the rest of the person's name.
        if (surnames.has(name)) start -= partBefore(text, start, stop);
        else if (givens.has(name)) stop += partAfter(text, start, stop);
        taken.add(at);
        taken.add(start);
        out.push({ type: 'NAME', start, end: stop, placeholder: '[NAME]' });
      }
    }
  }
  // Longer spans first at one start, so the whole name wins over its last word where both match.
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * After a surname found again, the rest of a firm's or a fund's name it is part of: capitalised words (or `&`, `and`),
 * then a fund's, a security's or a firm's word or a ticker in brackets (`Gifford American fund`, `Marks and Spencer
 * shares`, `Marks & Spencer Group plc`, `Smith Global Trust`, `Marks & Spencer (MKS)`). Case-sensitive: with the `i`
 * flag `\p{Lu}` would take any letter.
 */
const FIRM_RUN_AFTER =
  /^(?:[ \t]{1,3}(?:&|and|\p{Lu}[\p{L}'’.]{0,30})){0,4}?[ \t]{1,3}(?:(?:[Ff]unds?|FUNDS?|[Tt]rust|TRUST|ETFs?|OEIC|SICAV|[Ss]hares?|[Ss]tocks?|[Bb]onds?|[Aa]ktien?|[Ff]onds|plc|PLC|Ltd|LTD|Inc|AG|Group|Holdings)(?![\p{L}\p{N}])|\(\p{Lu}{2,5}(?:\.\p{Lu}{1,2})?\))/u;
/** After a surname, `&` and a capitalised word that is no title: a firm's name (`Marks & Spencer`), not `Smith & Mrs Jones`. */
const AMPERSAND_FIRM = new RegExp(String.raw`^[ \t]{1,3}&[ \t]{1,3}(?!${TITLE}[ \t])\p{Lu}`, 'u');

/**
 * Whether a word found again at `end` of `text` is part of a firm's or a fund's name (FIRM_RUN_AFTER; for a surname,
 * not a `given` name, also AMPERSAND_FIRM: `Peter & Anna Schmidt` names two people).
 */
function inFirmName(text: string, end: number, given: boolean): boolean {
  const after = text.slice(end, end + 170);
  return FIRM_RUN_AFTER.test(after) || (!given && AMPERSAND_FIRM.test(after));
}

/**
 * Where a name of a line of its own, as a signature or a list writes it, ends: the line's end, or a comma, a bar, a
 * bracket or a dash before more of the line (`Mary Doyle\nTel …`, `Rebecca Holt (née Stone)`, `Mary Doyle, Cork`).
 */
const NAME_LINE_END = String.raw`[ \t]{0,3}(?:\r?\n|$|[,|(]|[-–—][ \t])`;
/** A capitalised word or an initial right before a surname found again (`Mary ` of `Mary Doyle`, `G ` of `G Pryce`). */
const PART_BEFORE = /(?<![\p{L}\p{N}'’.-])(\p{Lu}\p{Ll}{1,30}(?:-\p{Lu}\p{Ll}{1,30})?|\p{Lu}\.|(?![AI])\p{Lu})[ \t]$/u;
const NAME_LINE_ENDS = new RegExp(String.raw`^${NAME_LINE_END}`, 'u');
/** A capitalised word right after a given name found again, where a name of a line ends (`Holt` of `Rebecca Holt (née Stone)`). */
const PART_AFTER = new RegExp(String.raw`^[ \t](\p{Lu}\p{Ll}{1,30}(?:-\p{Lu}\p{Ll}{1,30})?)(?=${NAME_LINE_END})`, 'u');
const GREETING_WORD = new RegExp(String.raw`^${GREETING}$`);

/**
 * Whether a capitalised word next to a known name part can be the rest of the person's name: not a word that names no
 * one, starts sentences, greets or closes, is a title, prose, a role, a job, a noun, a security's word or a word that is
 * also a given name (`Dear Doyle`, `Thanks Doyle`, `Mr Doyle`, `Familie Doyle`, `Konto Doyle`, `Will Doyle`).
 */
function partOfName(word: string): boolean {
  const w = word.toLowerCase();
  if (w.length === 1 || (w.length === 2 && w.endsWith('.'))) return true;
  const noName =
    TITLE_WORDS.has(w) || NOT_NAME_WORDS.has(w) || SENTENCE_STARTERS.has(w) || PROSE_WORDS.has(w) || NOT_GIVEN_WORDS.has(w) || GREETED_NO_ONE.has(w) || WORD_GIVEN_NAMES.has(w);
  return !noName && !isRoleWord(w) && !isJobWord(word) && !NOUN_ENDING.test(w) && !isObjectNoun(word) && !SECURITY_WORDS.has(w) && !CLOSING_WORD.test(word) && !GREETING_WORD.test(word);
}

/**
 * How many characters before a surname found again (`start` to `end`) are the rest of the person's name: a capitalised
 * word or an initial right before it (`Mary Doyle`, `G Pryce`, where `Doyle`, `Pryce` are known), that `partOfName`
 * allows, the two a name of a line of its own (opening it, and ending at NAME_LINE_END): mid-sentence, and in a file's
 * name, a noun stands there as often (`Ausweis Mueller.pdf`, `Konto Doyle`).
 */
function partBefore(text: string, start: number, end: number): number {
  if (!NAME_LINE_ENDS.test(text.slice(end, end + 8))) return 0;
  const m = PART_BEFORE.exec(text.slice(Math.max(0, start - 64), start));
  return m !== null && startsLine(text, start - m[0].length) && partOfName(m[1]) ? m[0].length : 0;
}

/**
 * How many characters after a given name found again (at `start` to `end`) are its surname: a capitalised word after
 * it (PART_AFTER, `partOfName`), the two a name of a line of its own, as `partBefore` (`Rebecca Holt (née Stone)`).
 */
function partAfter(text: string, start: number, end: number): number {
  const m = startsLine(text, start) ? PART_AFTER.exec(text.slice(end, end + 64)) : null;
  return m !== null && partOfName(m[1]) ? m[0].length : 0;
}

/** Capitalised parts joined to a name by a hyphen after it (`-Heinz` of `Karl-Heinz`) and before it (`Müller-` of `Müller-Brandt`). */
const HYPHENED_AFTER = /^(?:-\p{Lu}[\p{L}'’]{1,30}){1,2}(?![\p{L}\p{N}-])/u;
const HYPHENED_BEFORE = /(?<![\p{L}\p{N}-])(?:\p{Lu}[\p{L}'’]{1,30}-){1,2}$/u;

/**
 * Where the name found at `start` to `end` of `text` starts and ends with the capitalised parts hyphened to it: an echo
 * of `Karl` is `Karl-Heinz` (`[NAME]-Heinz` gave half the name away), one of `Brandt` is `Müller-Brandt`.
 */
function hyphenatedName(text: string, start: number, end: number): [number, number] {
  const after = text[end] === '-' ? HYPHENED_AFTER.exec(text.slice(end, end + 70)) : null;
  const before = text[start - 1] === '-' ? HYPHENED_BEFORE.exec(text.slice(Math.max(0, start - 70), start)) : null;
  return [start - (before?.[0].length ?? 0), end + (after?.[0].length ?? 0)];
}

/** German letters as ASCII writes them: `ä` as `ae`, `ß` as `ss`. */
const TRANSLITERATED: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
const GERMAN_LETTERS = /[äöüß]/g;
/** A letter outside ASCII (`ü`, `é`, `ş`): a name with one may be written without it. */
const NOT_ASCII_LETTER = /\P{ASCII}/u;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * A name in lower case and the forms ASCII gives it, as file names and addresses write it: `müller`, `mueller`, `muller`;
 * `weiß`, `weiss`; `françois`, `francois`. Just the name when it is ASCII.
 */
function asciiForms(name: string): string[] {
  if (!NOT_ASCII_LETTER.test(name)) return [name];
  const transliterated = name.replace(GERMAN_LETTERS, (c) => TRANSLITERATED[c]);
  const stripped = name.replaceAll('ß', 'ss').normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
  return [...new Set([name, transliterated, stripped])];
}
