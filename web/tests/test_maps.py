from web.maps import HEIGHT, NO_DATA, SHADES, province_map_svg, province_paths, shade


def test_all_38_provinces_have_a_path():
    paths = province_paths()
    assert len(paths) == 38
    assert paths["32"][0] == "Jawa Barat"
    assert all(path.startswith("M") for _name, path in paths.values())


def test_shading_and_links():
    assert shade(None) == NO_DATA and shade(0) == SHADES[0] and shade(1) == SHADES[-1]
    svg = province_map_svg({"32": 0.9}, labels={"32": "Jawa Barat: 90 %"}, title="Kepatuhan",
                           link="/jp/?province={code}")
    assert svg.startswith("<svg") and 'aria-label="Kepatuhan"' in svg
    assert "Jawa Barat: 90 %" in svg and 'href="/jp/?province=32"' in svg
    assert f'viewBox="0 0 1000 {HEIGHT}"' in svg
