// Elements built with text nodes only: values from the ledger (models, request ids) are
// client-supplied, so nothing is ever parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function table(columns, rows, empty = "Nothing yet.") {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "table",
    {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map((cell) => h("td", {}, cell))))),
  );
}

export function card(label, value, note) {
  return h("div", { class: "card" }, h("span", { class: "label" }, label),
    h("strong", {}, value), note ? h("small", {}, note) : null);
}

export const ms = (value) =>
  value === null || value === undefined ? "–" : `${Number(value).toFixed(2)} ms`;

export function failure(error) {
  return h("p", { class: "error", role: "alert" }, error.message);
}
