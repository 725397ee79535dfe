// The ledger: its verify status, and its records searched by request id, key, decision and
// time, newest first, a page at a time.
import { api } from "./api.js";
import { failure, h, table } from "./dom.js";

const FILTERS = [
  ["request_id", "Request id", "text"],
  ["key", "Key name", "text"],
  ["decision", "Decision (allow, deny, deny:<rule> …)", "text"],
  ["since", "Since", "datetime-local"],
  ["until", "Until", "datetime-local"],
];

const count = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;

// The writer's state is cheap and shown at once; a verify reads every record, so it runs when
// asked.
async function showWriter(into) {
  try {
    const w = await api("/admin/evidence");
    into.replaceChildren(w.enabled
      ? h("p", { class: w.status === "ok" ? "ok" : "error" },
        `Writer ${w.writer_id}: ${w.status}${w.reason ? ` (${w.reason})` : ""}; ` +
        `${w.written} records written, ${w.pending} waiting for the store.`)
      : h("p", { class: "empty" }, "Evidence is off in this gateway's config."));
  } catch (error) {
    into.replaceChildren(failure(error));
  }
}

async function showVerify(into) {
  into.replaceChildren(h("p", { class: "note" }, "Verifying every chain…"));
  try {
    const v = await api("/admin/evidence/verify", { answers: [409] });
    const spooled = v.spooled ? `; ${v.spooled} more spooled, not yet in the store` : "";
    into.replaceChildren(v.ok
      ? h("p", { class: "ok" }, `Ledger verified: ${count(v.records, "record")} in ${count(v.chains, "chain")}${spooled}.`)
      : h("p", { class: "error" }, `Ledger BROKEN: ${v.first_break}`));
  } catch (error) {
    into.replaceChildren(failure(error));
  }
}

function params(form, after) {
  const query = new URLSearchParams();
  for (const [name, , type] of FILTERS) {
    const value = form.elements[name].value.trim();
    if (!value) continue;
    // datetime-local is the browser's local time without a zone: send it as UTC.
    query.set(name, type === "datetime-local" ? new Date(value).toISOString() : value);
  }
  if (after) query.set("after", after);
  return query;
}

function row(record, details) {
  const open = () => details.replaceChildren(
    h("h3", {}, `Record ${record.request_id}`), h("pre", {}, JSON.stringify(record, null, 2)));
  return [
    record.ts,
    h("button", { type: "button", class: "link", onclick: open }, record.request_id),
    record.key_id, record.model ?? "–", record.decision, record.status, record.sensitivity,
    record.route,
  ];
}

export default function mount(view) {
  const writer = h("div");
  const verified = h("div");
  const results = h("div");
  const details = h("div", { class: "details" });
  let rows = [];
  async function search(form, after) {
    try {
      const page = await api(`/admin/evidence/records?${params(form, after)}`);
      rows = after ? rows.concat(page.records) : page.records;
      const more = page.next
        ? h("button", { type: "button", onclick: () => search(form, page.next) }, "Load more")
        : null;
      results.replaceChildren(
        h("p", { class: "note" }, `${count(rows.length, "record")} shown` +
          (page.spooled ? `; ${page.spooled} answered calls are still spooled, not yet searchable` : "")),
        table(["Time (UTC)", "Request id", "Key", "Model", "Decision", "Status", "Sensitivity", "Route"],
          rows.map((r) => row(r, details)), "No record matches."),
        ...(more ? [more] : []),
      );
    } catch (error) {
      results.replaceChildren(failure(error));
    }
  }
  const form = h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); search(e.target); } },
    FILTERS.map(([name, label, type]) => h("label", {}, label, h("input", { name, type }))),
    h("button", { type: "submit" }, "Search"));
  view.replaceChildren(
    h("h2", {}, "Evidence"),
    writer,
    h("div", { class: "verify" },
      h("button", { type: "button", onclick: () => showVerify(verified) }, "Verify the ledger"),
      verified),
    h("h3", {}, "Search records"),
    form, results, details,
  );
  showWriter(writer);
  search(form);
}
