"""Write the example project's pattern records as the fictional coder ``anna`` (EXAMPLE DATA).

Running this script writes ``coding/patterns/anna.jsonl`` through
:class:`raakvlak.patterns.session.PatternSession`, as a researcher filling the pattern
widget would: one record per friction moment of the action-learning sessions and the
online case meeting, each step written in her own words and linked to her codings in
``coding/logs/anna.jsonl`` (found by code and quote) or, where she did not code the
passage (``als-b-sessie-4``, the second half of ``als-a-sessie-2``), to the passage
itself. The records are then grouped by hand into three recurring patterns:

- waiting for each other: school expects care to act, care waits for a request (3x);
- consent and privacy block information, each side assumes the other has it (2x);
- case coordination (regie): nobody has it, everybody thinks another has (3x).

The follow-up of the agreements is taken from the next session's look back where the
transcripts have one; otherwise it is ``unknown``.

Usage (from the repository root)::

    python examples/patterns_example.py           # refuses when anna's pattern log exists
    python examples/patterns_example.py --force   # deletes it and writes it anew
    python examples/patterns_example.py --project DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from raakvlak import Project
from raakvlak.coding.state import load_state
from raakvlak.errors import RaakvlakError
from raakvlak.patterns.session import PatternSession

CODER = "anna"
S1, S2, S3, S4, OV = "als-a-sessie-1", "als-a-sessie-2", "als-b-sessie-3", "als-b-sessie-4", "online-overleg"
WAITING = "Op elkaar wachten: school verwacht dat de zorg handelt, de zorg wacht op een vraag"
CONSENT = "Toestemming en privacy blokkeren informatie: ieder denkt dat de ander het weet"
REGIE = "Regie: niemand heeft hem, iedereen denkt dat een ander hem heeft"

# A link is (step, "code:<code_id>", quote start) for one of anna's codings, or
# (step, "text", exact phrase) for a passage of the record's document.
RECORDS: list[dict[str, Any]] = [
    {
        "document": S1, "pattern": WAITING,
        "title": "Mail aan de aanbieder blijft drie weken onbeantwoord",
        "actors": ["Docent 1", "IB'er 1", "Hulpverlener 1", "Wijkteam 1"],
        "steps": {
            "moment": "Na de escalatie met Leerling A mailt de IB'er het algemene aanmeldadres van "
                      "Jeugdhulpaanbieder 1: kan er iets versneld worden, kan iemand met school meedenken? "
                      "Ze krijgt een automatisch antwoord en daarna drie weken niets.",
            "action": "De leerkracht vangt het kind op, de IB'er mailt en belt; de zorgbemiddeling leest de "
                      "centrale mailbox; het wijkteam heeft het dossier bij de doorverwijzing gesloten.",
            "reason": "Zolang het kind op de wachtlijst staat is het bij de aanbieder van niemand: er mag "
                      "formeel niemand iets en indirecte tijd wordt niet betaald.",
            "reaction": "De leerkracht leest de stilte als onverschilligheid ('achter een muur'). Ze verwachtte "
                        "iemand in de klas, maar zei dat nergens; de jeugdhulp denkt in gezinsgesprekken.",
            "outcome": "Leerling A wordt na een tweede incident een dag geschorst; moeder belt de IB'er 's "
                       "avonds op haar privénummer ('wie moet het anders doen').",
            "recurring": "Zodra een kind doorgaat naar specialistische hulp valt weg wat ervoor zat, terwijl de "
                         "specialistische hulp er nog niet is: in dat gat zit de school.",
            "lever": "Een naam en een nummer bij de aanbieder, ook tijdens de wachttijd; overbrugging door "
                     "het wijkteam; de contractbepaling over overbrugging handhaven.",
            "agreement": "Wijkteam belt moeder en biedt overbrugging; de hulpverlener zoekt de intakedatum uit en "
                         "brengt een vaste contactpersoon voor scholen in; de gemeente zoekt de "
                         "contractbepaling op; de leerkracht schrijft haar verwachting op.",
        },
        "codes": ["barrier.expectations", "barrier.beschikking", "barrier.budget", "barrier.job",
                  "boundary.identification.othering"],
        "links": [
            ("moment", "code:pattern.moment", "Dus ik heb diezelfde middag een mail"),
            ("action", "code:barrier.follow_up", "Na een week heb ik gebeld"),
            ("reason", "code:pattern.reason", "Zolang hij op de wachtlijst staat"),
            ("reason", "code:barrier.budget", "Ik kan geen uren schrijven"),
            ("reaction", "code:pattern.reaction", "Ik dacht: zij vinden het wel best"),
            ("reaction", "code:barrier.expectations", "Onuitgesproken verwachting"),
            ("outcome", "code:pattern.outcome", "Leerling A is een dag geschorst."),
            ("outcome", "code:barrier.job", "Ja. En ik neem dan toch op."),
            ("recurring", "code:pattern.recurring", "Dus het patroon is:"),
            ("recurring", "code:pattern.recurring", "En in dat gat zit de school."),
            ("lever", "code:pattern.lever", "Gewoon een naam en een telefoonnummer"),
            ("lever", "code:pattern.lever", "En ik kan aan mijn teamleider vragen"),
            ("agreement", "code:pattern.agreement", "Ik bel de moeder van Leerling A."),
            ("agreement", "code:pattern.agreement", "Ik vraag bij de zorgbemiddeling na"),
        ],
        "follow_up": [
            {"agreement": "Moeder bellen en overbrugging aanbieden vóór 19 maart", "by": "Wijkteam 1",
             "review_date": "2026-04-02", "followed_up": "yes",
             "note": "Op 16 maart gebeld; twee gesprekken thuis ('Eindelijk iemand die terugbelt')."},
            {"agreement": "Contractbepaling over overbrugging en wachttijd opzoeken", "by": "Gemeente 1",
             "review_date": "2026-04-02", "followed_up": "yes",
             "note": "Gevonden: 'passende overbruggingszorg' bij meer dan acht weken; niemand controleert het."},
            {"agreement": "Navragen wanneer de intake is en het de IB'er laten weten, uiterlijk vrijdag",
             "by": "Hulpverlener 1", "review_date": "2026-03-13", "followed_up": "yes",
             "note": "Gemaild: intake op 22 april, door een intaker; wie behandelt is onzeker."},
            {"agreement": "Vaste contactpersoon voor scholen inbrengen in het teamoverleg", "by": "Hulpverlener 1",
             "review_date": "2026-04-02", "followed_up": "yes",
             "note": "Ingebracht; de teamleider vroeg wie dat gaat betalen. Het management gaat het 'meenemen'."},
        ],
    },
    {
        "document": S3, "pattern": WAITING,
        "title": "Overleg half maart: school en behandelaar wachten op elkaar",
        "actors": ["Mentor 1", "Hulpverlener 2", "Gemeente 2", "Zorgcoördinator 1"],
        "steps": {
            "moment": "In het overleg over Leerling B (14, thuis sinds de herfstvakantie) vraagt leerplicht naar "
                      "behandeling en schoolgang; de behandelaar zegt er inhoudelijk niets over te kunnen zeggen. "
                      "Het wordt stil.",
            "action": "De behandelaar houdt het algemeen; de leerplichtambtenaar kondigt een verklaring van de "
                      "jeugdarts aan.",
            "reason": "Beroepsgeheim en de vraag van Leerling B zelf; leerplicht moet het thuiszitten onderbouwen.",
            "reaction": "Leerplicht ervaart het als een muur en gaat duwen; moeder hoort 'verklaring' en denkt "
                        "aan een boete.",
            "outcome": "Drie weken later is er niets gebeurd; de mentor gaat wekelijks op huisbezoek omdat "
                       "niemand anders het doet. School en behandelaar wachtten vijf maanden op elkaar.",
            "recurring": "School verwacht dat de behandeling de schoolgang opbouwt, de behandelaar verwacht een "
                         "aanbod van school; niemand zegt het hardop: pingpong zonder bal.",
            "lever": "Vooraf met Leerling B en moeder doorspreken wat gedeeld mag worden; op één A4'tje wie wat doet.",
            "agreement": "De zorgcoördinator stuurt voortaan vooraf de vragen rond; leerplicht belt moeder zelf; "
                         "de behandelaar stuurt op wat hij mag delen; de mentor maakt het A4'tje.",
        },
        "codes": ["barrier.expectations", "barrier.privacy", "barrier.laws", "gerdes.identity"],
        "links": [
            ("moment", "code:pattern.moment", "En het moment dat ik wil inbrengen"),
            ("action", "code:pattern.action", "daar kan ik inhoudelijk niks over zeggen"),
            ("reason", "code:pattern.reason", "Dus dan hou ik het liever te algemeen"),
            ("reason", "code:barrier.privacy", "Ze is veertien, dus ik heb te maken"),
            ("reaction", "code:pattern.reaction", "Eerlijk? Als een muur."),
            ("reaction", "code:pattern.reaction", "En toen werd moeder heel zenuwachtig"),
            ("outcome", "code:pattern.outcome", "De uitkomst is dat we nu drie weken verder"),
            ("outcome", "code:pattern.outcome", "Dus we zaten gewoon allebei op elkaar te wachten."),
            ("recurring", "code:barrier.expectations", "Ik verwachtte, denk ik"),
            ("recurring", "code:pattern.recurring", "o, wij dachten dat jullie dat deden."),
            ("lever", "code:pattern.lever", "dan had ik met Leerling B en moeder"),
            ("lever", "code:pattern.lever", "wat doe jij, wat doe ik."),
            ("agreement", "code:pattern.agreement", "Ik doe de vraag vooraf."),
            ("agreement", "code:pattern.agreement", "Dat kan ik beter zelf doen"),
        ],
        "follow_up": [
            {"agreement": "Moeder bellen over wat leerplicht komt doen", "by": "Gemeente 2",
             "review_date": "2026-05-21", "followed_up": "yes",
             "note": "Op 15 april gebeld; moeder was opgelucht."},
            {"agreement": "Opsturen wat over Leerling B gedeeld mag worden, uiterlijk 24 april", "by": "Hulpverlener 2",
             "review_date": "2026-04-24", "followed_up": "yes", "note": "Te laat: op 6 mei gestuurd."},
            {"agreement": "Een A4'tje: wat school doet, wat de jeugdhulp doet", "by": "Mentor 1",
             "review_date": "2026-05-21", "followed_up": "yes",
             "note": "Gemaakt, met een deel voor Leerling B zelf."},
        ],
    },
    {
        "document": S4, "pattern": WAITING,
        "title": "Stage-evaluatie zonder de ambulant hulpverlener",
        "actors": ["Docent 2", "Hulpverlener 3", "Zorgcoördinator 1"],
        "steps": {
            "moment": "De stage van Leerling C loopt mis; de docent hoort van vader dat de hulpverlener 'erover "
                      "gaat' en vraagt haar per mail bij de stage-evaluatie.",
            "action": "De docent nodigt uit voor een evaluatie om half negen in Dorp Y; de hulpverlener mailt "
                      "terug dat de stage niet binnen haar indicatie valt.",
            "reason": "Haar beschikking is gehalveerd van vier naar twee uur per week; met reistijd is een "
                      "evaluatie haar hele week. School weet dat niet.",
            "reaction": "De docent leest 'niet mijn probleem'; de hulpverlener leest de vraag als 'school dumpt "
                        "het bij mij zodra het misgaat'.",
            "outcome": "De evaluatie gebeurt zonder de zorg; Leerling C staat op een laatste kans en vaders vraag "
                       "over achttien jaar blijft onbeantwoord.",
            "recurring": "Ieder werkt in zijn eigen lijstje (indicatie tegenover stage) en wacht tot de ander "
                         "beweegt; twee eindstreepjes die niemand samen bewaakt.",
            "lever": "Het bestaande onderwijs-zorgarrangement verbreden naar stage-evaluaties in de bovenbouw; "
                     "vroeg beginnen met een toekomstplan voor achttien.",
            "agreement": "Samen om tafel op 10 juni om half vier; de hulpverlener vraagt vóór 1 juni of de uren "
                         "onder het arrangement kunnen; de docent meldt het ook als het goed gaat.",
        },
        "codes": ["barrier.expectations", "barrier.budget", "barrier.beschikking", "success.arrangement",
                  "inductive.turning_18"],
        "links": [
            ("moment", "text", "Het moment is de week na de meivakantie."),
            ("action", "text", "Dus ik heb Hulpverlener 3 gemaild en gevraagd of ze bij de stage-evaluatie wilde zijn."),
            ("action", "text", "\"Helaas valt de stage niet binnen mijn indicatie.\""),
            ("reason", "text", "Sinds januari is de beschikking voor Leerling C teruggebracht van vier naar twee uur per week."),
            ("reaction", "text", "Als: niet mijn probleem."),
            ("reaction", "text", "En ik las jouw mail als: school dumpt het bij mij zodra de stage misgaat."),
            ("outcome", "text", "De evaluatie is gedaan zonder Hulpverlener 3."),
            ("recurring", "text", "Dat iedereen in zijn eigen lijstje werkt."),
            ("lever", "text", "Dus een hefboom is: het arrangement dat er al is breder maken?"),
            ("agreement", "text", "Ik vraag uiterlijk 1 juni aan mijn teamleider of die uren onder het arrangement kunnen."),
        ],
        "follow_up": [
            {"agreement": "Vragen of stage-evaluaties onder het arrangement kunnen", "by": "Hulpverlener 3",
             "review_date": "2026-06-01", "followed_up": "unknown"},
            {"agreement": "Overleg over hoe het verder gaat met Leerling C, vader en stagebegeleider",
             "by": "Docent 2", "review_date": "2026-06-10", "followed_up": "unknown"},
        ],
    },
    {
        "document": S1, "pattern": CONSENT,
        "title": "De nieuwe hulpverlener mag niets vertellen",
        "actors": ["IB'er 1", "Docent 1", "Hulpverlener 1", "Wijkteam 1"],
        "steps": {
            "moment": "De vaste ambulant hulpverlener van Leerling A is vertrokken zonder dat school het hoorde; "
                      "de IB'er belt de opvolger, die zonder toestemming van moeder niets mag zeggen.",
            "action": "De IB'er zegt dat moeder het goed vindt; de hulpverlener wil het van moeder zelf en op "
                      "het formulier; de IB'er hangt op.",
            "reason": "De IB'er wil weten wat er thuis geoefend wordt om in de klas aan te sluiten; de "
                      "hulpverlener heeft een beroepsgeheim en kent de IB'er niet.",
            "reaction": "De IB'er voelt wantrouwen, alsof ze een nieuwsgierige buitenstaander is; voor de "
                        "hulpverlener is ze een stem aan de telefoon.",
            "outcome": "Daarna hoort school niets meer; de begeleiding wordt afgesloten, ook dat via moeder.",
            "recurring": "Informatie zit in personen in plaats van in afspraken; er wordt over de ouder gepraat "
                         "in plaats van met de ouder; vijf formulieren en niemand weet welke geldt.",
            "lever": "Eén keer met z'n allen, met moeder: wie ben ik, wie ben jij, wat mogen we delen; één "
                     "toestemmingsformulier voor de gemeente; een warme overdracht bij een wisseling.",
            "agreement": "Gesprek met moeder op school over wat gedeeld mag worden; het ene formulier op de "
                         "agenda van het OOGO; bij een wisseling van behandelaar een bericht aan school.",
        },
        "codes": ["barrier.privacy", "barrier.turnover", "gerdes.trust", "damour.formalisation.information_exchange"],
        "links": [
            ("moment", "code:pattern.moment", "Ik bel, zij zegt"),
            ("moment", "code:barrier.turnover", "Niemand van Jeugdhulpaanbieder 2"),
            ("action", "code:pattern.action", "En toen was ik er klaar mee."),
            ("reason", "code:pattern.reason", "Omdat ik wilde weten"),
            ("reason", "code:barrier.privacy", "Ik heb een beroepsgeheim."),
            ("reaction", "code:pattern.reaction", "Als wantrouwen."),
            ("outcome", "code:pattern.outcome", "Niks. Ik heb daarna"),
            ("recurring", "code:pattern.recurring", "Eén: informatie zit in personen"),
            ("recurring", "code:barrier.privacy", "vijf formulieren getekend"),
            ("lever", "code:pattern.lever", "Eén keer met z'n allen"),
            ("lever", "code:pattern.lever", "één toestemmingsformulier"),
            ("agreement", "code:pattern.agreement", "Ik nodig de moeder van Leerling A uit"),
        ],
        "follow_up": [
            {"agreement": "Gesprek met moeder over wat gedeeld mag worden, 26 maart", "by": "IB'er 1",
             "review_date": "2026-04-02", "followed_up": "yes",
             "note": "Moeder schreef zelf op een A4'tje wat gedeeld mag worden."},
            {"agreement": "Eén toestemmingsformulier op de agenda van het OOGO van 31 maart", "by": "Gemeente 1",
             "review_date": "2026-04-02", "followed_up": "no",
             "note": "Stond onder 'overige punten' en is niet besproken; volgende OOGO in juni."},
            {"agreement": "Bij een wisseling van behandelaar school een bericht sturen", "by": "Hulpverlener 1",
             "review_date": "2026-04-02", "followed_up": "unknown"},
        ],
    },
    {
        "document": OV, "pattern": CONSENT,
        "title": "Iedereen die het weet, mag het niet zeggen",
        "actors": ["IB'er 1", "Hulpverlener 3", "Jeugdarts 1", "Gemeente 1", "Wijkteam 1"],
        "steps": {
            "moment": "In het online casusoverleg over Leerling B kan de school geen plan maken omdat niemand "
                      "mag zeggen wat ze aankan.",
            "action": "De ambulant hulpverlener deelt wel de dagstructuur, niet de inhoud; de jeugdarts gaf een "
                      "advies zonder medische inhoud, alleen aan leerplicht en de zorgcoördinator.",
            "reason": "Leerling B (14) gaf geen toestemming voor dit overleg; tussen twaalf en zestien is die van "
                      "ouder én kind nodig. Wie haar vertrouwen beschaamt, is haar kwijt.",
            "reaction": "De IB'er: moeder zegt ja, Leerling B zegt niets, en wij mogen het nog steeds niet horen; "
                        "het advies van de jeugdarts heeft ze nooit gezien.",
            "outcome": "De school schiet met hagel; twee aanbieders bij één meisje kennen elkaar niet.",
            "recurring": "Iedereen die het weet, mag het niet zeggen, en ieder gaat ervan uit dat een ander het "
                         "wel weet.",
            "lever": "Met Leerling B zelf bespreken wat naar school mag (\"mag ik zeggen dat je twee uur per dag "
                     "aankunt?\"): met haar praten, niet over haar.",
            "agreement": "De hulpverlener zet met Leerling B en moeder op papier wat naar school mag; de "
                         "jeugdarts vraagt Leerling B of ze haar advies mag toelichten.",
        },
        "codes": ["barrier.privacy", "gerdes.trust", "damour.formalisation.information_exchange",
                  "damour.shared_goals.client_centred"],
        "links": [
            ("moment", "code:pattern.moment", "En daar loop ik dus tegenaan."),
            ("action", "code:barrier.privacy", "Maar over de inhoud"),
            ("action", "code:gerdes.knowledge_sharing", "is school en leerplicht adviseren"),
            ("reason", "code:barrier.privacy", "Tussen twaalf en zestien"),
            ("reason", "code:pattern.reason", "Maar als ik het vertrouwen"),
            ("reaction", "code:barrier.privacy", "Dus moeder zegt ja"),
            ("reaction", "code:damour.formalisation.information_exchange", "Dat advies heb ik nooit gezien."),
            ("outcome", "text", "Dus de school schiet met hagel."),
            ("outcome", "code:barrier.one_plan", "Twee aanbieders bij één meisje"),
            ("recurring", "code:barrier.privacy", "En iedereen die het weet"),
            ("lever", "code:pattern.lever", "Mag ik tegen school zeggen"),
            ("agreement", "code:pattern.agreement", "Twee: Hulpverlener 3"),
            ("agreement", "code:pattern.agreement", "Drie: Jeugdarts 1"),
        ],
        "follow_up": [
            {"agreement": "Met Leerling B en moeder op papier zetten wat naar school mag, vóór vrijdag",
             "by": "Hulpverlener 3", "review_date": "2026-04-24", "followed_up": "unknown"},
            {"agreement": "Leerling B vragen of het advies in het overleg toegelicht mag worden",
             "by": "Jeugdarts 1", "review_date": "2026-04-24", "followed_up": "unknown"},
        ],
    },
    {
        "document": S2, "pattern": REGIE,
        "title": "Vier plannen in de la: iedereen kijkt naar het wijkteam",
        "actors": ["IB'er 1", "Wijkteam 1", "Hulpverlener 1", "Gemeente 1", "Docent 1"],
        "steps": {
            "moment": "In het overleg van 19 maart over de familie Familie D vraagt moeder: ik heb vier plannen "
                      "in mijn la, welke moet ik doen? Het wordt stil en iedereen kijkt naar het wijkteam.",
            "action": "De IB'er organiseerde het overleg zelf; ieder bracht een eigen plan mee; de behandelaar "
                      "zegt dat de traumabehandeling voorgaat.",
            "reason": "Op papier heeft het wijkteam de regie, maar de nieuwe medewerker heeft twintig gezinnen "
                      "erbij; regie is in de praktijk: we weten wie er betrokken is.",
            "reaction": "De IB'er ervaart het als concurrentie: iedereen laat zien dat hij nodig is, en zij zit "
                        "er als voorzitter zonder mandaat.",
            "outcome": "Een vervolgoverleg over zes weken; ieder gaat verder met zijn eigen plan; moeder vraagt "
                       "bij het hek aan de IB'er wat ze moet doen.",
            "recurring": "Eén gezin, één plan werkt tot de hulp begint; daarna heeft iedereen de regie over zijn "
                         "eigen stukje en niemand over het geheel.",
            "lever": "Aan het begin van elk overleg hardop beleggen wie de regie heeft; één A4'tje van het "
                     "gezin met één doel per hulpverlener; het casusregiebudget.",
            "agreement": "Wijkteam 1 vraagt Wijk Zuid wie formeel de regie heeft; de IB'er maakt een overzicht "
                         "van betrokkenen voor moeder; de gemeente zoekt uit hoe het casusregiebudget werkt.",
        },
        "codes": ["barrier.regie", "barrier.one_plan", "barrier.turnover", "damour.governance.centrality"],
        "links": [
            ("moment", "code:pattern.moment", "Het moment is het overleg van negentien maart."),
            ("moment", "code:barrier.one_plan", "\"Ik heb nu vier plannen"),
            ("action", "code:damour.shared_goals.goals", "De traumabehandeling heeft nu prioriteit."),
            ("reason", "code:barrier.regie", "het wijkteam heeft de regie."),
            ("reason", "code:barrier.regie", "Dus regie is bij ons vaak"),
            ("reaction", "code:pattern.reaction", "En iedereen keek naar het wijkteam."),
            ("reaction", "code:pattern.reaction", "Als een soort concurrentie."),
            ("outcome", "text", "Een vervolgoverleg. (gelach) Nee, echt. Afgesproken: over zes weken weer bij elkaar."),
            ("recurring", "code:pattern.recurring", "Dus iedereen heeft de regie over zijn eigen stukje."),
            ("lever", "text", "Gewoon benoemen. \"Ik ben vandaag de regisseur.\""),
            ("agreement", "text", "Ik vraag wie nu formeel de regie heeft, en of ze die bij het volgende overleg hardop willen beleggen."),
        ],
        "follow_up": [
            {"agreement": "Wijk Zuid vragen wie formeel de regie heeft en die hardop te beleggen",
             "by": "Wijkteam 1", "review_date": "2026-04-17", "followed_up": "unknown"},
            {"agreement": "Uitzoeken hoe het casusregiebudget werkt en het mailen vóór 17 april",
             "by": "Gemeente 1", "review_date": "2026-04-17", "followed_up": "unknown"},
        ],
    },
    {
        "document": S3, "pattern": REGIE,
        "title": "Aanspreekpunt zonder mandaat: 'Ik heb gezegd: ik'",
        "actors": ["Hulpverlener 3", "Docent 2", "Zorgcoördinator 1", "Gemeente 2", "Hulpverlener 2"],
        "steps": {
            "moment": "De ambulant hulpverlener zet de betrokkenen bij de familie Familie D aan tafel; alleen "
                      "moeder en de docent komen. Moeder vraagt: wie is nou mijn aanspreekpunt?",
            "action": "De hulpverlener zegt 'ik', zonder mandaat en zonder iets te kunnen toezeggen namens de "
                      "anderen.",
            "reason": "Moeder is uitgeput: acht afspraken in een week met mensen die allemaal hetzelfde vragen.",
            "reaction": "De behandelaar mailt dat hij niet kan en graag op de hoogte blijft; de school stond niet "
                        "op het lijstje; iedereen dacht dat een ander de regie had.",
            "outcome": "Aan het eind weet niemand wie het overzicht heeft; de regie landt bij wie er het dichtst "
                       "bij staat.",
            "recurring": "Niemand heeft de regie, maar iedereen denkt dat een ander hem heeft.",
            "lever": "In de beschikking meteen vastleggen wie de regie heeft; het bestaande ZAT gebruiken.",
            "agreement": "De familie in het ZAT van 7 mei bespreken en de regie daar hardop beleggen, met "
                         "mandaat en uren; de vraag over regie in de beschikking naar beleid.",
        },
        "codes": ["barrier.regie", "barrier.one_plan", "success.existing_structures"],
        "links": [
            ("moment", "code:pattern.moment", "Dus ik dacht, ik zet ze gewoon eens"),
            ("action", "code:pattern.action", "Ik heb gezegd: ik."),
            ("reason", "code:pattern.reason", "Omdat ze zo moe was."),
            ("reaction", "code:pattern.reaction", "Van Jeugdhulpaanbieder 1 een mailtje"),
            ("reaction", "code:barrier.regie", "o, maar wij dachten"),
            ("outcome", "code:barrier.regie", "Maar aan het eind wist nog steeds niemand"),
            ("recurring", "code:pattern.recurring", "Dat niemand de regie heeft"),
            ("lever", "code:pattern.lever", "zou er meteen in moeten staan"),
            ("lever", "code:success.existing_structures", "Dan gebruiken we iets wat er al is"),
            ("agreement", "code:pattern.agreement", "VO-school 1 heeft ZAT op 7 mei."),
            ("agreement", "code:pattern.agreement", "Die wil ik op 7 mei"),
            ("agreement", "code:pattern.agreement", "Ik neem de vraag mee naar beleid."),
        ],
        "follow_up": [
            {"agreement": "Regie hardop beleggen in het ZAT van 7 mei", "by": "Zorgcoördinator 1",
             "review_date": "2026-05-21", "followed_up": "yes",
             "note": "Belegd bij Hulpverlener 3, met dezelfde uren; het wijkteam was er niet."},
            {"agreement": "Regie in de beschikking voorleggen aan beleid", "by": "Gemeente 2",
             "review_date": "2026-05-21", "followed_up": "unknown",
             "note": "'Wordt meegenomen' in de evaluatie van de toegang in het najaar."},
        ],
    },
    {
        "document": OV, "pattern": REGIE,
        "title": "Twee regisseurs en geen regie",
        "actors": ["Wijkteam 1", "Gemeente 1", "Hulpverlener 3", "IB'er 1"],
        "steps": {
            "moment": "Leerling B zit sinds de herfstvakantie thuis en staat op de wachtlijst van de "
                      "tussenvoorziening; de vraag 'wie trekt hieraan?' blijft hangen.",
            "action": "Het onderwijsdeel ligt bij school, het zorgdeel bij het wijkteam; de hulpverlener zegt "
                      "uitdrukkelijk niet de regisseur te zijn.",
            "reason": "Samenwerkingsverband en gemeente schuiven de kosten naar elkaar: volgens de een is het "
                      "zorg, volgens de ander onderwijs; de coördinator van de tussenvoorziening is vertrokken.",
            "reaction": "Moeder belt iedereen; de basisschool-IB'er is aanspreekpunt geworden zonder formele rol.",
            "outcome": "De regie ligt feitelijk bij moeder; het kind staat ertussen.",
            "recurring": "Twee regisseurs en geen regie: iedereen denkt dat een ander hem heeft.",
            "lever": "Tijdelijk de regie nemen vanuit het wijkteam; het casusregiebudget inzetten.",
            "agreement": "Het wijkteam neemt tijdelijk de regie tot het overleg na de meivakantie; de gemeente "
                         "regelt het casusregiebudget en zoekt de aanmelding bij de tussenvoorziening uit.",
        },
        "codes": ["barrier.regie", "barrier.budget", "inductive.thuiszitter", "damour.governance.leadership"],
        "links": [
            ("moment", "code:barrier.regie", "Wie trekt hieraan?"),
            ("action", "code:barrier.regie", "Ik ben niet de regisseur"),
            ("reason", "code:barrier.budget", "En nu wil Samenwerkingsverband Z"),
            ("reaction", "code:barrier.job", "Dus ik ben een soort aanspreekpunt"),
            ("outcome", "code:barrier.regie", "Eigenlijk ligt de regie nu bij moeder."),
            ("outcome", "code:damour.shared_goals.client_centred", "En het kind staat ertussen."),
            ("recurring", "code:barrier.regie", "Dus ze heeft twee regisseurs"),
            ("lever", "code:damour.governance.leadership", "Dan stel ik voor"),
            ("lever", "code:damour.governance.innovation_support", "dit is precies een casus"),
            ("agreement", "code:pattern.agreement", "Eén: ik neem de regie"),
            ("agreement", "code:pattern.agreement", "Vier: Gemeente 1."),
        ],
        "follow_up": [
            {"agreement": "Tijdelijk de regie nemen en een overleg plannen na de meivakantie", "by": "Wijkteam 1",
             "review_date": "2026-05-21", "followed_up": "unknown"},
            {"agreement": "Casusregiebudget aanvragen en de aanmelding bij de tussenvoorziening uitzoeken",
             "by": "Gemeente 1", "review_date": "2026-05-21", "followed_up": "unknown"},
        ],
    },
]


def _coding_id(codings, document_id: str, code_id: str, start_of_quote: str) -> str:
    """The event id of anna's coding with this code whose quote starts with the phrase (exactly one)."""
    hit = codings[(codings["document_id"] == document_id) & (codings["code_id"] == code_id)
                  & codings["quote"].str.startswith(start_of_quote)]
    if len(hit) != 1:
        raise SystemExit(f"{document_id}: {len(hit)} codings of {CODER} with {code_id} starting "
                         f"{start_of_quote!r}; expected exactly one")
    return str(hit["event_id"].iloc[0])


def write_records(project: Project) -> list[str]:
    """Write the example records through PatternSession; returns their record ids."""
    session = PatternSession(project, CODER)
    state, _ = load_state(project.logs_dir)
    codings = state.codings[state.codings["coder"] == CODER]
    groups: dict[str, list[str]] = {}
    ids = []
    for spec in RECORDS:
        document_id = spec["document"]
        record = session.create(document_id, title=spec["title"])
        session.set_actors(record.record_id, spec["actors"])
        for step, text in spec["steps"].items():
            session.write_step(record.record_id, step, text)
        session.update(record.record_id, "codes", spec["codes"])
        session.update(record.record_id, "follow_up", spec["follow_up"])
        text = session.text(document_id)
        for step, kind, phrase in spec["links"]:
            if kind == "text":
                if text.count(phrase) != 1:
                    raise SystemExit(f"{document_id}: the phrase {phrase!r} occurs {text.count(phrase)} times")
                start = text.index(phrase)
                session.link_passage(record.record_id, step, document_id, start, start + len(phrase))
            else:
                code_id = kind.removeprefix("code:")
                session.link_coding(record.record_id, step, _coding_id(codings, document_id, code_id, phrase))
        groups.setdefault(spec["pattern"], []).append(record.record_id)
        ids.append(record.record_id)
    for name, record_ids in groups.items():
        session.group(record_ids, name)
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--force", action="store_true", help="delete anna's pattern log first")
    args = parser.parse_args(argv)
    try:
        project = Project(args.project)
        log = project.coding_dir / "patterns" / f"{CODER}.jsonl"
        if log.exists():
            if not args.force:
                print(f"{log} exists; use --force to write it anew", file=sys.stderr)
                return 1
            log.unlink()
        ids = write_records(project)
    except RaakvlakError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(ids)} pattern records of {CODER} to coding/patterns/{CODER}.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
