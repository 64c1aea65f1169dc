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
