// OCMS behaviour that needs a script: small, and never inline (the Content-Security-Policy forbids it).
"use strict";

// Ask before a form button marked data-confirm submits.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
