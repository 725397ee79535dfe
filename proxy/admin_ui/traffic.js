// Live traffic since the gateway started: calls, overhead, errors by provider, and the
// governance decisions by rule. Refreshed every few seconds while the page is open.
import { api } from "./api.js";
import { card, failure, h, ms, table } from "./dom.js";

const REFRESH_MS = 3000;

function render(view, stats) {
  const providers = Object.entries(stats.providers).map(([name, p]) => [
    name === "none" ? "none (answered by the gateway)" : name,
    p.requests,
    p.errors,
    Object.entries(p.upstream).map(([kind, n]) => `${kind}: ${n}`).join(", ") || "–",
  ]);
  const decisions = stats.decisions.map((d) => [d.decision, d.rule || "–", d.calls]);
  view.replaceChildren(
    h("h2", {}, "Live traffic"),
    h("div", { class: "cards" },
      card("Requests", stats.requests, `${stats.in_flight} in flight`),
      card("Overhead p50", ms(stats.overhead_ms.p50)),
      card("Overhead p99", ms(stats.overhead_ms.p99)),
      card("Latency p50", ms(stats.latency_ms.p50)),
      card("Latency p99", ms(stats.latency_ms.p99))),
    h("h3", {}, "By provider"),
    table(["Provider", "Requests", "Errors", "Failed upstream attempts"], providers),
    h("h3", {}, "Decisions by rule"),
    table(["Decision", "Rule", "Calls"], decisions, "No call has been judged yet."),
    h("p", { class: "note" }, "This process's counts since it started; refreshed every 3 s."),
  );
}

export default function mount(view) {
  let stopped = false;
  let timer = null;
  async function tick() {
    try {
      const stats = await api("/admin/stats");
      if (!stopped) render(view, stats);
    } catch (error) {
      if (!stopped) view.replaceChildren(h("h2", {}, "Live traffic"), failure(error));
    }
    if (!stopped) timer = setTimeout(tick, REFRESH_MS);
  }
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
