// The JSON API client: one place that knows URLs, errors and the write token.

const TOKEN_KEY = "tidings.token";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function request(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, ...options });
  const isJson = (response.headers.get("content-type") || "").includes("json");
  const body = isJson ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = isJson ? body.detail : body;
    const message = typeof detail === "string" ? detail : JSON.stringify(detail);
    throw new ApiError(response.status, `${response.status}: ${message}`);
  }
  return body;
}

export const api = {
  health: () => request("/healthz"),
  vocabulary: () => request("/vocabulary"),
  events: (params) => request(`/events${query(params)}`),
  event: (id) => request(`/events/${encodeURIComponent(id)}`),
  actors: (q) => request(`/actors${query({ q })}`),
  actor: (id) => request(`/actors/${encodeURIComponent(id)}`),
  dyadSeries: (a, b, params) =>
    request(`/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/series${query(params)}`),
  network: (params) => request(`/network${query(params)}`),
  openapi: () => request("/openapi.json"),
  ingest: (body, contentType, filename) => request(`/articles${query({ filename })}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": contentType,
      Accept: "application/json",
      Authorization: `Bearer ${getToken()}`,
    },
  }),
};

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}
