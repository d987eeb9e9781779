"""Fixtures of the engine tests: the NID26 and SOC26 templates, compiled once per module."""

from __future__ import annotations

import pytest

from monitoring.engine import CompiledTemplate, load_template

from .helpers import SCHEDE


@pytest.fixture(scope="module")
def nid() -> CompiledTemplate:
    return load_template(SCHEDE / "nid26.json")


@pytest.fixture(scope="module")
def soc() -> CompiledTemplate:
    return load_template(SCHEDE / "soc26.json")
