"""What the proxy keeps from the internet (the running check is tests/hosting/test_serve.py's
test_streamlits_metrics_are_not_served_through_the_proxy)."""

import pytest

from pilotdash.hosting import serve


@pytest.mark.parametrize("base", ["/pilot/", "/"])
def test_the_metrics_location_is_denied_under_every_base_path(base):
    site = serve.nginx_site(["127.0.0.1:1"], base_path=base)
    assert f"location = {base}_stcore/metrics {{\n        return 404;" in site
    assert "location = /pilot/_stcore/metrics {\n        return 404;" in serve.shipped_nginx()


def test_downloads_are_never_cached_along_the_way():
    site = serve.shipped_nginx()
    assert '"~/media/" "private, no-store";' in site
    assert "add_header Cache-Control $pilotdash_media_cache always;" in site


def test_downloads_are_served_only_for_their_browsers_tag():
    """The proxy's half of the per-browser check (the running check is
    tests/hosting/test_media_per_browser.py): the tag the app writes is the one nginx reads."""
    import re

    from pilotdash.hosting import media

    site = serve.shipped_nginx()
    assert "location /pilot/media/ {\n        auth_request /pilot/_pilotdash_media_headers;" in site
    assert f'secure_link_md5 "{media.PREFIX}$cookie_{media.ROUTE_COOKIE}";' in site
    pattern = re.search(r'"~(pdbrowser=\(\?<tag>[^"]+)"', site).group(1).replace("(?<tag>", "(?P<tag>")
    tagged = media.tagged("text/csv", "0f" * 16)
    assert re.search(pattern, tagged).group("tag") == media.tag("0f" * 16) != media.tag("0e" * 16)
    assert media.tagged("text/csv", None) == media.tagged("text/csv", "") == "text/csv"  # no proxy: no tag
    # Over https the routing cookie, the key to the downloads, is never sent in clear.
    assert 'HttpOnly; SameSite=Lax$pilotdash_cookie_secure" always;' in site and '"; Secure"' in site
