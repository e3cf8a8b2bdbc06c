"""Every language the portal offers has every message translated: `make lint` fails otherwise.

The messages are extracted afresh from the code and templates (Django's makemessages) into a copy
of the catalogues, so a string added without its translations fails here even if nobody ran
`make messages`; the repository's own catalogues are never written. The check is the one a
translator would make: no untranslated and no fuzzy entry in any language of settings.LANGUAGES
but English, the source language.

    python scripts/check_catalogues.py [--root DIR]

--root names the project to check (default: this repository); tests/i18n points it at a small
project of their own to show that a new string fails the check.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
# Not scanned: what is not the portal's own code (makemessages' --ignore patterns).
IGNORED = (".venv/*", "node_modules/*", "staticfiles/*", "var/*", ".git/*")
SKIPPED = {"locale", ".venv", "node_modules", "staticfiles", "var", ".git"}


def offered_languages() -> list[str]:
    """The languages of settings.LANGUAGES but the source language."""
    sys.path.insert(0, str(REPOSITORY))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jane_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django
    from django.conf import settings

    django.setup()
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def shadow_of(root: Path, into: Path) -> Path:
    """A folder whose entries link to the project's own, but for a copy of its catalogues:
    makemessages run there writes only the copy."""
    for entry in root.iterdir():
        if entry.name not in SKIPPED:
            (into / entry.name).symlink_to(entry)
    if (root / "locale").is_dir():
        shutil.copytree(root / "locale", into / "locale")
    else:
        (into / "locale").mkdir()
    return into


def extract(shadow: Path, languages: list[str]) -> None:
    command = [sys.executable, str(REPOSITORY / "manage.py"), "makemessages", "--symlinks"]
    command += [f"--locale={code}" for code in languages]
    command += [f"--ignore={pattern}" for pattern in IGNORED]
    env = {**os.environ, "DEBUG": "1"}
    subprocess.run(command, cwd=shadow, env=env, check=True, capture_output=True, text=True)


def missing(catalogue: Path) -> list[str]:
    """The msgids of the entries still untranslated or fuzzy (obsolete ones aside)."""
    if not catalogue.exists():
        return ["(no catalogue at all)"]
    found = []
    for selection in ("--untranslated", "--only-fuzzy"):
        shown = subprocess.run(
            ["msgattrib", selection, "--no-obsolete", "--no-wrap", str(catalogue)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        found += [
            line.removeprefix("msgid ").strip('"')
            for line in shown.splitlines()
            if line.startswith('msgid "') and line != 'msgid ""'
        ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPOSITORY)
    args = parser.parse_args()
    languages = offered_languages()
    with tempfile.TemporaryDirectory(prefix="jane-catalogues-") as folder:
        shadow = shadow_of(args.root.resolve(), Path(folder))
        extract(shadow, languages)
        problems = {
            code: missing(shadow / "locale" / code / "LC_MESSAGES" / "django.po")
            for code in languages
        }
    failed = {code: msgids for code, msgids in problems.items() if msgids}
    for code, msgids in failed.items():
        print(f"check_catalogues: {code}: {len(msgids)} message(s) not translated:")
        for msgid in msgids[:20]:
            print(f"  {msgid}")
        if len(msgids) > 20:
            print(f"  ... and {len(msgids) - 20} more")
    if failed:
        print("Run `make messages` and translate them in locale/<language>/LC_MESSAGES/django.po.")
        return 1
    print(f"check_catalogues: {', '.join(languages)}: every message translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
