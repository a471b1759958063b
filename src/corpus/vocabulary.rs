//! The words of the generated corpus: topics with titles and sentences in council phrasing,
//! the council groups, administrative units, committees and places of a Leipzig-like city.
//! Written for this project; place names are real Leipzig districts.

/// A subject area with the phrases papers about it use.
pub(crate) struct Topic {
    pub(crate) name: &'static str,
    pub(crate) committee: &'static str,
    pub(crate) titles: &'static [&'static str],
    pub(crate) sentences: &'static [&'static str],
}

/// Council groups as they sign papers (variants included on purpose: the parser normalises them).
pub(crate) const FRACTIONS: &[&str] = &[
    "SPD-Fraktion",
    "Geschäftsstelle der SPD-Fraktion",
    "CDU-Fraktion",
    "Fraktion DIE LINKE",
    "Fraktion BÜNDNIS 90/DIE GRÜNEN",
    "AfD-Fraktion",
    "Fraktion AfD",
    "Fraktion Freibeuter",
];

/// Administrative submitters: they carry no fraction.
pub(crate) const ADMINISTRATION: &[&str] = &[
    "Oberbürgermeister",
    "02.1 Dezernat Allgemeine Verwaltung",
    "Dezernat Stadtentwicklung und Bau",
    "Dezernat Umwelt, Klima, Ordnung und Sport",
    "Dezernat Jugend, Schule und Demokratie",
    "Dezernat Finanzen",
    "Dezernat Kultur",
    "Amt für Schule",
    "Verkehrs- und Tiefbauamt",
];

/// Districts named in the text.
pub(crate) const PLACES: &[&str] = &[
    "Grünau",
    "Connewitz",
    "Plagwitz",
    "Gohlis",
    "Reudnitz",
    "Paunsdorf",
    "Lindenau",
    "Schönefeld",
    "Mockau",
    "Probstheida",
    "Südvorstadt",
    "Eutritzsch",
    "Stötteritz",
];

pub(crate) const TOPICS: &[Topic] = &[
    Topic {
        name: "Verwaltung und Digitalisierung",
        committee: "Fachausschuss Allgemeine Verwaltung",
        titles: &[
            "IT-Ausstattung und Organisation der Arbeit der Verwaltung",
            "Telearbeit und mobile Arbeit in der Stadtverwaltung",
            "Ausbau der Telearbeitsplätze in den Ämtern",
            "Digitale Gremienarbeit und Videokonferenzen",
            "Einführung der E-Akte in der Stadtverwaltung",
        ],
        sentences: &[
            "Die Stadtverwaltung hat in kurzer Zeit zahlreiche Telearbeitsplätze eingerichtet.",
            "Mobile Arbeit und Telearbeit wurden während der Corona-Pandemie deutlich ausgeweitet.",
            "Viele Beschäftigte arbeiten inzwischen regelmäßig im Homeoffice.",
            "Die IT-Ausstattung der Verwaltung wurde um Notebooks und Headsets ergänzt.",
            "Sitzungen der Gremien finden teilweise als Videokonferenz statt.",
            "Die Einführung der E-Akte soll bis zum Jahresende abgeschlossen werden.",
            "Die Dienstvereinbarung zur Telearbeit regelt Arbeitszeit, Datenschutz und Erreichbarkeit.",
            "Im Bürgeramt {ort} werden Termine künftig online vergeben.",
        ],
    },
    Topic {
        name: "Radverkehr",
        committee: "Fachausschuss Stadtentwicklung und Bau",
        titles: &[
            "Lückenschluss im Radwegenetz",
            "Sichere Radwege an Hauptverkehrsstraßen",
            "Fahrradstraßen in der Südvorstadt",
            "Abstellanlagen für Fahrräder an Haltestellen",
            "Radverkehrsentwicklungsplan fortschreiben",
        ],
        sentences: &[
            "Der Ausbau des Radwegenetzes ist ein zentrales Ziel der Verkehrsplanung.",
            "Zwischen {ort} und dem Zentrum fehlt ein durchgehender Radweg.",
            "Radfahrende müssen an der Kreuzung auf die Fahrbahn ausweichen.",
            "Die Stadt prüft die Einrichtung weiterer Fahrradstraßen.",
            "An den Haltestellen sollen überdachte Fahrradbügel aufgestellt werden.",
            "Die Zahl der Unfälle mit Radfahrern ist im vergangenen Jahr gestiegen.",
            "Der Radverkehrsanteil am Modal Split soll auf 25 Prozent steigen.",
        ],
    },
    Topic {
        name: "Kindertagesstätten",
        committee: "Fachausschuss Jugend, Schule und Demokratie",
        titles: &[
            "Kita-Plätze in wachsenden Stadtteilen",
            "Neubau einer Kindertagesstätte in {ort}",
            "Betreuungsschlüssel in Kindertagesstätten verbessern",
            "Elternbeiträge für Kitas und Horte",
        ],
        sentences: &[
            "In {ort} fehlen nach der Bedarfsplanung rund 300 Kita-Plätze.",
            "Die Kindertagesstätte soll 165 Plätze für Krippe und Kindergarten bieten.",
            "Freie Träger betreiben den Großteil der Kitas in der Stadt.",
            "Die Elternbeiträge für Krippe und Kindergarten werden zum 1. August angepasst.",
            "Der Betreuungsschlüssel in den Kindertagesstätten soll schrittweise verbessert werden.",
            "Viele Eltern finden keinen wohnortnahen Betreuungsplatz.",
        ],
    },
    Topic {
        name: "Schulen",
        committee: "Fachausschuss Jugend, Schule und Demokratie",
        titles: &[
            "Sanierung der Grundschulen im Leipziger Osten",
            "Schulnetzplanung für Oberschulen und Gymnasien",
            "Schulgebäude barrierefrei umbauen",
            "Schulsozialarbeit an allen Oberschulen",
            "Digitale Ausstattung der Schulen",
        ],
        sentences: &[
            "Mehrere Grundschulen in {ort} sind überbelegt.",
            "Das Schulgebäude wurde 1905 errichtet und steht unter Denkmalschutz.",
            "Die Schulnetzplanung sieht zwei neue Oberschulen vor.",
            "An allen Schulen soll Schulsozialarbeit angeboten werden.",
            "Die Sanierung der Turnhalle verzögert sich wegen fehlender Fördermittel.",
            "Für die digitale Ausstattung der Schulen stehen Mittel aus dem Digitalpakt bereit.",
            "Der Schulhof wird entsiegelt und mit Bäumen bepflanzt.",
        ],
    },
    Topic {
        name: "Lärmschutz",
        committee: "Fachausschuss Umwelt, Klima und Ordnung",
        titles: &[
            "Lärmschutz an der Bahnstrecke in {ort}",
            "Lärmaktionsplan der Stadt fortschreiben",
            "Lärmschutzwände an der Autobahnzufahrt",
            "Tempo 30 zum Schutz vor Verkehrslärm",
        ],
        sentences: &[
            "Anwohnende klagen seit Jahren über den Verkehrslärm an der Hauptstraße.",
            "Der Lärmaktionsplan benennt Maßnahmen zur Minderung des Straßenlärms.",
            "Die Deutsche Bahn plant Lärmschutzwänden entlang der Strecke.",
            "Lärmschutzmaßnahmen an Schulen und Kitas haben Vorrang.",
            "Nachts werden Pegel von über 60 Dezibel gemessen.",
            "Tempo 30 kann den Lärm deutlich mindern.",
        ],
    },
    Topic {
        name: "Nahverkehr",
        committee: "Fachausschuss Stadtentwicklung und Bau",
        titles: &[
            "Taktverdichtung im ÖPNV",
            "Barrierefreie Haltestellen der Straßenbahn",
            "Nahverkehrsplan und Netzausbau",
            "Sozialticket für den öffentlichen Nahverkehr",
        ],
        sentences: &[
            "Die Straßenbahnlinie nach {ort} soll im Zehn-Minuten-Takt fahren.",
            "Der Nahverkehrsplan sieht neue Buslinien in den Randgebieten vor.",
            "Viele Haltestellen sind noch nicht barrierefrei ausgebaut.",
            "Das Sozialticket soll für Menschen mit geringem Einkommen günstiger werden.",
            "Die Leipziger Verkehrsbetriebe beschaffen neue Straßenbahnen.",
            "Der ÖPNV ist das Rückgrat der Mobilitätswende.",
        ],
    },
    Topic {
        name: "Bebauungsplanung",
        committee: "Fachausschuss Stadtentwicklung und Bau",
        titles: &[
            "Bebauungsplan Nr. 412 „Wohnen am Park“",
            "Aufstellungsbeschluss für den Bebauungsplan in {ort}",
            "Änderung des Flächennutzungsplans",
            "Städtebaulicher Vertrag für das Quartier am Bahnhof",
        ],
        sentences: &[
            "Der Bebauungsplan schafft Planungsrecht für rund 400 Wohnungen.",
            "Die frühzeitige Beteiligung der Öffentlichkeit fand im Frühjahr statt.",
            "Im Geltungsbereich des Bebauungsplans liegen mehrere Kleingartenanlagen.",
            "Der städtebauliche Vertrag verpflichtet den Investor zum Bau einer Kita.",
            "Die Stellungnahmen der Träger öffentlicher Belange wurden abgewogen.",
            "Ein Drittel der Wohnungen soll mietpreisgebunden sein.",
        ],
    },
    Topic {
        name: "Klimaschutz und Energie",
        committee: "Fachausschuss Umwelt, Klima und Ordnung",
        titles: &[
            "Photovoltaikanlagen auf städtischen Dächern",
            "Klimanotstand und Sofortmaßnahmen",
            "Energetische Sanierung kommunaler Gebäude",
            "Wärmeplanung für die Stadt",
        ],
        sentences: &[
            "Auf den Dächern der städtischen Gebäude sollen Photovoltaikanlagen errichtet werden.",
            "Die Stadt will bis 2040 klimaneutral werden.",
            "Die kommunale Wärmeplanung muss bis 2026 vorliegen.",
            "Die energetische Sanierung der Schulgebäude senkt den Energieverbrauch erheblich.",
            "Die Stadtwerke bauen Solarthermie und Großwärmepumpen aus.",
            "Die Klimawirkung der Vorlage wird als positiv eingeschätzt.",
        ],
    },
    Topic {
        name: "Wohnen",
        committee: "Fachausschuss Soziales, Gesundheit und Vielfalt",
        titles: &[
            "Sozialer Wohnungsbau und Belegungsbindungen",
            "Zweckentfremdung von Wohnraum verhindern",
            "Milieuschutzsatzung für {ort}",
            "Obdachlosigkeit im Winter begegnen",
        ],
        sentences: &[
            "Die Mieten in {ort} sind in den letzten fünf Jahren stark gestiegen.",
            "Die Stadt fördert den sozialen Wohnungsbau mit eigenen Mitteln.",
            "Eine soziale Erhaltungssatzung schützt die Bewohnerschaft vor Verdrängung.",
            "In den Wintermonaten werden zusätzliche Notschlafplätze bereitgestellt.",
            "Die Wohnungsbaugesellschaft soll jährlich 500 neue Wohnungen errichten.",
        ],
    },
    Topic {
        name: "Grün und Bäume",
        committee: "Fachausschuss Umwelt, Klima und Ordnung",
        titles: &[
            "Straßenbäume nachpflanzen",
            "Baumschutzsatzung überarbeiten",
            "Neue Spielplätze und Grünflächen in {ort}",
            "Bewässerung von Stadtbäumen in Hitzesommern",
        ],
        sentences: &[
            "Im vergangenen Jahr wurden über 1.000 Straßenbäume gefällt.",
            "Die Baumschutzsatzung regelt Fällungen auf privaten Grundstücken.",
            "Der Spielplatz in {ort} wird neu gestaltet und erweitert.",
            "In Hitzesommern müssen Jungbäume zusätzlich bewässert werden.",
            "Die Grünflächen leisten einen wichtigen Beitrag zur Klimaanpassung.",
        ],
    },
    Topic {
        name: "Kultur und Sport",
        committee: "Fachausschuss Kultur",
        titles: &[
            "Sanierung der Kongreßhalle am Zoo",
            "Förderung der freien Kulturszene",
            "Sportstätten für Vereine öffnen",
            "Zukunft der Stadtbibliothek",
        ],
        sentences: &[
            "Die Kongreßhalle am Zoo wurde nach umfassender Sanierung wiedereröffnet.",
            "Die freie Kulturszene erhält eine Erhöhung der institutionellen Förderung.",
            "Viele Sportvereine warten auf Hallenzeiten.",
            "Die Stadtbibliothek verlängert ihre Öffnungszeiten am Wochenende.",
            "Das Museum plant eine Ausstellung zur Stadtgeschichte.",
        ],
    },
    Topic {
        name: "Haushalt",
        committee: "Fachausschuss Finanzen",
        titles: &[
            "Haushaltsplan 2025/2026",
            "Überplanmäßige Aufwendungen für die Jugendhilfe",
            "Finanzierung der Investitionen im Schulbau",
            "Gewerbesteuerhebesatz",
        ],
        sentences: &[
            "Der Doppelhaushalt sieht Investitionen von 1,2 Milliarden Euro vor.",
            "Die überplanmäßigen Aufwendungen werden durch Minderausgaben gedeckt.",
            "Der Gewerbesteuerhebesatz bleibt unverändert bei 460 Prozent.",
            "Die Finanzierung ist im Haushaltsplan gesichert.",
            "Die Personalkosten steigen infolge der Tarifabschlüsse.",
        ],
    },
];

/// Sentences any paper may contain.
pub(crate) const FILLER: &[&str] = &[
    "Die Verwaltung wird gebeten, dem Stadtrat bis zum Ende des Quartals zu berichten.",
    "Welche Kosten sind mit den Maßnahmen bislang verbunden?",
    "Welche Erfahrungen hat die Stadtverwaltung damit gemacht?",
    "Die Vorlage wurde mit den beteiligten Ämtern abgestimmt.",
    "Der Stadtbezirksbeirat {ort} wurde angehört.",
    "Die Umsetzung erfolgt im Rahmen der vorhandenen Haushaltsmittel.",
    "Die Maßnahmen sind mit dem Integrierten Stadtentwicklungskonzept vereinbar.",
    "Eine Beteiligung der Bürgerinnen und Bürger ist vorgesehen.",
    "Die Bürger*innen werden in einer Informationsveranstaltung beteiligt.",
    "Der Oberbürgermeister wird beauftragt, ein Konzept vorzulegen.",
    "Über den Stand der Umsetzung ist jährlich zu berichten.",
    "Die Verwaltung prüft alternative Standorte.",
    "Die Antwort der Verwaltung liegt inzwischen vor.",
    "Im Ortsteil {ort} ist der Bedarf besonders hoch.",
    "Die Angelegenheit ist nicht eilbedürftig.",
    "Es bestehen keine Auswirkungen auf den Stellenplan.",
];
