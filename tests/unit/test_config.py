"""Settings: known environments only, and a session secret nobody can read in the source."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor

import pytest

from zhengcetong.config import SECRET_FILE, Settings, SettingsError

REAL_SECRET = "x" * 40


@pytest.mark.parametrize("env", ["Production", "PRODUCTION", "prod", "staging", ""])
def test_an_unknown_environment_is_refused(env, tmp_path):
    with pytest.raises(SettingsError, match="运行环境"):
        Settings(env=env, data_dir=tmp_path, secret_key=REAL_SECRET)


def test_production_needs_a_real_secret(tmp_path):
    with pytest.raises(SettingsError, match="ZCT_SECRET_KEY"):
        Settings(env="production", data_dir=tmp_path)
    with pytest.raises(SettingsError, match="太短"):
        Settings(env="production", data_dir=tmp_path, secret_key="dev-only-change-me")
    assert (
        Settings(env="production", data_dir=tmp_path, secret_key=REAL_SECRET).session_secret() == REAL_SECRET
    )


def test_outside_production_a_random_secret_is_generated_once_and_kept(tmp_path):
    first = Settings(env="development", data_dir=tmp_path / "a").session_secret()
    again = Settings(env="test", data_dir=tmp_path / "a").session_secret()
    other = Settings(data_dir=tmp_path / "b").session_secret()
    assert first == again and first != other and len(first) >= 32
    path = tmp_path / "a" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [SECRET_FILE]  # no temporary left over


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        secrets = set(pool.map(lambda _: Settings(data_dir=tmp_path).session_secret(), range(32)))
    assert len(secrets) == 1


def test_an_empty_secret_file_is_an_error_not_a_weak_key(tmp_path):
    (tmp_path / SECRET_FILE).write_text("\n")
    with pytest.raises(ValueError, match="太短或为空"):
        Settings(data_dir=tmp_path).session_secret()


def test_the_default_data_dir_is_per_user_not_the_working_folder(monkeypatch, tmp_path):
    from zhengcetong.config import default_data_dir

    monkeypatch.delenv("ZCT_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert Settings().data_dir == tmp_path / "zhengcetong"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_data_dir() == tmp_path / "home" / ".local" / "share" / "zhengcetong"
    monkeypatch.setenv("ZCT_DATA_DIR", str(tmp_path / "mine"))
    assert Settings().data_dir == tmp_path / "mine"
    assert (
        Settings().effective_database_url == f"sqlite:///{(tmp_path / 'mine' / 'zhengcetong.db').as_posix()}"
    )


def test_the_database_label_hides_a_password():
    label = Settings(database_url="postgresql+psycopg://zct:hunter2@db.example/zct").database_label
    assert "hunter2" not in label and "db.example/zct" in label


def test_settings_come_from_zct_variables_in_any_case_under_the_constructors(monkeypatch, tmp_path):
    monkeypatch.setenv("ZCT_SMTP_PORT", "2525")
    monkeypatch.setenv("zct_smtp_starttls", "yes")
    monkeypatch.setenv("ZCT_NOTIFY_INTERVAL", "0")
    monkeypatch.setenv("ZCT_NOT_A_SETTING", "ignored")
    settings = Settings(data_dir=tmp_path, smtp_port=587)
    assert (settings.smtp_port, settings.smtp_starttls, settings.notify_interval) == (587, True, 0.0)
    assert (
        Settings(data_dir=tmp_path).smtp_port == 2525
        and Settings(data_dir=str(tmp_path)).data_dir == tmp_path
    )


def test_every_bad_setting_is_named_at_once(monkeypatch, tmp_path):
    monkeypatch.setenv("ZCT_SMTP_PORT", "70000")
    monkeypatch.setenv("ZCT_WORKERS", "many")
    monkeypatch.setenv("ZCT_SMTP_STARTTLS", "perhaps")
    with pytest.raises(SettingsError) as caught:
        Settings(data_dir=tmp_path, body_timeout=0)
    message = str(caught.value)
    for expected in (
        "ZCT_SMTP_PORT：应小于 65536",
        "ZCT_WORKERS：应为整数，实际为“many”",
        "ZCT_SMTP_STARTTLS",
        "ZCT_BODY_TIMEOUT：应大于 0",
    ):
        assert expected in message, expected
