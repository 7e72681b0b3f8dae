"""Settings: read once, real environment over .env, every problem named at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings, read_environment

CREDENTIALS = {
    "PLANMANAGER_USERNAME": "werkplaats",
    "PLANMANAGER_PASSWORD": "pm-secret-1",
    "WINFORMEX_USERNAME": "hersteller",
    "WINFORMEX_PASSWORD": "wx-secret-2",
}


def test_defaults_point_at_the_mock_portal():
    settings = load_settings(CREDENTIALS)

    assert settings.planmanager.url == "http://127.0.0.1:8765/planmanager/"
    assert settings.winformex.url == "http://127.0.0.1:8765/winformex/"
    assert settings.trace == "retain-on-failure"
    assert settings.screenshots == "all"
    assert settings.headless is True


@pytest.mark.smoke
def test_every_problem_is_named_at_once():
    env = {
        "PLANMANAGER_URL": "ftp://nope",
        "BOT_TRACE": "sometimes",
        "BOT_HEADLESS": "misschien",
        "BOT_ACTION_TIMEOUT_S": "-3",
        "BOT_ASSIGNMENT_PATTERN": "([",
    }

    with pytest.raises(ConfigError) as raised:
        load_settings(env)

    message = str(raised.value)
    for name in (
        "PLANMANAGER_USERNAME",
        "PLANMANAGER_PASSWORD",
        "WINFORMEX_USERNAME",
        "WINFORMEX_PASSWORD",
        "PLANMANAGER_URL",
        "BOT_TRACE",
        "BOT_HEADLESS",
        "BOT_ACTION_TIMEOUT_S",
        "BOT_ASSIGNMENT_PATTERN",
    ):
        assert name in message


def test_passwords_do_not_show_in_the_settings_repr():
    settings = load_settings(CREDENTIALS)

    assert "pm-secret-1" not in repr(settings)
    assert settings.secrets == ("pm-secret-1", "wx-secret-2")


def test_environment_wins_over_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    env_file = tmp_path / ".env"
    env_file.write_text("BOT_RETRIES=5\nBOT_SLOWMO_MS=10\n", encoding="utf-8")
    monkeypatch.setenv("BOT_RETRIES", "1")

    values = read_environment(env_file)

    assert values["BOT_RETRIES"] == "1"
    assert values["BOT_SLOWMO_MS"] == "10"


def test_urls_get_a_trailing_slash():
    settings = load_settings({**CREDENTIALS, "WINFORMEX_URL": "https://wx.example.be/app"})

    assert settings.winformex.url == "https://wx.example.be/app/"
