// Ingest: paste or upload articles (seed text, JSON Lines, CSV, HTML) and see what was
// stored and what was rejected, with the same codes and reasons as the CLI.

import { el, mount, field, select, errorBox } from "./dom.js";
import { api, getToken, setToken } from "./api.js";
import { href } from "./router.js";

const FORMATS = [
  ["text/plain", "seed text (date YYYY-MM-DD, then the article)"],
  ["application/x-ndjson", "JSON Lines (id, date, text, …)"],
  ["text/csv", "CSV (id, date, text, …)"],
  ["text/html", "HTML page"],
];
const FORMAT_OF_SUFFIX = { txt: "text/plain", jsonl: "application/x-ndjson", ndjson: "application/x-ndjson",
  csv: "text/csv", html: "text/html", htm: "text/html" };

function report(result) {
  const rejections = result.rejections || [];
  return el("div", { class: "report", id: "ingest-report" },
    el("h2", {}, "Result"),
    el("ul", { class: "counts" },
      ...Object.entries(result).filter(([, v]) => typeof v === "number")
        .map(([key, value]) => el("li", {}, el("strong", {}, String(value)), ` ${key.replaceAll("_", " ")}`))),
    (result.article_ids || []).length ? el("p", { class: "links" }, "Events of: ",
      ...result.article_ids.slice(0, 10).flatMap((id, i) => [i ? " · " : "",
        el("a", { href: href("events", { article: id }) }, id.slice(0, 16))]),
      result.article_ids.length > 10 ? ` and ${result.article_ids.length - 10} more` : "") : null,
    rejections.length ? el("div", { class: "table-wrap" }, el("table", { class: "results", id: "rejections" },
      el("thead", {}, el("tr", {}, ...["Where", "Code", "Reason"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rejections.map((r) => el("tr", {},
        el("td", {}, r.line != null ? `${r.origin}:${r.line}` : r.origin),
        el("td", {}, r.code), el("td", {}, r.reason))))))
      : el("p", { class: "muted" }, "Nothing was rejected."));
}

export async function renderIngest(root) {
  const health = await api.health();
  const token = el("input", { type: "password", name: "token", id: "f-token", autocomplete: "off" });
  token.value = getToken();
  const format = select("format", FORMATS, "text/plain");
  const file = el("input", { type: "file", name: "file", id: "f-file", accept: ".txt,.jsonl,.ndjson,.csv,.html,.htm" });
  const text = el("textarea", { name: "text", id: "f-text", rows: 12, spellcheck: "false",
    placeholder: "date 2025-02-06 Defence Minister … (one article), or JSON Lines / CSV / HTML" });
  const output = el("div", {});
  const form = el("form", { class: "ingest", "aria-label": "Ingest articles" },
    health.writes_enabled ? null : el("p", { class: "error", role: "alert" },
      "Writes are off on this server: start it with TIDINGS_TOKEN set or --token-file to enable ingest."),
    field("Write token", token),
    field("Format", format),
    field("Upload a file", file),
    field("…or paste", text),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Ingest")));
  file.addEventListener("change", () => {
    const suffix = (file.files[0]?.name.split(".").pop() || "").toLowerCase();
    if (FORMAT_OF_SUFFIX[suffix]) format.value = FORMAT_OF_SUFFIX[suffix];
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    setToken(token.value);
    const upload = file.files[0];
    const body = upload ? await upload.text() : text.value;
    mount(output, el("p", { class: "muted" }, "Ingesting…"));
    try {
      mount(output, report(await api.ingest(body, format.value, upload?.name)));
    } catch (error) {
      mount(output, errorBox(error));
    }
  });
  mount(root, el("h1", {}, "Ingest"), form, output);
}
