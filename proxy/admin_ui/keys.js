// Client keys: the list (config keys first, read-only), create, rotate with a grace period,
// revoke. A secret is shown once, in the answer that made it, and never again.
import { api } from "./api.js";
import { failure, h, table } from "./dom.js";

const when = (iso) => (iso ? iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC") : "–");

function secretBox(key, verb) {
  return h("div", { class: "secret", role: "status" },
    h("p", {}, `${verb} ${key.name} (${key.id}). Copy the secret now: it is not shown again.`),
    h("code", {}, key.secret));
}

function createForm(done) {
  const form = h("form", { class: "filters", onsubmit: async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = { name: f.name.value.trim(), org: f.org.value.trim() };
    if (f.team.value.trim()) body.team = f.team.value.trim();
    if (f.expires.value) body.expires_at = new Date(f.expires.value).toISOString();
    if (f.rpm.value) body.limits = { rpm: Number(f.rpm.value) };
    try {
      const key = await api("/admin/keys", { method: "POST", body });
      form.reset();
      done(secretBox(key, "Created"));
    } catch (error) {
      done(failure(error));
    }
  } },
  h("label", {}, "Name", h("input", { name: "name", required: true, maxlength: 64 })),
  h("label", {}, "Org", h("input", { name: "org", required: true })),
  h("label", {}, "Team", h("input", { name: "team", placeholder: "default" })),
  h("label", {}, "Expires (optional)", h("input", { name: "expires", type: "datetime-local" })),
  h("label", {}, "Requests a minute (optional)", h("input", { name: "rpm", type: "number", min: 1 })),
  h("button", { type: "submit" }, "Create key"));
  return form;
}

// One panel per action; a rotation carries an Idempotency-Key made when the panel opened, so
// pressing the button twice (or a retried request) rotates once.
function rotatePanel(key, done) {
  const idempotency = crypto.randomUUID();
  const grace = h("input", { name: "grace", type: "number", min: 0, value: 0 });
  return h("form", { class: "panel", onsubmit: async (event) => {
    event.preventDefault();
    try {
      const rotated = await api(`/admin/keys/${encodeURIComponent(key.id)}/rotate`, {
        method: "POST", body: { grace_s: Number(grace.value) }, headers: { "idempotency-key": idempotency },
      });
      done(secretBox(rotated, "Rotated"));
    } catch (error) {
      done(failure(error));
    }
  } },
  h("p", {}, `Rotate ${key.name}: a new secret; the old one keeps working for the grace period.`),
  h("label", {}, "Grace period (seconds)", grace),
  h("button", { type: "submit" }, "Rotate now"));
}

function revokePanel(key, done) {
  return h("form", { class: "panel", onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api(`/admin/keys/${encodeURIComponent(key.id)}/revoke`, { method: "POST" });
      done(h("p", { class: "ok", role: "status" }, `Revoked ${key.name}.`));
    } catch (error) {
      done(failure(error));
    }
  } },
  h("p", {}, `Revoke ${key.name}? Calls with it are refused at once, on every replica within a second.`),
  h("button", { type: "submit", class: "danger" }, "Revoke now"));
}

export default function mount(view) {
  const message = h("div");
  const panel = h("div");
  const list = h("div");
  let keys = [];

  function actions(key) {
    if (key.source === "config") return "read-only (config)";
    if (key.status === "revoked") return "–";
    const open = (make) => () => panel.replaceChildren(make(key, finished));
    return h("span", { class: "actions" },
      h("button", { type: "button", onclick: open(rotatePanel) }, `Rotate ${key.name}`),
      h("button", { type: "button", class: "danger", onclick: open(revokePanel) }, `Revoke ${key.name}`));
  }

  async function load(after) {
    try {
      const page = await api(`/admin/keys?limit=50${after ? `&after=${encodeURIComponent(after)}` : ""}`);
      keys = after ? keys.concat(page.data) : page.data;
      const more = page.has_more
        ? [h("button", { type: "button", onclick: () => load(page.next_after) }, "Load more")]
        : [];
      list.replaceChildren(
        table(["Name", "Id", "Org", "Team", "Status", "Created", "Expires", "Old secret until", ""],
          keys.map((k) => [k.name, k.id, k.org, k.team, k.status, when(k.created_at),
            when(k.expires_at), when(k.previous_secret_expires_at), actions(k)]),
          "No keys yet."),
        ...more);
    } catch (error) {
      list.replaceChildren(failure(error));
    }
  }

  function finished(shown) {
    panel.replaceChildren();
    message.replaceChildren(shown);
    load();
  }

  view.replaceChildren(
    h("h2", {}, "Keys"),
    message,
    h("h3", {}, "New key"),
    createForm(finished),
    h("h3", {}, "All keys"),
    panel,
    list);
  load();
}
