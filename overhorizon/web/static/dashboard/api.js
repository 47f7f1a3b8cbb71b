// The JSON API, as the dashboard uses it.

/** GET ``path`` with the non-empty ``params``; an error response throws its code and message. */
export async function getJSON(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) url.searchParams.set(key, value);
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let message = response.statusText;
    try {
      const body = await response.json();
      message = `${body.code}: ${body.message}`;
    } catch {
      // not JSON: keep the status text
    }
    throw new Error(`${url.pathname}: ${response.status} ${message}`);
  }
  return response.json();
}

/** Most incidents the dashboard loads at once; the status line says when there are more. */
export const MAX_INCIDENTS = 20000;

/** Every incident matching ``filters`` (type, grade, q), following the list's ``next``
 * cursors (each page costs the same, however deep). */
export async function allIncidents(filters) {
  const items = [];
  let total = 0;
  let after = null;
  while (items.length < MAX_INCIDENTS) {
    const page = await getJSON("/api/incidents", {
      ...filters,
      min_articles: 1,
      limit: 1000,
      ...(after ? { after } : {}),
    });
    total = page.total;
    items.push(...page.items);
    after = page.next;
    if (!after || page.items.length === 0) break;
  }
  return { total, items };
}
