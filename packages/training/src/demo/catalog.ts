/**
 * The synthetic demo taxonomy: business areas, queues and topics of a broker and wealth manager.
 * Every text in the demo data is invented; no real person, account or bank is named.
 */
export type Weights = ReadonlyArray<readonly [string, number]>;

export interface TopicSpec {
  topic: string;
  /** Share of mail with this topic (imbalance on purpose). */
  weight: number;
  /** The topic implies its queue mostly; the rest is the realistic ambiguity. */
  queues: Weights;
  areas: Weights;
  /** Month (1-12) -> extra weight factor, e.g. tax certificates in spring. */
  season?: Record<number, number>;
}

const ANY_AREA: Weights = [
  ['brokerage', 0.55],
  ['savings', 0.3],
  ['wealth_management', 0.15],
];

export const TOPICS: readonly TopicSpec[] = [
  { topic: 'account_opening', weight: 7, queues: [['onboarding_kyc', 0.9], ['account_management', 0.1]], areas: [['brokerage', 0.6], ['savings', 0.25], ['wealth_management', 0.15]] },
  { topic: 'video_ident', weight: 5, queues: [['onboarding_kyc', 0.93], ['technical_support', 0.07]], areas: [['brokerage', 0.7], ['savings', 0.3]] },
  { topic: 'kyc_documents', weight: 4, queues: [['onboarding_kyc', 0.95], ['account_management', 0.05]], areas: [['wealth_management', 0.45], ['brokerage', 0.55]] },
  { topic: 'address_change', weight: 5, queues: [['account_management', 1]], areas: ANY_AREA },
  { topic: 'freistellungsauftrag', weight: 7, queues: [['tax_documents', 0.88], ['account_management', 0.12]], areas: [['brokerage', 0.55], ['savings', 0.45]], season: { 1: 2, 12: 2 } },
  { topic: 'steuerbescheinigung', weight: 6, queues: [['tax_documents', 1]], areas: [['brokerage', 0.7], ['wealth_management', 0.3]], season: { 2: 3, 3: 3, 4: 2 } },
  { topic: 'quellensteuer', weight: 2.5, queues: [['tax_documents', 0.8], ['orders_trading', 0.2]], areas: [['brokerage', 0.85], ['wealth_management', 0.15]], season: { 5: 2, 6: 2 } },
  { topic: 'sparplan', weight: 8, queues: [['orders_trading', 0.75], ['payments_transfers', 0.25]], areas: [['savings', 0.6], ['brokerage', 0.4]] },
  { topic: 'depotuebertrag', weight: 6, queues: [['securities_transfers', 0.95], ['complaints', 0.05]], areas: [['brokerage', 0.8], ['wealth_management', 0.2]] },
  { topic: 'order_execution', weight: 6, queues: [['orders_trading', 0.9], ['complaints', 0.1]], areas: [['brokerage', 1]] },
  { topic: 'sepa_transfer', weight: 6, queues: [['payments_transfers', 1]], areas: [['savings', 0.5], ['brokerage', 0.5]] },
  { topic: 'withdrawal', weight: 4, queues: [['payments_transfers', 0.9], ['complaints', 0.1]], areas: [['brokerage', 0.6], ['savings', 0.4]] },
  { topic: 'login_2fa', weight: 10, queues: [['technical_support', 0.88], ['account_management', 0.12]], areas: ANY_AREA },
  { topic: 'app_error', weight: 5, queues: [['technical_support', 1]], areas: [['brokerage', 0.8], ['savings', 0.2]] },
  { topic: 'fee_complaint', weight: 3.5, queues: [['complaints', 0.7], ['account_management', 0.3]], areas: [['brokerage', 0.5], ['wealth_management', 0.3], ['savings', 0.2]] },
  { topic: 'service_complaint', weight: 2.5, queues: [['complaints', 1]], areas: ANY_AREA },
  { topic: 'tagesgeld_zinsen', weight: 4, queues: [['account_management', 0.8], ['complaints', 0.2]], areas: [['savings', 1]] },
  { topic: 'festgeld', weight: 3, queues: [['account_management', 0.6], ['payments_transfers', 0.4]], areas: [['savings', 1]] },
  { topic: 'portfolio_review', weight: 3, queues: [['advisory', 1]], areas: [['wealth_management', 1]] },
  { topic: 'risk_profile', weight: 2, queues: [['advisory', 0.6], ['onboarding_kyc', 0.4]], areas: [['wealth_management', 0.7], ['brokerage', 0.3]] },
  { topic: 'account_closure', weight: 3, queues: [['account_management', 0.9], ['complaints', 0.1]], areas: ANY_AREA },
  { topic: 'inheritance', weight: 1.2, queues: [['account_management', 0.7], ['securities_transfers', 0.3]], areas: [['wealth_management', 0.5], ['brokerage', 0.3], ['savings', 0.2]] },
];

/** Invented custodian banks (Depotbanken). */
export const BANKS: Weights = [
  ['Nordhafen Depotbank', 0.35],
  ['Rheinau Wertpapierbank', 0.25],
  ['Alpenblick Privatbank', 0.15],
  ['Hanse Custody AG', 0.15],
  ['Mainufer Direktbank', 0.1],
];

export const FIRST_NAMES = ['Anna', 'Jonas', 'Lea', 'Felix', 'Marie', 'Lukas', 'Sophie', 'Paul', 'Emma', 'Tobias', 'Clara', 'David', 'Hannah', 'Simon', 'Julia', 'Oliver', 'Mia', 'Jan', 'Laura', 'Ben', 'Greta', 'Emil', 'Ida', 'Noah'];
export const LAST_NAMES = ['Brenner', 'Kessler', 'Vogt', 'Lindqvist', 'Hartmann', 'Seidel', 'Albrecht', 'Winter', 'Kraus', 'Moreau', 'Petersen', 'Haas', 'Roth', 'Engel', 'Sommer', 'Falk', 'Adler', 'Lorenz', 'Ostrowski', 'Carter'];
export const ETFS = ['Global Equity Core ETF', 'Euro Dividend Select ETF', 'World Small Cap ETF', 'Emerging Markets Broad ETF', 'Green Bond Index ETF', 'Nordic Tech Leaders ETF'];
export const STOCKS = ['Lumora AG', 'Vantix SE', 'Kalder Energie AG', 'Brightmoor plc', 'Solvane Inc.', 'Tessaro AG', 'Quellwerk SE'];
export const DEVICES = ['iPhone', 'Android-Handy', 'iPad', 'Pixel', 'Galaxy'];

/** Labels as older exports spell them: renamed, merged or retired since (the demo config maps them). */
export const OLD_QUEUE_NAMES: Record<string, readonly string[]> = {
  onboarding_kyc: ['kyc'],
  payments_transfers: ['payments', 'transfers'],
};
export const OLD_TOPIC_NAMES: Record<string, readonly string[]> = {
  login_2fa: ['2fa'],
  depotuebertrag: ['depot_transfer'],
};
export const RETIRED_TOPIC = 'paper_statements';
/** Before this date the export uses the old label names. */
export const TAXONOMY_CHANGE = Date.UTC(2026, 4, 1);
