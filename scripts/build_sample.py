#!/usr/bin/env python3
# ruff: noqa: E501
"""Build the binary files of the bundled sample corpus (overhorizon/sample/).

The text, HTML, feed and JSONL files of the corpus are kept in the repository as they are.
This script writes the files that are binary, compressed or deliberately mis-encoded, from
sources kept in this script and in scripts/sample_pages/ (outside overhorizon/sample/, so that
ingesting the sample directory does not read the same pages twice):

    overhorizon/sample/archive/pages.warc.gz   WARC 1.0, gzipped per record, from scripts/sample_pages/*.html
    overhorizon/sample/gz/*.txt.gz             headed text reports, gzipped
    overhorizon/sample/html/<CP1252_PAGE_NAME> a page encoded as windows-1252
    overhorizon/sample/bad/photo.jpg           binary bytes behind a JPEG magic number
    overhorizon/sample/bad/nul-bytes.txt       binary junk, mostly NUL bytes
    overhorizon/sample/bad/truncated.warc.gz   two good records, then one cut off mid-way
    overhorizon/sample/bad/truncated.txt.gz    a gzip stream cut off in the middle
    overhorizon/sample/bad/latin1-nodeclared.txt  ISO-8859-1 bytes, no declaration (should be accepted)

The output is deterministic: fixed WARC-Date values, WARC-Record-IDs derived with uuid5 from the
record type and URL, gzip members with mtime 0 and no file name. Running it twice gives
byte-identical files.

Usage (stdlib and warcio only):
    .venv/bin/python scripts/build_sample.py           # write the files
    .venv/bin/python scripts/build_sample.py --check   # write them, then read them back
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import io
import re
import struct
import sys
import uuid
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "overhorizon" / "sample"
PAGES = REPO / "scripts" / "sample_pages"

# Crawl time of the first record; each later record is 41 seconds after the previous one.
CRAWL_START = dt.datetime(2021, 10, 1, 6, 0, 0, tzinfo=dt.UTC)
USER_AGENT = "overhorizon-sample-crawler/1.0 (+https://overhorizon.example/sample)"

# Reports gzipped into overhorizon/sample/gz/ (headed text format).
GZ_REPORTS = [
    (
        "jalalabad-second-blast.txt.gz",
        """\
Title: New blast targets Taliban pickup in Jalalabad a day after deadly explosions
Outlet: Kabul Ledger (sample)
Published: 2021-09-19T16:45:00+04:30
URL: https://kabul-ledger.example/news/2021/09/19/jalalabad-second-blast
Author: Sahar Khwajazada

JALALABAD — A bomb struck a pickup truck carrying Taliban fighters in Jalalabad on Sunday, according to local media and witnesses, a day after three explosions in the eastern city killed at least two people.

Witnesses told local reporters that several wounded fighters were taken to hospital after the blast, which they said happened near an interchange on the road to Kabul. Early local reports said at least five people, among them a child, had been killed, but that figure could not be confirmed. An overhead power line was damaged, cutting electricity to part of the area. There was no immediate comment from the Taliban.

The casualty figures for Saturday's attacks also remained unclear. A Taliban official put the toll at two dead, while an official of the provincial health department said three people had been killed and 18 wounded.

Nobody has claimed either attack. Jalalabad, the capital of Nangarhar province, has long been a centre of activity for the Islamic State group's local branch, ISIS-K, which is hostile to the Taliban.

The Taliban took Jalalabad on 15 August without a fight, the same day they entered Kabul. Since then they have sought to present themselves as the guarantors of order in a country exhausted by decades of war, and the attacks are an early test of that claim.
""",
    ),
    (
        "isisk-claims-jalalabad.txt.gz",
        """\
Title: Islamic State affiliate says it carried out weekend attacks in Jalalabad
Outlet: Bastion Daily (sample)
Published: 2021-09-20T17:30:00+04:30
URL: https://bastion-daily.example/2021/09/20/isisk-claims-jalalabad
Author: Frontier Wire staff

KABUL — The Islamic State group's Afghan affiliate has claimed responsibility for a series of bomb attacks on Taliban vehicles in the eastern city of Jalalabad over the weekend, according to statements released through its Amaq news agency.

In two statements, the group said it had carried out three separate bombings against Taliban vehicles on Saturday and a further bombing on Sunday. It claimed that more than 35 Taliban members had been killed or wounded in the attacks. The claim could not be verified, and the figure is far higher than those given by local officials.

Officials in Nangarhar province said that Saturday's explosions killed two or three people, depending on the source, and wounded around 20, including women and children. Local media reported that Sunday's blast hit a pickup carrying Taliban fighters near a road junction on the edge of the city and that several of them were taken to hospital. Some early reports put the number of dead on Sunday at five, including a child; there was no figure from the Taliban.

The Taliban's chief spokesman, Zabihullah Mujahid, said on Monday that the group's forces were searching areas around Jalalabad for those responsible.

The attacks are the first deadly violence of note since American forces left Afghanistan on 30 August. They underline the challenge posed to the Taliban by ISIS-K, which regards the movement as traitors for having negotiated with the United States.
""",
    ),
]

# Headed text report cut off inside its gzip stream -> bad/truncated.txt.gz.
TRUNCATED_GZ_REPORT = """\
Title: Russia flies more than 500 people out of Kabul on military planes
Outlet: Kabul Ledger (sample)
Published: 2021-08-25T21:00:00+04:30
URL: https://kabul-ledger.example/news/2021/08/25/russia-evacuation-flights
Author: Laila Noorzadah

KABUL — Russia's defence ministry said on Wednesday that four military transport planes had flown more than 500 people out of Kabul, including Russian citizens and nationals of Belarus, Kyrgyzstan, Tajikistan and other countries allied with Moscow.

The flights were ordered by President Vladimir Putin, the ministry said. Russia has kept its embassy in Kabul open since the Taliban took the city, and its ambassador has said the embassy will continue to work.

Unlike Western governments, Moscow has not mounted a large airlift for Afghans who worked with it, and Russian officials have warned against allowing Afghan refugees to move into Central Asia.
"""

# French headed report stored as ISO-8859-1 bytes without any declaration
# -> bad/latin1-nodeclared.txt (should be ACCEPTED after encoding detection).
LATIN1_REPORT = """\
Title: Kaboul : le Conseil de sécurité adopte une résolution sans « zone protégée »
Outlet: Carnet du Monde (sample)
Published: 2021-08-31T08:00:00+02:00
URL: https://carnet-du-monde.example/monde/2021/08/31/conseil-securite-resolution-kaboul
Author: Luc Averny

NEW YORK - Le Conseil de sécurité des Nations unies a adopté lundi une résolution demandant aux talibans de permettre aux Afghans et aux étrangers qui le souhaitent de quitter le pays en toute sécurité, mais le texte ne reprend pas l'idée d'une « zone protégée » à Kaboul évoquée la veille par Emmanuel Macron.

La résolution, préparée par la France, le Royaume-Uni et les États-Unis, a été adoptée par treize voix pour et aucune contre. La Russie et la Chine se sont abstenues, Moscou reprochant notamment au texte de ne rien dire des conséquences du gel des avoirs afghans à l'étranger.

Dans un entretien publié dimanche par le Journal du Dimanche, le président français avait indiqué que Paris et Londres proposeraient la création, sous contrôle de l'ONU, d'une zone sûre à Kaboul afin de poursuivre les opérations humanitaires. Cette proposition ne figure pas dans la version adoptée.

Le texte rappelle les engagements pris par les talibans au sujet du départ des Afghans, demande un accès humanitaire sans entrave et insiste sur le respect des droits des femmes, des enfants et des minorités. Il exige également que le territoire afghan ne serve pas à menacer ou à attaquer d'autres pays, ni à abriter ou à entraîner des terroristes.

Le vote est intervenu quelques heures avant la fin du pont aérien américain depuis l'aéroport de Kaboul, où un attentat revendiqué par l'État islamique a fait près de cent soixante-dix morts afghans jeudi.
"""

# Lantern Post page served as windows-1252 -> overhorizon/sample/html/pentagon-tragic-mistake.html
CP1252_PAGE_NAME = "pentagon-tragic-mistake.html"
CP1252_PAGE = """\
<!doctype html>
<html lang="en-GB">
<head>
<meta charset="windows-1252">
<title>Pentagon admits Kabul drone strike was a “tragic mistake” that killed 10 civilians - Lantern Post (sample)</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="author" content="Beatrix Calloway">
<meta property="og:site_name" content="Lantern Post (sample)">
<meta property="og:title" content="Pentagon admits Kabul drone strike was a “tragic mistake” that killed 10 civilians">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2021-09-17T15:40:00-04:00">
<meta property="article:modified_time" content="2021-09-17T15:40:00-04:00">
<link rel="canonical" href="https://lantern-post.example/articles/2021/09/17/pentagon-tragic-mistake.html">
<link rel="amphtml" href="https://lantern-post.example/amp/articles/2021/09/17/pentagon-tragic-mistake.html">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Pentagon admits Kabul drone strike was a “tragic mistake” that killed 10 civilians", "datePublished": "2021-09-17T15:40:00-04:00", "dateModified": "2021-09-17T15:40:00-04:00", "author": [{"@type": "Person", "name": "Beatrix Calloway"}], "publisher": {"@type": "Organization", "name": "Lantern Post (sample)"}, "mainEntityOfPage": "https://lantern-post.example/articles/2021/09/17/pentagon-tragic-mistake.html"}</script>
<script src="https://lantern-post.example/js/bundle.min.js" defer></script>
<style>#cookie-consent{display:block} .ad{min-height:250px}</style>
</head>
<body class="single-post">
<div id="page">
  <div class="top-strip"><a href="https://lantern-post.example/live/">Live coverage</a> | <a href="https://lantern-post.example/newsletters/">Newsletters</a> | <a href="https://lantern-post.example/account/login">Log in</a></div>
  <header id="site-header" role="banner">
    <a class="logo" href="https://lantern-post.example/"><img src="https://lantern-post.example/img/lantern-logo.svg" alt="Lantern Post"></a>
    <nav id="menu" role="navigation">
      <a href="https://lantern-post.example/news/">News</a>
      <a href="https://lantern-post.example/world/">World</a>
      <a href="https://lantern-post.example/politics/">Politics</a>
      <a href="https://lantern-post.example/analysis/">Analysis</a>
      <a href="https://lantern-post.example/video/">Video</a>
    </nav>
    <form class="search" action="https://lantern-post.example/search"><input type="search" name="q" placeholder="Search Lantern Post"></form>
  </header>
  <div class="content-wrap">
    <article class="post" itemscope itemtype="https://schema.org/NewsArticle">
      <header class="post-header">
        <a class="post-category" href="https://lantern-post.example/world/asia/">Asia</a>
        <h1 itemprop="headline">Pentagon admits Kabul drone strike was a “tragic mistake” that killed 10 civilians</h1>
        <div class="post-meta"><span class="author" itemprop="author">Beatrix Calloway</span> &middot; <time itemprop="datePublished" datetime="2021-09-17T15:40:00-04:00">Friday 17 September 2021, 15:40 GMT-4</time></div>
      </header>
      <section class="post-content" itemprop="articleBody">
        <p>WASHINGTON — The US military acknowledged on Friday that the drone strike it carried out in Kabul on 29 August killed ten civilians, including seven children, and that the man it targeted had nothing to do with the Islamic State group — reversing weeks of assertions that the strike had prevented an imminent attack on the airport.</p>
        <p>Gen. Kenneth McKenzie, the head of US Central Command, told reporters at the Pentagon that the strike was a “tragic mistake.” He said he was now convinced that as many as ten civilians had died, among them up to seven children, and that it was unlikely the vehicle or those killed were associated with ISIS-K or posed a direct threat to US forces. He offered his condolences to the families and said he was fully responsible.</p>
        <p>Gen. McKenzie said analysts had followed the car, a white Toyota Corolla, for about eight hours on the basis of intelligence that such a vehicle would be used in an attack, and had misread the driver’s movements. He said the military was considering making compensation payments to the families.</p>
        <p>The defence secretary, Lloyd Austin, apologised in a statement and ordered a review of the investigation. He said it was now known that there was no connection between the driver, Zemari Ahmadi, and ISIS-K, and that his activities that day had been harmless.</p>
        <p>Relatives of Mr. Ahmadi had said from the start that the dead were civilians, and an investigation by The New York Times published last week reached the same conclusion.</p>
      </section>
      <div class="share-tools"><a href="#share-twitter">Share on Twitter</a> <a href="#share-facebook">Share on Facebook</a> <a href="#copy">Copy link</a></div>
    </article>
    <div class="sidebar">
      <section class="most-read">
        <h2>Most read</h2>
        <ol>
          <li><a href="https://lantern-post.example/articles/2021/09/22/milley-gerasimov-helsinki.html">Milley and Gerasimov hold six hours of talks near Helsinki</a></li>
          <li><a href="https://lantern-post.example/articles/2021/09/01/milley-righteous-strike.html">Milley calls Kabul drone strike 'righteous' as questions mount over civilian deaths</a></li>
          <li><a href="https://lantern-post.example/articles/2021/08/31/taliban-airport-runway.html">Taliban walk the runway at Kabul airport, declaring victory</a></li>
          <li><a href="https://lantern-post.example/articles/2021/08/17/kabul-airport-chaos.html">Chaos at Kabul airport as crowds rush the runway; at least seven dead</a></li>
        </ol>
      </section>
      <section class="ad-slot"><div class="ad" data-slot="sidebar-1">Advertisement</div></section>
    </div>
  </div>
  <footer id="colophon">
    <div id="cookie-consent"><p>This website uses cookies to improve your experience and to show you relevant advertising. You can change your preferences at any time.</p><a href="https://lantern-post.example/cookies">Learn more</a> <button type="button">OK</button></div>
    <ul class="legal"><li><a href="https://lantern-post.example/terms">Terms and conditions</a></li><li><a href="https://lantern-post.example/privacy">Privacy notice</a></li><li><a href="https://lantern-post.example/contact">Contact us</a></li></ul>
    <p class="copy">Copyright &copy; 2021 Lantern Post (sample). Lantern Post is a fictional outlet used in the overhorizon demo corpus.</p>
  </footer>
</div>
</body>
</html>
"""


# --- helpers -------------------------------------------------------------------------------------
def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {path.relative_to(REPO)} ({len(data)} bytes)")


def gzip_bytes(data: bytes) -> bytes:
    """gzip with a fixed header: no file name, mtime 0."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def record_id(kind: str, url: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + ':' + url)}>"


def warc_date(n: int) -> str:
    return (CRAWL_START + dt.timedelta(seconds=41 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(n: int) -> str:
    return (CRAWL_START + dt.timedelta(seconds=41 * n)).strftime("%a, %d %b %Y %H:%M:%S GMT")


def canonical_url(page: str) -> str:
    m = re.search(r'<link rel="canonical" href="([^"]+)"', page)
    if not m:
        raise SystemExit("page without <link rel=canonical>")
    return m.group(1)


def pseudo_random(seed: str, n: int) -> bytes:
    """Deterministic filler bytes (SHA-256 in counter mode)."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{i}".encode()).digest()
        i += 1
    return bytes(out[:n])


def tiny_png() -> bytes:
    """A valid 1x1 PNG (one dark blue pixel)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\x1f\x3a\x5c", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --- WARC ----------------------------------------------------------------------------------------
class Archive:
    """A WARC.gz written in memory with fixed dates and record IDs."""

    def __init__(self, filename: str) -> None:
        self.buf = io.BytesIO()
        self.writer = WARCWriter(self.buf, gzip=True, warc_version="WARC/1.0")
        self.n = 0
        self.filename = filename

    def _headers(self, kind: str, url: str) -> dict[str, str]:
        return {"WARC-Record-ID": record_id(kind, url), "WARC-Date": warc_date(self.n)}

    def warcinfo(self, fields: dict[str, str]) -> None:
        rec = self.writer.create_warcinfo_record(self.filename, fields)
        rec.rec_headers.replace_header("WARC-Record-ID", record_id("warcinfo", self.filename))
        rec.rec_headers.replace_header("WARC-Date", warc_date(self.n))
        self.writer.write_record(rec)
        self.n += 1

    def response(self, url: str, content_type: str, body: bytes, *, request: bool = True) -> bytes:
        """Write a response record (and its request record); return the response's gzip member."""
        http = StatusAndHeaders(
            "200 OK",
            [
                ("Date", http_date(self.n)),
                ("Server", "nginx"),
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("Connection", "close"),
            ],
            protocol="HTTP/1.1",
        )
        resp = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            warc_headers_dict=self._headers("response", url),
            http_headers=http,
        )
        start = self.buf.tell()
        self.writer.write_record(resp)
        member = self.buf.getvalue()[start:]
        if request:
            host = re.sub(r"^https?://([^/]+).*$", r"\1", url)
            path = re.sub(r"^https?://[^/]+", "", url) or "/"
            req_http = StatusAndHeaders(
                f"GET {path} HTTP/1.1",
                [
                    ("Host", host),
                    ("User-Agent", USER_AGENT),
                    ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
                    ("Accept-Encoding", "identity"),
                ],
                is_http_request=True,
            )
            headers = self._headers("request", url)
            headers["WARC-Concurrent-To"] = record_id("response", url)
            req = self.writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                length=0,
                warc_headers_dict=headers,
                http_headers=req_http,
            )
            self.writer.write_record(req)
        self.n += 1
        return member

    def getvalue(self) -> bytes:
        return self.buf.getvalue()


def read_pages(folder: Path) -> list[tuple[str, bytes]]:
    pages = []
    for path in sorted(folder.glob("*.html")):
        data = path.read_bytes()
        pages.append((canonical_url(data.decode("utf-8")), data))
    if not pages:
        raise SystemExit(f"no pages in {folder}")
    return pages


def build_warc() -> bytes:
    arc = Archive("pages.warc.gz")
    arc.warcinfo(
        {
            "software": "overhorizon scripts/build_sample.py (warcio 1.8.1)",
            "format": "WARC File Format 1.0",
            "isPartOf": "overhorizon-sample",
            "description": "Sample crawl of fictional news sites (Bastion Daily, Lantern Post) for the overhorizon demo corpus",
            "robots": "classic",
        }
    )
    for url, data in read_pages(PAGES):
        arc.response(url, "text/html; charset=utf-8", data)
    arc.response(
        "https://bastion-daily.example/static/img/logo.png", "image/png", tiny_png(), request=False
    )
    robots = b"User-agent: *\nDisallow: /search\nDisallow: /account/\nSitemap: https://bastion-daily.example/sitemap.xml\n"
    arc.response(
        "https://bastion-daily.example/robots.txt",
        "text/plain; charset=utf-8",
        robots,
        request=False,
    )
    return arc.getvalue()


def build_truncated_warc() -> bytes:
    """Two complete HTML responses, then a third record cut off in the middle of its gzip member."""
    arc = Archive("truncated.warc.gz")
    pages = read_pages(PAGES / "truncated")
    if len(pages) != 3:
        raise SystemExit("scripts/sample_pages/truncated/ must hold exactly 3 pages")
    for url, data in pages[:2]:
        arc.response(url, "text/html; charset=utf-8", data, request=False)
    good = arc.getvalue()
    url, data = pages[2]
    member = arc.response(url, "text/html; charset=utf-8", data, request=False)
    return good + member[: len(member) // 2]


# --- the other files -----------------------------------------------------------------------------
def fake_jpeg() -> bytes:
    """JPEG magic number and JFIF header, then filler bytes, then the end-of-image marker."""
    header = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
    return header + pseudo_random("photo.jpg", 3000) + b"\xff\xd9"


def nul_junk() -> bytes:
    """4 KiB of binary junk: runs of 16 random bytes alternating with runs of 16 NUL bytes."""
    rnd = pseudo_random("nul-bytes.txt", 4096)
    return bytes(b if (i // 16) % 2 == 0 else 0 for i, b in enumerate(rnd))


def build(check: bool) -> None:
    write(SAMPLE / "archive" / "pages.warc.gz", build_warc())
    for name, text in GZ_REPORTS:
        write(SAMPLE / "gz" / name, gzip_bytes(text.encode("utf-8")))
    write(SAMPLE / "html" / CP1252_PAGE_NAME, CP1252_PAGE.encode("cp1252"))
    bad = SAMPLE / "bad"
    write(bad / "photo.jpg", fake_jpeg())
    write(bad / "nul-bytes.txt", nul_junk())
    write(bad / "truncated.warc.gz", build_truncated_warc())
    full = gzip_bytes(TRUNCATED_GZ_REPORT.encode("utf-8"))
    write(bad / "truncated.txt.gz", full[: len(full) // 2])
    write(bad / "latin1-nodeclared.txt", LATIN1_REPORT.encode("iso-8859-1"))
    if check:
        verify()


# --- read-back checks ----------------------------------------------------------------------------
def verify() -> None:
    from warcio.archiveiterator import ArchiveIterator

    counts: dict[str, int] = {}
    with (SAMPLE / "archive" / "pages.warc.gz").open("rb") as f:
        for rec in ArchiveIterator(f):
            key = rec.rec_type
            if rec.rec_type == "response":
                key += " " + rec.http_headers.get_header("Content-Type").split(";")[0]
            rec.content_stream().read()
            counts[key] = counts.get(key, 0) + 1
    print("pages.warc.gz:", counts)
    assert counts.get("warcinfo") == 1 and counts.get("response text/html", 0) >= 5, counts

    # warcio 1.8.1 does not raise on a gzip member that ends early: it yields the cut record
    # with fewer payload bytes than its Content-Length (record.raw_stream.limit stays > 0).
    complete = 0
    outcome = "read to the end with every record complete"
    try:
        with (SAMPLE / "bad" / "truncated.warc.gz").open("rb") as f:
            for rec in ArchiveIterator(f):
                rec.content_stream().read()
                if getattr(rec.raw_stream, "limit", 0) > 0:
                    outcome = f"record {complete + 1} ends {rec.raw_stream.limit} bytes early"
                    break
                complete += 1
    except Exception as exc:  # noqa: BLE001 - an error here is one of the accepted outcomes
        outcome = f"{type(exc).__name__}: {exc}"
    print(f"truncated.warc.gz: {complete} complete records, then {outcome}")
    assert complete == 2 and "every record complete" not in outcome, outcome

    for name, text in GZ_REPORTS:
        assert gzip.decompress((SAMPLE / "gz" / name).read_bytes()).decode("utf-8") == text
    try:
        gzip.decompress((SAMPLE / "bad" / "truncated.txt.gz").read_bytes())
    except EOFError as exc:
        print(f"truncated.txt.gz: EOFError: {exc}")
    else:
        raise AssertionError("truncated.txt.gz decompressed completely")
    page = (SAMPLE / "html" / CP1252_PAGE_NAME).read_bytes()
    assert b'<meta charset="windows-1252">' in page and any(b > 0x7F for b in page)
    latin = (SAMPLE / "bad" / "latin1-nodeclared.txt").read_bytes()
    try:
        latin.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("latin1-nodeclared.txt is valid UTF-8")
    print("check: ok")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="read the written files back")
    args = parser.parse_args(argv)
    build(args.check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
