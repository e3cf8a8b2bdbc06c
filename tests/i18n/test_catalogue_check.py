"""`make lint`'s catalogue check (scripts/check_catalogues.py): every language the portal offers
has every message of its code and templates translated, and a new string fails the check."""

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check_catalogues.py"


def run_check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECK), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def catalogues_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "locale").rglob("*.po")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_the_portal_as_it_stands_passes_and_its_catalogues_are_not_written():
    before = catalogues_digest()
    result = run_check(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every message translated" in result.stdout
    assert catalogues_digest() == before


def test_a_new_string_without_its_translations_fails_in_every_offered_language(tmp_path):
    # The portal as it is, plus one module with a sentence nobody has translated.
    project = tmp_path / "portal"
    project.mkdir()
    for entry in ROOT.iterdir():
        (project / entry.name).symlink_to(entry)
    added = project / "newly_added"
    added.mkdir()
    (added / "strings.py").write_text(
        "from django.utils.translation import gettext_lazy as _\n\n"
        'NOTICE = _("A sentence nobody has translated yet")\n'
    )
    before = catalogues_digest()

    result = run_check(project)

    assert result.returncode == 1, result.stdout + result.stderr
    from django.conf import settings

    offered = [code for code, _name in settings.LANGUAGES if code != "en"]
    for code in offered:
        assert f"{code}: 1 message(s) not translated" in result.stdout, result.stdout
    assert result.stdout.count("A sentence nobody has translated yet") == len(offered)
    assert catalogues_digest() == before
