// The map: Leaflet with no tile layer, over country outlines decoded from TopoJSON.
// Incidents are circle markers (colour by type, radius by deaths); when there are many, nearby
// ones at low zoom are drawn as one grid cell with a count (our own simple aggregation).

import { el } from "./dom.js";
import { radiusFor, typeColour } from "./colours.js";

const L = window.L;

/** Aggregate into grid cells above this many visible incidents (``?cluster=N`` overrides). */
const CLUSTER_ABOVE = 400;
/** Grid cell size in screen pixels, and the zoom from which every incident is drawn alone. */
const CELL_PX = 48;
const CLUSTER_MAX_ZOOM = 7;

/** ISO 3166 numeric code of Antarctica, left off the basemap (it wraps the pole). */
const ANTARCTICA = "010";

/** Make each ring continuous across the antimeridian (lon past 180), so that no outline
 * is drawn as a line across the whole map. */
function unwrap(geometry) {
  if (!geometry) return;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      let shift = 0;
      for (let i = 1; i < ring.length; i++) {
        const step = ring[i][0] + shift - ring[i - 1][0];
        if (step > 180) shift -= 360;
        else if (step < -180) shift += 360;
        ring[i] = [ring[i][0] + shift, ring[i][1]];
      }
    }
  }
}

function clusterThreshold() {
  const given = new URLSearchParams(window.location.search).get("cluster");
  const n = given === null ? NaN : Number(given);
  return Number.isFinite(n) && n >= 0 ? n : CLUSTER_ABOVE;
}

function tooltip(incident) {
  const what = incident.type + (incident.mode ? ` (${incident.mode})` : "");
  const deaths = incident.deaths === null ? "" : `, ${incident.deaths} killed`;
  return el(
    "span",
    {},
    el("strong", {}, what),
    ` ${incident.place || "unknown place"}, ${incident.date_start || "undated"}${deaths}`,
    ` [${incident.grade}]`,
  );
}

export function createMap(container, { onSelect }) {
  const map = L.map(container, { minZoom: 1, maxZoom: 12, zoomSnap: 0.5, worldCopyJump: true });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Boundaries: Natural Earth, via world-atlas");
  map.setView([30, 45], 2);
  const basePane = map.createPane("basemap");
  basePane.style.zIndex = "250";
  basePane.style.pointerEvents = "none";
  const layer = L.layerGroup().addTo(map);
  const threshold = clusterThreshold();
  let incidents = [];
  let isVisible = () => true;
  let selected = null;

  function markerFor(incident) {
    const colour = typeColour(incident.type);
    const marker = L.circleMarker([incident.lat, incident.lon], {
      radius: radiusFor(incident.deaths),
      color: incident.id === selected ? "#000000" : colour,
      weight: incident.id === selected ? 3 : 1,
      fillColor: colour,
      fillOpacity: 0.65,
      className: "ohz-incident",
    });
    marker.bindTooltip(() => tooltip(incident));
    marker.on("click", () => onSelect(incident.id));
    marker.addTo(layer);
    const path = marker.getElement();
    path.setAttribute("data-incident-id", incident.id);
    path.setAttribute("data-type", incident.type);
    path.setAttribute("data-date", incident.date_start || "");
    return marker;
  }

  function clusterFor(members, centre) {
    const label = el("span", {}, String(members.length));
    const size = Math.round(22 + 4 * Math.sqrt(members.length));
    const marker = L.marker(centre, {
      icon: L.divIcon({ html: label, className: "ohz-cluster", iconSize: [size, size] }),
      keyboard: false,
    });
    marker.bindTooltip(() => el("span", {}, `${members.length} incidents: click to zoom in`));
    marker.on("click", () => {
      const bounds = L.latLngBounds(members.map((m) => [m.lat, m.lon]));
      map.fitBounds(bounds.pad(0.2), { maxZoom: Math.min(map.getZoom() + 3, 12) });
    });
    marker.addTo(layer);
    marker.getElement().setAttribute("data-count", String(members.length));
    return marker;
  }

  function draw() {
    layer.clearLayers();
    const points = incidents.filter((i) => i.lat !== null && i.lon !== null && isVisible(i));
    // Biggest first, so that small markers stay on top and clickable.
    points.sort((a, b) => (b.deaths || 0) - (a.deaths || 0));
    const zoom = map.getZoom();
    if (points.length <= threshold || zoom >= CLUSTER_MAX_ZOOM) {
      for (const incident of points) markerFor(incident);
      return;
    }
    const cells = new Map();
    for (const incident of points) {
      const p = map.project([incident.lat, incident.lon], zoom);
      const key = `${Math.floor(p.x / CELL_PX)}:${Math.floor(p.y / CELL_PX)}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(incident);
    }
    for (const members of cells.values()) {
      if (members.length === 1) {
        markerFor(members[0]);
      } else {
        const lat = members.reduce((s, m) => s + m.lat, 0) / members.length;
        const lon = members.reduce((s, m) => s + m.lon, 0) / members.length;
        clusterFor(members, [lat, lon]);
      }
    }
  }

  map.on("zoomend", draw);

  return {
    setBasemap(topology) {
      const countries = window.topojson.feature(topology, topology.objects.countries);
      countries.features = countries.features.filter((f) => f.id !== ANTARCTICA);
      for (const feature of countries.features) unwrap(feature.geometry);
      L.geoJSON(countries, {
        pane: "basemap",
        interactive: false,
        style: { color: "#8a8f98", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 },
      }).addTo(map);
    },
    setIncidents(list) {
      incidents = list;
      draw();
    },
    setFilter(predicate) {
      isVisible = predicate;
      draw();
    },
    select(id) {
      selected = id;
      draw();
    },
    fit() {
      const located = incidents.filter((i) => i.lat !== null && i.lon !== null);
      if (located.length) {
        const bounds = L.latLngBounds(located.map((i) => [i.lat, i.lon]));
        map.fitBounds(bounds.pad(0.1), { maxZoom: 6 });
      }
    },
    leaflet: map,
  };
}
