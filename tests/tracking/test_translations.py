"""The agent pages' catalogs: complete in nl, de and fr, compiled, and covering every string."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from parcelcare.i18n import LOCALE_DIR, compile_catalogs

SRC = Path(__file__).resolve().parents[2] / "src" / "parcelcare"
LANGS = ("nl", "de", "fr")
TEMPLATE_DIRS = [
    SRC / "tracking" / "templates",
    SRC / "messaging" / "templates" / "messaging",
    SRC / "accounts" / "templates",
]
PYTHON_FILES = [
    SRC / "tracking" / "labels.py",
    SRC / "tracking" / "views.py",
    SRC / "tracking" / "inbox_views.py",
    SRC / "messaging" / "labels.py",
    SRC / "messaging" / "views.py",
    SRC / "messaging" / "settings_views.py",
    SRC / "accounts" / "branding.py",
    SRC / "accounts" / "forms.py",
    SRC / "accounts" / "views.py",
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
}

Msgid = str | tuple[str, ...]

TRANSLATE = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1.*?%\}""", re.S)
BLOCK = re.compile(
    r"\{%\s*(?:blocktranslate|blocktrans)\b(.*?)%\}(.*?)\{%\s*endblock\w*\s*%\}", re.S
)
PLURAL = re.compile(r"\{%\s*plural\s*%\}")
VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _block_msgid(text: str, trimmed: bool) -> str:
    """A blocktranslate body as Django looks it up: {{ x }} becomes %(x)s."""
    text = VARIABLE.sub(r"%(\1)s", text.replace("%", "%%"))
    return re.sub(r"\s*\n\s*", " ", text.strip()) if trimmed else text


def template_msgids(path: Path) -> Iterator[Msgid]:
    """Every translate and blocktranslate string of one Django template."""
    source = path.read_text()
    for match in TRANSLATE.finditer(source):
        yield match.group(2)
    for match in BLOCK.finditer(source):
        options, body = match.group(1), match.group(2)
        trimmed = "trimmed" in options.split()
        parts = PLURAL.split(body)
        if len(parts) == 2:
            yield (_block_msgid(parts[0], trimmed), _block_msgid(parts[1], trimmed))
        else:
            yield _block_msgid(body, trimmed)


def python_msgids(path: Path) -> Iterator[Msgid]:
    """Every gettext, gettext_lazy and ngettext string of one Python module."""
    for _line, message, _comments, _context in extract_from_file(
        "python", str(path), keywords=KEYWORDS
    ):
        yield message


def source_msgids() -> set[Msgid]:
    """All strings the agent pages show, from templates and label modules."""
    found: set[Msgid] = set()
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            found.update(template_msgids(path))
    for path in PYTHON_FILES:
        found.update(python_msgids(path))
    return found


def load_po(lang: str) -> Catalog:
    """The committed .po catalog of one language."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=lang)


def placeholders(text: str) -> set[str]:
    """The named %(x)s / %(x)d placeholders of a message."""
    return set(re.findall(r"%\((\w+)\)[sd]", text))


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated(lang: str) -> None:
    catalog = load_po(lang)
    missing, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not missing, f"{lang}: untranslated {missing}"
    assert not fuzzy, f"{lang}: fuzzy {fuzzy}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_placeholders(lang: str) -> None:
    for message in load_po(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert placeholders(str(string)) == placeholders(str(ids[-1])), (lang, ids, string)


def _frozen(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def _messages(catalog: Catalog) -> dict[object, object]:
    """msgid -> translation(s), with plural forms as tuples whichever reader made them."""
    return {_frozen(m.id): _frozen(m.string) for m in catalog if m.id}


@pytest.mark.parametrize("lang", LANGS)
def test_mo_files_are_compiled_from_the_po_files(lang: str, tmp_path: Path) -> None:
    compile_catalogs(LOCALE_DIR, tmp_path)
    committed = LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"
    assert committed.exists(), f"run python -m parcelcare.i18n to compile {lang}"
    fresh = tmp_path / lang / "LC_MESSAGES" / "django.mo"
    with committed.open("rb") as old, fresh.open("rb") as new:
        assert _messages(read_mo(old)) == _messages(read_mo(new))


def test_the_extractor_finds_the_strings() -> None:
    found = source_msgids()
    assert "Shipments" in found
    assert "Delayed" in found
    assert ("%(days)d day left", "%(days)d days left") in found
    assert "All times: %(zone)s" in found


@pytest.mark.parametrize("lang", LANGS)
def test_every_visible_string_is_in_the_catalog(lang: str) -> None:
    catalog = _messages(load_po(lang))
    missing = sorted(str(m) for m in source_msgids() if m not in catalog)
    assert not missing, f"{lang}: not in django.po: {missing}"
