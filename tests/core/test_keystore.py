"""Keys that must never reach the database: files only this user can read, destroyed for
good, and a ballot whose key is lost cannot be counted (it says so and stays open)."""

import stat
from pathlib import Path

import pytest
from django.conf import settings

from ballots.models import BallotStatus
from ballots.services import ballot_keys_purge
from core.keystore import key_destroy, key_exists, key_names, key_read, key_write
from tests.factories import BallotFactory


def test_key_files_are_private_and_destroyed(tmp_path, settings):
    settings.SEALING_KEY_DIR = tmp_path / "keys"
    key_write(name="ballot-7", data=b"secret-key-bytes")
    path = settings.SEALING_KEY_DIR / "ballot-7.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.SEALING_KEY_DIR.stat().st_mode) == 0o700
    assert key_read(name="ballot-7") == b"secret-key-bytes" and key_names(prefix="ballot") == [
        "ballot-7"
    ]
    seen_before_unlink = []
    unlink = Path.unlink

    def spy(self, *args, **kwargs):
        seen_before_unlink.append(self.read_bytes())
        return unlink(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "unlink", spy)
        key_destroy(name="ballot-7")
    # Overwritten in place (same length, other bytes) before the name is unlinked.
    assert len(seen_before_unlink[0]) == 16 and seen_before_unlink[0] != b"secret-key-bytes"
    key_destroy(name="ballot-7")  # twice is fine
    assert not path.exists() and not key_exists(name="ballot-7")
    with pytest.raises(ValueError):
        key_write(name="../escape", data=b"x")


@pytest.mark.django_db
def test_an_open_ballot_has_no_key_file_at_all(office):
    """Since #22 the server holds no ballot key: sheets are encrypted in the browsers under
    the tellers' joint key, and only k tellers' key files can decrypt the sums."""
    ballot = BallotFactory(actor=office, status=BallotStatus.OPEN, votes=["满意"])
    assert not key_exists(name=f"ballot-{ballot.pk}")
    assert not any(settings.SEALING_KEY_DIR.glob("ballot-*"))


@pytest.mark.django_db
def test_keys_left_for_ballots_no_longer_open_are_purged(office, settings, tmp_path):
    settings.SEALING_KEY_DIR = tmp_path
    key_write(name="ballot-999999", data=b"left behind by a crash")
    ballot = BallotFactory(actor=office, status=BallotStatus.OPEN)
    assert ballot_keys_purge() == 1  # a Paillier key file left from before #22
    assert not key_exists(name="ballot-999999") and not key_exists(name=f"ballot-{ballot.pk}")


def test_a_key_is_read_into_a_buffer_that_is_overwritten_after_use(tmp_path, settings):
    from core.keystore import key_held, key_new

    settings.SEALING_KEY_DIR = tmp_path / "keys"
    fresh = key_new()
    assert isinstance(fresh, bytearray) and len(fresh) == 32 and any(fresh)
    key_write(name="questionnaire-3", data=fresh)
    read = key_read(name="questionnaire-3")
    assert isinstance(read, bytearray) and read == fresh
    with key_held(name="questionnaire-3") as key:
        held = key
        assert key == fresh
    assert held == bytearray(32), "the buffer was not overwritten on leaving"
    with pytest.raises(RuntimeError), key_held(name="questionnaire-3") as key:
        held = key
        raise RuntimeError("sealing failed")
    assert held == bytearray(32), "not overwritten when the work inside failed"
