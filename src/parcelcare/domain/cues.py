"""Hand-written cue words per meaning in Dutch, German, English and French: a small bilingual
lexicon that lets a few examples per language generalise to the other three."""

import re
from functools import cache

_LEXICON: dict[str, dict[str, str]] = {
    "where": {
        "nl": "waar | wanneer | wnr | hoe staat | stand van zaken | status | nieuws | volgen",
        "de": "wo= | wann | wie ist der stand | status | stand der | neuigkeit | verfolg",
        "en": "where | when | wen= | eta= | any news | status | update | track",
        "fr": "ou est | ou en | il est ou | quand | qd= | statut | des nouvelles | suivi | suivre",
    },
    "tracking_code": {
        "nl": "trackingcode | track en trace | track trace | trackingnummer | volgnummer"
        " | verzendbevestiging | trackinglink | barcode",
        "de": "sendungsnummer | trackingnummer | tracking nummer | paketnummer"
        " | verfolgungsnummer | versandbestatigung | trackinglink | sendungsverfolgung",
        "en": "tracking number | tracking code | tracking link | tracking info"
        " | shipping confirmation | dispatch confirmation",
        "fr": "numero de suivi | numero de colis | lien de suivi | code de suivi"
        " | confirmation d expedition | mail d expedition",
    },
    "waiting": {
        "nl": "wacht | nog niet | nog steeds | nog altijd | al dagen | al weken | levertijd"
        " | hoe lang | hoelang | onderweg | verzonden | verstuurd | komt | aankomen | blijft"
        " | te laat | vertraging | geleverd worden | bezorgd worden",
        "de": "warte | noch nicht | immer noch | noch immer | seit tagen | seit wochen"
        " | lieferzeit | wie lange | unterwegs | versendet | verschickt | rausgegangen | kommt"
        " | ankommt | bleibt | verspat | verzogerung | zu spat",
        "en": "waiting | wait | not yet | still | how long | delivery time | on its way"
        " | in transit | shipped | dispatched | has it left | late | delay | overdue | weeks",
        "fr": "attend | pas encore | toujours pas | toujours rien | combien de temps | delai"
        " | en route | en cours | expedie | parti | arrive | retard | en attente | depuis",
    },
    "delivered": {
        "nl": "bezorgd | afgeleverd | geleverd | afgegeven | brievenbus | buren | bezorger",
        "de": "zugestellt | geliefert | abgegeben | abgelegt | ablageort | briefkasten"
        " | nachbar | zusteller | unterschrieben",
        "en": "delivered | left with | left in | left at | mailbox | letterbox | safe place"
        " | neighbour | neighbor | driver | signed for",
        "fr": "livre= | livree | livres= | depose | boite aux lettres | voisin | lieu sur"
        " | livreur | signe",
    },
    "not_got": {
        "nl": "niet ontvangen | niks ontvangen | niets ontvangen | nooit ontvangen"
        " | niks gekregen | niets gekregen | niet aangekomen | niet bij mij | kwijt | weg="
        " | niks | niets | leeg | niemand | gestolen",
        "de": "nicht erhalten | nie bekommen | nichts erhalten | nicht bekommen | nie bei mir"
        " | nicht angekommen | bei mir ist | verschwunden | verloren | nichts | leer= | keiner"
        " | gestohlen",
        "en": "never received | never got | not received | didnt get | did not receive"
        " | never reached | never arrived | not here | missing | lost | stolen | nothing"
        " | empty | nobody",
        "fr": "pas recu | jamais recu | rien recu | n ai rien | ne m est jamais | pas chez moi"
        " | disparu | perdu | vole= | rien | vide | personne",
    },
    "return": {
        "nl": "retour | terugsturen | terug sturen | terugsenden | terugbrengen | ruilen"
        " | omruilen | andere maat | bedenktijd | herroeping | past niet | te klein | te groot"
        " | bevalt",
        "de": "zurucksenden | zuruckschicken | zuruckgeben | zuruecksenden | zurueckschicken"
        " | zurueckgeben | rucksend | ruecksend | retoure | retournieren | umtausch"
        " | umtauschen | andere grosse | widerruf | ruckgabe | rueckgabe | passt nicht"
        " | zu klein | zu gross | gefallt",
        "en": "return | send back | send it back | exchange | swap | different size"
        " | withdrawal | cooling off | doesnt fit | too small | too big | dont like",
        "fr": "retour | renvoyer | retourner | echange | echanger | autre taille | retractation"
        " | rendre | reprendre | trop petit | trop grand | plait",
    },
    "money": {
        "nl": "geld | terugbetaling | terugbetaald | terugstorten | teruggestort | terugstorting"
        " | creditnota | tegoed | rekening",
        "de": "geld | erstattung | ruckerstattung | rueckerstattung | zuruckerstatt"
        " | zurueckerstatt | erstattet | gutschrift | ruckzahlung | zuruckuberwies"
        " | zurueckueberwies | uberweisung | ueberweisung | konto",
        "en": "money | refund | reimburs | credit note | store credit | bank account"
        " | charged | chargeback | rebate",
        "fr": "argent | rembours | avoir= | virement | compte bancaire | sur mon compte",
    },
    "damage": {
        "nl": "beschadigd | kapot | gebroken | gebarsten | barst | stuk= | defect | deuk"
        " | kras | lekt | gelekt | nat= | scheur | werkt niet | doet het niet",
        "de": "beschadigt | kaputt | zerbrochen | gebrochen | riss | sprung | gesprungen"
        " | defekt | kratzer | zerkratzt | delle | undicht | ausgelaufen | nass"
        " | funktioniert nicht | geht nicht",
        "en": "damaged | broken | cracked | crack | crushed | smashed | shattered | faulty"
        " | defective | scratch | dent | leak | wet= | torn | doesnt work | not working",
        "fr": "endommage | abime | casse | fissure | fele | ecrase | brise | defectueu"
        " | rayure | raye | bosse | dechire | mouille | fuite | ne marche pas"
        " | ne fonctionne pas | en morceaux",
    },
    "wrong": {
        "nl": "verkeerde | verkeerd | fout artikel | ander product | iets anders | andere kleur"
        " | ontbreekt | mist= | niet compleet | onvolledig | niet besteld",
        "de": "falsch | anderes produkt | ganz anderes | andere farbe | fehlt | fehlen"
        " | unvollstandig | unvollstaendig | nicht bestellt | nicht das",
        "en": "wrong | different product | different colour | different color"
        " | not what i ordered | is missing | are missing | incomplete | missing part",
        "fr": "mauvais | mauvaise | pas le bon | pas la bonne | autre couleur | manque"
        " | manquant | incomplet | pas ce que j ai commande",
    },
    "address": {
        "nl": "adres | afleveradres | bezorgadres | huisnummer | postcode | verhuisd"
        " | afhaalpunt | pakketpunt | pakketautomaat | servicepunt | ophaalpunt | werkadres"
        " | ouders | moeder | niet thuis | op vakantie | in plaats van | omleiden | doorsturen",
        "de": "adresse | lieferadresse | lieferanschrift | anschrift | hausnummer | plz="
        " | postleitzahl | umgezogen | packstation | paketshop | postfiliale | abholstation"
        " | arbeitsadresse | eltern | nicht da | nicht zu hause | urlaub | statt | umleiten"
        " | weiterleiten",
        "en": "address | house number | postcode | zip code | moved | pickup point"
        " | parcel locker | locker | parcel shop | collection point | work address | parents"
        " | away | on holiday | instead | redirect | reroute",
        "fr": "adresse | numero de rue | code postal | demenage | point relais | relais"
        " | casier | consigne | bureau de poste | adresse de travail | parents | absent"
        " | en vacances | plutot | a la place | rediriger",
    },
    "cancel": {
        "nl": "annul | niet versturen | niet verzenden | tegenhouden | ongedaan | terugdraaien"
        " | per ongeluk | twee keer | dubbel | bedacht | niet meer nodig | voor verzending",
        "de": "storn | abbrechen | nicht versenden | nicht schicken | aufhalten | ruckgangig"
        " | rueckgaengig | aus versehen | versehentlich | doppelt | zweimal | anders uberlegt"
        " | anders ueberlegt | nicht mehr | vor dem versand | bevor es",
        "en": "cancel | dont ship | do not ship | dont send | stop the order | stop my order"
        " | undo | by mistake | by accident | accidentally | twice | changed my mind"
        " | no longer need | anymore | before it ships | before shipping",
        "fr": "annul | ne pas envoyer | ne l envoyez pas | bloquer | arreter | par erreur"
        " | par accident | deux fois | en double | change d avis | en veux plus | plus besoin"
        " | avant l expedition | avant expedition",
    },
    "stock": {
        "nl": "voorraad | leverbaar | uitverkocht | weer binnen | beschikbaar",
        "de": "lieferbar | vorratig | verfugbar | auf lager | ausverkauft | wieder da"
        " | wieder erhaltlich",
        "en": "stock | restock | back in | available | sold out",
        "fr": "stock | disponible | rupture | reassort | de nouveau",
    },
    "price": {
        "nl": "verzendkosten | kosten | kost= | prijs | gratis | korting | cadeaubon"
        " | verzenden jullie | leveren jullie | buitenland",
        "de": "versandkosten | kosten | kostet | preis | kostenlos | rabatt | gutschein"
        " | liefert ihr | versendet ihr | ins ausland",
        "en": "shipping cost | how much | cost | price | free shipping | discount | promo"
        " | gift card | do you ship | do you deliver | international",
        "fr": "frais de port | frais de livraison | combien | tarif | gratuit | promo"
        " | carte cadeau | vous livrez | livrez vous | a l etranger",
    },
    "admin": {
        "nl": "wachtwoord | inloggen | account | factuur | btw | nieuwsbrief | betaling",
        "de": "passwort | anmelden | einloggen | konto | rechnung | mwst | newsletter"
        " | zahlung",
        "en": "password | log in | login | account | invoice | receipt | vat= | newsletter"
        " | payment",
        "fr": "mot de passe | connexion | compte | facture | tva | newsletter | paiement",
    },
    "thanks": {
        "nl": "bedankt | dank je | dank u | top= | super=",
        "de": "danke | vielen dank | super= | toll=",
        "en": "thanks | thank you | thx | great service",
        "fr": "merci | super= | genial",
    },
    "human": {
        "nl": "medewerker | mens spreken | iemand spreken | bellen",
        "de": "mitarbeiter | mensch | jemanden sprechen | anrufen",
        "en": "human | agent | real person | operator | speak to someone | call me",
        "fr": "conseiller | humain | parler a quelqu un | appeler",
    },
}
"""Meaning -> language -> cue phrases separated by `|`, accent-free and lower case. A phrase
matches at a word start (`kapot` finds `kapotte`); one ending in `=` only as a whole word."""

CUES: dict[str, tuple[str, ...]] = {
    meaning: tuple(
        phrase.strip() for line in languages.values() for phrase in line.split("|") if phrase
    )
    for meaning, languages in _LEXICON.items()
}
"""Meaning -> every cue phrase, all languages together."""

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _alternative(phrase: str) -> str:
    whole = phrase.endswith("=")
    core = re.escape(phrase.rstrip("="))
    return f"{core}(?![a-z])" if whole else core


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        meaning: re.compile(r"(?:^| )(?:" + "|".join(map(_alternative, phrases)) + ")")
        for meaning, phrases in CUES.items()
    }


def cues(folded: str) -> set[str]:
    """The meanings whose cues occur in an accent-free lower-case text."""
    text = _NOT_WORD.sub(" ", folded)
    return {meaning for meaning, pattern in _patterns().items() if pattern.search(text)}
