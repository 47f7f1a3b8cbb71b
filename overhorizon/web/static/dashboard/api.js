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

/** Every incident matching ``filters`` (type, grade, q), paging through ``total``. */
export async function allIncidents(filters) {
  const items = [];
  let total = 0;
  for (let offset = 0; offset < MAX_INCIDENTS; ) {
    const page = await getJSON("/api/incidents", {
      ...filters,
      min_articles: 1,
      limit: 1000,
      offset,
    });
    total = page.total;
    items.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= total) break;
  }
  return { total, items };
}
