/** Invented German message texts per topic: subjects (s) and body sentences (b) with {slots}. */
export const TEXTS_DE: Record<string, { s: string[]; b: string[] }> = {
  account_opening: {
    s: ['Depoteröffnung', 'Frage zur Kontoeröffnung', 'Antrag Depot noch offen?', 'Neues Depot für meine Tochter'],
    b: [
      'ich habe am {date} online ein Depot beantragt und bisher keine Zugangsdaten erhalten.',
      'wie lange dauert die Eröffnung eines Gemeinschaftsdepots für meine Frau und mich?',
      'ich möchte ein Juniordepot für meine Tochter eröffnen. Welche Unterlagen brauchen Sie dafür?',
      'mein Antrag auf Kontoeröffnung steht seit einer Woche auf "in Prüfung". Fehlt noch etwas?',
      'kann ich das Depot auch ohne Verrechnungskonto bei der {bank} eröffnen?',
    ],
  },
  video_ident: {
    s: ['Videoident abgebrochen', 'Legitimation klappt nicht', 'VideoIdent - Ausweis wird nicht erkannt'],
    b: [
      'beim Videoident bricht die Verbindung nach zwei Minuten immer ab.',
      'mein Personalausweis wird beim Ident-Verfahren nicht akzeptiert, angeblich ist das Foto unscharf.',
      'ich habe die Legitimation per Video gestern erfolgreich abgeschlossen, aber der Status hat sich nicht geändert.',
      'gibt es eine Alternative zum Videoident, zum Beispiel Postident in der Filiale?',
    ],
  },
  kyc_documents: {
    s: ['Nachweis Mittelherkunft', 'Angeforderte Unterlagen', 'Steuer-ID nachreichen', 'Selbstauskunft FATCA'],
    b: [
      'anbei sende ich Ihnen den angeforderten Nachweis zur Herkunft der Mittel (Verkauf einer Immobilie).',
      'Sie hatten meine steuerliche Identifikationsnummer angefordert, ich reiche sie hiermit nach.',
      'warum muss ich die Selbstauskunft zur steuerlichen Ansässigkeit erneut ausfüllen?',
      'ich habe das Schreiben zur Aktualisierung meiner Kundendaten erhalten. Welche Dokumente genau benötigen Sie?',
    ],
  },
  address_change: {
    s: ['Adressänderung', 'Neue Anschrift', 'Umzug - bitte Adresse ändern', 'Namensänderung nach Heirat'],
    b: [
      'ich bin zum {date} umgezogen, bitte ändern Sie meine Anschrift für Depot {depot}.',
      'meine neue Adresse lautet Lindenweg 12, 20095 Hamburg. Bitte passen Sie das in allen Konten an.',
      'nach meiner Heirat hat sich mein Nachname geändert. Die Heiratsurkunde habe ich beigefügt.',
      'im Onlinebanking kann ich die Adresse nicht selbst ändern, das Feld ist ausgegraut.',
    ],
  },
  freistellungsauftrag: {
    s: ['Freistellungsauftrag', 'Freistellungsauftrag ändern', 'FSA für {year}', 'Sparerpauschbetrag aufteilen'],
    b: [
      'ich möchte meinen Freistellungsauftrag auf {amount} erhöhen.',
      'bitte teilen Sie den Sparerpauschbetrag zwischen Depot und Tagesgeldkonto auf, jeweils zur Hälfte.',
      'trotz Freistellungsauftrag wurde Abgeltungsteuer auf meine Zinsen einbehalten. Wie kann das sein?',
      'wir haben geheiratet und möchten einen gemeinsamen Freistellungsauftrag für {year} erteilen.',
      'wo finde ich im Onlinebanking die Übersicht über den bereits ausgeschöpften Freistellungsauftrag?',
    ],
  },
  steuerbescheinigung: {
    s: ['Jahressteuerbescheinigung {taxYear}', 'Steuerbescheinigung fehlt', 'Korrektur Steuerbescheinigung', 'Erträgnisaufstellung'],
    b: [
      'wann wird die Jahressteuerbescheinigung für {taxYear} im Postfach bereitgestellt?',
      'in meiner Steuerbescheinigung fehlen die Verluste aus dem Verkauf von {stock}.',
      'mein Steuerberater benötigt eine korrigierte Steuerbescheinigung, die Kapitalerträge stimmen nicht.',
      'bitte senden Sie mir die Erträgnisaufstellung für Depot {depot} per Post zu.',
    ],
  },
  quellensteuer: {
    s: ['Quellensteuer Dividende', 'Erstattung Quellensteuer', 'Dividende {stock} zu niedrig'],
    b: [
      'bei der Dividende von {stock} wurde ausländische Quellensteuer von 35 % abgezogen.',
      'können Sie mir die Formulare zur Erstattung der Quellensteuer zusenden?',
      'die Gutschrift der Dividende über {amount} ist deutlich niedriger als erwartet.',
      'wird die anrechenbare Quellensteuer automatisch in der Steuerbescheinigung berücksichtigt?',
    ],
  },
  sparplan: {
    s: ['Sparplan ändern', 'Sparplan wurde nicht ausgeführt', 'Neuer ETF-Sparplan', 'Sparrate anpassen'],
    b: [
      'mein Sparplan auf den {etf} wurde am {date} nicht ausgeführt.',
      'ich möchte die monatliche Sparrate von 100 auf {amount} erhöhen.',
      'bitte pausieren Sie meinen Sparplan für drei Monate.',
      'die Lastschrift für den Sparplan ist geplatzt, obwohl das Referenzkonto gedeckt war.',
      'kann ich den Ausführungstag des Sparplans vom 1. auf den 15. verlegen?',
    ],
  },
  depotuebertrag: {
    s: ['Depotübertrag', 'Übertrag von anderer Bank', 'Depotwechsel dauert zu lange', 'Wertpapierübertrag'],
    b: [
      'ich habe vor drei Wochen einen Depotübertrag von der {bank} beauftragt, bisher ist nichts angekommen.',
      'beim Depotübertrag wurden die Anschaffungskosten von {stock} nicht mitgeliefert.',
      'bitte übertragen Sie alle Positionen aus Depot {depot} auf mein neues Depot bei der {bank}.',
      'es fehlen nach dem Übertrag noch {shares} Stück {etf}.',
    ],
  },
  order_execution: {
    s: ['Order nicht ausgeführt', 'Limit-Order', 'Teilausführung', 'Stop-Loss ausgelöst?'],
    b: [
      'meine Limit-Order über {shares} Stück {stock} wurde trotz erreichtem Kurs nicht ausgeführt.',
      'warum wurde meine Order nur teilweise ausgeführt und zweimal Gebühren berechnet?',
      'meine Stop-Loss-Order wurde weit unter dem Limit ausgeführt.',
      'ich kann die Order für {isin} nicht streichen, sie hängt im Status "in Bearbeitung".',
    ],
  },
  sepa_transfer: {
    s: ['Überweisung nicht angekommen', 'Rückruf Überweisung', 'SEPA-Überweisung', 'Falsche IBAN angegeben'],
    b: [
      'meine Überweisung über {amount} an IBAN {iban} ist nach fünf Tagen noch nicht angekommen.',
      'ich habe bei einer Überweisung die falsche IBAN eingegeben. Können Sie die Zahlung zurückrufen?',
      'bitte bestätigen Sie mir den Eingang meiner Einzahlung von {amount} auf das Verrechnungskonto.',
      'die Echtzeitüberweisung wurde abgelehnt, ohne Angabe von Gründen.',
    ],
  },
  withdrawal: {
    s: ['Auszahlung', 'Auszahlung auf Referenzkonto', 'Auszahlung dauert', 'Guthaben auszahlen'],
    b: [
      'bitte zahlen Sie {amount} von meinem Verrechnungskonto auf mein Referenzkonto {iban} aus.',
      'meine Auszahlung vom {date} ist immer noch nicht auf meinem Girokonto.',
      'warum kann ich nur auf das Referenzkonto auszahlen und nicht auf ein anderes Konto?',
    ],
  },
  login_2fa: {
    s: ['Login nicht möglich', 'Zwei-Faktor-Authentifizierung', 'Neues Handy - TAN-App', 'Zugang gesperrt', 'PIN vergessen'],
    b: [
      'ich habe ein neues {device} und kann die TAN-App nicht mehr aktivieren.',
      'mein Zugang wurde nach dreimaliger falscher PIN-Eingabe gesperrt.',
      'der Bestätigungscode per SMS kommt nicht an, ich kann mich nicht einloggen.',
      'bitte senden Sie mir einen neuen Aktivierungsbrief für die Zwei-Faktor-Authentifizierung.',
      'seit dem Update erscheint beim Login nur noch "Sitzung abgelaufen".',
    ],
  },
  app_error: {
    s: ['App stürzt ab', 'Fehler in der App', 'Kurse werden nicht angezeigt', 'Fehlermeldung beim Öffnen'],
    b: [
      'die App stürzt auf meinem {device} beim Öffnen der Depotübersicht sofort ab.',
      'in der App werden seit heute keine Kurse mehr angezeigt, nur Striche.',
      'beim Herunterladen von Dokumenten aus dem Postfach erscheint Fehler 500.',
      'die Push-Benachrichtigungen für Orderausführungen funktionieren nicht mehr.',
    ],
  },
  fee_complaint: {
    s: ['Beschwerde Gebühren', 'Depotgebühr zu hoch', 'Unerwartete Kosten', 'Gebühren erstatten'],
    b: [
      'mir wurden {amount} Depotgebühren berechnet, obwohl das Depot laut Preisverzeichnis kostenlos ist.',
      'die Fremdspesen bei der Order für {stock} sind nicht nachvollziehbar.',
      'ich bitte um Erstattung der doppelt berechneten Ordergebühr.',
      'warum zahle ich seit {month} eine Kontoführungsgebühr?',
    ],
  },
  service_complaint: {
    s: ['Beschwerde', 'Keine Antwort auf meine Anfragen', 'Unzufrieden mit dem Service', 'Letzte Erinnerung'],
    b: [
      'ich habe Ihnen bereits dreimal geschrieben und nie eine Antwort erhalten.',
      'die Hotline ist seit Tagen nicht erreichbar, das ist inakzeptabel.',
      'wenn ich bis Ende der Woche keine Rückmeldung bekomme, wende ich mich an die Schlichtungsstelle.',
      'Ihr Mitarbeiter am Telefon war unfreundlich und konnte mir nicht helfen.',
    ],
  },
  tagesgeld_zinsen: {
    s: ['Zinsen Tagesgeld', 'Zinssatz Tagesgeldkonto', 'Zinsgutschrift fehlt', 'Neukundenzins'],
    b: [
      'auf meinem Tagesgeldkonto wurden für {month} keine Zinsen gutgeschrieben.',
      'gilt der Aktionszins von {rate} % auch für Bestandskunden?',
      'warum wurde der Zinssatz auf meinem Tagesgeld ohne Ankündigung gesenkt?',
      'wie hoch ist der aktuelle Zinssatz für das Tagesgeldkonto?',
    ],
  },
  festgeld: {
    s: ['Festgeld anlegen', 'Festgeld Verlängerung', 'Festgeld fällig', 'Laufzeit Festgeld'],
    b: [
      'ich möchte {amount} für 12 Monate als Festgeld anlegen.',
      'mein Festgeld wird am {date} fällig. Bitte zahlen Sie den Betrag auf das Referenzkonto aus.',
      'wird das Festgeld automatisch verlängert, und zu welchem Zinssatz?',
      'kann ich das Festgeld vorzeitig kündigen?',
    ],
  },
  portfolio_review: {
    s: ['Termin Vermögensverwaltung', 'Anlagestrategie besprechen', 'Jahresgespräch', 'Quartalsbericht Fragen'],
    b: [
      'ich würde gerne einen Termin mit meinem Berater vereinbaren, um die Anlagestrategie zu besprechen.',
      'im Quartalsbericht ist die Wertentwicklung meines Mandats deutlich schlechter als die Benchmark.',
      'wir möchten einen Teil des Vermögens in nachhaltige Anlagen umschichten.',
      'können wir das jährliche Strategiegespräch auf {nextMonth} verschieben?',
    ],
  },
  risk_profile: {
    s: ['Anlegerprofil aktualisieren', 'Risikoklasse ändern', 'Angemessenheitsprüfung'],
    b: [
      'ich möchte meine Risikoklasse anpassen, um auch Derivate handeln zu können.',
      'meine Erfahrungen mit Wertpapieren haben sich geändert, bitte aktualisieren Sie mein Anlegerprofil.',
      'beim Kauf von {stock} erscheint ein Hinweis zur Angemessenheit. Was bedeutet das?',
    ],
  },
  account_closure: {
    s: ['Kündigung Depot', 'Konto schließen', 'Kündigung aller Konten'],
    b: [
      'hiermit kündige ich mein Depot {depot} fristgerecht zum Monatsende.',
      'bitte lösen Sie mein Tagesgeldkonto auf und überweisen Sie das Guthaben auf {iban}.',
      'ich möchte alle Konten schließen. Was passiert mit den restlichen Wertpapieren?',
    ],
  },
  inheritance: {
    s: ['Nachlass', 'Todesfall - Depot meines Vaters', 'Erbschein eingereicht'],
    b: [
      'mein Vater ist am {date} verstorben. Ich bin Alleinerbe und möchte das Depot auf mich übertragen.',
      'den Erbschein habe ich per Post gesendet. Wann wird das Nachlasskonto freigegeben?',
      'die Wertpapiere aus dem Nachlass sollen auf das Depot meiner Mutter übertragen werden.',
    ],
  },
  paper_statements: {
    s: ['Kontoauszüge per Post', 'Papierauszüge'],
    b: ['bitte senden Sie mir die Kontoauszüge wieder per Post zu.', 'ich möchte keine Papierauszüge mehr erhalten.'],
  },
};
