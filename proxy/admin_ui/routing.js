// Breaker states, and the order the router would try a model's targets now, with scores.
import { api } from "./api.js";
import { failure, h, ms, table } from "./dom.js";

// The answer for the model picked last wins: an earlier, slower answer is not drawn over it.
let latest = null;

async function scores(model, into) {
  latest = model;
  try {
    const ranked = await api(`/admin/routes?model=${encodeURIComponent(model)}`);
    if (model !== latest) return;
    into.replaceChildren(
      h("p", {}, `Strategy: ${ranked.strategy}`),
      table(
        ["Target", "Score", "Breaker", "Latency", "Error rate", "Calls"],
        ranked.targets.map((t) => [
          t.target, Number(t.score).toFixed(3), t.breaker, ms(t.latency_ms), t.error_rate, t.calls,
        ]),
      ),
    );
  } catch (error) {
    if (model === latest) into.replaceChildren(failure(error));
  }
}

export default function mount(view) {
  (async () => {
    try {
      const [breakers, routes] = await Promise.all([api("/admin/breakers"), api("/admin/routes")]);
      const states = Object.entries(breakers.breakers).map(([target, b]) => [target, b.state, b.failures]);
      const ranking = h("div");
      const picker = h("select", { "aria-label": "Model", onchange: (e) => scores(e.target.value, ranking) },
        routes.models.map((m) => h("option", { value: m }, m)));
      view.replaceChildren(
        h("h2", {}, "Breakers"),
        breakers.enabled
          ? table(["Target", "State", "Failures"], states, "No target has been called yet.")
          : h("p", { class: "empty" }, "Breakers are off in this gateway's config."),
        h("h2", {}, "Route scores"),
        h("label", {}, "Model or alias ", picker),
        ranking,
      );
      if (routes.models.length) scores(routes.models[0], ranking);
    } catch (error) {
      view.replaceChildren(h("h2", {}, "Routing"), failure(error));
    }
  })();
}
