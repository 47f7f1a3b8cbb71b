// An incident's source trail: who said what, through whom, when; and where they disagree.

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
              c.best_reason ? el("span", { class: "muted" }, ` (${c.best_reason})`) : null),
          ),
        )
      : el("p", { class: "muted" }, "No casualty figures."),
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
