"""The security headers every response carries (tests/core/test_security_headers.py, and
the link crawl of every demo login in tests/workbench/test_my_work_links.py)."""

import re


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure_headers(response) -> None:
    """The headers every response must carry (also used by the link crawl)."""
    csp = policy(response)
    for directive in ("script-src", "style-src"):
        assert csp[directive][0] == "'self'", csp
        assert "'unsafe-inline'" not in csp[directive], csp
        assert "'unsafe-eval'" not in csp[directive], csp
        assert all(v == "'self'" or v.startswith("'nonce-") for v in csp[directive]), csp
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["img-src"] == ["'self'", "data:"]
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, permissions
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def nonce_of(response) -> str:
    """This response's CSP nonce (a page with an inline stylesheet or script has one)."""
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
