"""Settings: known environments only, and a session secret nobody can read in the source."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError

from zhengcetong.config import SECRET_FILE, Settings

REAL_SECRET = "x" * 40


@pytest.mark.parametrize("env", ["Production", "PRODUCTION", "prod", "staging", ""])
def test_an_unknown_environment_is_refused(env, tmp_path):
    with pytest.raises(ValidationError, match="运行环境"):
        Settings(env=env, data_dir=tmp_path, secret_key=REAL_SECRET)


def test_production_needs_a_real_secret(tmp_path):
    with pytest.raises(ValidationError, match="ZCT_SECRET_KEY"):
        Settings(env="production", data_dir=tmp_path)
    with pytest.raises(ValidationError, match="太短"):
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
