// The dashboard: wires the filters, the map, the timeline, the lists and the source trail.

import { allIncidents, getJSON, MAX_INCIDENTS } from "./api.js";
import { GRADES, PLOVER_TYPES, typeColour } from "./colours.js";
import { el } from "./dom.js";
import { createMap } from "./map.js";
import { createTimeline, inRange } from "./timeline.js";
import { renderTrail } from "./trail.js";

const LIST_ROWS = 500; // rows shown in the incident list; the map shows them all

const form = document.getElementById("filters");
const status = document.getElementById("status");
const list = document.getElementById("incident-list");
const listCount = document.getElementById("incident-count");
const articleList = document.getElementById("article-list");
const articleCount = document.getElementById("article-count");
const trail = document.getElementById("trail");
const brushLabel = document.getElementById("brush-label");

let incidents = [];
let total = 0;
let range = null;

for (const type of PLOVER_TYPES) form.elements.type.append(el("option", { value: type }, type));
for (const grade of GRADES) form.elements.grade.append(el("option", { value: grade }, grade));

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

const map = createMap(document.getElementById("map"), { onSelect: openIncident });
const timeline = createTimeline(document.getElementById("timeline"), {
  onBrush(selected) {
    range = selected;
    brushLabel.textContent = range ? `${range[0]} to ${range[1]}` : "";
    showFiltered();
  },
});

function row(incident) {
  const button = el(
    "button",
    { type: "button", class: "row", "data-incident-id": incident.id },
    el("span", { class: "swatch", "data-type": incident.type }),
    el("span", { class: "date" }, incident.date_start || "undated"),
    " ",
    el("strong", {}, incident.type + (incident.mode ? `/${incident.mode}` : "")),
    ` ${incident.place || "unknown place"}`,
    incident.deaths !== null ? ` · ${incident.deaths} killed` : "",
    " ",
    el("span", { class: `badge grade-${incident.grade}` }, incident.grade),
  );
  button.firstChild.style.backgroundColor = typeColour(incident.type); // CSSOM, allowed by the CSP
  button.addEventListener("click", () => openIncident(incident.id));
  return el("li", {}, button);
}

function showFiltered() {
  const shown = incidents.filter((i) => inRange(i, range));
  map.setFilter((i) => inRange(i, range));
  list.replaceChildren(...shown.slice(0, LIST_ROWS).map(row));
  if (shown.length > LIST_ROWS) list.append(el("li", { class: "muted" }, `… and ${shown.length - LIST_ROWS} more`));
  listCount.textContent = `(${shown.length})`;
  const unplaced = shown.filter((i) => i.lat === null).length;
  say(
    `${shown.length} of ${total} incidents` +
      (range ? ` from ${range[0]} to ${range[1]}` : "") +
      (unplaced ? `; ${unplaced} without a place are listed but not mapped` : "") +
      (total > incidents.length ? `; only the first ${MAX_INCIDENTS} loaded` : ""),
  );
}

function filters() {
  const data = new FormData(form);
  return {
    type: data.get("type"),
    grade: data.get("grade"),
    q: (data.get("q") || "").trim(),
    actor: (data.get("actor") || "").trim(),
  };
}

async function loadIncidents() {
  say("Loading incidents…");
  const result = await allIncidents(filters());
  incidents = result.items;
  total = result.total;
  map.setIncidents(incidents);
  timeline.setIncidents(incidents);
  showFiltered();
  document.body.dataset.loaded = "incidents";
}

async function loadArticles() {
  const page = await getJSON("/api/articles", { q: filters().q, limit: 1000 });
  articleCount.textContent = `(${page.total})`;
  articleList.replaceChildren(
    ...page.items.map((a) =>
      el(
        "li",
        { class: "article", "data-article-id": a.id },
        el("span", { class: "date" }, a.published || "undated"),
        ` ${a.outlet || "unknown outlet"}: `,
        el("span", { class: "title" }, a.title || "(no title)"),
      ),
    ),
  );
}

/** The latest alerts the watch rules raised; each opens its incident. Hidden when none. */
async function loadAlerts() {
  const page = await getJSON("/api/alerts", { limit: 50 });
  document.getElementById("alerts-panel").hidden = page.total === 0;
  document.getElementById("alert-count").textContent = `(${page.total})`;
  document.getElementById("alert-list").replaceChildren(
    ...page.items.map((a) => {
      const row = el(
        "button",
        { type: "button", class: "row alert", "data-incident-id": a.incident_id, "data-alert-id": a.id },
        el("span", { class: `badge alert-${a.kind}` }, a.kind),
        ` ${a.created_at.slice(0, 10)} · ${a.rule}: `,
        el("span", { class: "title" }, a.title),
        el("span", { class: "muted" }, ` (${a.reasons.join("; ")})`),
      );
      row.addEventListener("click", () => openIncident(a.incident_id));
      return el("li", {}, row);
    }),
  );
}

async function openIncident(id) {
  try {
    const incident = await getJSON(`/api/incidents/${encodeURIComponent(id)}`);
    renderTrail(trail, incident, { onClose: closeIncident });
    map.select(id);
    for (const b of list.querySelectorAll("button.row")) b.classList.toggle("selected", b.dataset.incidentId === id);
    if (window.location.hash !== `#incident=${id}`) history.replaceState(null, "", `#incident=${encodeURIComponent(id)}`);
  } catch (error) {
    say(String(error.message || error), true);
  }
}

function closeIncident() {
  trail.hidden = true;
  trail.replaceChildren();
  map.select(null);
  history.replaceState(null, "", window.location.pathname + window.location.search);
}

async function refresh() {
  try {
    await Promise.all([loadIncidents(), loadArticles(), loadAlerts()]);
  } catch (error) {
    say(String(error.message || error), true);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  refresh();
});
form.elements.type.addEventListener("change", refresh);
form.elements.grade.addEventListener("change", refresh);
document.getElementById("clear-brush").addEventListener("click", () => timeline.clear());

async function start() {
  const basemap = getJSON(document.body.dataset.basemapUrl)
    .then((topology) => map.setBasemap(topology))
    .catch((error) => say(`basemap: ${error.message}`, true));
  await refresh();
  map.fit();
  await basemap;
  const wanted = window.location.hash.match(/^#incident=(.+)$/);
  if (wanted) await openIncident(decodeURIComponent(wanted[1]));
  document.body.dataset.ready = "true";
}

start();
