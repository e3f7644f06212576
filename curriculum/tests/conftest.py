import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded materials go to a temporary folder, never the developer's media folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
