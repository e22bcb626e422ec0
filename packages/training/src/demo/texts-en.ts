/** Invented English message texts per topic: subjects (s) and body sentences (b) with {slots}. */
export const TEXTS_EN: Record<string, { s: string[]; b: string[] }> = {
  account_opening: {
    s: ['Account opening', 'Application still pending?', 'Opening a joint account', 'Question about opening a depot'],
    b: [
      'I applied for a brokerage account on {date} and have not received my login details yet.',
      'how long does it take to open a joint account for my wife and me?',
      'I would like to open a custody account for my son. Which documents do you need?',
      'my application has been "under review" for a week now. Is anything missing?',
    ],
  },
  video_ident: {
    s: ['Video identification failed', 'Cannot complete ID check', 'Video ident keeps disconnecting'],
    b: [
      'the video identification disconnects after two minutes every time.',
      'my passport is not accepted in the identification step, it says the photo is blurry.',
      'I completed the video call yesterday but my status has not changed.',
      'is there another way to verify my identity, for example at a post office?',
    ],
  },
  kyc_documents: {
    s: ['Proof of source of funds', 'Requested documents', 'Tax residency self-certification', 'Updating my customer data'],
    b: [
      'please find attached the proof of the source of funds you requested (sale of a flat).',
      'you asked for my tax identification number, here it is.',
      'why do I have to fill in the tax residency self-certification again?',
      'I received your letter about updating my customer data. Which documents exactly do you need?',
    ],
  },
  address_change: {
    s: ['Change of address', 'New address', 'I have moved', 'Name change after marriage'],
    b: [
      'I moved on {date}, please update my address for account {depot}.',
      'my new address is 4 Harbour Lane, Bristol. Please update it on all my accounts.',
      'my surname changed after my wedding, the certificate is attached.',
      'I cannot change the address in online banking myself, the field is greyed out.',
    ],
  },
  freistellungsauftrag: {
    s: ['Exemption order (Freistellungsauftrag)', 'Tax exemption allowance', 'Change my exemption order for {year}'],
    b: [
      'I would like to increase my exemption order (Freistellungsauftrag) to {amount}.',
      'please split my saver\'s allowance equally between the depot and the savings account.',
      'tax was withheld on my interest although I have an exemption order. How is that possible?',
      'we got married and would like to set up a joint exemption order for {year}.',
    ],
  },
  steuerbescheinigung: {
    s: ['Annual tax certificate {taxYear}', 'Tax certificate missing', 'Corrected tax statement needed'],
    b: [
      'when will the annual tax certificate (Steuerbescheinigung) for {taxYear} be available in my inbox?',
      'the losses from selling {stock} are missing from my tax certificate.',
      'my tax advisor needs a corrected tax certificate, the capital gains are wrong.',
      'please send me the income statement for account {depot} by post.',
    ],
  },
  quellensteuer: {
    s: ['Withholding tax on dividend', 'Reclaiming withholding tax', 'Dividend from {stock} too low'],
    b: [
      'foreign withholding tax of 35% was deducted from the {stock} dividend.',
      'could you send me the forms to reclaim the withholding tax?',
      'the dividend credit of {amount} is much lower than expected.',
    ],
  },
  sparplan: {
    s: ['Savings plan not executed', 'Change my savings plan', 'New ETF savings plan', 'Adjust monthly rate'],
    b: [
      'my savings plan for the {etf} was not executed on {date}.',
      'I would like to increase my monthly savings rate to {amount}.',
      'please pause my savings plan for three months.',
      'the direct debit for my savings plan bounced although the reference account had enough money.',
    ],
  },
  depotuebertrag: {
    s: ['Securities account transfer', 'Transfer from another bank', 'Portfolio transfer taking too long'],
    b: [
      'three weeks ago I requested a transfer of my securities from {bank}, nothing has arrived yet.',
      'the purchase prices of {stock} were not included in the transfer.',
      'please transfer all positions from account {depot} to my new account at {bank}.',
      'after the transfer {shares} units of {etf} are still missing.',
    ],
  },
  order_execution: {
    s: ['Order not executed', 'Limit order question', 'Partial execution', 'Stop loss triggered too low'],
    b: [
      'my limit order for {shares} shares of {stock} was not executed although the price was reached.',
      'why was my order only partially filled and charged twice?',
      'my stop-loss order was executed far below the limit.',
      'I cannot cancel the order for {isin}, it is stuck in "processing".',
    ],
  },
  sepa_transfer: {
    s: ['Transfer not received', 'Recall a transfer', 'Wrong IBAN on transfer', 'Deposit not credited'],
    b: [
      'my transfer of {amount} to IBAN {iban} has not arrived after five days.',
      'I entered the wrong IBAN for a transfer. Can you recall the payment?',
      'please confirm that my deposit of {amount} reached the settlement account.',
      'the instant transfer was rejected without any reason.',
    ],
  },
  withdrawal: {
    s: ['Withdrawal request', 'Withdrawal still pending', 'Pay out my balance'],
    b: [
      'please withdraw {amount} from my settlement account to my reference account {iban}.',
      'my withdrawal from {date} still has not reached my current account.',
      'why can I only withdraw to the reference account?',
    ],
  },
  login_2fa: {
    s: ['Cannot log in', 'Two-factor authentication problem', 'New phone - authenticator app', 'Account locked', '2FA code not arriving'],
    b: [
      'I got a new {device} and cannot activate the authenticator app anymore.',
      'my access was locked after entering the wrong PIN three times.',
      'the SMS verification code never arrives, so I cannot log in.',
      'please send me a new activation letter for two-factor authentication.',
    ],
  },
  app_error: {
    s: ['App crashes', 'Error in the app', 'Prices not shown', 'Error 500 when downloading documents'],
    b: [
      'the app crashes on my {device} as soon as I open the portfolio overview.',
      'since today the app shows no prices, only dashes.',
      'downloading documents from the inbox fails with error 500.',
      'push notifications for executed orders stopped working.',
    ],
  },
  fee_complaint: {
    s: ['Complaint about fees', 'Custody fee too high', 'Unexpected charges', 'Refund of fees'],
    b: [
      'I was charged {amount} custody fees although the account is free according to your price list.',
      'the third-party fees on my {stock} order make no sense.',
      'I ask you to refund the order fee that was charged twice.',
      'why am I paying an account fee since {month}?',
    ],
  },
  service_complaint: {
    s: ['Complaint', 'No reply to my requests', 'Very unhappy with your service', 'Final reminder'],
    b: [
      'I have written to you three times and never received an answer.',
      'your hotline has been unreachable for days, this is unacceptable.',
      'if I do not hear from you by the end of the week I will contact the ombudsman.',
    ],
  },
  tagesgeld_zinsen: {
    s: ['Interest on savings account', 'Interest rate question', 'Interest not credited'],
    b: [
      'no interest was credited to my savings account for {month}.',
      'does the promotional rate of {rate}% also apply to existing customers?',
      'why was the interest rate on my overnight account lowered without notice?',
    ],
  },
  festgeld: {
    s: ['Fixed-term deposit', 'Fixed deposit maturing', 'Renewing my term deposit'],
    b: [
      'I would like to put {amount} into a 12-month fixed-term deposit.',
      'my fixed-term deposit matures on {date}. Please pay it out to my reference account.',
      'is the term deposit renewed automatically, and at what rate?',
    ],
  },
  portfolio_review: {
    s: ['Meeting with my wealth manager', 'Discuss investment strategy', 'Questions on quarterly report'],
    b: [
      'I would like to arrange a meeting with my advisor to discuss the investment strategy.',
      'the quarterly report shows my mandate well below its benchmark.',
      'we would like to move part of our assets into sustainable investments.',
    ],
  },
  risk_profile: {
    s: ['Update my investor profile', 'Change risk class', 'Appropriateness warning'],
    b: [
      'I would like to change my risk class so that I can trade derivatives.',
      'my experience with securities has changed, please update my investor profile.',
      'when buying {stock} I get an appropriateness warning. What does it mean?',
    ],
  },
  account_closure: {
    s: ['Close my account', 'Account termination', 'Closing all accounts'],
    b: [
      'I hereby terminate my account {depot} at the end of the month.',
      'please close my savings account and transfer the balance to {iban}.',
      'I want to close all accounts. What happens to the remaining securities?',
    ],
  },
  inheritance: {
    s: ['Estate of my late father', 'Inheritance - certificate sent', 'Deceased account holder'],
    b: [
      'my father passed away on {date}. I am the sole heir and would like to transfer his account to me.',
      'I sent the certificate of inheritance by post. When will the estate account be released?',
    ],
  },
  paper_statements: {
    s: ['Paper statements'],
    b: ['please send my statements by post again.', 'I no longer want paper statements.'],
  },
};
