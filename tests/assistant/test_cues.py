"""The cue lexicon: its data file, how phrases match, and what customer messages it finds."""

import re
import tomllib
from pathlib import Path

import pytest

from parcelcare.assistant import classifier as classifier_module
from parcelcare.assistant.features import fold
from parcelcare.domain import cues as cues_module
from parcelcare.domain.cues import CUES, LANGUAGES, LEXICON_FILE, cues, load_lexicon

LEXICON = load_lexicon()
PHRASES = [
    (meaning, language, phrase)
    for meaning, languages in LEXICON.items()
    for language, phrases in languages.items()
    for phrase in phrases
]


def found(text: str) -> set[str]:
    """The meanings found in a raw customer text, folded as the classifier folds it."""
    return cues(fold(text))


def test_every_meaning_has_the_four_languages_and_enough_phrases() -> None:
    assert {"where", "not_got", "damage", "human", "redirect", "payment"} <= set(LEXICON)
    for meaning, languages in LEXICON.items():
        assert tuple(sorted(languages)) == tuple(sorted(LANGUAGES)), meaning
        for language, phrases in languages.items():
            assert 20 <= len(phrases) <= 60, (meaning, language, len(phrases))


def test_no_phrase_is_empty_or_listed_twice_in_a_meaning() -> None:
    for meaning, languages in LEXICON.items():
        everything = [phrase for phrases in languages.values() for phrase in phrases]
        assert all(phrase.rstrip("=").strip() for phrase in everything), meaning
        assert len(everything) == len(set(everything)), meaning
        assert len(CUES[meaning]) == len(everything)


def test_every_phrase_is_already_folded() -> None:
    unfolded = []
    for meaning, language, phrase in PHRASES:
        core = phrase.removesuffix("=")
        folded = re.sub(r"\d", "0", re.sub(r"[^a-z0-9]+", " ", fold(core)).strip())
        if core != folded or "=" in core:
            unfolded.append((meaning, language, phrase))
    assert unfolded == []


def test_the_file_is_toml_with_arrays_of_strings() -> None:
    with LEXICON_FILE.open("rb") as stream:
        raw = tomllib.load(stream)
    for languages in raw.values():
        for phrases in languages.values():
            assert isinstance(phrases, list)
            assert all(isinstance(phrase, str) for phrase in phrases)


def test_the_file_ships_with_the_package() -> None:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    with pyproject.open("rb") as stream:
        shipped = tomllib.load(stream)["tool"]["setuptools"]["package-data"]["parcelcare"]
    assert "domain/cue_lexicon.toml" in shipped


def test_the_model_fingerprint_follows_the_lexicon(tmp_path: Path, monkeypatch) -> None:
    before = classifier_module._fingerprint()
    changed = tmp_path / "cue_lexicon.toml"
    changed.write_bytes(LEXICON_FILE.read_bytes() + b'\n[extra]\nnl = ["iets"]\n')
    monkeypatch.setattr(cues_module, "LEXICON_FILE", changed)
    assert classifier_module._fingerprint() != before


def test_a_phrase_matches_at_a_word_start() -> None:
    assert "damage" in found("de kapotte vaas")  # kapot
    assert "damage" in found("Die Tasse ist zerkratzt")  # zerkratzt
    assert "damage" not in found("ik heb hem verkapot")  # never inside a word
    assert "damage" not in found("une casserole en fonte")  # casse= is a whole word
    assert "damage" in found("le vase est cassé")


def test_a_phrase_ending_in_equals_matches_only_as_a_whole_word() -> None:
    assert "where" in found("wo ist mein Paket")
    assert "where" not in found("seit einer Woche")
    assert "where" not in found("volgende week ben ik thuis")
    assert "where" in found("ik wil het volgen")
    assert "damage" in found("het pakket was nat")
    assert "damage" not in found("natuurlijk")
    assert "damage" in found("the box had a dent")
    assert "damage" not in found("my dentist")


def test_punctuation_case_and_accents_do_not_hide_a_cue() -> None:
    assert "not_got" in found("Je N'AI RIEN REÇU !!!")
    assert "not_got" in found("I didn\u2019t get it.")
    assert "not_got" in found("I didnt get it")
    assert "tracking_code" in found("Track & Trace?")
    assert "tracking_code" in found("track-en-trace")
    assert "money" in found("RÜCKERSTATTUNG")
    assert "money" in found("Rueckerstattung")
    assert "where" in found("where's my order?!")
    assert "address" in found("l\u2019adresse\tde\nlivraison")
    assert "damage" in found("Der Krug hat einen Sprung.")
    assert "damage" in found("Der Karton hat Löcher")
    assert "damage" in found("le bol est fêlé")


MESSAGES = {
    "nl": [
        ("Waar blijft mijn bestelling? Ik wacht al twee weken.", {"where", "waiting"}),
        ("Kunnen jullie mij de track en trace code sturen?", {"tracking_code"}),
        ("Volgens PostNL is het bezorgd maar ik heb niks ontvangen", {"delivered", "not_got"}),
        ("De vaas is gebarsten aangekomen en de doos was nat", {"damage"}),
        ("Ik kreeg een verkeerde kleur en er ontbreekt een kussen", {"wrong"}),
        ("Ik wil de schoenen graag terugsturen, ze zijn te klein", {"return"}),
        ("Wanneer krijg ik mijn geld terug? Ik heb alles teruggestuurd", {"money", "return"}),
        ("Ik ben verhuisd, kunnen jullie het huisnummer aanpassen?", {"address"}),
        ("Kan het naar een pakketpunt? Ik ben volgende week niet thuis", {"redirect"}),
        ("Ik heb per ongeluk twee keer besteld, wil er een annuleren", {"cancel"}),
        ("Is de blauwe trui weer op voorraad?", {"stock"}),
        ("Wat zijn de verzendkosten naar België?", {"price"}),
        ("Mijn betaling via iDEAL is mislukt", {"payment"}),
        ("Welke maat raden jullie aan? Valt deze jas klein?", {"size"}),
        ("Hartelijk dank voor de snelle levering!", {"thanks"}),
        ("Mijn pakje is nog altijd niet toegekomen", {"waiting", "not_got"}),
        ("Kan ik het adres nog wijzigen voordat het verzonden wordt?", {"before_shipping"}),
        ("Kunt u mij even bellen? Ik wil een medewerker spreken.", {"human"}),
    ],
    "de": [
        ("Wo bleibt meine Bestellung? Ich warte seit zwei Wochen.", {"where", "waiting"}),
        ("Können Sie mir die Sendungsnummer schicken?", {"tracking_code"}),
        ("Laut DHL zugestellt, aber ich habe nichts erhalten.", {"delivered", "not_got"}),
        ("Die Tasse hat einen Sprung und der Karton war eingedrückt", {"damage"}),
        ("Sie haben mir die falsche Farbe geschickt und es fehlt das Kabel", {"wrong"}),
        ("Ich möchte die Jacke zurückschicken, sie passt nicht", {"return"}),
        ("Wann bekomme ich meine Rückerstattung? Die Retoure ist längst da", {"money", "return"}),
        ("Ich bin umgezogen und die Postleitzahl ist auch falsch", {"address"}),
        ("Bitte an die Packstation liefern, ich bin im Urlaub", {"redirect"}),
        ("Ich habe versehentlich doppelt bestellt, bitte stornieren", {"cancel"}),
        ("Ist die Lampe wieder lieferbar?", {"stock"}),
        ("Was kostet der Versand in die Schweiz?", {"price"}),
        ("Mir wurde der Betrag zweimal abgebucht", {"payment"}),
        ("Welche Größe empfehlen Sie, fällt der Schuh klein aus?", {"size"}),
        ("Vielen Dank, alles gut angekommen!", {"thanks"}),
        (
            "Grüezi, das Päckli ist immer noch nicht da, könnt ihr nachschauen?",
            {"waiting", "where"},
        ),
        ("Ich will die Rueckerstattung fuer die Zuruecksendung", {"money", "return"}),
        ("Geht das noch, bevor es verschickt wird? Gestern bestellt.", {"before_shipping"}),
        ("Bitte rufen Sie mich zurück, ich will mit einem Menschen reden", {"human"}),
    ],
    "en": [
        ("Where is my order? I've been waiting for two weeks.", {"where", "waiting"}),
        ("Could you send me the tracking number please?", {"tracking_code"}),
        ("It says delivered but I never received it", {"delivered", "not_got"}),
        ("The mug arrived cracked and the box was crushed", {"damage"}),
        ("You sent the wrong colour and a cushion is missing from the box", {"wrong"}),
        ("I'd like to return the jacket, it doesn't fit", {"return"}),
        ("When will I get my refund? I sent it back a month ago", {"money", "return", "where"}),
        ("I made a typo in my house number, can you fix the address?", {"address"}),
        ("Can it go to a parcel locker instead? I'm not at home this week", {"redirect"}),
        ("I ordered twice by accident, please cancel one", {"cancel"}),
        ("Is the blue sweater back in stock?", {"stock"}),
        ("How much is shipping to Belgium?", {"price"}),
        ("My card was charged twice for one order", {"payment"}),
        ("Does this run small? Which size should I take?", {"size"}),
        ("Thank you so much, great service!", {"thanks"}),
        ("Can I still change it before it ships?", {"before_shipping"}),
        ("Can I speak to a real person? Please call me.", {"human"}),
    ],
    "fr": [
        ("Où est ma commande ? J'attends depuis deux semaines.", {"where", "waiting"}),
        ("Pouvez-vous m'envoyer le numéro de suivi ?", {"tracking_code"}),
        ("Le colis est indiqué livré mais je n'ai rien reçu", {"delivered", "not_got"}),
        ("Le vase est arrivé fêlé et le carton était écrasé", {"damage"}),
        ("Vous m'avez envoyé la mauvaise couleur et il manque un coussin", {"wrong"}),
        ("Je voudrais renvoyer la veste, elle est trop petite", {"return"}),
        ("Quand serai-je remboursée ? J'ai retourné l'article", {"money", "where", "return"}),
        ("J'ai déménagé, pouvez-vous changer l'adresse de livraison ?", {"address"}),
        ("Pouvez-vous l'envoyer en point relais ? Je serai absente", {"redirect"}),
        ("J'ai commandé deux fois par erreur, merci d'annuler", {"cancel", "thanks"}),
        ("Le pull bleu est-il de nouveau disponible ?", {"stock"}),
        ("Quels sont les frais de port pour la Suisse ?", {"price"}),
        ("Mon paiement par carte bancaire a été refusé", {"payment"}),
        ("Quelle taille me conseillez-vous ? Je fais du 38", {"size"}),
        ("Merci beaucoup, service impeccable !", {"thanks"}),
        ("Mon colis est toujours pas arrivé, c'est quoi le numéro de repérage?", {"waiting"}),
        ("Est-il encore possible de modifier avant l'expédition ?", {"before_shipping"}),
        ("Rappelez-moi s'il vous plaît, je veux parler à un conseiller", {"human"}),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [case for cases in MESSAGES.values() for case in cases],
)
def test_messages_find_their_meanings(text: str, expected: set[str]) -> None:
    meanings = found(text)
    assert expected <= meanings, (text, meanings)
    if "human" not in expected:
        assert "human" not in meanings, text


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Wachtwoord vergeten, kan niet inloggen", "waiting"),
        ("Pouvez-vous m'aider s'il vous plaît ?", "return"),
        ("Une partie de la commande", "waiting"),
        ("Mensch, das dauert aber lange", "human"),
        ("Ik ben bezorgd over de levering", "delivered"),
        ("Cher Monsieur, bonne journée", "price"),
        ("Ich freue mich auf Ihre Antwort", "thanks"),
        ("Ab Montag bin ich wieder da", "stock"),
        ("Il m'a donné la remise en main propre", "price"),
        ("Sie haben zweimal versucht zuzustellen", "cancel"),
        ("De koerier heeft twee keer aangebeld", "cancel"),
    ],
)
def test_loose_words_stay_out(text: str, absent: str) -> None:
    assert absent not in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "ik heb het pakket aangenomen",
        "der Zusteller hat angerufen",
        "Der Fahrer hat mich gestern angerufen, war aber nicht da",
        "The driver called me yesterday but never came",
        "Le livreur m'a appelé ce matin",
        "Je m'appelle Julie Martin",
        "Een medewerker van PostNL zei dat het onderweg is",
        "Un conseiller m'a dit que le colis était perdu",
        "Mensch, das dauert!",
        "Bedankt voor de snelle hulp",
        "I was told by your agent that it shipped",
        "Ik heb gisteren gebeld maar niemand nam op, waar is mijn pakket?",
    ],
)
def test_human_stays_quiet_on_ordinary_messages(text: str) -> None:
    assert "human" not in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kunt u mij terugbellen?",
        "Ik wil graag iemand spreken",
        "Kann ich bitte mit einem Mitarbeiter sprechen?",
        "Können Sie mich anrufen?",
        "Please have someone call me back",
        "I want to talk to a human",
        "Je voudrais parler à quelqu'un",
        "Pouvez-vous me rappeler ?",
    ],
)
def test_human_fires_on_explicit_requests(text: str) -> None:
    assert "human" in found(text)
