"""Made-up customers and addresses that look right for each destination country."""

import unicodedata
from dataclasses import dataclass
from random import Random
from typing import Any


@dataclass(frozen=True)
class City:
    """A city with real postcodes (NL: the four-digit prefix's first two digits)."""

    name: str
    postcodes: tuple[str, ...]
    language: str = ""
    french_name: str = ""


NL_CITIES = (
    City("Amsterdam", ("10",)),
    City("Rotterdam", ("30",)),
    City("Den Haag", ("25",)),
    City("Utrecht", ("35",)),
    City("Eindhoven", ("56",)),
    City("Groningen", ("97",)),
    City("Tilburg", ("50",)),
    City("Almere", ("13",)),
    City("Breda", ("48",)),
    City("Nijmegen", ("65",)),
    City("Haarlem", ("20",)),
    City("Arnhem", ("68",)),
    City("Zwolle", ("80",)),
    City("Leiden", ("23",)),
    City("Maastricht", ("62",)),
    City("Amersfoort", ("38",)),
)

BE_CITIES = (
    City("Antwerpen", ("2000", "2018", "2060"), "nl"),
    City("Gent", ("9000", "9040"), "nl"),
    City("Brugge", ("8000", "8200"), "nl"),
    City("Leuven", ("3000", "3010"), "nl"),
    City("Hasselt", ("3500",), "nl"),
    City("Mechelen", ("2800",), "nl"),
    City("Kortrijk", ("8500",), "nl"),
    City("Brussel", ("1000", "1050", "1060", "1180"), "", "Bruxelles"),
    City("Liège", ("4000", "4020"), "fr"),
    City("Namur", ("5000",), "fr"),
    City("Charleroi", ("6000",), "fr"),
    City("Mons", ("7000",), "fr"),
)

DE_CITIES = (
    City("Berlin", ("10115", "10245", "10437", "12047", "13353")),
    City("Hamburg", ("20095", "20249", "22765")),
    City("München", ("80331", "80469", "81667")),
    City("Köln", ("50667", "50733", "51103")),
    City("Frankfurt am Main", ("60311", "60385", "60594")),
    City("Leipzig", ("04109", "04275")),
    City("Düsseldorf", ("40210", "40477")),
    City("Stuttgart", ("70173", "70197")),
    City("Bremen", ("28195", "28203")),
    City("Münster", ("48143", "48151")),
    City("Nürnberg", ("90402", "90429")),
    City("Hannover", ("30159", "30161")),
    City("Freiburg im Breisgau", ("79098", "79102")),
)

FR_CITIES = (
    City("Paris", ("75003", "75011", "75015", "75018")),
    City("Lyon", ("69001", "69003", "69007")),
    City("Marseille", ("13001", "13006", "13008")),
    City("Toulouse", ("31000", "31400")),
    City("Nantes", ("44000", "44300")),
    City("Bordeaux", ("33000", "33800")),
    City("Lille", ("59000", "59800")),
    City("Strasbourg", ("67000", "67100")),
    City("Montpellier", ("34000", "34070")),
    City("Rennes", ("35000", "35200")),
    City("Nice", ("06000", "06300")),
    City("Grenoble", ("38000", "38100")),
)

CITIES = {"NL": NL_CITIES, "BE": BE_CITIES, "DE": DE_CITIES, "FR": FR_CITIES}

FIRST_NAMES = {
    "nl": (
        "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Bram", "Thijs", "Jesse", "Ruben",
        "Joost", "Pieter", "Willem", "Kees", "Emma", "Julia", "Sophie", "Tess", "Sara",
        "Anna", "Eva", "Lotte", "Fleur", "Noor", "Iris", "Sanne", "Lieke", "Maaike", "Marieke",
    ),
    "be": (
        "Arne", "Wout", "Jens", "Lars", "Stijn", "Pieter-Jan", "Seppe", "Lotte", "Elise",
        "Hanne", "Marie", "Ine", "Lien", "Nele", "Femke", "Jolien",
    ),
    "fr": (
        "Louis", "Hugo", "Nathan", "Théo", "Arthur", "Julien", "Gabriel", "Léo", "Raphaël",
        "Camille", "Léa", "Chloé", "Manon", "Pauline", "Élodie", "Inès", "Margaux", "Louise",
    ),
    "de": (
        "Lukas", "Leon", "Jonas", "Felix", "Maximilian", "Paul", "Tobias", "Stefan", "Jürgen",
        "Anna", "Lena", "Hannah", "Lea", "Laura", "Sabine", "Katharina", "Miriam", "Jana",
    ),
    "en": ("James", "Oliver", "Daniel", "Michael", "Emily", "Olivia", "Sarah", "Jessica"),
}  # fmt: skip

LAST_NAMES = {
    "nl": (
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
        "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
        "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "de Graaf", "van der Meer",
    ),
    "be": (
        "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
        "Wouters", "De Smet", "Vermeulen", "Van Damme", "Verstraete", "Desmet",
    ),
    "fr": (
        "Martin", "Bernard", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
        "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "Fournier", "Girard",
        "Lambert", "Dupont", "Renard", "Lemaire",
    ),
    "de": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
        "Braun", "Zimmermann", "Krüger", "Hartmann",
    ),
    "en": ("Smith", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Clarke", "Hughes"),
}  # fmt: skip

STREETS = {
    "nl": (
        "Lindelaan", "Kastanjestraat", "Molenweg", "Beukenhof", "Zonnebloemstraat", "Kerkpad",
        "Havenkade", "Vlietstraat", "Esdoornlaan", "Klaverweide", "Wilgenhof", "Populierenlaan",
    ),
    "be": (
        "Kerkstraat", "Stationsstraat", "Lindenlaan", "Molenstraat", "Beukenlaan",
        "Veldstraat", "Kapelstraat", "Meerstraat",
    ),
    "befr": (
        "Rue de la Station", "Rue des Tilleuls", "Avenue des Acacias", "Rue du Moulin",
        "Chaussée de Namur", "Rue de l'Église", "Rue des Prés",
    ),
    "de": (
        "Lindenstraße", "Gartenweg", "Am Mühlbach", "Ahornallee", "Rosenstraße", "Birkenweg",
        "Schillerstraße", "Bergstraße", "Wiesenweg", "Eichendorffstraße",
    ),
    "fr": (
        "rue des Lilas", "avenue des Tilleuls", "rue du Moulin", "allée des Peupliers",
        "impasse des Roses", "chemin des Vignes", "rue de la Gare", "boulevard des Platanes",
    ),
}  # fmt: skip

EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
NL_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
NL_BANNED_SUFFIXES = frozenset({"SA", "SD", "SS"})


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == "-")


def _email(rng: Random, first: str, last: str) -> str:
    local = f"{_ascii(first)}.{_ascii(last)}"
    if rng.random() < 0.4:
        local += str(rng.randint(1, 99))
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def _phone(rng: Random, country: str) -> str:
    """A mobile number in E.164 form."""
    prefix, length = {
        "NL": ("+316", 8),
        "BE": ("+3247", 7),
        "DE": ("+49151", 8),
        "FR": ("+336", 8),
    }[country]
    return f"{prefix}{rng.randrange(10**length):0{length}d}"


def _language(rng: Random, country: str, city: City) -> str:
    if country == "BE":
        return city.language or rng.choice(("nl", "fr"))
    if country == "NL" and rng.random() < 0.06:
        return "en"  # expats in the Netherlands often prefer English
    return {"NL": "nl", "DE": "de", "FR": "fr"}[country]


def _postcode(rng: Random, country: str, city: City) -> str:
    if country != "NL":
        return rng.choice(city.postcodes)
    while True:
        letters = rng.choice(NL_POSTCODE_LETTERS) + rng.choice(NL_POSTCODE_LETTERS)
        if letters not in NL_BANNED_SUFFIXES:
            return f"{city.postcodes[0]}{rng.randint(0, 99):02d} {letters}"


def _lines(rng: Random, country: str, language: str) -> tuple[str, str]:
    number = rng.randint(1, 180)
    if country == "NL":
        suffix = rng.choice(("", "", "", "", "A", "B", "-2", "-1"))
        return f"{rng.choice(STREETS['nl'])} {number}{suffix}", ""
    if country == "BE":
        french = language == "fr"
        street = rng.choice(STREETS["befr" if french else "be"])
        box = f" {'boîte' if french else 'bus'} {rng.randint(1, 12)}"
        return f"{street} {number}{box if rng.random() < 0.25 else ''}", ""
    if country == "DE":
        extra = rng.choice(("", "", "", "", "Hinterhaus", f"{rng.randint(1, 4)}. OG"))
        return f"{rng.choice(STREETS['de'])} {number}", extra
    extra = rng.choice(("", "", "", f"Appartement {rng.randint(1, 40)}", "Bâtiment B"))
    return f"{number} {rng.choice(STREETS['fr'])}", extra


def person(rng: Random, country: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A customer and their shipping address in `country`."""
    city = rng.choice(CITIES[country])
    language = _language(rng, country, city)
    names = "be" if country == "BE" and language == "nl" else language
    first, last = rng.choice(FIRST_NAMES[names]), rng.choice(LAST_NAMES[names])
    name = f"{first} {last}"
    line1, line2 = _lines(rng, country, language)
    city_name = city.french_name if language == "fr" and city.french_name else city.name
    customer = {
        "email": _email(rng, first, last),
        "name": name,
        "phone": _phone(rng, country),
        "language": language,
    }
    address = {
        "name": name,
        "line1": line1,
        "line2": line2,
        "postcode": _postcode(rng, country, city),
        "city": city_name,
        "country": country,
    }
    return customer, address
