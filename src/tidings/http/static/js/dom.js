// DOM building without innerHTML: every piece of data reaches the page as a text node,
// so article text holding markup (<script>, onerror=...) is shown, never run.

const SVG_NS = "http://www.w3.org/2000/svg";

function applyAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) {
      throw new Error(`use node.addEventListener, not the ${key} attribute`);
    }
    if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element; strings among children become text nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

/** An SVG element, built the same way. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Replace everything inside a node. */
export function mount(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A labelled form field; `control` is an input or select element. */
export function field(labelText, control) {
  return el("label", { class: "field" }, el("span", {}, labelText), control);
}

export function select(name, options, current) {
  const node = el("select", { name, id: `f-${name}` });
  for (const option of options) {
    const [value, text] = Array.isArray(option) ? option : [option, option || "any"];
    const opt = el("option", { value }, text);
    if (String(value) === String(current ?? "")) opt.selected = true;
    node.append(opt);
  }
  return node;
}

export function input(name, value, attrs = {}) {
  const node = el("input", { name, id: `f-${name}`, ...attrs });
  node.value = value ?? "";
  return node;
}

export function errorBox(error) {
  return el("p", { class: "error", role: "alert" }, String(error.message || error));
}
