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
    field.querySelector("[data-consent-marker]").hidden = !required;
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[name=consent_required]")) showConsentRequired();
});
document.addEventListener("DOMContentLoaded", showConsentRequired);
