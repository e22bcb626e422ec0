import { describe, expect, it } from 'vitest';
import { closestKey, didYouMean, editDistance, prefixEditDistance } from './edit-distance.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('subject', 'subject')).toBe(0);
    expect(editDistance('subjekt', 'subject')).toBe(1);
    expect(editDistance('taks', 'tasks')).toBe(1);
    expect(editDistance('tasks', 'taks')).toBe(1);
    expect(editDistance('bdoy', 'body')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closestKey and didYouMean', () => {
  const known = ['subject', 'body', 'html', 'receivedAt'];

  it('suggest the close name, case ignored, and nothing when no name is close', () => {
    expect(closestKey('Received_At', known)).toBe('receivedAt');
    expect(closestKey('to', known)).toBeUndefined();
    expect(didYouMean('subjekt', known)).toBe(' (did you mean subject?)');
    expect(didYouMean('taks', ['tasks', 'split'], '"')).toBe(' (did you mean "tasks"?)');
    expect(didYouMean('xyz', known)).toBe('');
  });

  it('compares no name longer than a typo can be', () => {
    expect(closestKey(`subject${'x'.repeat(200)}`, [`subject${'x'.repeat(199)}`])).toBeUndefined();
  });

  // Banking77's 77 intents, as a single-task model's taxonomy has them.
  const intents = [
    'activate_my_card', 'age_limit', 'apple_pay_or_google_pay', 'atm_support', 'automatic_top_up', 'balance_not_updated_after_bank_transfer',
    'balance_not_updated_after_cheque_or_cash_deposit', 'beneficiary_not_allowed', 'cancel_transfer', 'card_about_to_expire', 'card_acceptance',
    'card_arrival', 'card_delivery_estimate', 'card_linking', 'card_not_working', 'card_payment_fee_charged', 'card_payment_not_recognised',
    'card_payment_wrong_exchange_rate', 'card_swallowed', 'cash_withdrawal_charge', 'cash_withdrawal_not_recognised', 'change_pin',
    'compromised_card', 'contactless_not_working', 'country_support', 'declined_card_payment', 'declined_cash_withdrawal', 'declined_transfer',
    'direct_debit_payment_not_recognised', 'disposable_card_limits', 'edit_personal_details', 'exchange_charge', 'exchange_rate', 'exchange_via_app',
    'extra_charge_on_statement', 'failed_transfer', 'fiat_currency_support', 'get_disposable_virtual_card', 'get_physical_card', 'getting_spare_card',
    'getting_virtual_card', 'lost_or_stolen_card', 'lost_or_stolen_phone', 'order_physical_card', 'passcode_forgotten', 'pending_card_payment',
    'pending_cash_withdrawal', 'pending_top_up', 'pending_transfer', 'pin_blocked', 'receiving_money', 'Refund_not_showing_up', 'request_refund',
    'reverted_card_payment?', 'supported_cards_and_currencies', 'terminate_account', 'top_up_by_bank_transfer_charge', 'top_up_by_card_charge',
    'top_up_by_cash_or_cheque', 'top_up_failed', 'top_up_limits', 'top_up_reverted', 'topping_up_by_card', 'transaction_charged_twice',
    'transfer_fee_charged', 'transfer_into_account', 'transfer_not_received_by_recipient', 'transfer_timing', 'unable_to_verify_identity',
    'verify_my_identity', 'verify_source_of_funds', 'verify_top_up', 'visa_or_mastercard', 'why_verify_identity', 'wrong_amount_of_cash_received',
    'wrong_exchange_rate_for_cash_withdrawal',
  ];

  const labels = { prefixes: true };

  it('suggest, for labels, a longer label whose start the name mistypes (1 edit per 8 characters, 2 at most), among many labels', () => {
    expect(prefixEditDistance('transfer_not_recieved', 'transfer_not_received_by_recipient')).toBe(1);
    expect(prefixEditDistance('transfer_not_recived', 'transfer_not_received_by_recipient')).toBe(1);
    expect(didYouMean('transfer_not_recieved', intents, '', labels)).toBe(' (did you mean transfer_not_received_by_recipient?)');
    expect(closestKey('transfer_not_recived', intents, labels)).toBe('transfer_not_received_by_recipient');
    expect(closestKey('Transfer_Not_Received', intents, labels)).toBe('transfer_not_received_by_recipient');
    expect(closestKey('balance_not_updated_after_cheque', intents, labels)).toBe('balance_not_updated_after_cheque_or_cash_deposit');
    // 16 characters or more: 2 edits (a swap and a missing letter).
    expect(closestKey('trasnfer_not_recived', intents, labels)).toBe('transfer_not_received_by_recipient');
    expect(closestKey('card_arival', intents, labels)).toBe('card_arrival');
    // Off by default: options and columns are not labels (`--model-dir` is no `--model-threads`).
    expect(closestKey('transfer_not_recieved', intents)).toBeUndefined();
  });

  it('suggest no start that is far off, too short to tell, or shared by several labels', () => {
    // 3 edits from the start of transfer_not_received_by_recipient: too far.
    expect(closestKey('trnasfer_nto_recevied', intents, labels)).toBeUndefined();
    expect(closestKey('transfer_xyz_abcdefgh', intents, labels)).toBeUndefined();
    // 8-15 characters: one edit at most (`--model-dir` is 2 from `--model-thr`, `cash_out` from `cash_wit`).
    expect(closestKey('--model-dir', ['--model-threads', '--model'], labels)).toBeUndefined();
    expect(closestKey('cash_out', ['cash_withdrawal_charge'], labels)).toBeUndefined();
    expect(closestKey('cash_wihtdrawal', ['cash_withdrawal_charge'], labels)).toBe('cash_withdrawal_charge');
    // Under 8 characters: a start says too little (`card_a`, `top_up`).
    expect(closestKey('card_ab', ['card_about_to_expire'], labels)).toBeUndefined();
    // The start of several labels, as near: no guess.
    expect(closestKey('card_pay', intents, labels)).toBeUndefined();
    expect(closestKey('transfer', intents, labels)).toBeUndefined();
    expect(closestKey('top_up_by_ca', ['top_up_by_card_charge', 'top_up_by_cash_or_cheque'], labels)).toBeUndefined();
    // A longer name is no start of a shorter label.
    expect(closestKey('card_arrival_late_again', intents, labels)).toBeUndefined();
    expect(didYouMean('completely_unrelated_label', intents, '', labels)).toBe('');
  });

  it('choose the same start whatever the order of the labels', () => {
    const reversed = [...intents].reverse();
    for (const name of ['transfer_not_recieved', 'card_pay', 'balance_not_updated_after_bank', 'pending_cash_with']) {
      expect(closestKey(name, reversed, labels)).toBe(closestKey(name, intents, labels));
    }
    expect(closestKey('balance_not_updated_after_bank', intents, labels)).toBe('balance_not_updated_after_bank_transfer');
  });
});
