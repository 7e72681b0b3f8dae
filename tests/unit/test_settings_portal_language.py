"""BOT_PORTAL_LANGUAGE: the portals' screens read in their own language, or forced to one."""

from __future__ import annotations

import re

import pytest

from bot.errors import ConfigError
from bot.settings import ENV_EXAMPLE, load_settings
from tests.unit.test_settings import CREDENTIALS


def test_the_screens_language_is_read_from_the_portals_by_default():
    settings = load_settings(CREDENTIALS)

    assert settings.portal_language == "auto"
    assert settings.forced_portal_language is None


@pytest.mark.parametrize(("value", "forced"), [("nl", "nl"), ("FR", "fr"), ("auto", None)])
def test_a_language_can_be_forced(value: str, forced: str | None):
    settings = load_settings({**CREDENTIALS, "BOT_PORTAL_LANGUAGE": value})

    assert settings.forced_portal_language == forced


def test_a_language_without_labels_is_named_with_the_other_problems():
    with pytest.raises(ConfigError) as raised:
        load_settings({**CREDENTIALS, "BOT_PORTAL_LANGUAGE": "de", "BOT_TRACE": "soms"})

    message = str(raised.value)
    assert "BOT_PORTAL_LANGUAGE='de' must be one of auto, nl, fr" in message
    assert "BOT_TRACE" in message


def test_env_example_documents_it_with_its_default():
    text = ENV_EXAMPLE.read_text(encoding="utf-8")

    assert re.search(r"^BOT_PORTAL_LANGUAGE=auto$", text, re.MULTILINE)
    assert "auto | nl | fr" in text
