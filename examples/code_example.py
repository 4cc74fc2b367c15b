"""Code the example project as two fictional coders, ``anna`` and ``bram`` (EXAMPLE DATA).

Running this script writes ``coding/logs/anna.jsonl`` and ``coding/logs/bram.jsonl``
through :class:`raakvlak.coding.session.CodingSession`, exactly as a coder working in
the notebooks would: every coding, memo and undo is one event in the coder's log.

Both coders and all their decisions are invented, so that the notebooks on retrieval,
frequencies and intercoder agreement have something honest to analyse:

- ``anna`` (a PhD researcher) codes carefully with specific sub-codes;
- ``bram`` (the second coder) is a bit broader: he sometimes takes the parent or a
  neighbouring code, misses passages and selects longer spans.

They code the same four documents blind (``als-a-sessie-1``, ``als-b-sessie-3``,
``online-overleg`` and the survey question on barriers); anna also codes the first
half of ``als-a-sessie-2``, which bram has not seen (agreement treats it as missing).
They agree on most clear barrier passages and disagree in the ways real coders do:
another code on the same passage, a passage only one of them coded, overlapping spans
with different boundaries, a sub-code against its parent. Each log holds memos on the
project, documents, codes and codings, whole turns coded with ``code_segment``, and
one withdrawn coding (an undo), so the audit trail has something to show.

Usage (from the repository root)::

    python examples/code_example.py           # refuses when the logs exist
    python examples/code_example.py --force   # deletes both logs and writes them anew

A coding is written as ``(document, phrase, code)`` or ``(document, phrase, code,
memo)``. The phrase is an exact quote of the canonical text and must occur once in
the document; ``"A … B"`` selects from the start of ``A`` to the end of the first
``B`` after it (a span over several sentences or turns).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from raakvlak import Project
from raakvlak.coding.session import CodingSession
from raakvlak.errors import CodingError, RaakvlakError

CODERS = ("anna", "bram")
EXAMPLE_MEMO = "Voorbeelddata: fictieve codeur voor de demo van raakvlak."
GAP = " … "

S1 = "als-a-sessie-1"
S2 = "als-a-sessie-2"
S3 = "als-b-sessie-3"
OV = "online-overleg"
EQ = "enquete-wat-belemmert-de-samenwerking-tussen"

Coding = tuple[str, ...]

# ---------------------------------------------------------------------------- anna
ANNA: list[Coding] = [
    # --- als-a-sessie-1: Leerling A on the waiting list; the new helper who may not talk
    (S1, "En wat ik deed: ik heb de klas met mijn duo-collega naar de aula gestuurd", "pattern.action"),
    (S1, "De stoel is niet waar het wringt.", "pattern.moment",
     "Het moment is niet de stoel maar de stilte daarna; zo benoemt de docent het zelf."),
    (S1, "Dus ik heb diezelfde middag een mail gestuurd naar Jeugdhulpaanbieder 1.", "pattern.moment"),
    (S1, "Er lag een beschikking, maar hij stond op de wachtlijst. Veertien weken, werd toen gezegd.",
     "barrier.beschikking"),
    (S1, "Na een week heb ik gebeld, kwam ik bij een secretariaat, en die zei: u staat genoteerd."
         " Drie weken heb ik niks gehoord.", "barrier.follow_up"),
    (S1, "Zolang hij op de wachtlijst staat, is er bij ons formeel niemand die iets met hem mag.",
     "pattern.reason"),
    (S1, "Ik kan geen uren schrijven op een kind dat nog niet in zorg is.", "barrier.budget"),
    (S1, "Ik dacht: zij vinden het wel best. Kind aangemeld, vinkje, klaar, en de school lost het maar op.",
     "pattern.reaction"),
    (S1, "Ik dacht ook: die zitten daar achter een muur.", "boundary.identification.othering"),
    (S1, "En wat ik eigenlijk verwachtte, dat besef ik nu pas, is dat er iemand zou komen.",
     "barrier.expectations"),
    (S1, "Dat een school verwacht dat wij in de klas komen meekijken... dat hoor ik vaker, maar het staat"
         " nergens.", "barrier.expectations"),
    (S1, "Nee. Maar als het nergens staat, wordt het ook niet betaald.", "barrier.budget"),
    (S1, "Dat is natuurlijk nogal vaag.", "barrier.expectations"),
    (S1, "Onuitgesproken verwachting: school verwacht iemand in de klas, de jeugdhulp denkt in"
         " gezinsgesprekken. En niemand zegt het hardop.", "barrier.expectations"),
    (S1, "Leerling A is een dag geschorst.", "pattern.outcome"),
    (S1, "Ja. En ik neem dan toch op. Want wie moet het anders doen.", "barrier.job",
     "In vivo: 'wie moet het anders doen'. Taak landt bij wie er toevallig is."),
    (S1, "En zodra de beschikking er is en het kind bij Jeugdhulpaanbieder 1 op de lijst staat, sluiten wij"
         " af.", "barrier.beschikking"),
    (S1, "Ik dacht: als het eenmaal bij Jeugdhulpaanbieder 1 ligt, is het wijkteam eruit.",
     "damour.internalisation.acquaintanceship"),
    (S1, "Dus het patroon is: zodra een kind doorgaat naar specialistische hulp, valt alles wat ervoor zat"
         " weg, en de specialistische hulp is er nog niet.", "pattern.recurring"),
    (S1, "Dus het patroon is: zodra een kind doorgaat naar specialistische hulp", "barrier.beschikking"),
    (S1, "Het gat tussen voor en achter de beschikking.", "barrier.beschikking"),
    (S1, "En in dat gat zit de school.", "pattern.recurring"),
    (S1, "Ik heb er nu, even tellen, vier op een wachtlijst.", "barrier.beschikking"),
    (S1, "en een bij een aanbieder waarvan ik eerlijk gezegd de naam niet eens kan onthouden",
     "barrier.providers"),
    (S1, "negentig aanbieders gecontracteerd", "barrier.providers"),
    (S1, "Iedereen die aan de eisen voldoet mag meedoen. Keuzevrijheid voor ouders.", "barrier.providers"),
    (S1, "Bij ons wordt ook bezuinigd." + GAP + "daar wordt op gestuurd.", "barrier.budget"),
    (S1, "Dus iedereen trekt zich terug op zijn eigen eilandje.", "pattern.recurring"),
    (S1, "De rest is van niemand.", "barrier.job"),
    (S1, "Gewoon een naam en een telefoonnummer, bij Jeugdhulpaanbieder 1.", "pattern.lever"),
    (S1, "En ik kan aan mijn teamleider vragen of er een vaste contactpersoon voor scholen kan komen.",
     "pattern.lever"),
    (S1, "Alleen controleert niemand dat.", "damour.formalisation.tools"),
    (S1, "Ik bel de moeder van Leerling A. Voor... wat is het vandaag, twaalf maart?", "pattern.agreement"),
    (S1, "Ik vraag bij de zorgbemiddeling na wanneer de intake van Leerling A gepland staat",
     "pattern.agreement"),
    (S1, "Die belde mij gewoon op. Dat liep.", "gerdes.proximity.personal"),
    (S1, "Niemand van Jeugdhulpaanbieder 2 heeft het aan school laten weten.", "barrier.turnover"),
    (S1, "Niemand van Jeugdhulpaanbieder 2 heeft het aan school laten weten.",
     "damour.formalisation.information_exchange"),
    (S1, '"Ik mag u zonder toestemming van moeder niks vertellen."', "barrier.privacy"),
    (S1, "Ik bel, zij zegt: dat mag ik niet zeggen.", "pattern.moment"),
    (S1, "Zij zegt: dat moet ik van moeder zelf horen, en het moet op het formulier.", "barrier.privacy"),
    (S1, "En toen was ik er klaar mee." + GAP + "En opgehangen.", "pattern.action"),
    (S1, "Omdat ik wilde weten wat ze thuis aan het doen waren.", "pattern.reason"),
    (S1, "we oefenen met een time-outkaart, kunnen jullie dat op school ook doen?", "gerdes.knowledge_sharing"),
    (S1, "Want ik snap die collega heel goed.", "boundary.reflection.perspective_taking"),
    (S1, "vijf formulieren getekend. En niemand weet welke geldig is.", "barrier.privacy"),
    (S1, "Als wantrouwen. Alsof ik een of andere buitenstaander ben die nieuwsgierig is.", "pattern.reaction"),
    (S1, "Als wantrouwen.", "gerdes.trust"),
    (S1, "Voor haar ben je een stem aan de telefoon.", "boundary.reflection.perspective_taking"),
    (S1, "Met Hulpverlener 4 had ik een relatie." + GAP + "Het hing aan één persoon.", "barrier.turnover"),
    (S1, "Met Hulpverlener 4 had ik een relatie.", "gerdes.proximity.personal"),
    (S1, "die had in één jaar drie verschillende begeleiders.", "barrier.turnover"),
    (S1, "Het verloop bij de aanbieders is hoog", "barrier.turnover"),
    (S1, "Niks. Ik heb daarna nooit meer iets van Jeugdhulpaanbieder 2 gehoord.", "pattern.outcome"),
    (S1, "Eén: informatie zit in personen in plaats van in afspraken.", "pattern.recurring"),
    (S1, "Eén keer met z'n allen: wie ben ik, wie ben jij, wat mogen we delen.", "pattern.lever"),
    (S1, "één toestemmingsformulier voor heel Gemeente X", "pattern.lever"),
    (S1, "Elke organisatie heeft een eigen privacyfunctionaris", "barrier.privacy"),
    (S1, "Ik kan het op de agenda zetten van het OOGO.", "success.existing_structures"),
    (S1, "Ik nodig de moeder van Leerling A uit voor een gesprek hier op school", "pattern.agreement"),
    (S1, "Ik neem mee dat ik dingen verwacht die ik niet uitspreek.", "barrier.expectations"),
    (S1, "Ik neem mee dat ik dingen verwacht die ik niet uitspreek. Dat is wel confronterend.",
     "boundary.reflection.perspective_making"),
    (S1, "Ik neem mee dat school het gat opvangt. Dat zie ik niet vanuit mijn kantoor.",
     "boundary.reflection.perspective_taking"),
    (S1, "en ik kwam op zeven. En geen plan. Of eigenlijk: zeven plannen.", "barrier.one_plan"),

    # --- als-b-sessie-3: Leerling B stays home; five plans for the Familie D
    (S3, "Ze is veertien en ze is sinds de herfstvakantie eigenlijk niet meer op school geweest.",
     "inductive.thuiszitter"),
    (S3, "En het moment dat ik wil inbrengen is het overleg van, uh, half maart.", "pattern.moment"),
    (S3, "daar kan ik inhoudelijk niks over zeggen. En toen viel het stil.", "pattern.action"),
    (S3, "Ze is veertien, dus ik heb te maken met haar toestemming en met die van moeder.", "barrier.privacy"),
    (S3, "Dus dan hou ik het liever te algemeen dan te specifiek. Dat is mijn beroepsgeheim.",
     "pattern.reason"),
    (S3, "Als een leerling zo lang thuiszit, dan moet ik een keuze maken.", "barrier.laws"),
    (S3, "Eerlijk? Als een muur.", "pattern.reaction"),
    (S3, "Ik heb gezegd dat ik dan wel een verklaring van de jeugdarts zou aanvragen.", "pattern.reaction"),
    (S3, "En toen werd moeder heel zenuwachtig", "pattern.reaction"),
    (S3, "De uitkomst is dat we nu drie weken verder zijn en dat er niks gebeurd is.", "pattern.outcome"),
    (S3, "En ik ga één keer per week bij haar langs.", "barrier.job"),
    (S3, "Maar als ik het niet doe, doet niemand het.", "barrier.job"),
    (S3, "Ik verwachtte, denk ik, dat Jeugdhulpaanbieder 1 aan die schoolgang zou werken.",
     "barrier.expectations"),
    (S3, "Dat is niet mijn vak, daar weet ik niks van.", "gerdes.identity"),
    (S3, "Dus we zaten gewoon allebei op elkaar te wachten. Vijf maanden.", "pattern.outcome"),
    (S3, "o, wij dachten dat jullie dat deden. Het is echt een soort pingpong zonder bal.", "pattern.recurring"),
    (S3, "Dan bel ik school en die zeggen: o, wij dachten dat jullie dat deden.", "barrier.expectations"),
    (S3, "Dat we allemaal vanuit ons eigen wetje redeneren." + GAP + "vanuit de zorgplicht.", "barrier.laws"),
    (S3, "Dat we allemaal vanuit ons eigen wetje redeneren.", "pattern.recurring"),
    (S3, "Maar als ik niet weet wat er met haar aan de hand is, hoe weet ik dan wat passend is?",
     "barrier.laws"),
    (S3, "Ik heb een toestemmingsformulier van moeder" + GAP + "wil een eigen formulier.", "barrier.privacy"),
    (S3, "Dat iedereen zich indekt.", "pattern.recurring"),
    (S3, "We zijn met formulieren bezig in plaats van met Leerling B.", "damour.shared_goals.client_centred"),
    (S3, "dan had ik met Leerling B en moeder kunnen doorspreken wat ik wel mocht zeggen.", "pattern.lever"),
    (S3, "Ik stuur altijd een agenda rond, maar ik zet er nooit in wie wat van wie nodig heeft.",
     "boundary.reflection.perspective_making"),
    (S3, "wat doe jij, wat doe ik. Op één A4'tje.", "pattern.lever"),
    (S3, "Op één A4'tje.", "boundary.object"),
    (S3, "En ik ben geen hulpverlener.", "gerdes.identity"),
    (S3, "Maar ik heb nog zesentwintig andere mentorleerlingen", "barrier.job"),
    (S3, "Nee, het punt is dat het nergens is afgesproken. Het is gewoon zo gegroeid.",
     "barrier.expectations"),
    (S3, "Leerling B zit in die grijze zone, toch? Tussen VO en VSO.", "inductive.grey_zone"),
    (S3, "Daar staat ze op de wachtlijst. Sinds februari.", "inductive.grey_zone"),
    (S3, "Zo'n wachtlijst is ook een soort plan, hè.", "pattern.recurring"),
    (S3, "Ik doe de vraag vooraf.", "pattern.agreement"),
    (S3, "Dat kan ik beter zelf doen, denk ik.", "pattern.agreement"),
    (S3, "Dus vijf plannen voor één gezin. Terwijl het idee toch is: één kind, één plan.", "barrier.one_plan"),
    (S3, "Dus ik dacht, ik zet ze gewoon eens bij elkaar aan tafel." + GAP + "moeder, ik, en Docent 2.",
     "pattern.moment"),
    (S3, "wie is nou mijn aanspreekpunt?" + GAP + "geen mandaat om dat te zijn.", "barrier.regie"),
    (S3, "Ik heb gezegd: ik.", "pattern.action"),
    (S3, "Omdat ze zo moe was. Ze had die week acht afspraken gehad.", "pattern.reason"),
    (S3, "Ze had die week acht afspraken gehad.", "barrier.one_plan"),
    (S3, "Ik wist niet eens dat VO-school 1 een handelingsplan had.",
     "damour.formalisation.information_exchange"),
    (S3, "Ik had het destijds allemaal met de hulpverlener van het wijkteam besproken. Maar die is weg.",
     "barrier.turnover"),
    (S3, "Maar aan het eind wist nog steeds niemand wie het overzicht had.", "barrier.regie"),
    (S3, "Zit er voor de helft van de uren en heeft er twintig gezinnen bij gekregen.", "barrier.turnover"),
    (S3, "Van Jeugdhulpaanbieder 1 een mailtje dat de behandelaar die dag niet kon", "pattern.reaction"),
    (S3, "o, maar wij dachten dat Jeugdhulpaanbieder 2 de regie had.", "barrier.regie"),
    (S3, "En ik dacht dat het wijkteam de regie had", "barrier.regie"),
    (S3, "dat alles wat geen behandeling is eigenlijk nergens onder valt.", "barrier.budget"),
    (S3, "Bij ons is de druk op de behandelcapaciteit zo groot", "pattern.reason"),
    (S3, "En onze wachtlijst is zes maanden.", "barrier.beschikking"),
    (S3, "Maar zodra er een beschikking ligt en een kind zit bij een specialistische aanbieder, dan is het"
         " een ander land.", "barrier.beschikking"),
    (S3, "Die zitten twee deuren verderop in het gemeentehuis, daar loop ik even binnen.",
     "gerdes.proximity.spatial"),
    (S3, "Ik weet eerlijk gezegd niet eens waar het wijkteam zit.", "damour.internalisation.acquaintanceship"),
    (S3, "ik heb dit schooljaar leerlingen bij zeventien verschillende aanbieders.", "barrier.providers"),
    (S3, "De gemeente heeft er zo'n negentig gecontracteerd", "barrier.providers"),
    (S3, "Op papier is er één plan. In het echt heeft moeder Familie D acht afspraken per week.",
     "barrier.one_plan"),
    (S3, "Dat niemand de regie heeft, maar iedereen denkt dat een ander hem heeft.", "barrier.regie"),
    (S3, "Dat niemand de regie heeft, maar iedereen denkt dat een ander hem heeft.", "pattern.recurring"),
    (S3, "zou er meteen in moeten staan wie de regie heeft.", "pattern.lever"),
    (S3, "Nee, omdat dat vanwege de privacy niet zomaar mag.", "barrier.privacy"),
    (S3, "Dus het staat in een plan dat de mensen die het moeten weten niet mogen lezen.", "barrier.privacy"),
    (S3, "Dan gebruiken we iets wat er al is en hoeven we niks nieuws te verzinnen.",
     "success.existing_structures"),
    (S3, "VO-school 1 heeft ZAT op 7 mei. Ik nodig jou uit, Docent 2, en Hulpverlener 3.",
     "pattern.agreement"),
    (S3, "Die wil ik op 7 mei gewoon hardop belegd hebben.", "pattern.agreement"),
    (S3, "Ik neem de vraag mee naar beleid.", "pattern.agreement"),
    (S3, "bij een ander anders landt dan ik bedoel.", "boundary.reflection.perspective_taking"),
    (S3, "Dat de grijze zone eigenlijk een gat is.", "inductive.grey_zone"),
    (S3, "Dat ik niet de enige ben die dingen oppakt die niet van mij zijn.", "barrier.job"),

    # --- online-overleg: Leerling B, half a consent, two directors and no direction
    (OV, "Dus we praten over VO-school 1 zonder VO-school 1, en over de behandeling zonder de behandelaar.",
     "damour.governance.connectivity"),
    (OV, "Dus ik ben een soort aanspreekpunt geworden", "barrier.job"),
    (OV, "Maar over de inhoud, over haar angst en wat daarachter zit, heb ik met Leerling B afgesproken dat"
         " ik dat niet deel.", "barrier.privacy"),
    (OV, 'Ze zei letterlijk: "Ik ben geen project."', "damour.shared_goals.client_centred"),
    (OV, "Tussen twaalf en zestien heb je de toestemming van de ouder én van het kind nodig.",
     "barrier.privacy"),
    (OV, "En daar loop ik dus tegenaan.", "pattern.moment"),
    (OV, "En iedereen die het weet, mag het niet zeggen.", "barrier.privacy"),
    (OV, "Maar als ik het vertrouwen van Leerling B beschaam, ben ik haar kwijt.", "pattern.reason"),
    (OV, "Maar als ik het vertrouwen van Leerling B beschaam", "gerdes.trust"),
    (OV, "Nee. Ik heb hem nog nooit gesproken. Ik heb zijn nummer niet eens.",
     "damour.internalisation.acquaintanceship"),
    (OV, "Twee aanbieders bij één meisje, en ze kennen elkaar niet.", "barrier.one_plan"),
    (OV, "Het zijn er negentig, Gemeente 1.", "barrier.providers"),
    (OV, "En ik heb ook een beroepsgeheim. Ik ga hier geen diagnose noemen.", "barrier.privacy"),
    (OV, "is school en leerplicht adviseren over wat ze kan hebben. Zonder medische inhoud.",
     "gerdes.knowledge_sharing"),
    (OV, "Dat advies heb ik nooit gezien.", "damour.formalisation.information_exchange"),
    (OV, "Dat klopt, want daar had ik geen toestemming voor.", "barrier.privacy"),
    (OV, "Dus moeder zegt ja, Leerling B zegt niks, en wij mogen het nog steeds niet horen.",
     "barrier.privacy"),
    (OV, "Of een vrijstelling, op medische gronden. Of handhaven.", "barrier.laws"),
    (OV, "Dat is het wringende: de leerplicht wil haar naar school, mijn vak zegt eerst herstel.",
     "barrier.laws"),
    (OV, "Dan is ze helemaal uit beeld, dan heeft niemand meer de plicht om iets te doen.",
     "inductive.thuiszitter"),
    (OV, "Die twee hoeven elkaar niet te bijten, als we het samen doen.",
     "boundary.transformation.shared_problem"),
    (OV, "Herstel gebeurt niet op de bank.", "boundary.transformation.shared_problem"),
    (OV, "VSO-school 1 zegt: ze is te goed voor het VSO, ze heeft havo-niveau.", "inductive.grey_zone"),
    (OV, "En intussen zit ze thuis, al sinds de herfstvakantie.", "inductive.thuiszitter"),
    (OV, "Wie trekt hieraan? Wie heeft de regie?", "barrier.regie"),
    (OV, "En het zorgdeel bij het wijkteam", "barrier.regie"),
    (OV, "Dus ze heeft twee regisseurs en geen regie.", "barrier.regie",
     "Mooie in-vivo-formulering; kandidaat voor een thema over regie."),
    (OV, "Eigenlijk ligt de regie nu bij moeder. Die belt iedereen.", "barrier.regie"),
    (OV, "Ik ben niet de regisseur, dat wil ik wel even gezegd hebben.", "barrier.regie"),
    (OV, "Moeder dacht in het begin dat ik Leerling B naar school zou brengen.", "barrier.expectations"),
    (OV, "Niemand heeft het ooit gezegd, maar iedereen verwachtte het.", "barrier.expectations"),
    (OV, "En nu wil Samenwerkingsverband Z minder betalen" + GAP + "omdat het volgens ons onderwijs is.",
     "barrier.budget"),
    (OV, "En het kind staat ertussen.", "damour.shared_goals.client_centred"),
    (OV, "Het kind staat op de wachtlijst.", "inductive.grey_zone"),
    (OV, "Maar de coördinator van de tussenvoorziening is in april vertrokken", "barrier.turnover"),
    (OV, "Dan stel ik voor dat ik het tijdelijk oppak, vanuit het wijkteam.", "damour.governance.leadership"),
    (OV, "dit is precies een casus voor dat casusregiebudget.", "damour.governance.innovation_support"),
    (OV, "Mag ik tegen school zeggen dat je twee uur per dag aankunt?", "pattern.lever"),
    (OV, "Met Leerling B praten, niet over Leerling B.", "damour.shared_goals.client_centred"),
    (OV, "Eén: ik neem de regie, tijdelijk, tot het overleg.", "pattern.agreement"),
    (OV, "Twee: Hulpverlener 3 gaat deze week met Leerling B en moeder op papier zetten", "pattern.agreement"),
    (OV, "Drie: Jeugdarts 1, jij vraagt Leerling B zelf", "pattern.agreement"),
    (OV, "Vier: Gemeente 1. Casusregiebudget", "pattern.agreement"),
    (OV, "Ik bel moeder dat er iets gebeurt.", "pattern.agreement"),

    # --- survey: what hinders collaboration most (one answer per respondent)
    (EQ, "Dat je na een aanmelding gewoon niks meer hoort.", "barrier.follow_up"),
    (EQ, "Scholen verwachten dat wij problemen oplossen die in de klas ontstaan, maar dat zeggen ze niet"
         " hardop.", "barrier.expectations"),
    (EQ, "School weet niet wat de psycholoog zegt, de psycholoog weet niet wat school doet.",
     "damour.formalisation.information_exchange"),
    (EQ, "De hoeveelheid aanbieders.", "barrier.providers"),
    (EQ, "allemaal met een eigen werkwijze en een eigen toestemmingsformulier", "barrier.privacy"),
    (EQ, "Wisselende hulpverleners. In één jaar drie verschillende mensen bij hetzelfde gezin.",
     "barrier.turnover"),
    (EQ, "Wij zien veel al vroeg, maar we worden pas gebeld als er een beschikking nodig is.",
     "success.prevention"),
    (EQ, "we worden pas gebeld als er een beschikking nodig is", "barrier.beschikking"),
    (EQ, "In Dorp Y is het wijkteam ver weg.", "gerdes.proximity.spatial"),
    (EQ, "Overleg op school valt niet onder de uren die ik mag schrijven.", "barrier.budget"),
    (EQ, "Als een leerling achttien wordt, stopt de jeugdhulp en sta je als school ineens alleen.",
     "inductive.turning_18"),
    (EQ, "Scholen bellen ons pas als het helemaal vastgelopen is." + GAP + "een wachtlijst te zijn.",
     "barrier.beschikking"),
    (EQ, "Ouders vertellen het niet en de hulpverlener mag het niet zeggen.", "barrier.privacy"),
    (EQ, "Ik weet vaak niet eens dat een leerling hulp krijgt.", "damour.formalisation.information_exchange"),
    (EQ, "Het is onduidelijk wat school eigenlijk van ons verwacht.", "barrier.expectations"),
    (EQ, "Ik ben docent geschiedenis en ik doe inmiddels de halve hulpverlening van mijn mentorklas.",
     "barrier.job"),
    (EQ, "Dat is niet mijn vak en ik heb er geen uren voor.", "gerdes.identity"),
    (EQ, "Afspraken worden gemaakt in een overleg, maar daarna hoort niemand meer iets.", "barrier.follow_up"),
    (EQ, "Concurrentie tussen aanbieders.", "barrier.providers"),
    (EQ, "Er zijn drie plannen voor hetzelfde kind", "barrier.one_plan"),
    (EQ, "het groeidocument van school", "boundary.object"),
    (EQ, "Veel personeelsverloop, bij ons en bij de aanbieders.", "barrier.turnover"),
    (EQ, "Het stelsel is ingericht op losse trajecten en losse beschikkingen, niet op samenwerking.",
     "damour.governance.centrality"),
    (EQ, "De bezuinigingen maken dat iedereen zijn eigen budget bewaakt.", "barrier.budget"),
    (EQ, "Ik snap dat leerplicht informatie nodig heeft, maar ik kan niet zomaar vertellen wat er in een"
         " behandeling gebeurt.", "barrier.laws",
     "Beroepsgeheim tegenover leerplicht: twee regels die trekken, dus laws en niet privacy."),
    (EQ, "Niemand kon me vertellen wat er na zijn verjaardag met zijn begeleiding gebeurt.",
     "inductive.turning_18"),
    (EQ, "De grijze zone tussen VO en VSO.", "inductive.grey_zone"),
    (EQ, "Scholen weten niet wat de JGZ kan, en wij weten niet hoe een school roostert", "success.context"),
    (EQ, "De wachtlijsten bij de specialistische jeugdhulp.", "barrier.beschikking"),
    (EQ, "School denkt dat wij de hulp zijn, maar wij zijn de toegang.", "barrier.expectations"),
    (EQ, "Ik teken steeds formulieren zonder precies te weten wat ik teken.", "barrier.privacy"),
    (EQ, "Ik meld iets bij de zorgcoördinator, die meldt het bij het wijkteam, en daarna hoor ik er nooit"
         " meer iets van.", "barrier.follow_up"),
    (EQ, "Bij de ene school ken ik de zorgcoördinator, bij de andere weet ik niet eens de naam.",
     "damour.internalisation.acquaintanceship"),
    (EQ, "Elke subsidieronde een nieuw initiatief, en niets blijft staan.", "success.continuity"),
    (EQ, "Bij één gezin op onze school zitten zes hulpverleners.", "barrier.one_plan"),
    (EQ, "terwijl ik gewoon intern begeleider ben.", "barrier.job"),
    (EQ, "Samenwerken is iets extra's geworden; dat zou het niet moeten zijn.", "barrier.budget"),
    (EQ, "Leerplicht, zorg en school werken allemaal volgens hun eigen regels, en die botsen.",
     "barrier.laws"),
    (EQ, "Bij een thuiszitter zie je dat het best", "inductive.thuiszitter"),

    # --- als-a-sessie-2, first half only (bram has not seen this document)
    (S2, 'Ze zei letterlijk: "Eindelijk iemand die terugbelt."', "barrier.follow_up"),
    (S2, "Het is rustiger.", "pattern.outcome"),
    (S2, "Ik doe die intake niet. Dat doet een intaker, en daarna wordt Leerling A verdeeld over een team.",
     "barrier.turnover"),
    (S2, "Dan begint het weer van voren af aan.", "barrier.turnover"),
    (S2, "En toen zei mijn teamleider: wie gaat dat betalen? En toen was het stil.", "barrier.budget"),
    (S2, "Meenemen. Waar naartoe eigenlijk, vraag ik me altijd af.", "barrier.follow_up"),
    (S2, "En zij heeft het zelf op een A4'tje geschreven.", "boundary.object"),
    (S2, "Twee: dat ik weet welke oefeningen ze met Leerling A doen, zodat ik dezelfde woorden kan"
         " gebruiken.", "gerdes.knowledge_sharing"),
    (S2, '"passende overbruggingszorg in afstemming met de verwijzer"', "damour.formalisation.tools"),
    (S2, "daar hebben we de capaciteit niet voor, met negentig aanbieders.", "barrier.providers"),
    (S2, "Het is een rondje zonder begin.", "pattern.recurring"),
    (S2, 'maar onder "overige punten".', "barrier.follow_up"),
    (S2, "Afspraken die blijven liggen.", "pattern.recurring"),
    (S2, "En ik heb dus geteld:" + GAP + "Zeven.", "barrier.one_plan"),
    (S2, "Het moment is het overleg van negentien maart.", "pattern.moment"),
    (S2, '"Ik heb nu vier plannen in mijn la liggen. Welke moet ik doen?"', "barrier.one_plan"),
    (S2, "En iedereen keek naar het wijkteam.", "pattern.reaction"),
    (S2, "het wijkteam heeft de regie. Dat is toch zo afgesproken?", "barrier.regie"),
    (S2, "Hun vaste medewerker is in januari vertrokken", "barrier.turnover"),
    (S2, "Dus regie is bij ons vaak: we weten wie er betrokken is.", "barrier.regie"),
    (S2, "Maar die verordening is geschreven door mensen die nog nooit met acht hulpverleners in een"
         " personeelskamer hebben gezeten.", "damour.governance.centrality"),
    (S2, "Ik wil het overzicht best houden, maar dan moet iemand zeggen dat ik dat mag", "barrier.regie"),
    (S2, "De traumabehandeling heeft nu prioriteit.", "damour.shared_goals.goals"),
    (S2, "Wij denken heel erg vanuit ons behandelplan.", "boundary.reflection.perspective_making"),
    (S2, "Dus iedereen heeft de regie over zijn eigen stukje.", "pattern.recurring"),
    (S2, "Als een soort concurrentie.", "pattern.reaction"),
    (S2, 'Dat is voor mij het "wiens taak is het"-ding.', "barrier.job"),
    (S2, "Dat scholen het juist te snel bij de jeugdhulp neerleggen.", "boundary.identification.othering"),
]

# whole speaker turns / survey answers, coded with code_segment: (document, a phrase in the turn, code)
ANNA_TURNS: list[Coding] = [
    (EQ, "Privacy. Ik mag vaak niet vertellen wat ik weet", "barrier.privacy"),
    (EQ, "We hebben als gemeente ongeveer negentig aanbieders gecontracteerd.", "barrier.providers"),
    (EQ, "Wie heeft de regie? Bij gezinnen met veel hulp weet niemand het.", "barrier.regie"),
    (EQ, "Mijn zoon heeft vier begeleiders gehad in drie jaar.", "barrier.turnover"),
    (EQ, "School zegt dat het zorg is; zorg zegt dat het school is.", "barrier.job"),
    (EQ, "Het arrangement met één aanbieder werkt goed", "success.arrangement"),
    (EQ, "Ik weet niet wat ik mag vragen en wat niet.", "barrier.privacy"),
    (EQ, "Het contact met het wijkteam en de JGZ is prima.", "barrier.beschikking"),
]

# ---------------------------------------------------------------------------- bram
BRAM: list[Coding] = [
    # --- als-a-sessie-1
    (S1, "En op dinsdag drie februari, na de gym, heeft hij een stoel door het lokaal gegooid.",
     "pattern.moment"),
    (S1, "Dus ik heb diezelfde middag een mail gestuurd naar Jeugdhulpaanbieder 1.", "pattern.action"),
    (S1, "Er lag een beschikking, maar hij stond op de wachtlijst.", "barrier.beschikking"),
    (S1, "Toen kreeg ik een automatisch antwoord." + GAP + "Drie weken heb ik niks gehoord.",
     "barrier.follow_up"),
    (S1, "Nee, het klopt gewoon. Dat is precies het probleem." + GAP + "tijd die ik nergens kwijt kan.",
     "pattern.reason"),
    (S1, "Nou. Eerlijk? Ik dacht: zij vinden het wel best." + GAP + "En wat ik eigenlijk verwachtte",
     "pattern.reaction"),
    (S1, "En wat ik eigenlijk verwachtte, dat besef ik nu pas, is dat er iemand zou komen. In de klas."
         " Even kijken.", "barrier.expectations"),
    (S1, "Dat een school verwacht dat wij in de klas komen meekijken", "barrier.job"),
    (S1, "Maar als het nergens staat, wordt het ook niet betaald.", "barrier.budget"),
    (S1, "Onuitgesproken verwachting: school verwacht iemand in de klas", "barrier.expectations"),
    (S1, "Leerling A is een dag geschorst. Na een tweede incident, een week later.", "pattern.outcome"),
    (S1, "Want wie moet het anders doen.", "pattern.recurring"),
    (S1, "En zodra de beschikking er is" + GAP + "Dan staat het dossier bij ons op \"doorverwezen\".",
     "barrier.beschikking"),
    (S1, "Maar wij hadden best iets kunnen doen in die wachttijd. Overbrugging heet dat.", "pattern.lever"),
    (S1, "Dat wist ik niet. Echt niet.", "damour.internalisation"),
    (S1, "Dus het patroon is: zodra een kind doorgaat naar specialistische hulp, valt alles wat ervoor zat"
         " weg", "pattern.recurring"),
    (S1, "Het gat tussen voor en achter de beschikking.", "barrier.beschikking"),
    (S1, "En in dat gat zit de school. Wij zijn er namelijk altijd.", "pattern.recurring"),
    (S1, "Ik heb er nu, even tellen, vier op een wachtlijst." + GAP + "Iets met \"Kids\" en \"Care\".",
     "barrier.providers"),
    (S1, "We hebben als gemeente Gemeente X op dit moment" + GAP + "er is er net eentje bij gekomen.",
     "barrier.providers"),
    (S1, "Dat komt door de manier van inkopen.", "damour.governance.centrality"),
    (S1, "Bij ons wordt ook bezuinigd. Het tarief is dit jaar omlaag gegaan", "barrier.budget"),
    (S1, "Dus iedereen trekt zich terug op zijn eigen eilandje.", "barrier.budget"),
    (S1, "De rest is van niemand.", "barrier.regie"),
    (S1, "Gewoon een naam en een telefoonnummer", "pattern.lever"),
    (S1, "vaste contactpersoon voor scholen", "pattern.agreement"),
    (S1, "Alleen controleert niemand dat.", "damour.formalisation"),
    (S1, "Ik bel de moeder van Leerling A.", "pattern.agreement"),
    (S1, "Ik vraag bij de zorgbemiddeling na" + GAP + "Uiterlijk vrijdag.", "pattern.agreement"),
    (S1, "Die belde mij gewoon op. Dat liep.", "gerdes.proximity"),
    (S1, "Die is weg, ja. En dat is precies het moment." + GAP + "heeft het aan school laten weten.",
     "barrier.turnover"),
    (S1, "\"Ik mag u zonder toestemming van moeder niks vertellen.\"", "barrier.privacy"),
    (S1, "Ja. Ik bel, zij zegt: dat mag ik niet zeggen." + GAP + "en het moet op het formulier.",
     "barrier.privacy"),
    (S1, "nou, zoeken jullie het dan maar uit", "pattern.reaction"),
    (S1, "Omdat ik wilde weten wat ze thuis aan het doen waren." + GAP + "heel praktisch.", "pattern.reason"),
    (S1, "Hulpverlener 4 zei bijvoorbeeld: we oefenen met een time-outkaart", "gerdes.knowledge_sharing"),
    (S1, "Ik heb een beroepsgeheim. Als ik dat schend, kan ik erop aangesproken worden, tuchtrecht en zo.",
     "barrier.laws"),
    (S1, "Dus moeder heeft, als ik het goed tel, vijf formulieren getekend.", "barrier.privacy"),
    (S1, "Als wantrouwen.", "pattern.reaction"),
    (S1, "Als wantrouwen. Alsof ik een of andere buitenstaander ben", "damour.internalisation.trust"),
    (S1, "De afspraken, het vertrouwen, alles. Het hing aan één persoon.", "barrier.turnover"),
    (S1, "die had in één jaar drie verschillende begeleiders.", "barrier.turnover"),
    (S1, "Er zijn aanbieders waar een derde van de mensen binnen een jaar weer vertrekt.", "barrier.turnover"),
    (S1, "Ik heb daarna nooit meer iets van Jeugdhulpaanbieder 2 gehoord.", "pattern.outcome"),
    (S1, "Ik heb daarna nooit meer iets van Jeugdhulpaanbieder 2 gehoord.", "barrier.follow_up"),
    (S1, "Eén: informatie zit in personen in plaats van in afspraken." + GAP + "dan gaat de informatie mee.",
     "pattern.recurring"),
    (S1, "Maar één keer aan het begin." + GAP + "Dan hoef je daarna niet elke keer te bellen.",
     "pattern.lever"),
    (S1, "In de regio is wel eens gesproken over één toestemmingsformulier" + GAP + "Maar dat is gestrand.",
     "pattern.lever"),
    (S1, "Elke organisatie heeft een eigen privacyfunctionaris", "barrier.privacy"),
    (S1, "Ik kan het op de agenda zetten van het OOGO. Dat is het overleg tussen de gemeente en het"
         " samenwerkingsverband", "success.existing_structures"),
    (S1, "Ik nodig de moeder van Leerling A uit voor een gesprek hier op school, met Wijkteam 1 erbij.",
     "pattern.agreement"),
    (S1, "Ik neem mee dat ik dingen verwacht die ik niet uitspreek.", "barrier.expectations"),
    (S1, "Ik neem mee dat school het gat opvangt.", "boundary.reflection"),
    (S1, "Ik heb laatst geteld hoeveel hulpverleners er bij dat gezin betrokken zijn" + GAP
         + "zeven plannen.", "barrier.one_plan"),

    # --- als-b-sessie-3
    (S3, "Ze is veertien en ze is sinds de herfstvakantie eigenlijk niet meer op school geweest.",
     "inductive.thuiszitter"),
    (S3, "En het moment dat ik wil inbrengen is het overleg van, uh, half maart." + GAP
         + "Zo'n stilte waarin iedereen naar zijn koffie kijkt.", "pattern.moment"),
    (S3, "Kijk, ik zat daar als behandelaar van Leerling B." + GAP + "Dat is geen onwil.", "pattern.reason"),
    (S3, "Ze is veertien, dus ik heb te maken met haar toestemming en met die van moeder.", "barrier.privacy"),
    (S3, "Als een leerling zo lang thuiszit, dan moet ik een keuze maken.", "barrier.laws"),
    (S3, "Als een muur. Ik dacht: we zitten hier allemaal voor hetzelfde kind en ik krijg niks.",
     "pattern.reaction"),
    (S3, "Ik heb gezegd dat ik dan wel een verklaring van de jeugdarts zou aanvragen.", "pattern.action"),
    (S3, "En toen werd moeder heel zenuwachtig" + GAP + "Huilend.", "pattern.outcome"),
    (S3, "De uitkomst is dat we nu drie weken verder zijn en dat er niks gebeurd is. Geen opbouwplan, geen"
         " uren, niks.", "pattern.outcome"),
    (S3, "Is dat jouw taak?" + GAP + "Maar als ik het niet doe, doet niemand het.", "barrier.job"),
    (S3, "Ik verwachtte, denk ik, dat Jeugdhulpaanbieder 1 aan die schoolgang zou werken.",
     "barrier.expectations"),
    (S3, "Maar ik ga niet bepalen hoeveel uur een kind op school zit.", "barrier.job"),
    (S3, "Dus we zaten gewoon allebei op elkaar te wachten.", "pattern.recurring"),
    (S3, "Ja, continu. Ik kom bij gezinnen thuis" + GAP + "pingpong zonder bal.", "pattern.recurring"),
    (S3, "Dat we allemaal vanuit ons eigen wetje redeneren." + GAP + "vanuit de zorgplicht.", "barrier.laws"),
    (S3, "Ja, maar die zorgplicht... kijk, wij moeten een passende plek bieden." + GAP
         + "Jeugdhulpaanbieder 1 wil een eigen formulier.", "barrier.privacy"),
    (S3, "Maar het effect is wel dat je het kind uit het oog verliest.", "damour.shared_goals"),
    (S3, "als ik vooraf had geweten dat Gemeente 2 erbij zat en wat zij nodig had", "pattern.lever"),
    (S3, "Ik stuur altijd een agenda rond", "pattern.lever"),
    (S3, "Die verwachtingen. Dat je aan het begin van een behandeling" + GAP + "Op één A4'tje.",
     "pattern.lever"),
    (S3, "Ja, ik weet het niet. Ik vind het zelf belangrijk" + GAP + "niet wat ik moet zeggen.",
     "barrier.job"),
    (S3, "En ik ben geen hulpverlener.", "gerdes.identity"),
    (S3, "Het is gewoon zo gegroeid.", "barrier.follow_up"),
    (S3, "Leerling B zit in die grijze zone, toch?", "inductive.grey_zone"),
    (S3, "Daar staat ze op de wachtlijst. Sinds februari.", "barrier.beschikking"),
    (S3, "Ik doe de vraag vooraf." + GAP + "dat het niet over een boete gaat.", "pattern.agreement"),
    (S3, "Volgende week al.", "pattern.agreement"),
    (S3, "En ik had mijn eigen hulpverleningsplan." + GAP + "één kind, één plan.", "barrier.one_plan"),
    (S3, "Iedereen uitgenodigd, bij moeder thuis, in Wijk Zuid. En wie er kwamen: moeder, ik, en Docent 2.",
     "pattern.moment"),
    (S3, "wie is nou mijn aanspreekpunt?" + GAP + "geen mandaat om dat te zijn.", "barrier.regie"),
    (S3, "Omdat ze zo moe was.", "pattern.reason"),
    (S3, "Jij stond niet op mijn lijstje.", "barrier.one_plan"),
    (S3, "Maar die is weg.", "barrier.turnover"),
    (S3, "Maar aan het eind wist nog steeds niemand wie het overzicht had.", "barrier.regie"),
    (S3, "Dus eigenlijk hetzelfde verhaal, met meer stoelen.", "barrier.one_plan"),
    (S3, "Van Jeugdhulpaanbieder 1 een mailtje" + GAP + "Jullie zitten er toch het meest?", "pattern.reaction"),
    (S3, "o, maar wij dachten dat Jeugdhulpaanbieder 2 de regie had.", "barrier.regie"),
    (S3, "En ik dacht dat het wijkteam de regie had, want die heeft de beschikking afgegeven.",
     "barrier.regie"),
    (S3, "Bij ons is de druk op de behandelcapaciteit zo groot" + GAP + "Dus dan kies je.", "pattern.reason"),
    (S3, "En onze wachtlijst is zes maanden.", "barrier.beschikking"),
    (S3, "Het wijkteam kan ik gewoon bellen." + GAP + "Dan kom je er niet meer in.", "barrier.beschikking"),
    (S3, "Die zitten twee deuren verderop in het gemeentehuis", "gerdes.proximity.spatial"),
    (S3, "Dan kom je er niet meer in.", "boundary.coordination.permeability"),
    (S3, "Ik weet eerlijk gezegd niet eens waar het wijkteam zit.", "gerdes.proximity.spatial"),
    (S3, "Het is ook gewoon te veel." + GAP + "ik heb ook nog een baan.", "barrier.providers"),
    (S3, "De gemeente heeft er zo'n negentig gecontracteerd", "barrier.providers"),
    (S3, "Op papier is er één plan.", "barrier.one_plan"),
    (S3, "Dat niemand de regie heeft, maar iedereen denkt dat een ander hem heeft.", "pattern.recurring"),
    (S3, "Dat niemand de regie heeft", "barrier.regie"),
    (S3, "Eigenlijk zou de gemeente dit aan de voorkant moeten regelen." + GAP + "niemand leest het.",
     "pattern.lever"),
    (S3, "Eigenlijk zou de gemeente dit aan de voorkant moeten regelen.", "success.municipality_connector"),
    (S3, "Nee, omdat dat vanwege de privacy niet zomaar mag.", "barrier.privacy"),
    (S3, "We hebben het ZAT toch?" + GAP + "hoeven we niks nieuws te verzinnen.", "success.existing_structures"),
    (S3, "Nee, serieus, we kunnen het gewoon doen. VO-school 1 heeft ZAT op 7 mei.", "pattern.agreement"),
    (S3, "Die wil ik op 7 mei gewoon hardop belegd hebben.", "pattern.lever"),
    (S3, "Ik neem de vraag mee naar beleid." + GAP + "dat is een vraag, geen belofte.", "pattern.agreement"),
    (S3, "bij een ander anders landt dan ik bedoel.", "boundary.reflection.perspective_taking"),
    (S3, "Dat de grijze zone eigenlijk een gat is. En dat wij er aan de andere kant van staan.",
     "inductive.grey_zone"),

    # --- online-overleg
    (OV, "Dus ik ben een soort aanspreekpunt geworden", "barrier.regie"),
    (OV, "Maar over de inhoud, over haar angst en wat daarachter zit" + GAP + "Ze wil niet dat iedereen over"
         " haar praat.", "barrier.privacy"),
    (OV, "Maar Leerling B is veertien." + GAP + "Dus ik zit een beetje klem.", "barrier.privacy"),
    (OV, "En iedereen die het weet, mag het niet zeggen. Dus de school schiet met hagel.", "barrier.privacy"),
    (OV, "Ik snap dat. Echt. Maar als ik het vertrouwen van Leerling B beschaam" + GAP
         + "En dan zit ze nog langer thuis.", "pattern.reason"),
    (OV, "Ik heb hem nog nooit gesproken.", "gerdes.proximity.personal"),
    (OV, "Twee aanbieders bij één meisje", "barrier.providers"),
    (OV, "Het zijn er negentig, Gemeente 1. Dat heb je zelf zo ingekocht.", "barrier.providers"),
    (OV, "En ik heb ook een beroepsgeheim.", "barrier.privacy"),
    (OV, "Maar wat ik wel kan, en wat ik ook gedaan heb", "boundary.coordination.translation"),
    (OV, "Dat advies heb ik nooit gezien. En het wijkteam volgens mij ook niet.", "barrier.follow_up"),
    (OV, "Dat klopt, want daar had ik geen toestemming voor." + GAP + "Dus ik heb de helft van de toestemming.",
     "barrier.privacy"),
    (OV, "Dus moeder zegt ja, Leerling B zegt niks", "barrier.privacy"),
    (OV, "Gemeente 2 zei tegen mij dat leerplicht nu eigenlijk moet kiezen." + GAP + "Of handhaven.",
     "barrier.laws"),
    (OV, "Dat is het wringende: de leerplicht wil haar naar school, mijn vak zegt eerst herstel.",
     "barrier.laws"),
    (OV, "ze is te goed voor het VSO, ze heeft havo-niveau", "inductive.grey_zone"),
    (OV, "En intussen zit ze thuis, al sinds de herfstvakantie.", "inductive.thuiszitter"),
    (OV, "Wie trekt hieraan? Wie heeft de regie?", "barrier.regie"),
    (OV, "Formeel... formeel ligt het onderwijsdeel bij de school. Zorgplicht.", "barrier.laws"),
    (OV, "Dus ze heeft twee regisseurs en geen regie.", "barrier.regie"),
    (OV, "Eigenlijk ligt de regie nu bij moeder." + GAP + "Huilend.", "barrier.regie"),
    (OV, "Ik ben niet de regisseur" + GAP + "Daar zit geen regie in.", "barrier.regie"),
    (OV, "Moeder dacht in het begin dat ik Leerling B naar school zou brengen." + GAP
         + "Dat dacht ik eerlijk gezegd ook.", "barrier.expectations"),
    (OV, "Niemand heeft het ooit gezegd, maar iedereen verwachtte het.", "barrier.expectations"),
    (OV, "Half betaald door Samenwerkingsverband Z, half door ons." + GAP + "volgens ons onderwijs is.",
     "barrier.budget"),
    (OV, "En nu wil Samenwerkingsverband Z minder betalen", "barrier.job"),
    (OV, "Maar de coördinator van de tussenvoorziening is in april vertrokken, en de nieuwe kon de"
         " aanmelding niet vinden.", "barrier.turnover"),
    (OV, "de nieuwe kon de aanmelding niet vinden", "barrier.follow_up"),
    (OV, "Dan stel ik voor dat ik het tijdelijk oppak, vanuit het wijkteam.", "damour.governance"),
    (OV, "En als het uren kost: dit is precies een casus voor dat casusregiebudget.",
     "success.municipality_connector"),
    (OV, "Mag ik tegen school zeggen dat je twee uur per dag aankunt?", "pattern.lever"),
    (OV, "Met Leerling B praten, niet over Leerling B. Ze is veertien, niet vier.",
     "damour.shared_goals.client_centred"),
    (OV, "Dan doen we het bij ons, op het wijkteam.", "pattern.agreement"),
    (OV, "Eén: ik neem de regie, tijdelijk, tot het overleg." + GAP + "Ik bel Zorgcoördinator 1 morgen.",
     "pattern.agreement"),
    (OV, "Twee: Hulpverlener 3 gaat deze week", "pattern.agreement"),
    (OV, "Voor vrijdag. Ik mail het naar jou, Wijkteam 1.", "pattern.agreement"),
    (OV, "Drie: Jeugdarts 1, jij vraagt Leerling B zelf", "pattern.agreement"),
    (OV, "Vier: Gemeente 1. Casusregiebudget", "pattern.agreement"),
    (OV, "Ik bel moeder dat er iets gebeurt.", "pattern.agreement"),
    (OV, "Ik hoor het al. AVG.", "barrier.privacy"),

    # --- survey (bram codes the answers he is sure of as whole answers: see BRAM_TURNS)
    (EQ, "Dat je na een aanmelding gewoon niks meer hoort.", "barrier.follow_up"),
    (EQ, "weet ik nog steeds niet of hij op de wachtlijst staat", "barrier.beschikking"),
    (EQ, "Scholen verwachten dat wij problemen oplossen", "barrier.expectations"),
    (EQ, "Ik moet alles zelf doorgeven.", "gerdes.knowledge_sharing"),
    (EQ, "De hoeveelheid aanbieders.", "barrier.providers"),
    (EQ, "tijd", "barrier.budget"),
    (EQ, "Wisselende hulpverleners.", "barrier.turnover"),
    (EQ, "Wij zien veel al vroeg, maar we worden pas gebeld als er een beschikking nodig is.",
     "barrier.beschikking"),
    (EQ, "In Dorp Y is het wijkteam ver weg. Ze komen één keer per maand", "gerdes.proximity"),
    (EQ, "Als een leerling achttien wordt, stopt de jeugdhulp", "inductive.turning_18"),
    (EQ, "Scholen bellen ons pas als het helemaal vastgelopen is.", "barrier.beschikking"),
    (EQ, "Ik weet vaak niet eens dat een leerling hulp krijgt. Ouders vertellen het niet en de"
         " hulpverlener mag het niet zeggen.", "barrier.privacy"),
    (EQ, "De ene mentor wil elke week een update, de andere wil niks weten.", "barrier.expectations"),
    (EQ, "Ik ben docent geschiedenis", "barrier.job"),
    (EQ, "Afspraken worden gemaakt in een overleg", "barrier.follow_up"),
    (EQ, "We zouden elkaar moeten helpen, maar we vechten om dezelfde contracten.", "barrier.budget"),
    (EQ, "Er zijn drie plannen voor hetzelfde kind", "barrier.one_plan"),
    (EQ, "Als ik een school bel, moet ik eerst uitleggen wie ik ben en wat het wijkteam doet.",
     "barrier.turnover"),
    (EQ, "De bezuinigingen maken dat iedereen zijn eigen budget bewaakt.", "barrier.budget"),
    (EQ, "Het beroepsgeheim.", "barrier.privacy"),
    (EQ, "De overgang naar achttien.", "inductive.turning_18"),
    (EQ, "De grijze zone tussen VO en VSO. Voor de tussenvoorziening is een wachtlijst van maanden.",
     "inductive.grey_zone"),
    (EQ, "Weinig zicht op elkaars werk.", "damour.internalisation.acquaintanceship"),
    (EQ, "De wachtlijsten bij de specialistische jeugdhulp. Maanden.", "barrier.beschikking"),
    (EQ, "Onuitgesproken verwachtingen.", "barrier.expectations"),
    (EQ, "Ik teken steeds formulieren", "barrier.privacy"),
    (EQ, "Terugkoppeling.", "barrier.follow_up"),
    (EQ, "Dat we elkaar niet kennen.", "gerdes.proximity.personal"),
    (EQ, "Ik ben degene die iedereen belt en bij elkaar haalt", "barrier.regie"),
    (EQ, "Bij één gezin op onze school zitten zes hulpverleners.", "barrier.one_plan"),
    (EQ, "Het arrangement met één aanbieder werkt goed", "success.arrangement"),
    (EQ, "De bezuinigingen. Twee jaar geleden kon ik nog mee naar een schoolgesprek", "barrier.budget"),
    (EQ, "Leerplicht, zorg en school werken allemaal volgens hun eigen regels, en die botsen.",
     "barrier.laws"),
    (EQ, "Tijd, en dat iedereen overbelast is.", "barrier.budget"),
]

BRAM_TURNS: list[Coding] = [
    (EQ, "Privacy. Ik mag vaak niet vertellen wat ik weet", "barrier.privacy"),
    (EQ, "We hebben als gemeente ongeveer negentig aanbieders gecontracteerd.", "barrier.providers"),
    (EQ, "Overleg op school valt niet onder de uren die ik mag schrijven.", "barrier.budget"),
    (EQ, "Wie heeft de regie? Bij gezinnen met veel hulp weet niemand het.", "barrier.regie"),
    (EQ, "Mijn zoon heeft vier begeleiders gehad in drie jaar.", "barrier.turnover"),
    (EQ, "Het contact met het wijkteam en de JGZ is prima.", "barrier.beschikking"),
    (EQ, "School zegt dat het zorg is; zorg zegt dat het school is.", "barrier.job"),
    (EQ, "Toestemming. Ouders hebben vaak voor de ene organisatie getekend", "barrier.privacy"),
    (EQ, "Ik weet niet wat ik mag vragen en wat niet.", "barrier.privacy"),
    (S3, "Dan wil ik de afspraken nog één keer teruglezen, als dat mag.", "pattern.agreement"),
]

# ---------------------------------------------------------------------------- memos
ANNA_DOCUMENT_MEMOS = {
    S1: "Eerste document van de dubbele codering; blind gecodeerd, zonder overleg met bram.",
    EQ: "Eén antwoord per respondent; R18 en R43 ontbreken in de export. Lege antwoorden "
        "('weet ik niet', 'geen idee') niet gecodeerd.",
    S2: "Alleen de eerste helft gecodeerd (tot de bijdrage van Gemeente 1 over het beeld van scholen); "
        "bram heeft dit document niet gezien.",
}
ANNA_CODE_MEMOS = {
    "barrier.laws": "Alleen als er echt twee regels botsen (beroepsgeheim/WGBO tegen leerplicht of "
                    "zorgplicht). Beroepsgeheim alleen is barrier.privacy.",
    "pattern.lever": "Hefboom of afspraak? Pas een afspraak als er een eigenaar en een moment bij staan.",
}
BRAM_DOCUMENT_MEMOS = {
    OV: "Veel uitspraken over regie achter elkaar; ik heb ze ruim gecodeerd, soms de hele beurt.",
}
BRAM_CODE_MEMOS = {
    "barrier.providers": "Ook gebruikt voor 'te veel partijen' in het algemeen, niet alleen het aantal "
                         "gecontracteerde aanbieders.",
}


# ---------------------------------------------------------------------------- locating spans
def locate(text: str, phrase: str, document_id: str) -> tuple[int, int]:
    """The span of ``phrase`` in ``text``: a quote that occurs once, or ``"A … B"``.

    ``"A … B"`` runs from the start of ``A`` (which must occur once) to the end of the
    first ``B`` after it.
    """
    first, gap, last = phrase.partition(GAP)
    count = text.count(first)
    if count != 1:
        where = "does not occur" if count == 0 else f"occurs {count} times"
        raise CodingError(
            f"{document_id}: the phrase {first!r} {where}; quote a longer, unique passage"
        )
    start = text.index(first)
    if not gap:
        return start, start + len(first)
    end = text.find(last, start + len(first))
    if end < 0:
        raise CodingError(f"{document_id}: {last!r} does not occur after {first!r}")
    return start, end + len(last)


def plan_spans(project: Project, codings: list[Coding]) -> list[tuple[str, int, int, str, str | None]]:
    """Every coding as ``(document, start, end, code, memo)``, checked before anything is written."""
    texts: dict[str, str] = {}
    planned = []
    for document_id, phrase, code_id, *memo in codings:
        if document_id not in texts:
            texts[document_id] = project.corpus.text(document_id)
        start, end = locate(texts[document_id], phrase, document_id)
        planned.append((document_id, start, end, code_id, memo[0] if memo else None))
    return planned


def plan_turns(project: Project, turns: list[Coding]) -> list[tuple[str, str, str]]:
    """Every whole-turn coding as ``(document, segment_id, code)``: the turn holding the phrase."""
    planned = []
    for document_id, phrase, code_id in turns:
        start, _ = locate(project.corpus.text(document_id), phrase, document_id)
        segments = project.corpus.segments(level="turn", documents=[document_id])
        row = segments[(segments["start"] <= start) & (segments["end"] > start)]
        if len(row) != 1:
            raise CodingError(f"{document_id}: no single speaker turn holds {phrase!r}")
        planned.append((document_id, str(row["segment_id"].iloc[0]), code_id))
    return planned


# ---------------------------------------------------------------------------- coding
def code_all(
    session: CodingSession,
    spans: list[tuple[str, int, int, str, str | None]],
    turns: list[tuple[str, str, str]],
    document_memos: dict[str, str],
    code_memos: dict[str, str],
) -> dict[tuple[str, int, int, str], dict[str, Any]]:
    """Write the memos and codings, document by document; returns the code events by span."""
    session.memo("project", "", EXAMPLE_MEMO)
    for code_id, text in code_memos.items():
        session.memo("code", code_id, text)
    written: dict[tuple[str, int, int, str], dict[str, Any]] = {}
    for document_id in dict.fromkeys(d for d, *_ in [*spans, *turns]):
        if document_id in document_memos:
            session.memo("document", document_id, document_memos[document_id])
        for doc, start, end, code_id, memo in spans:
            if doc == document_id:
                event = session.code(doc, start, end, code_id, memo=memo)
                written[(doc, start, end, code_id)] = event
        for doc, segment_id, code_id in turns:
            if doc == document_id:
                event = session.code_segment(segment_id, code_id)
                written[(doc, event["start"], event["end"], code_id)] = event
    return written


def find_event(written: dict[tuple[str, int, int, str], dict[str, Any]], project: Project,
               document_id: str, phrase: str, code_id: str) -> dict[str, Any]:
    """The code event written for ``phrase`` with ``code_id``."""
    start, end = locate(project.corpus.text(document_id), phrase, document_id)
    return written[(document_id, start, end, code_id)]


def code_anna(project: Project) -> None:
    """anna: careful, specific sub-codes; also the first half of als-a-sessie-2."""
    spans, turns = plan_spans(project, ANNA), plan_turns(project, ANNA_TURNS)
    session = CodingSession(project, "anna")
    written = code_all(session, spans, turns, ANNA_DOCUMENT_MEMOS, ANNA_CODE_MEMOS)
    # a second thought: professional secrecy alone is privacy, not a clash of laws (undo + recode)
    secrecy = "Ik heb een beroepsgeheim. Als ik dat schend, kan ik erop aangesproken worden"
    start, end = locate(session.text(S1), secrecy, S1)
    first = session.code(S1, start, end, "barrier.laws")
    session.uncode(first["id"])
    session.code(S1, start, end, "barrier.privacy",
                 memo="Eerst als barrier.laws gecodeerd; er botst hier geen tweede regel, dus privacy.")
    doubt = find_event(written, project, OV, "Het kind staat op de wachtlijst.", "inductive.grey_zone")
    session.memo("coding", doubt["id"], "Twijfel: ook barrier.beschikking? Het is de wachtlijst van de "
                 "tussenvoorziening, niet van jeugdhulp achter de beschikking. Bespreken in het "
                 "consensusoverleg.")


def code_bram(project: Project) -> None:
    """bram: broader codes, longer spans, some passages missed; only the four shared documents."""
    spans, turns = plan_spans(project, BRAM), plan_turns(project, BRAM_TURNS)
    session = CodingSession(project, "bram")
    written = code_all(session, spans, turns, BRAM_DOCUMENT_MEMOS, BRAM_CODE_MEMOS)
    # a slip, withdrawn straight away (the audit trail keeps it)
    stage = "Stagebedrijven worden er nooit bij betrokken."
    start, end = locate(session.text(EQ), stage, EQ)
    slip = session.code(EQ, start, end, "boundary.coordination.connection")
    session.uncode(slip["id"])
    chair = find_event(
        written, project, S1,
        "En op dinsdag drie februari, na de gym, heeft hij een stoel door het lokaal gegooid.",
        "pattern.moment",
    )
    session.memo("coding", chair["id"], "Is de stoel het wrijvingsmoment, of de mail en de stilte erna? "
                 "Navragen bij anna.")


def main(argv: list[str] | None = None) -> int:
    """Write both example logs; refuse when they exist unless ``--force``."""
    parser = argparse.ArgumentParser(description="Write the example coding logs of anna and bram.")
    parser.add_argument("--force", action="store_true",
                        help="delete the existing example logs and write them anew")
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent,
                        help="the project folder (default: the repository this script is in)")
    args = parser.parse_args(argv)
    try:
        project = Project.find(args.project)
        logs = [project.logs_dir / f"{coder}.jsonl" for coder in CODERS]
        existing = [log for log in logs if log.exists()]
        if existing and not args.force:
            names = ", ".join(str(log.relative_to(project.root)) for log in existing)
            print(f"{names} already exist; a log is never appended to twice. "
                  "Run with --force to delete and rewrite the example logs.", file=sys.stderr)
            return 1
        plan_spans(project, ANNA + BRAM)  # check every phrase before deleting anything
        plan_turns(project, ANNA_TURNS + BRAM_TURNS)
        for log in existing:
            log.unlink()
        code_anna(project)
        code_bram(project)
    except RaakvlakError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for log in logs:
        print(f"wrote {log.relative_to(project.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
