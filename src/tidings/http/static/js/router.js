// Routes live in the hash ("#/view/arg?key=value") so every page is a shareable URL.

export function parseRoute(hash) {
  const raw = hash.replace(/^#\/?/, "");
  const [path, search = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const view = parts.shift() || "events";
  return { view, args: parts, params: Object.fromEntries(new URLSearchParams(search)) };
}

/** Go to a view with query parameters, dropping empty ones. */
export function navigate(path, params = {}) {
  location.hash = href(path, params);
}

/** The href of a view with query parameters, for links. */
export function href(path, params = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return `#/${path}${text ? `?${text}` : ""}`;
}
