// One colour per PLOVER type: violent types warm, cooperative types cool.

export const TYPE_COLOURS = {
  ASSAULT: "#d62728",
  COERCE: "#ff7f0e",
  MOBILIZE: "#e6a100",
  THREATEN: "#bcbd22",
  SANCTION: "#8c564b",
  PROTEST: "#e377c2",
  ACCUSE: "#9467bd",
  REJECT: "#7f7f7f",
  REQUEST: "#17becf",
  RETREAT: "#aec7e8",
  CONCEDE: "#98df8a",
  AID: "#2ca02c",
  COOPERATE: "#1f77b4",
  SUPPORT: "#393b79",
  CONSULT: "#6b6ecf",
  AGREE: "#637939",
};

export const PLOVER_TYPES = Object.keys(TYPE_COLOURS);
export const GRADES = ["confirmed", "fair", "contested", "weak", "discounted"];

export function typeColour(type) {
  return TYPE_COLOURS[type] || "#555555";
}

/** Marker radius in pixels: a square-root scale of deaths, so area grows with the toll. */
export function radiusFor(deaths) {
  return Math.min(28, 4 + 2.5 * Math.sqrt(Math.max(0, deaths || 0)));
}
