// The policy tree in force (root, orgs, teams, keys, each with its rules), and explain: the
// decision a sample prompt would get, from the running gateway's own judging stages.
import { api } from "./api.js";
import { failure, h, table } from "./dom.js";

const value = (v) => (typeof v === "string" ? v : JSON.stringify(v));
// Files are named from the policy root, as they are laid out under it.
let root = "";
const file = (path) => (root && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path);

function node(n) {
  const rules = table(["Rule", "Value", "From"], n.rules.map((r) => [r.rule, value(r.value), file(r.from)]),
    "No rule: nothing is restricted here.");
  return h("li", {},
    h("details", { open: n.kind !== "key" },
      h("summary", {}, h("span", { class: "kind" }, n.kind), ` ${n.name} `,
        h("small", {}, `version ${n.version}`)),
      rules,
      n.children.length ? h("ul", { class: "tree" }, n.children.map(node)) : null));
}

function report(r) {
  return h("div", { class: "report" },
    h("p", { class: r.denial ? "decision deny" : "decision" }, `Decision: ${r.decision}`),
    r.denial ? h("p", {}, `Denied by ${r.denial.rule}: ${r.denial.reason}`) : null,
    h("p", {}, `Sensitivity: ${r.sensitivity}; findings: ${
      Object.entries(r.findings).map(([t, n]) => `${t} ×${n}`).join(", ") || "none"}`),
    h("p", {}, `Backends allowed: ${r.backends.join(", ") || "none"}`),
    h("p", {}, `Policy ${r.policy_version} from ${r.policy_files.map(file).join(" → ") || "the built-in base"}`),
    h("h4", {}, "Why"),
    h("ul", {}, r.rules.map((line) => h("li", {}, line))),
    h("h4", {}, "Compliance"),
    table(["Pack", "Control", "Result"], r.compliance, "No compliance pack applies."));
}

async function runExplain(form, into) {
  const f = form.elements;
  const body = { model: f.model.value, prompt: f.prompt.value };
  if (f.key.value.trim()) body.key = f.key.value.trim();
  into.replaceChildren(h("p", { class: "note" }, "Explaining…"));
  try {
    into.replaceChildren(report(await api("/admin/policies/explain", { method: "POST", body })));
  } catch (error) {
    into.replaceChildren(failure(error));
  }
}

export default function mount(view) {
  (async () => {
    try {
      const [policies, routes] = await Promise.all([api("/admin/policies/tree"), api("/admin/routes")]);
      root = policies.root ?? "";
      const result = h("div");
      const form = h("form", { class: "explain", onsubmit: (e) => { e.preventDefault(); runExplain(e.target, result); } },
        h("label", {}, "Key (a config key's name or an API key's id)", h("input", { name: "key", type: "text" })),
        h("label", {}, "Model", h("select", { name: "model" }, routes.models.map((m) => h("option", { value: m }, m)))),
        h("label", { class: "wide" }, "Sample prompt", h("textarea", { name: "prompt", rows: 4, required: true })),
        h("button", { type: "submit" }, "Explain"));
      view.replaceChildren(
        h("h2", {}, "Policy tree"),
        policies.tree
          ? h("div", {}, h("p", { class: "note" }, `Loaded from ${policies.root}`),
            h("ul", { class: "tree" }, node(policies.tree)))
          : h("p", { class: "empty" }, "No policy tree: governance.policies is not set."),
        h("h2", {}, "Explain a prompt"),
        form, result);
    } catch (error) {
      view.replaceChildren(h("h2", {}, "Policies"), failure(error));
    }
  })();
}
