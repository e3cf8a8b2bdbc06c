"""Static files as production serves them (DEBUG off): hashed, compressed, cached for years."""

import gzip

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    """`collectstatic` into a folder of this test's, with the storage production uses by default."""
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_bootstrap_css_is_served_compressed_and_cached_for_years(collected):
    url = static("vendor/bootstrap/css/bootstrap.min.css")
    assert url != "/static/vendor/bootstrap/css/bootstrap.min.css"  # a hashed name

    response = Client().get(url, headers={"accept-encoding": "gzip"})  # a fresh WhiteNoise

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    body = b"".join(response.streaming_content)
    original = (collected / url.removeprefix("/static/")).read_bytes()
    assert gzip.decompress(body) == original
    assert len(body) < len(original) / 4
    cache_control = response["Cache-Control"]
    assert "max-age=315360000" in cache_control
    assert "immutable" in cache_control


def test_the_templates_are_compiled_once_per_process():
    from django.template import engines

    loaders = engines["django"].engine.template_loaders
    assert [loader.__class__.__module__ for loader in loaders] == ["django.template.loaders.cached"]
