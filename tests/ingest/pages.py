"""Small inputs written for the tests, in our own words."""

from __future__ import annotations

BODY = (
    "Taliban fighters entered the northern city of Kunduz on Sunday after weeks of fighting "
    "on its outskirts, local officials said. Government troops withdrew to the airport, and "
    "residents described gunfire in the main bazaar through the afternoon. A provincial "
    "council member said the police headquarters and the governor's compound were taken "
    "without a long fight. Aid groups said thousands of families had fled toward Kabul in the "
    "previous week, and that clinics in the city were running short of supplies."
)


def html_page(
    title: str = "Kunduz falls to the Taliban",
    body: str = BODY,
    site: str = "Meridian Courier (sample)",
    author: str = "Rana Test",
    published: str = "2021-08-08T16:20:00+04:30",
    charset: str = "utf-8",
) -> str:
    paras = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="https://meridian.example/2021/08/08/kunduz">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/asia">Asia</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>{paras}</article>
<aside><h2>Related</h2><ul><li><a href="/a">Another story</a></li></ul></aside></main>
<footer><p>We use cookies to improve this site.</p><p>Copyright 2021 {site}</p></footer>
</body></html>"""


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Frontier Wire (test)</title><link>https://frontier.example/</link>
<item><title>Airport crowds grow</title><link>https://frontier.example/1</link>
<pubDate>Mon, 16 Aug 2021 09:00:00 +0000</pubDate><dc:creator>Sam Test</dc:creator>
<content:encoded><![CDATA[<p>Thousands of people gathered at Kabul airport on Monday.</p>
<p>Flights were halted for several hours, officials said.</p>]]></content:encoded></item>
<item><title>Summary only</title><link>https://frontier.example/2</link>
<pubDate>Tue, 17 Aug 2021 10:30:00 +0000</pubDate>
<description>The evacuation resumed on Tuesday with military flights, a spokesman said.</description>
</item>
<item><title>No text at all</title><link>https://frontier.example/3</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Steppe Monitor (test)</title>
<id>urn:test:steppe</id><updated>2021-09-22T12:00:00Z</updated>
<entry><title>Generals meet in Helsinki</title><link href="https://steppe.example/helsinki"/>
<id>urn:test:1</id><published>2021-09-22T12:00:00Z</published><updated>2021-09-22T12:00:00Z</updated>
<author><name>Ivo Test</name></author>
<content type="html">&lt;p&gt;The two chiefs of staff met in Helsinki on Wednesday.&lt;/p&gt;</content></entry>
<entry><title>Summary entry</title><link href="https://steppe.example/2"/><id>urn:test:2</id>
<updated>2021-09-23T08:00:00Z</updated><summary>Talks on regional security continued.</summary></entry>
</feed>
"""
