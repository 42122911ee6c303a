// OCMS behaviour that needs a script: small, and never inline (the Content-Security-Policy forbids it).
"use strict";

// Ask before a form button marked data-confirm submits.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// [+] rows of a formset: copy the row template, numbered after the rows already there.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const prefix = button.dataset.addRow;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`${prefix}-empty`);
  const index = Number(total.value);
  const html = template.innerHTML.replaceAll("__prefix__", String(index));
  const rows = button.closest("[data-formset]").querySelector(".formset-rows");
  rows.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  // Numbered as the rows the page came with are ("Identifier 2"): a screen reader tells the rows apart by it.
  const legend = rows.lastElementChild.querySelector("legend");
  if (legend) legend.textContent = `${legend.textContent.trim()} ${index + 1}`;
  // No more rows than the form keeps (the server refuses more, saying so).
  if (button.dataset.maxRows && index + 1 >= Number(button.dataset.maxRows)) button.disabled = true;
  const first = rows.lastElementChild.querySelector("select, input:not([type=hidden]), textarea");
  if (first) first.focus();
});

// NOC lookup: "Select" fills the code field and shows the title.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-noc-target]");
  if (!button) return;
  const input = document.getElementById(button.dataset.nocTarget);
  input.value = button.dataset.nocCode;
  document.getElementById(`${button.dataset.nocTarget}_title`).textContent =
    `${button.dataset.nocCode} ${button.dataset.nocTitle}`;
  document.getElementById(`${button.dataset.nocTarget}_results`).replaceChildren();
  input.focus();
});

// Registration site: "Select Site" fills the site and its name.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-site-code]");
  if (!button) return;
  const picker = button.closest(".site-picker");
  picker.querySelector("input[type=hidden]").value = button.dataset.siteCode;
  const name = picker.querySelector("[data-site-name]");
  name.value = button.dataset.siteName;
  picker.querySelector("#site-results").replaceChildren();
  name.focus();
});

// Lookups (the NOC, the Registration Site, a relative's family). Their search boxes stand outside the page's form on
// purpose (Enter there must not press Next), so Enter in one presses its lookup's first Find. What a search finds is
// said in the lookup's status region, which is on the page before any search (a live region added with its text is
// often not read); after Find, focus moves to the results. A selection puts focus on the field it filled.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.isComposing || !event.target.matches("[data-lookup-search]")) return;
  event.preventDefault();
  event.target.closest("[data-lookup]").querySelector("[data-lookup-find]").click();
});

// A part of a form with a button of its own (the draft's Unlock, inside the step's form): Enter in one of its boxes
// presses that button (data-enter-presses names it), not the form's first (Next), which would leave the step.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.isComposing || !event.target.matches("input")) return;
  const part = event.target.closest("[data-enter-presses]");
  const button = part && part.querySelector(part.dataset.enterPresses);
  if (!button || !event.target.form) return;
  event.preventDefault();
  event.target.form.requestSubmit(button);
});

// The live identifier check of the Client Identification step: told when an identifier value is typed or a type
// chosen. htmx's own event filters would say the same, but they are run as script, which the page's
// Content-Security-Policy refuses.
function identifierCheck(event, name) {
  const field = event.target;
  if (!field.name || !field.name.startsWith("identifiers-") || !field.name.endsWith(name) || !window.htmx) return;
  const check = field.form && field.form.querySelector("[data-identifier-check]");
  if (check) window.htmx.trigger(check, name === "-value" ? "identifier-typed" : "identifier-chosen");
}
document.addEventListener("input", (event) => identifierCheck(event, "-value"));
document.addEventListener("change", (event) => identifierCheck(event, "-identifier_type"));

// Enter in a drop-down presses its form's default button, as it does in a text field (browsers submit a form
// implicitly from text fields only): Next on a wizard step whose only field is a drop-down (Privacy).
document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (event.key !== "Enter" || event.isComposing || !field.matches("select:not([multiple])") || !field.form) return;
  const submitter = field.form.querySelector("button[type=submit], input[type=submit]");
  if (!submitter) return;
  event.preventDefault();
  field.form.requestSubmit(submitter);
});

// A search is asked once: the NOC box's own search (a moment after the last key) is not sent again for what Enter or
// Find has already asked. Its answer would replace the results being read, or bring back those a selection closed.
document.addEventListener("htmx:configRequest", (event) => {
  const lookup = event.detail.elt.closest("[data-lookup]");
  const search = lookup && lookup.querySelector("[data-lookup-search]");
  if (!search) return;
  if (event.detail.elt === search && lookup.dataset.searched === search.value) event.preventDefault();
  else lookup.dataset.searched = search.value;
});

function announce(region, text) {
  // Emptied first: the same words twice (two searches finding as many) are said twice.
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 100);
}

document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.target;
  if (event.target !== target) return;
  const lookup = target.closest("[data-lookup]");
  if (!lookup) return;
  const said = target.querySelector("[data-announce]");
  const status = lookup.querySelector("[data-lookup-status]");
  if (said && status) announce(status, said.textContent.trim());
  const pressed = event.detail.requestConfig && event.detail.requestConfig.elt;
  const results = lookup.querySelector("[data-lookup-results]");
  if (pressed && pressed.matches("[data-lookup-find]") && results && results.textContent.trim()) results.focus();
});

// Tabs follow the ARIA tabs pattern (arrow keys, Home and End move between them) through Bootstrap's Tab, which
// listens to a tab's keys only once the tab has an instance: every tab gets one, whether it came with the page or
// later through htmx (the unlocked Sensitive Information).
function tabsPrepare(root) {
  if (!window.bootstrap) return;
  const tabs = [...root.querySelectorAll('[data-bs-toggle="tab"]')];
  if (root.matches && root.matches('[data-bs-toggle="tab"]')) tabs.push(root);
  tabs.forEach((tab) => window.bootstrap.Tab.getOrCreateInstance(tab));
}
document.addEventListener("DOMContentLoaded", () => tabsPrepare(document));
document.addEventListener("htmx:load", (event) => tabsPrepare(event.target));
// And a key pressed on a tab that has none yet (however it came) gives it one before the key reaches it: a listener
// added on the way down still hears the key.
document.addEventListener("keydown", (event) => tabsPrepare(event.target), true);

// A page whose form has errors opens on its error summary. Each of its links puts focus on its field, opening the
// tab or the <details> the field is in first; a field that cannot take focus (a hidden input) gives it to the first
// control of its block.
function fieldReveal(element) {
  const pane = element.closest(".tab-pane");
  if (pane && !pane.classList.contains("active") && window.bootstrap) {
    const tab = document.querySelector(`[data-bs-toggle="tab"][data-bs-target="#${pane.id}"]`);
    if (tab) window.bootstrap.Tab.getOrCreateInstance(tab).show();
  }
  const details = element.closest("details");
  if (details) details.open = true;
}

function focusableFor(element) {
  if (element.type !== "hidden" && !element.hidden) return element;
  const block = element.closest(".mb-3, fieldset, tr, [data-lookup]");
  return (block && block.querySelector("input:not([type=hidden]), select, textarea, button")) || element;
}

// An error message brought by a redirect (Register with a step still to do) is focused the same way, whichever
// comes first, as is the outcome of a background job the page was opened again to show (data-focus-on-load).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary], [data-message-error], [data-focus-on-load]");
  if (summary) summary.focus();
});
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) return;
  const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) return;
  event.preventDefault();
  fieldReveal(target);
  const field = focusableFor(target);
  field.focus();
  (field.labels && field.labels[0] ? field.labels[0] : field).scrollIntoView({ block: "center" });
});

// The agency status follows the Agency Program Table: Returning once any program is Returning.
function showAgencyStatus() {
  const output = document.querySelector("[data-agency-status]");
  if (!output) return;
  const returning = [...document.querySelectorAll("select[name$='-status']")].some((s) => s.value === "returning");
  output.textContent = returning ? output.dataset.returning : output.dataset.new;
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[name$='-status']")) showAgencyStatus();
});
document.addEventListener("DOMContentLoaded", showAgencyStatus);

// Sensitive Information: a refusal (403, 429) replaces the locked section, so its reason shows where the user looks.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if ((status === 403 || status === 429) && event.detail.target.closest("[data-swap-refusals]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// A request made within the page that fails (a server error, no connection) says so at the top of the page, instead
// of leaving the page as it was with no word; the next request that succeeds takes the message away.
function requestError(kind) {
  const region = document.querySelector("[data-request-error]");
  if (!region) return;
  region.hidden = false;
  announce(region, region.dataset[kind]);
}
document.addEventListener("htmx:responseError", () => requestError("server"));
document.addEventListener("htmx:sendError", () => requestError("network"));
document.addEventListener("htmx:afterRequest", (event) => {
  const region = document.querySelector("[data-request-error]");
  if (region && event.detail.successful) region.hidden = true;
});

// Unlocked Sensitive Information never outlives the page: it is emptied when the page is left, and a page
// the browser brings back from its back/forward cache is loaded again, locked.
window.addEventListener("pagehide", () => {
  document.querySelectorAll("[data-sensitive-unlocked]").forEach((element) => element.replaceChildren());
});
window.addEventListener("pageshow", (event) => {
  if (event.persisted && document.querySelector("[data-sensitive-unlocked]")) window.location.reload();
});

// Consent Required: the contacts' required fields are marked as soon as Yes is chosen, not only after Next.
function showConsentRequired() {
  const select = document.querySelector("select[name=consent_required]");
  if (!select) return;
  const required = select.value === "true";
  document.querySelectorAll("[data-required-with-consent]").forEach((field) => {
    field.classList.toggle("field-ocms", required);
    field.querySelectorAll("[data-consent-marker]").forEach((marker) => {
      marker.hidden = !required;
    });
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[name=consent_required]")) showConsentRequired();
});
document.addEventListener("DOMContentLoaded", showConsentRequired);

// A registration step keeps what is typed in its draft as it is typed (a second after the last key), so an idle
// logout, a closed tab or a language switch loses nothing. Next, Back and the step pills post the form as before.
const AUTOSAVE_DELAY = 1000;
let autosaveTimer = null;

function autosaveData(form) {
  const data = new FormData(form);
  data.set("go", "autosave");
  return data;
}

function autosave() {
  const form = document.querySelector("form[data-autosave]");
  clearTimeout(autosaveTimer);
  autosaveTimer = null;
  if (!form) return Promise.resolve();
  return fetch(form.action, { method: "POST", body: autosaveData(form), credentials: "same-origin" })
    .then((response) => idleFrom(response.headers.get("X-Session-Remaining")))
    .catch(() => {});
}

for (const kind of ["input", "change"]) {
  document.addEventListener(kind, (event) => {
    if (!event.target.closest("form[data-autosave]") || idleWarned) return;
    clearTimeout(autosaveTimer);
    autosaveTimer = setTimeout(autosave, AUTOSAVE_DELAY);
  });
}
// The form's own submit carries everything: nothing left to keep.
document.addEventListener("submit", (event) => {
  if (event.target.matches("form[data-autosave]")) {
    clearTimeout(autosaveTimer);
    autosaveTimer = null;
  }
});
// A tab closed (or left) before the second is up: kept all the same.
window.addEventListener("pagehide", () => {
  const form = document.querySelector("form[data-autosave]");
  if (form && autosaveTimer) navigator.sendBeacon(form.action, autosaveData(form));
});
// The language switch waits for the step to be kept, then changes the language (and shows the step again in it).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches(".ocms-language") || !autosaveTimer) return;
  event.preventDefault();
  const submitter = event.submitter;
  autosave().then(() => form.requestSubmit(submitter));
});

// The idle logout: a warning before it (data-idle-warning seconds, two minutes), with a button that keeps the login.
// Another tab's activity keeps it too: the page asks how long is left before warning (asking is not activity).
let idleTimer = null;
let idleWarned = false; // the warning is open: what its opening sets off (a field's change on blur) is not activity

function idleWarning() {
  return Number(document.body.dataset.idleWarning || 120);
}

function idleFrom(remaining) {
  if (remaining === null || remaining === undefined || remaining === "") return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(idleCheck, Math.max(0, Number(remaining) - idleWarning()) * 1000);
}

// How long the login has left, or null once it has ended (the answer is then the login page, without the header).
function sessionAsk(method) {
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  return fetch(document.body.dataset.sessionUrl, { method, headers, credentials: "same-origin" }).then((response) =>
    response.headers.get("X-Session-Remaining") === null ? null : response.json().then((answer) => answer.remaining),
  );
}

function idleCheck() {
  sessionAsk("GET").then(
    (remaining) => {
      if (remaining === null) return window.location.reload(); // signed out: the login page, then back here
      if (remaining > idleWarning() + 10) return idleFrom(remaining);
      const dialog = document.getElementById("idle-warning");
      if (!dialog.open) {
        if (autosaveTimer) autosave();
        idleWarned = true;
        dialog.showModal();
      }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(idleCheck, (remaining + 1) * 1000);
    },
    () => idleFrom(idleWarning() + 60), // the server did not answer: ask again in a minute
  );
}

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-keep-session]")) document.getElementById("idle-warning").close();
});
// However the warning is closed (the button, or Escape), the user is there: the login is kept.
document.addEventListener(
  "close",
  (event) => {
    if (event.target.id !== "idle-warning") return;
    idleWarned = false;
    sessionAsk("POST").then(
      (remaining) => (remaining === null ? window.location.reload() : idleFrom(remaining)),
      () => idleFrom(idleWarning() + 60),
    );
  },
  true,
);
document.addEventListener("htmx:beforeRequest", (event) => {
  if (idleWarned) event.preventDefault();
});
document.addEventListener("htmx:afterRequest", (event) => {
  idleFrom(event.detail.xhr.getResponseHeader("X-Session-Remaining"));
});
document.addEventListener("DOMContentLoaded", () => idleFrom(document.body.dataset.sessionRemaining));
