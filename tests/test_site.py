"""`mkdocs build --strict` with the incidentkit plugin, on a fixture playbook."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_fixture import HOSTILE, PRIVATE_ID, PRIVATE_LESSON, PRIVATE_TITLE, build, make_site_playbook


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site_playbook(tmp_path_factory.mktemp("site-playbook"))
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root


def page(root: Path, url: str) -> str:
    return (root / "site" / url / "index.html").read_text()


def every_file(root: Path) -> list[Path]:
    return [p for p in (root / "site").rglob("*") if p.is_file()]


def test_pages_exist_at_stable_addresses(built: Path) -> None:
    for url in ("", "incidents", "postmortems", "actions", "lessons", "kill-switches", "drills", "stats", "rules",
                "incidents/INC-0001-checkout-down", "postmortems/INC-0001-checkout-down", "incidents/INC-0002-fire-drill"):
        assert (built / "site" / url / "index.html").is_file(), url
    assert not list((built / "runbooks").glob("incidents")), "nothing is written into docs_dir"


def test_incident_header_card(built: Path) -> None:
    html = page(built, "incidents/INC-0001-checkout-down")
    card = html[html.index('<div class="ik-card">'): html.index("</div>", html.index('<div class="ik-facts">')) + 6]
    assert "<h1>INC-0001: Checkout down</h1>" in card
    assert 'ik-badge ik-SEV2">SEV2<' in card and 'ik-resolved">resolved<' in card
    assert "time to mitigate <strong>20m</strong>" in card  # from started_at 09:50 to 10:10
    assert "time to resolve <strong>2h 10m</strong>" in card
    assert 'href="../../postmortems/INC-0001-checkout-down/">post-mortem (published)' in card


def test_incident_index_newest_first_with_drills_apart(built: Path) -> None:
    html = page(built, "incidents")
    assert html.index("INC-0004") < html.index("INC-0001")
    listing = html[html.index("All incidents"):]
    assert "INC-0002" not in listing.split("Fire drills are kept apart")[0]
    assert "INC-0002" in page(built, "drills")


def test_overdue_item_listed_as_overdue(built: Path) -> None:
    # now = 2026-11-20: "Alert on lock waits" was due 2026-11-15
    html = page(built, "actions")
    overdue = html[html.index("Overdue (1)"): html.index("Open (")]
    assert "Alert on lock waits" in overdue and "@sam" in overdue
    done = html[html.index("Done ("):]
    assert "Run migrations in a transaction" in done


def test_stats_page_has_chart_svgs(built: Path) -> None:
    html = page(built, "stats")
    assert html.count('<div class="ik-chart"><svg') == 2
    assert "Incidents per month by severity" in html and "Time to mitigate and to resolve by severity" in html
    assert "<p>2 incidents (1 fire drills counted apart).</p>" in html  # the private one is not counted


def test_the_build_is_deterministic(built: Path, tmp_path: Path) -> None:
    second = build(built, site="site2")
    assert second.returncode == 0, second.stderr
    for url in ("stats", "actions", "incidents", "lessons"):
        assert (built / "site2" / url / "index.html").read_bytes() == (built / "site" / url / "index.html").read_bytes()


def test_no_private_incident_anywhere_in_the_site(built: Path) -> None:
    needles = [PRIVATE_ID, PRIVATE_TITLE, "zanzibar", "Zanzibar", PRIVATE_LESSON, "payroll"]
    for path in every_file(built):
        data = path.read_bytes()
        if path.suffix == ".gz":
            import gzip

            data = gzip.decompress(data)
        for needle in needles:
            assert needle.encode() not in data, (needle, path)
    assert (built / "site" / "search" / "search_index.json").is_file()


def test_hostile_title_is_text_everywhere(built: Path) -> None:
    escaped = "&lt;img src=x onerror=alert(1)&gt; {{ 7*7 }} &amp; &quot;quoted&quot; &#x27;single&#x27;"
    pages = {url: page(built, url) for url in ("", "incidents", "incidents/INC-0004-hostile")}
    for url, html in pages.items():
        assert escaped in html, url
    for path in every_file(built):
        if path.suffix in (".html", ".json", ".xml"):
            text = path.read_text()
            assert "<img src=x onerror" not in text, path
            assert "<script>alert" not in text, path
            assert "javascript:alert" not in text.replace("#blocked-javascript-", ""), path
    body = pages["incidents/INC-0004-hostile"]
    assert 'A pasted log line: &lt;script&gt;alert("log")&lt;/script&gt; and <a href="#blocked-javascript-alert(2)">a link</a>' in body
    assert "<code>&lt;b&gt;code stays code&lt;/b&gt;</code>" in body
    assert "49" not in re.sub(r"\d{4}-\d\d-\d\d[^<]*", "", body.split('<div class="ik-card">')[1].split("</h1>")[0])


def test_offline_no_fonts_or_cdn(built: Path) -> None:
    # Material's bundle names unpkg for a ResizeObserver polyfill and for mermaid, loaded only
    # where the browser lacks one or a page has a diagram; the browser test shows neither happens.
    for path in every_file(built):
        if path.suffix in (".html", ".css"):
            text = path.read_text(errors="replace")
            for host in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com", "cdnjs"):
                assert host not in text, (host, path)
            assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', text), path
            assert not re.search(r"url\((['\"]?)(https?:)?//", text), path


def test_the_repos_own_site_builds(tmp_path: Path) -> None:
    from conftest import REPO

    result = build(REPO, site=str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "time to mitigate <strong>27m</strong>" in (tmp_path / "site" / "incidents" /
        "INC-0001-foresight-placed-trades-with-inflated-conviction" / "index.html").read_text()
