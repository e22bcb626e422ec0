/**
 * Why mail of a topic goes to a queue other than the topic's usual one, in the customer's words: invented
 * subjects (s) and body sentences (b) with {slots}, per topic and per queue other than the topic's first in
 * `catalog.ts` (a failed Sparplan debit goes to payments, a fee model change to account management). Each names
 * its topic, so the topic stays readable; the queue then follows from the text, as it does when an agent files it.
 */
import type { Lang } from './noise.js';

export type QueueTexts = Readonly<Record<string, Readonly<Record<string, { s: string[]; b: string[] }>>>>;

const DE: QueueTexts = {
  account_opening: {
    account_management: {
      s: ['Zweites Depot zu bestehendem Konto', 'Mitinhaber hinzufügen'],
      b: [
        'ich bin bereits Kunde und möchte zu meinem bestehenden Depot {depot} ein zweites Depot eröffnen. Können Sie meine Stammdaten übernehmen?',
        'bitte nehmen Sie meine Frau als Mitinhaberin in mein bestehendes Depot {depot} auf, statt ein neues Gemeinschaftsdepot zu eröffnen.',
        'für die Eröffnung des Unterdepots sollen Sie meine hinterlegten Kundendaten verwenden, die Adresse hat sich nicht geändert.',
      ],
    },
  },
  video_ident: {
    technical_support: {
      s: ['Ident-App: Kamera startet nicht', 'Videoident - App hängt'],
      b: [
        'die Ident-App erhält auf meinem {device} keinen Zugriff auf die Kamera, obwohl ich ihn in den Einstellungen erlaubt habe.',
        'beim Videoident bleibt die App auf meinem {device} nach dem Foto des Ausweises bei einem schwarzen Bild hängen.',
        'der Link zum Videoident in Ihrer E-Mail führt auf eine Fehlerseite (Fehler 404).',
      ],
    },
  },
  kyc_documents: {
    account_management: {
      s: ['Neuer Personalausweis', 'Stammdaten aktualisieren'],
      b: [
        'mein Personalausweis ist abgelaufen, anbei eine Kopie des neuen für Ihre Unterlagen zu Depot {depot}.',
        'bitte aktualisieren Sie meine Stammdaten: neuer Arbeitgeber und neue Steuer-ID, die Nachweise liegen bei.',
        'Sie hatten die Aktualisierung meiner Kundendaten angefordert. Bitte ändern Sie dabei auch meine Telefonnummer.',
      ],
    },
  },
  freistellungsauftrag: {
    account_management: {
      s: ['Freistellungsauftrag nach Namensänderung', 'Freistellungsauftrag auf Gemeinschaftskonto umstellen'],
      b: [
        'nach meiner Heirat ist der Freistellungsauftrag noch auf meinen alten Namen ausgestellt. Bitte passen Sie die Kundendaten an.',
        'bitte übertragen Sie meinen Freistellungsauftrag auf das neue Gemeinschaftskonto, das Einzelkonto wird aufgelöst.',
        'mein Mann ist verstorben. Bitte stellen Sie Konto und Freistellungsauftrag auf mich allein um.',
      ],
    },
  },
  quellensteuer: {
    orders_trading: {
      s: ['Wahldividende {stock}', 'Dividende in Aktien statt bar'],
      b: [
        'bei der Wahldividende von {stock} möchte ich Aktien statt der Barausschüttung. Wird die Quellensteuer dann trotzdem abgezogen?',
        'die Dividende von {stock} wurde in Stücken eingebucht und dafür Quellensteuer belastet. Bitte verkaufen Sie die Bruchstücke.',
        'ich möchte die Dividende von {stock} künftig automatisch wieder anlegen. Wie wird dabei die Quellensteuer behandelt?',
      ],
    },
  },
  sparplan: {
    payments_transfers: {
      s: ['Lastschrift Sparplan zurückgegangen', 'Sparplan: neues Lastschriftkonto'],
      b: [
        'die Lastschrift für meinen Sparplan über {amount} ist zurückgegangen. Bitte ziehen Sie den Betrag noch einmal ein.',
        'bitte ändern Sie das Lastschriftkonto meines Sparplans auf die IBAN {iban}.',
        'für meinen Sparplan wurde die Rate im {month} zweimal abgebucht. Bitte überweisen Sie mir den doppelten Betrag zurück.',
      ],
    },
  },
  depotuebertrag: {
    complaints: {
      s: ['Beschwerde Depotübertrag', 'Depotübertrag: Schaden durch Verzögerung'],
      b: [
        'der Depotübertrag läuft seit zwei Monaten, und niemand kann mir sagen, warum. Ich verlange eine Entschädigung für die Kursverluste.',
        'für den Depotübertrag wurden mir {amount} berechnet, obwohl das laut Gesetz kostenlos sein muss. Ich lege hiermit Beschwerde ein.',
        'wegen des verschleppten Depotübertrags konnte ich {stock} nicht verkaufen. Das ist nicht hinnehmbar.',
      ],
    },
  },
  order_execution: {
    complaints: {
      s: ['Beschwerde Orderausführung', 'Schadensersatz wegen Order'],
      b: [
        'durch die verspätete Ausführung meiner Order für {stock} ist mir ein Schaden von {amount} entstanden. Ich fordere Ersatz.',
        'Ihre Handelsplattform war beim Kurssturz stundenlang nicht erreichbar, meine Verkaufsorder kam nicht durch. Das ist inakzeptabel.',
        'ich beschwere mich förmlich über die Ausführung meiner Stop-Loss-Order weit unter dem Limit und erwarte eine Erstattung.',
      ],
    },
  },
  withdrawal: {
    complaints: {
      s: ['Beschwerde: Auszahlung seit Wochen offen', 'Auszahlung - letzte Frist'],
      b: [
        'ich warte seit drei Wochen auf meine Auszahlung von {amount}. Wenn das Geld nicht bis Freitag da ist, wende ich mich an die BaFin.',
        'das ist jetzt meine vierte Nachricht wegen der Auszahlung vom {date}. Ihr Service ist eine Zumutung.',
        'Sie halten mein Guthaben ohne Begründung zurück. Ich setze Ihnen eine letzte Frist für die Auszahlung.',
      ],
    },
  },
  login_2fa: {
    account_management: {
      s: ['Neue Handynummer für SMS-TAN', 'Zugang für Bevollmächtigten'],
      b: [
        'bitte ändern Sie die hinterlegte Handynummer für die SMS-TAN, ich habe eine neue Nummer.',
        'meine Tochter hat Vollmacht für mein Depot. Kann sie einen eigenen Login mit eigener TAN-App bekommen?',
        'die Zwei-Faktor-Freigabe soll künftig an meine neue E-Mail-Adresse gehen. Bitte ändern Sie die Kontaktdaten.',
      ],
    },
  },
  fee_complaint: {
    account_management: {
      s: ['Wechsel des Preismodells', 'Depotmodell umstellen'],
      b: [
        'wegen der hohen Gebühren möchte ich vom Premium-Modell in das kostenlose Basismodell wechseln. Bitte stellen Sie mein Depot um.',
        'bitte stellen Sie mein Konto zum Monatsende auf das günstigere Preismodell um, die Kontoführungsgebühr ist mir zu hoch.',
        'ich möchte die Papierpost abbestellen, damit die Gebühr für den Postversand entfällt.',
      ],
    },
  },
  tagesgeld_zinsen: {
    complaints: {
      s: ['Beschwerde Zinssenkung', 'Zinsen: Beschwerde'],
      b: [
        'die Senkung meines Tagesgeldzinses ohne Vorankündigung ist eine Unverschämtheit. Ich verlange die Nachzahlung der Zinsen.',
        'Sie haben mir {rate} % Zinsen für sechs Monate zugesagt und nach zwei Monaten gesenkt. Ich lege Beschwerde ein.',
        'zum dritten Mal fehlt die Zinsgutschrift auf meinem Tagesgeldkonto. Ich bin mit Ihrem Service sehr unzufrieden.',
      ],
    },
  },
  festgeld: {
    payments_transfers: {
      s: ['Auszahlung Festgeld nicht angekommen', 'Festgeld auf anderes Konto überweisen'],
      b: [
        'mein Festgeld ist am {date} fällig geworden, die Auszahlung von {amount} ist aber nicht auf meinem Referenzkonto angekommen.',
        'bitte überweisen Sie das fällige Festgeld auf mein Girokonto mit der IBAN {iban}.',
        'ich habe {amount} für das neue Festgeld überwiesen, der Betrag ist aber noch nicht gutgeschrieben.',
      ],
    },
  },
  risk_profile: {
    onboarding_kyc: {
      s: ['Anlegerprofil im Eröffnungsantrag', 'Fragebogen Wertpapiererfahrung'],
      b: [
        'im Antrag zur Depoteröffnung habe ich die Fragen zu meinen Erfahrungen mit Wertpapieren falsch beantwortet. Kann ich das Anlegerprofil korrigieren, bevor das Depot eröffnet wird?',
        'für die Eröffnung fehlt angeblich noch mein Anlegerprofil. Wo finde ich den Fragebogen?',
        'ich bin Neukunde und kann im Antrag keine Risikoklasse wählen, die Derivate erlaubt.',
      ],
    },
  },
  account_closure: {
    complaints: {
      s: ['Kündigung - Beschwerde', 'Kündigung wird ignoriert'],
      b: [
        'ich habe mein Depot vor sechs Wochen gekündigt, und es ist immer noch offen. Außerdem wurden weiter Gebühren abgebucht. Ich beschwere mich hiermit.',
        'ich kündige alle Konten, weil mich Ihr Service seit Monaten enttäuscht. Auf meine Beschwerden haben Sie nie reagiert.',
        'für die Auflösung meines Kontos verlangen Sie {amount}. Das halte ich für unzulässig und lege Beschwerde ein.',
      ],
    },
  },
  inheritance: {
    securities_transfers: {
      s: ['Nachlass: Depotübertrag', 'Übertrag der Wertpapiere aus dem Nachlass'],
      b: [
        'bitte übertragen Sie die Wertpapiere aus dem Nachlass meines Vaters auf mein Depot bei der {bank}. Der Erbschein liegt Ihnen vor.',
        'wir sind zwei Erben und möchten die Positionen aus dem Nachlassdepot je zur Hälfte auf unsere Depots übertragen.',
        'die {shares} Stück {etf} aus dem Erbe sollen auf das Depot {depot} meiner Mutter übertragen werden.',
      ],
    },
  },
};

const EN: QueueTexts = {
  account_opening: {
    account_management: {
      s: ['Second account for an existing customer', 'Adding a joint holder'],
      b: [
        'I am already a customer and would like a second depot next to my account {depot}. Can you reuse my customer details?',
        'please add my wife as a joint holder of my existing account {depot} instead of opening a new joint account.',
        'for the new sub-account please use the customer details you already have, my address has not changed.',
      ],
    },
  },
  video_ident: {
    technical_support: {
      s: ['Ident app: camera does not start', 'Video identification app freezes'],
      b: [
        'the ident app gets no access to the camera on my {device}, although I allowed it in the settings.',
        'during the video identification the app on my {device} freezes on a black screen after the photo of my ID.',
        'the video ident link in your email leads to an error page (error 404).',
      ],
    },
  },
  kyc_documents: {
    account_management: {
      s: ['New ID card', 'Please update my customer details'],
      b: [
        'my ID card has expired, attached is a copy of the new one for your records on account {depot}.',
        'please update my customer details: new employer and new tax ID, the documents are attached.',
        'you asked me to update my customer details. Please change my phone number at the same time.',
      ],
    },
  },
  freistellungsauftrag: {
    account_management: {
      s: ['Tax exemption order after a change of name', 'Move my exemption order to the joint account'],
      b: [
        'since my marriage the tax exemption order still carries my old name. Please update my customer details.',
        'please move my tax exemption order to the new joint account, the single account is being closed.',
        'my husband has passed away. Please put the account and the exemption order in my name alone.',
      ],
    },
  },
  quellensteuer: {
    orders_trading: {
      s: ['Scrip dividend {stock}', 'Dividend in shares instead of cash'],
      b: [
        'for the scrip dividend of {stock} I would like shares instead of cash. Is withholding tax still deducted then?',
        'the dividend of {stock} was booked as shares and withholding tax was charged on it. Please sell the fractions.',
        'I would like to reinvest the dividends of {stock} automatically. How is the withholding tax handled then?',
      ],
    },
  },
  sparplan: {
    payments_transfers: {
      s: ['Savings plan direct debit returned', 'New debit account for my savings plan'],
      b: [
        'the direct debit of {amount} for my savings plan was returned. Please collect the amount again.',
        'please change the debit account of my savings plan to IBAN {iban}.',
        'the instalment of my savings plan was debited twice in {month}. Please transfer the double amount back to me.',
      ],
    },
  },
  depotuebertrag: {
    complaints: {
      s: ['Complaint about my depot transfer', 'Depot transfer: loss through delay'],
      b: [
        'my depot transfer has been running for two months and nobody can tell me why. I demand compensation for the losses.',
        'you charged me {amount} for the depot transfer although it must be free of charge. I hereby file a complaint.',
        'because of the delayed depot transfer I could not sell {stock}. This is unacceptable.',
      ],
    },
  },
  order_execution: {
    complaints: {
      s: ['Complaint about order execution', 'Compensation for my order'],
      b: [
        'the late execution of my order for {stock} cost me {amount}. I demand compensation.',
        'your trading platform was down for hours during the crash and my sell order did not go through. This is unacceptable.',
        'I formally complain about my stop-loss order being executed far below the limit and expect a refund.',
      ],
    },
  },
  withdrawal: {
    complaints: {
      s: ['Complaint: withdrawal pending for weeks', 'Withdrawal - final deadline'],
      b: [
        'I have been waiting three weeks for my withdrawal of {amount}. If the money is not there by Friday I will go to the regulator.',
        'this is my fourth message about the withdrawal of {date}. Your service is a disgrace.',
        'you are holding back my balance without any reason. I am setting you a final deadline for the payout.',
      ],
    },
  },
  login_2fa: {
    account_management: {
      s: ['New mobile number for SMS codes', 'Login for my attorney'],
      b: [
        'please change the mobile number stored for the SMS codes, I have a new number.',
        'my daughter holds a power of attorney for my depot. Can she get her own login with her own TAN app?',
        'two-factor approvals should go to my new email address from now on. Please update my contact details.',
      ],
    },
  },
  fee_complaint: {
    account_management: {
      s: ['Switching the price plan', 'Change my account model'],
      b: [
        'because of the high fees I would like to switch from the premium plan to the free basic plan. Please change my depot.',
        'please move my account to the cheaper price plan at the end of the month, the account fee is too high for me.',
        'I would like to stop paper mail so that the postage fee no longer applies.',
      ],
    },
  },
  tagesgeld_zinsen: {
    complaints: {
      s: ['Complaint about the rate cut', 'Interest: formal complaint'],
      b: [
        'cutting the interest rate on my savings account without notice is outrageous. I demand the missing interest.',
        'you promised me {rate} % interest for six months and cut it after two. I am filing a complaint.',
        'for the third time the interest payment on my savings account is missing. I am very unhappy with your service.',
      ],
    },
  },
  festgeld: {
    payments_transfers: {
      s: ['Fixed deposit payout not received', 'Pay my fixed deposit to another account'],
      b: [
        'my fixed deposit matured on {date}, but the payout of {amount} has not arrived on my reference account.',
        'please transfer the matured fixed deposit to my current account, IBAN {iban}.',
        'I transferred {amount} for the new fixed deposit, but it has not been credited yet.',
      ],
    },
  },
  risk_profile: {
    onboarding_kyc: {
      s: ['Investor profile in my application', 'Questionnaire on investment experience'],
      b: [
        'in my account application I answered the questions on my investment experience wrongly. Can I correct my investor profile before the account is opened?',
        'my account opening is said to be waiting for my investor profile. Where do I find the questionnaire?',
        'I am a new customer and cannot choose a risk class that allows derivatives in the application.',
      ],
    },
  },
  account_closure: {
    complaints: {
      s: ['Closure - complaint', 'My cancellation is being ignored'],
      b: [
        'I closed my depot six weeks ago and it is still open. You even kept charging fees. I hereby complain.',
        'I am closing all my accounts because your service has disappointed me for months. You never answered my complaints.',
        'you are charging {amount} for closing my account. I consider that unlawful and file a complaint.',
      ],
    },
  },
  inheritance: {
    securities_transfers: {
      s: ['Estate: depot transfer', 'Transfer of the securities from the estate'],
      b: [
        'please transfer the securities from my father\'s estate to my depot at {bank}. You have the certificate of inheritance.',
        'we are two heirs and would like the positions of the estate depot split half and half into our own depots.',
        'the {shares} units of {etf} from the inheritance should be transferred to my mother\'s depot {depot}.',
      ],
    },
  },
};

export const QUEUE_TEXTS: Readonly<Record<Lang, QueueTexts>> = { de: DE, en: EN };

/** The texts of mail about `topic` that goes to `queue`, when that is not the topic's usual queue. */
export function queueTextsOf(lang: Lang, topic: string, queue: string): { s: string[]; b: string[] } | undefined {
  return QUEUE_TEXTS[lang][topic]?.[queue];
}
