// The timeline: an SVG bar chart of incidents per day (by start date) with a brush.
// Drag across it to select a range of days; a click without a drag clears the selection.

import { svgEl } from "./dom.js";

const DAY_MS = 86400000;
const HEIGHT = 120;
const MARGIN = { left: 34, right: 12, top: 10, bottom: 22 };

function toDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayMs(day) {
  return Date.parse(`${day}T00:00:00Z`);
}

export function createTimeline(svg, { onBrush }) {
  let first = null; // ms of the first day shown
  let days = 0;
  let range = null; // [since, until] as YYYY-MM-DD, or null
  let x0 = MARGIN.left;
  let x1 = 0;

  const dayWidth = () => (x1 - x0) / Math.max(days, 1);
  const xOf = (day) => x0 + ((dayMs(day) - first) / DAY_MS) * dayWidth();
  const dayAt = (x) => {
    const i = Math.floor((Math.min(Math.max(x, x0), x1 - 0.01) - x0) / dayWidth());
    return toDay(first + i * DAY_MS);
  };

  const brush = svgEl("rect", { class: "brush", y: MARGIN.top, height: HEIGHT - MARGIN.top - MARGIN.bottom });
  let incidents = [];

  function showBrush() {
    if (!range || first === null) {
      brush.setAttribute("visibility", "hidden");
      svg.removeAttribute("data-since");
      svg.removeAttribute("data-until");
      return;
    }
    const left = xOf(range[0]);
    const right = xOf(range[1]) + dayWidth();
    brush.setAttribute("x", String(left));
    brush.setAttribute("width", String(Math.max(1, right - left)));
    brush.setAttribute("visibility", "visible");
    svg.setAttribute("data-since", range[0]);
    svg.setAttribute("data-until", range[1]);
  }

  function render() {
    svg.replaceChildren();
    const width = Math.round(svg.getBoundingClientRect().width) || 800;
    svg.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
    x1 = width - MARGIN.right;
    const counts = new Map();
    for (const incident of incidents) {
      if (incident.date_start) {
        const day = incident.date_start.slice(0, 10);
        counts.set(day, (counts.get(day) || 0) + 1);
      }
    }
    if (counts.size === 0) {
      first = null;
      days = 0;
      svg.append(svgEl("text", { x: x0, y: HEIGHT / 2, class: "empty" }, "No dated incidents"));
      return;
    }
    const sorted = [...counts.keys()].sort();
    first = dayMs(sorted[0]);
    days = Math.round((dayMs(sorted[sorted.length - 1]) - first) / DAY_MS) + 1;
    svg.setAttribute("data-first", sorted[0]);
    svg.setAttribute("data-days", String(days));
    svg.setAttribute("data-x0", String(x0));
    svg.setAttribute("data-x1", String(x1));
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    const max = Math.max(...counts.values());
    const w = dayWidth();
    for (const [day, n] of counts) {
      const h = ((bottom - top) * n) / max;
      const bar = svgEl("rect", {
        class: "bar",
        x: xOf(day) + (w > 3 ? 0.5 : 0),
        y: bottom - h,
        width: Math.max(1, w > 3 ? w - 1 : w),
        height: h,
        "data-day": day,
        "data-count": n,
      });
      bar.append(svgEl("title", {}, `${day}: ${n} incident${n === 1 ? "" : "s"}`));
      svg.append(bar);
    }
    svg.append(svgEl("line", { class: "axis", x1: x0, x2: x1, y1: bottom, y2: bottom }));
    svg.append(svgEl("text", { class: "tick", x: x0 - 4, y: top + 8, "text-anchor": "end" }, String(max)));
    svg.append(svgEl("text", { class: "tick", x: x0 - 4, y: bottom, "text-anchor": "end" }, "0"));
    // Month labels, or every seventh day on a short range.
    const step = days > 75 ? null : 7;
    for (let i = 0; i < days; i++) {
      const day = toDay(first + i * DAY_MS);
      const label = step ? (i % step === 0 ? day.slice(5) : null) : day.endsWith("-01") || i === 0 ? day.slice(0, 7) : null;
      if (label) {
        const x = xOf(day);
        svg.append(svgEl("line", { class: "tickmark", x1: x, x2: x, y1: bottom, y2: bottom + 4 }));
        svg.append(svgEl("text", { class: "tick", x, y: HEIGHT - 6 }, label));
      }
    }
    svg.append(brush);
    showBrush();
  }

  // Dragging: pointer capture keeps the drag when the pointer leaves the chart.
  let start = null;
  svg.addEventListener("pointerdown", (event) => {
    if (first === null || event.button !== 0) return;
    const box = svg.getBoundingClientRect();
    start = event.clientX - box.left;
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", (event) => {
    if (start === null) return;
    const x = event.clientX - svg.getBoundingClientRect().left;
    const [a, b] = [dayAt(Math.min(start, x)), dayAt(Math.max(start, x))];
    range = [a, b];
    showBrush();
  });
  svg.addEventListener("pointerup", (event) => {
    if (start === null) return;
    const x = event.clientX - svg.getBoundingClientRect().left;
    range = Math.abs(x - start) < 3 ? null : [dayAt(Math.min(start, x)), dayAt(Math.max(start, x))];
    start = null;
    showBrush();
    onBrush(range);
  });
  window.addEventListener("resize", render);

  return {
    setIncidents(list) {
      incidents = list;
      render();
    },
    clear() {
      range = null;
      showBrush();
      onBrush(null);
    },
  };
}

/** Whether ``incident`` overlaps the selected days (always, with no selection). */
export function inRange(incident, range) {
  if (!range) return true;
  if (!incident.date_start) return false;
  const start = incident.date_start.slice(0, 10);
  const end = (incident.date_end || incident.date_start).slice(0, 10);
  return end >= range[0] && start <= range[1];
}
