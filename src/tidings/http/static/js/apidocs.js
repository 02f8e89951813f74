// API reference drawn from the server's own /openapi.json, so it works offline and never
// disagrees with the code (the stock Swagger page would load scripts from a CDN).

import { el, mount } from "./dom.js";
import { api } from "./api.js";

function schemaText(schema) {
  if (!schema) return "";
  if (schema.enum) return schema.enum.join(" | ");
  if (schema.anyOf) return schema.anyOf.map(schemaText).filter(Boolean).join(" or ");
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.type === "array" && schema.items) return `list of ${schemaText(schema.items)}`;
  return schema.type || "";
}

export async function renderApiDocs(root) {
  const spec = await api.openapi();
  const sections = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters || [];
      sections.push(el("section", { class: "endpoint" },
        el("h2", {}, el("code", {}, `${method.toUpperCase()} ${path}`)),
        op.summary ? el("p", {}, op.summary) : null,
        op.description ? el("p", { class: "muted pre" }, op.description) : null,
        op.requestBody ? el("p", {}, "Body: ", Object.keys(op.requestBody.content || {}).join(", "),
          op.requestBody.description ? el("span", { class: "muted" }, ` — ${op.requestBody.description}`) : null) : null,
        params.length ? el("div", { class: "table-wrap" }, el("table", { class: "provenance" },
          el("thead", {}, el("tr", {}, ...["Parameter", "In", "Type", "About"].map((h) => el("th", {}, h)))),
          el("tbody", {}, ...params.map((p) => el("tr", {},
            el("th", { scope: "row" }, p.name + (p.required ? " *" : "")), el("td", {}, p.in),
            el("td", {}, schemaText(p.schema)), el("td", {}, p.description || ""))))))
          : null));
    }
  }
  mount(root, el("h1", {}, `${spec.info.title} API ${spec.info.version}`),
    el("p", {}, "Machine-readable schema: ", el("a", { href: "/openapi.json" }, "/openapi.json"),
      ". Write endpoints need the header Authorization: Bearer TOKEN."),
    ...sections);
}
