/**
 * Why the topic of a real email is not always written in it: the sources of topic error in the demo data.
 *
 * Each topic has its own invented sentences, so without these a model reads the topic off the text and
 * scores a perfect 1.0, which looks like leakage in a report. Real CRM mail is not like that:
 * - some emails raise two topics, and the agent labels the case with one of them (the queue is the one
 *   of the topic the email opens with);
 * - some are vague ("bitte rufen Sie mich an"): they go to the general service queue, and the topic was
 *   learnt on the phone, not from the text;
 * - agents sometimes pick a related topic (Freistellungsauftrag for a Steuerbescheinigung question).
 * Everything here is invented, like the rest of the demo data.
 */
import type { Lang } from './noise.js';

type Rng = () => number;

/** Shares of the rows about a current topic (before labels go missing); the retired topic has none. */
export const TOPIC_NOISE_RATES = {
  /** The email says nothing about its topic. */
  vague: 0.03,
  /** A second topic is raised as well; the label is one of the two. */
  twoTopics: 0.08,
  /** The agent picked a related topic. */
  mislabelled: 0.04,
} as const;

/** Of the two-topic emails, the share the agent labels with the first topic (the one the email opens with). */
const FIRST_TOPIC_CHOSEN = 0.6;

/** Topics that customers raise together and agents confuse: the first is the likelier. */
export const RELATED_TOPICS: Readonly<Record<string, readonly string[]>> = {
  account_opening: ['video_ident', 'kyc_documents'],
  video_ident: ['account_opening', 'login_2fa'],
  kyc_documents: ['account_opening', 'address_change'],
  address_change: ['kyc_documents', 'freistellungsauftrag'],
  freistellungsauftrag: ['steuerbescheinigung', 'tagesgeld_zinsen'],
  steuerbescheinigung: ['freistellungsauftrag', 'quellensteuer'],
  quellensteuer: ['steuerbescheinigung', 'order_execution'],
  sparplan: ['depotuebertrag', 'order_execution'],
  depotuebertrag: ['sparplan', 'account_closure'],
  order_execution: ['fee_complaint', 'sparplan'],
  sepa_transfer: ['withdrawal', 'account_closure'],
  withdrawal: ['sepa_transfer', 'festgeld'],
  login_2fa: ['app_error', 'video_ident'],
  app_error: ['login_2fa', 'order_execution'],
  fee_complaint: ['service_complaint', 'order_execution'],
  service_complaint: ['fee_complaint', 'account_closure'],
  tagesgeld_zinsen: ['festgeld', 'freistellungsauftrag'],
  festgeld: ['tagesgeld_zinsen', 'withdrawal'],
  portfolio_review: ['risk_profile', 'fee_complaint'],
  risk_profile: ['portfolio_review', 'order_execution'],
  account_closure: ['depotuebertrag', 'withdrawal'],
  inheritance: ['account_closure', 'depotuebertrag'],
};

/** Emails that do not say what they are about; subjects (s) and bodies (b), as the topic texts. */
export const VAGUE_TEXTS: Record<Lang, { s: string[]; b: string[] }> = {
  de: {
    s: ['Frage', 'Rückruf erbeten', 'Mein Anliegen', 'Bitte um Rückmeldung', 'Dringend', 'Kurze Frage', 'Ihr Schreiben vom {date}'],
    b: [
      'ich habe eine Frage zu meinem Depot, bitte rufen Sie mich an.',
      'bitte rufen Sie mich zurück, es geht um mein Konto. Am besten vormittags.',
      'ich habe ein Anliegen und bitte um einen Rückruf unter der bekannten Nummer.',
      'bei mir stimmt etwas nicht, können Sie sich das bitte einmal ansehen?',
      'ich hatte letzte Woche schon angerufen, es geht immer noch um dieselbe Sache.',
      'ich habe Ihr Schreiben vom {date} erhalten und verstehe es nicht. Was muss ich tun?',
      'können Sie mir bitte kurz helfen? Es ist etwas dringend, Einzelheiten gerne telefonisch.',
    ],
  },
  en: {
    s: ['Question', 'Please call me back', 'My request', 'Urgent', 'Quick question', 'Your letter of {date}'],
    b: [
      'I have a question about my account, could you please give me a call?',
      'please call me back, it is about my depot. Mornings are best.',
      'I called last week already, it is still about the same matter.',
      'something is not right with my account, could you please have a look?',
      'I received your letter of {date} and do not understand it. What do I have to do?',
      'could you help me quickly? It is a bit urgent, I can explain on the phone.',
    ],
  },
};

/** The queue of vague mail: the general service team, which calls the customer back and records the topic. */
export const VAGUE_QUEUE = 'account_management';

/** How a second topic is brought in. */
export const SECOND_TOPIC_OPENERS: Record<Lang, string[]> = {
  de: ['Außerdem: ', 'Noch etwas: ', 'Und eine zweite Sache: ', 'Wenn ich schon schreibe: ', ''],
  en: ['Also, ', 'One more thing: ', 'While I am writing: ', 'And another matter: ', ''],
};

export type TopicNoise =
  | { kind: 'none' }
  | { kind: 'vague' }
  | { kind: 'two_topics'; second: string; labelled: string }
  | { kind: 'mislabelled'; labelled: string };

/** What happens to the topic of one email about `topic`; draws four values, whatever comes out. */
export function drawTopicNoise(topic: string, random: Rng): TopicNoise {
  const r = random();
  const firstChosen = random() < FIRST_TOPIC_CHOSEN;
  const which = random();
  const other = random();
  const related = RELATED_TOPICS[topic];
  if (!related || related.length === 0) return { kind: 'none' };
  // The first related topic is the likelier confusion; the others share the rest.
  const second = which < 0.75 || related.length === 1 ? related[0] : related[1 + Math.floor(other * (related.length - 1))];
  const { vague, twoTopics, mislabelled } = TOPIC_NOISE_RATES;
  if (r < vague) return { kind: 'vague' };
  if (r < vague + twoTopics) return { kind: 'two_topics', second, labelled: firstChosen ? topic : second };
  if (r < vague + twoTopics + mislabelled) return { kind: 'mislabelled', labelled: second };
  return { kind: 'none' };
}

/** The topic the agent wrote down. */
export function labelledTopic(topic: string, noise: TopicNoise): string {
  return noise.kind === 'two_topics' || noise.kind === 'mislabelled' ? noise.labelled : topic;
}
