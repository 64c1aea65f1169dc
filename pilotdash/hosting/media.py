"""A download bound to the browser that made it (issue 20: "export files only for the session that
made them"), for the proxy to check.

Streamlit serves a download at `/media/<id>` to anyone who holds the link while the file lives: it
has no per-session check (streamlit/streamlit#8148), and the id is a hash of the file's bytes, its
type and its name, nothing of the session. What the proxy sees of each request are its cookies,
and one of them is the proxy's own: the routing cookie, a random 128-bit value nginx gives every
browser on its first request (HttpOnly, so no script reads it). So the app writes a tag of that
cookie into the download's media type (`text/csv; pdbrowser=<tag>`), which Streamlit sends back
as the file's Content-Type; before nginx hands out a file, it asks Streamlit for the file's headers
(auth_request, HEAD) and serves it only when the tag is the one of the asking browser's cookie
(nginx's secure_link_md5). Any other request, or one without the cookie, gets Streamlit's own
"not found", exactly as for a file that is not there.

The tag is base64url(md5(PREFIX + cookie)), which is what secure_link_md5 computes: md5 is enough
here, because the cookie is random and secret; nobody can make a cookie for a given tag, and the
tag tells nothing of the cookie. Without the cookie (the app served without the proxy) nothing is
tagged and nothing is checked.
"""

from __future__ import annotations

import base64
import hashlib

ROUTE_COOKIE = "pilotdash_route"
TAG = "pdbrowser"
PREFIX = "pilotdash-media:"  # the same text in nginx's secure_link_md5 (hosting/serve.py)


def tag(cookie: str) -> str:
    """The routing cookie's tag, as nginx's secure_link_md5 "PREFIX$cookie" gives it."""
    digest = hashlib.md5((PREFIX + cookie).encode("utf-8"), usedforsecurity=False).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def tagged(media_type: str, cookie: str | None) -> str:
    """`media_type` with the browser's tag (unchanged without a routing cookie)."""
    if not cookie:
        return media_type
    return f"{media_type}; {TAG}={tag(cookie)}"
