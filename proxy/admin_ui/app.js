// The dashboard's shell: sign in with the admin key, then one page per location hash.
import { ApiError, api, forgetKey, saveKey, savedKey } from "./api.js";
import evidence from "./evidence.js";
import keys from "./keys.js";
import policies from "./policies.js";
import routing from "./routing.js";
import traffic from "./traffic.js";

const PAGES = { traffic, routing, evidence, policies, keys };
const $ = (id) => document.getElementById(id);
let stopPage = null;

function show(signedIn) {
  $("sign-in").hidden = signedIn;
  $("nav").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
  $("view").hidden = !signedIn;
}

function route() {
  if (stopPage) stopPage();
  stopPage = null;
  if (!savedKey()) return;
  const name = location.hash.slice(1) in PAGES ? location.hash.slice(1) : "traffic";
  for (const link of $("nav").querySelectorAll("a")) {
    link.classList.toggle("current", link.hash === `#${name}`);
  }
  const view = $("view");
  view.replaceChildren();
  stopPage = PAGES[name](view) ?? null;
}

async function signIn(event) {
  event.preventDefault();
  $("sign-in-error").textContent = "";
  saveKey($("admin-key").value);
  try {
    await api("/admin/stats");
  } catch (error) {
    forgetKey();
    if (!(error instanceof ApiError && error.status === 401)) {
      $("sign-in-error").textContent = `Cannot reach the admin API: ${error.message}`;
    }
    return;
  }
  $("admin-key").value = "";
  show(true);
  route();
}

function signOut(message = "") {
  forgetKey();
  if (stopPage) stopPage();
  stopPage = null;
  $("view").replaceChildren();
  $("sign-in-error").textContent = message;
  show(false);
}

$("sign-in").addEventListener("submit", signIn);
$("sign-out").addEventListener("click", () => signOut());
window.addEventListener("admin-key-refused", () => signOut("That admin key was not accepted."));
window.addEventListener("hashchange", route);
show(Boolean(savedKey()));
route();
