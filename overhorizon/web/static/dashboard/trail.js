// An incident's source trail: who said what, through whom, when; and where they disagree.

import { getJSON } from "./api.js";
import { el } from "./dom.js";

function count(c) {
  if (!c) return "unknown";
  const { low, best, high } = c;
  const shown = best ?? low ?? high;
  if (shown === null || shown === undefined) return "unknown";
  const bounds = [low, high].some((v) => v !== null && v !== undefined && v !== shown)
    ? ` (low ${low ?? "?"}, high ${high ?? "?"})`
    : "";
  return `${shown}${bounds}`;
}

function figures(claim) {
  return claim.figures.map((f) => {
    const parts = [];
    if (f.killed) parts.push(`killed ${count(f.killed)}`);
    if (f.injured) parts.push(`injured ${count(f.injured)}`);
    return el("li", {}, `${f.group}: ${parts.join(", ") || "no figure"}`);
  });
}

/** ``text`` cut at every highlight's edge; the claim's own span marked "here", the other
 * records' spans marked by kind, with their labels as tooltips. Text nodes only. */
export function markedText(text, highlights, here) {
  const spans = highlights
    .filter((h) => h.end > h.start)
    .map((h) => ({ ...h, start: Math.max(0, h.start), end: Math.min(text.length, h.end) }));
  if (here && here.end > here.start) spans.push({ start: here.start, end: here.end, kind: "here", label: "this claim" });
  const cuts = [...new Set([0, text.length, ...spans.flatMap((h) => [h.start, h.end])])]
    .filter((x) => x >= 0 && x <= text.length)
    .sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const piece = text.slice(a, b);
    const over = spans.filter((h) => h.start <= a && h.end >= b);
    if (!over.length) {
      out.push(piece);
      continue;
    }
    const mine = over.find((h) => h.kind === "here");
    const shown = mine || over[0];
    out.push(
      el(
        "mark",
        { class: `hl hl-${shown.kind}`, title: over.map((h) => h.label).join("; ") },
        piece,
      ),
    );
  }
  return out;
}

/** Open (or close) the article behind ``claim`` under it, its sentence marked and in view. */
async function toggleArticle(box, button, claim) {
  if (!box.hidden) {
    box.hidden = true;
    button.textContent = "Show in its article";
    return;
  }
  button.disabled = true;
  try {
    const art = await getJSON(`/api/articles/${encodeURIComponent(claim.article)}`);
    const here = claim.evidence && claim.evidence.end > claim.evidence.start ? claim.evidence : null;
    box.replaceChildren(
      el("p", { class: "article-head" }, el("strong", {}, art.title || "(no title)"),
        ` · ${art.outlet || "unknown outlet"} · ${art.published || "undated"}`,
        art.url ? el("span", { class: "muted" }, ` · ${art.url}`) : null),
      el("div", { class: "article-text" }, markedText(art.text, art.highlights, here)),
    );
    box.hidden = false;
    button.textContent = "Hide the article";
    const mark = box.querySelector("mark.hl-here");
    if (mark) mark.scrollIntoView({ block: "center" });
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, String(err.message || err)));
    box.hidden = false;
  } finally {
    button.disabled = false;
  }
}

/** Claims sorted by publication date (undated last), keeping the API's order among equals. */
function inTimeOrder(claims) {
  return claims
    .map((claim, i) => ({ claim, i }))
    .sort((a, b) => {
      const da = a.claim.published || "9999";
      const db = b.claim.published || "9999";
      return da < db ? -1 : da > db ? 1 : a.i - b.i;
    })
    .map((x) => x.claim);
}

function articleToggle(claim) {
  const box = el("div", { class: "claim-article" });
  box.hidden = true;
  const button = el("button", { type: "button", class: "show-article" }, "Show in its article");
  button.addEventListener("click", () => toggleArticle(box, button, claim));
  return el("div", {}, button, box);
}

export function renderTrail(panel, incident, { onClose }) {
  const claims = inTimeOrder(incident.claims);
  const number = new Map(claims.map((c, i) => [c.id, i + 1]));
  const disputed = new Map();
  for (const c of incident.contradiction_list) {
    for (const id of [c.a, c.b]) {
      if (!disputed.has(id)) disputed.set(id, []);
      disputed.get(id).push(c.kind);
    }
  }
  const ref = (id) => (number.has(id) ? `claim ${number.get(id)}` : "a claim not shown");
  const close = el("button", { type: "button", class: "close", "aria-label": "Close" }, "×");
  close.addEventListener("click", onClose);
  const what = incident.type + (incident.mode ? ` (${incident.mode})` : "");
  const dates =
    incident.date_start === incident.date_end || !incident.date_end
      ? incident.date_start || "undated"
      : `${incident.date_start} to ${incident.date_end}`;

  panel.replaceChildren(
    close,
    el("h2", { class: "trail-title" }, `${what}: ${incident.place || "unknown place"}`),
    el(
      "dl",
      { class: "facts" },
      el("dt", {}, "Dates"),
      el("dd", {}, `${dates}${incident.date_precision ? ` (${incident.date_precision})` : ""}`),
      el("dt", {}, "Where"),
      el(
        "dd",
        {},
        [incident.place, incident.country].filter(Boolean).join(", ") || "unknown",
        incident.lat !== null ? ` (${incident.lat.toFixed(3)}, ${incident.lon.toFixed(3)})` : "",
      ),
      el("dt", {}, "ACLED type"),
      el("dd", {}, [incident.acled_event_type, incident.acled_sub_event_type].filter(Boolean).join(": ") || "none"),
      el("dt", {}, "Grade"),
      el("dd", { class: "grade" }, el("span", { class: `badge grade-${incident.grade}` }, incident.grade), ` ${incident.grade_reason}`),
      el("dt", {}, "Reports"),
      el("dd", {}, `${incident.reports} reports in ${incident.articles} articles from ${incident.sources} sources`),
    ),
    el("h3", {}, "Casualties"),
    incident.casualties.length
      ? el(
          "ul",
          { class: "casualties" },
          incident.casualties.map((c) =>
            el("li", {}, `${c.group}: killed best ${c.killed.best ?? "?"}, low ${c.killed.low ?? "?"}, high ${c.killed.high ?? "?"}`,
              c.best_reason ? el("span", { class: "muted" }, ` (${c.best_reason})`) : null,
              c.overlaps ? el("span", { class: "muted" }, ` (the same dead as ${c.overlaps}: not added)`) : null),
          ),
        )
      : el("p", { class: "muted" }, "No casualty figures."),
    (incident.context || []).length
      ? el(
          "ul",
          { class: "context" },
          (incident.context || []).map((a) =>
            el("li", { class: "muted" }, `Context, not this incident's toll: ${a.group} killed ${a.killed?.best ?? a.killed?.low ?? "?"} over the ${a.scope}`,
              a.scope_text ? ` ("${a.scope_text}")` : "", a.outlet ? `, ${a.outlet}` : ""),
          ),
        )
      : null,
    el("h3", {}, `Contradictions (${incident.contradiction_list.length})`),
    incident.contradiction_list.length
      ? el(
          "ul",
          { class: "contradictions" },
          incident.contradiction_list.map((c) =>
            el(
              "li",
              { "data-kind": c.kind },
              el("span", { class: "badge kind" }, c.kind),
              ` ${ref(c.a)} vs ${ref(c.b)}: `,
              c.why,
            ),
          ),
        )
      : el("p", { class: "muted" }, "None found."),
    el("h3", {}, `Claims in time order (${claims.length})`),
    el(
      "ol",
      { class: "claims" },
      claims.map((c) => {
        const kinds = disputed.get(c.id);
        return el(
          "li",
          { class: kinds ? "claim contradicted" : "claim", "data-claim-id": c.id },
          el(
            "p",
            { class: "claim-head" },
            el("span", { class: "num" }, `${number.get(c.id)}.`),
            ` ${c.published || "undated"} · ${c.outlet || "unknown outlet"} · `,
            el("strong", {}, c.speaker || (c.anonymous ? "an unnamed source" : "someone")),
            c.via ? ` via ${c.via}` : "",
            ` ${c.negated ? "denies" : c.stance}`,
            c.perpetrator ? ` (blames ${c.perpetrator})` : "",
            kinds ? el("span", { class: "badge flag" }, `contradicted: ${[...new Set(kinds)].join(", ")}`) : null,
          ),
          c.figures.length ? el("ul", { class: "figures" }, figures(c)) : null,
          c.sentence ? el("blockquote", {}, c.sentence) : el("p", { class: "muted" }, "(sentence not stored)"),
          articleToggle(c),
        );
      }),
    ),
    el("h3", {}, `Sources (${incident.source_names.length})`),
    el("ul", { class: "sources" }, incident.source_names.map((s) => el("li", {}, s))),
  );
  panel.dataset.incidentId = incident.id;
  panel.hidden = false;
  panel.scrollTop = 0;
}
