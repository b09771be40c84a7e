"""Only the customer's own words are read: the message they answer is cut off, as Gmail,
Apple Mail and Outlook quote it in Dutch, German, English and French."""

import pytest

from parcelcare.integrations.inbound.mail import new_text

OURS = "Uw pakket is vertraagd. Verwachte levering: donderdag."


@pytest.mark.parametrize(
    ("text", "own"),
    [
        (f"Waar blijft het?\n\n> {OURS}", "Waar blijft het?"),
        (
            "Waar blijft het?\n\nVan: Winkel <w@example.nl>\nVerzonden: maandag 2 december 2026"
            f" 10:00\nAan: klant@example.nl\nOnderwerp: Vertraagd\n\n{OURS}",
            "Waar blijft het?",
        ),
        (
            "Wo ist es?\n\n-----Ursprüngliche Nachricht-----\nVon: Shop\nIhr Paket wurde "
            "zugestellt",
            "Wo ist es?",
        ),
        (
            "Wo ist es?\nVon: Shop <s@example.de>\nGesendet: Montag, 2. Dezember 2026 10:00\n"
            "Betreff: Zugestellt",
            "Wo ist es?",
        ),
        (
            "where is it\n\nOn Mon, 2 Dec 2026 at 10:00, Shop Name\n<shop@example.com> wrote:\n"
            "> Your parcel was delivered",
            "where is it",
        ),
        (
            "never got it\n\n-----Original Message-----\nFrom: Shop\nSent: Monday\ndelivered",
            "never got it",
        ),
        (
            "Toujours rien.\nDe : Boutique <b@example.fr>\nEnvoyé : lundi 2 décembre 2026 10:00\n"
            "Objet : livré",
            "Toujours rien.",
        ),
        (
            "Toujours rien.\n\nLe lun. 2 déc. 2026 à 10:00, Boutique <b@example.fr> a écrit :\n"
            "> Votre colis a été livré",
            "Toujours rien.",
        ),
        (
            "Toujours rien.\n\n-------- Message d'origine --------\nDe : Boutique",
            "Toujours rien.",
        ),
    ],
)
def test_quoted_message_is_cut_off(text: str, own: str) -> None:
    assert new_text(text) == own


def test_the_customers_own_lines_stay() -> None:
    text = "De rien, merci ! De: rien\nau revoir\nVan: mijn buurvrouw gehoord dat het er is"
    assert new_text(text) == text
