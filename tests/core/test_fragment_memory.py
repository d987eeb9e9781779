"""In front of a cache shared by the processes, each process keeps the fragments it used last (core.fragments):
a key names everything its value is made of, so a value kept in memory is never out of date."""

import pytest
from django.core.cache import cache

from core import fragments


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache shared by the processes (files); `counting` empties it before each render, so what is served again
    comes from the process's memory."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path / "cache")}}  # fmt: skip
    fragments._local.values.clear()
    yield
    fragments._local.values.clear()


def counting(html: str, calls: list):
    def render() -> str:
        calls.append(html)
        return html

    cache.clear()

    return render


def test_a_fragment_is_rendered_once_per_key(shared_cache):
    calls: list = []
    assert fragments.cached_fragment("pagina", [1, "v1"], counting("<p>uno</p>", calls)) == "<p>uno</p>"
    assert fragments.cached_fragment("pagina", [1, "v1"], counting("<p>uno</p>", calls)) == "<p>uno</p>"
    assert calls == ["<p>uno</p>"]
    assert fragments.cached_fragment("pagina", [1, "v2"], counting("<p>due</p>", calls)) == "<p>due</p>"
    assert calls == ["<p>uno</p>", "<p>due</p>"]  # another version: another key


def test_the_memory_is_bounded(shared_cache, settings):
    settings.FRAGMENT_LOCAL_ENTRIES = 2
    calls: list = []
    for version in (1, 2, 3, 1):
        fragments.cached_fragment("pagina", [version], counting(f"v{version}", calls))
    assert calls == ["v1", "v2", "v3", "v1"]  # the oldest went out
    assert len(fragments._local.values) == 2


def test_each_reader_gets_its_own_copy(shared_cache):
    first = fragments.cached_data("dati", [1], lambda: {"totali": [1, 2]})
    first["totali"].append(3)
    assert fragments.cached_data("dati", [1], lambda: {"totali": []}) == {"totali": [1, 2]}


def test_not_with_the_per_process_memory_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
    fragments._local.values.clear()
    fragments.cached_fragment("pagina", [1], lambda: "uno")
    assert fragments._local.values == {}


def test_not_with_the_dummy_cache(settings):
    """Caching turned off (bench/scale.py --uncached) is off for the process's memory too."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    fragments._local.values.clear()
    calls: list = []
    fragments.cached_fragment("pagina", [1], counting("uno", calls))
    fragments.cached_fragment("pagina", [1], counting("uno", calls))
    assert calls == ["uno", "uno"]
