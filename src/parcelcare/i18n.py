"""Translation catalogs: compile every locale/*/LC_MESSAGES/*.po to .mo with Babel.

GNU gettext is not needed: `compile_catalogs()` replaces Django's `compilemessages`.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def compile_catalog(po_path: Path, mo_path: Path) -> None:
    """Compile one .po file to a .mo file; fuzzy entries are left out, as gettext does."""
    with po_path.open("rb") as po:
        catalog = read_po(po, locale=po_path.parent.parent.name)
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    with mo_path.open("wb") as mo:
        write_mo(mo, catalog, use_fuzzy=False)


def compile_catalogs(locale_dir: Path = LOCALE_DIR, out_dir: Path | None = None) -> list[Path]:
    """Compile every .po under `locale_dir` (into `out_dir`, same layout, when given)."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        relative = po_path.relative_to(locale_dir).with_suffix(".mo")
        mo_path = (out_dir or locale_dir) / relative
        compile_catalog(po_path, mo_path)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(path)
