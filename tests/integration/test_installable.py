"""Lantern can be added to a phone's home screen, and shows the crisis lines offline."""
import json
import re

from tests.helpers import text

from moderation import resources


def test_the_manifest_names_lantern_and_its_icons_exist(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Lantern" and manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["background_color"] == manifest["theme_color"] == "#fbfaf7"  # the light theme's page
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes and any(i["type"] == "image/svg+xml" for i in manifest["icons"])
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200 and served.mimetype == icon["type"], icon
        if icon["type"] == "image/png":
            width, height = int.from_bytes(served.data[16:20], "big"), int.from_bytes(served.data[20:24], "big")
            assert f"{width}x{height}" == icon["sizes"]
        served.close()


def test_every_page_links_the_manifest_and_both_theme_colours(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert re.search(r'name="theme-color" media="\(prefers-color-scheme: light\)" content="#fbfaf7"', page)
    assert re.search(r'name="theme-color" media="\(prefers-color-scheme: dark\)" content="#15181c"', page)
    assert 'data-worker="/sw.js"' in page


def test_the_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/" and response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    assert not re.search(r"__[A-Z]+__", script)  # every placeholder filled
    assert 'const OFFLINE = "/offline"' in script and '"/static/style.css"' in script
    csp = response.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp


def test_the_offline_page_has_every_line_to_call_or_text_and_nothing_of_anyones(client, member):
    page = text(member.client.get("/offline"))
    for region in resources.regions().values():
        assert region["name"] in page
        for line in region["lines"]:
            assert line["name"] in page
            for way in resources.ways_to_reach(line):
                assert f'href="{way["href"]}"' in page
    assert 'href="tel:988"' in page and 'href="sms:' in page
    assert member.handle not in page and "csrf" not in page and "<form" not in page and "<script" not in page
