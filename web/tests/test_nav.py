from accounts.roles import Role
from web.nav import nav_for


def test_a_participant_sees_their_own_pages_first(cast):
    labels = [str(item["label"]) for item in nav_for(cast.participant)]
    assert labels[:3] == ["Pelatihan saya", "JP saya", "Sertifikat saya"]
    assert "Katalog modul" in labels[3:]


def test_the_centre_keeps_the_order_of_the_apps(cast):
    labels = [str(item["label"]) for item in nav_for(cast.user(Role.CENTRE_ADMIN))]
    assert labels[0] == "SDM Kesos" and "Pelatihan saya" not in labels


def test_the_current_page_is_marked(cast):
    [active] = [item for item in nav_for(cast.participant, "/jp/saya/") if item["active"]]
    assert str(active["label"]) == "JP saya"
