// The wizard's enhancements: fields per sending mode, the console-path toggle, focus after
// htmx swaps. Every page works without this file.
"use strict";

(() => {
  const MODE_FIELDS = {
    customer_address: ["unverified_address", "verified_address", "sending_domain"],
    from_addresses: ["verified_address", "sending_domain"],
    display_name: ["verified_address", "sending_domain"],
    permit_whole_domain: ["sending_domain"],
  };

  function applyMode(form) {
    const checked = form.querySelector("input[name=mode]:checked");
    const mode = checked ? checked.value : "";
    for (const [name, modes] of Object.entries(MODE_FIELDS)) {
      const wrapper = form.querySelector(`#div_id_${name}`);
      if (wrapper) wrapper.classList.toggle("mode-hidden", !modes.includes(mode));
    }
    for (const el of form.querySelectorAll("[data-mode-only]")) {
      el.classList.toggle("mode-hidden", el.dataset.modeOnly !== mode);
    }
  }

  function setConsole(plan, which) {
    plan.classList.toggle("console-current", which === "current");
    plan.classList.toggle("console-legacy", which === "legacy");
    for (const button of plan.querySelectorAll("[data-console]")) {
      const on = button.dataset.console === which;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", String(on));
    }
  }

  function init(root) {
    for (const form of root.querySelectorAll("[data-sending-form]")) applyMode(form);
    for (const plan of root.querySelectorAll("[data-plan]")) {
      const toggle = plan.querySelector("[data-console-toggle]");
      if (toggle) toggle.hidden = false;
      if (!plan.classList.contains("console-legacy")) setConsole(plan, "current");
    }
    for (const el of root.querySelectorAll("[data-js-only]")) el.hidden = false;
  }

  document.addEventListener("change", (event) => {
    if (event.target.name === "mode") {
      const form = event.target.closest("[data-sending-form]");
      if (form) applyMode(form);
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-console]");
    if (!button) return;
    const plan = button.closest("[data-plan]");
    if (plan) setConsole(plan, button.dataset.console);
  });

  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:load", (event) => init(event.detail.elt));

  // htmx leaves the page as it was when a request fails: say so instead of doing nothing.
  document.addEventListener("htmx:responseError", (event) => {
    const box = document.getElementById("wizard-error");
    if (!box) return;
    box.textContent = event.detail.xhr.status === 429
      ? "Too many checks in a short time. Please wait a minute and try again."
      : "Something went wrong. Please try again, or reload the page.";
    box.hidden = false;
  });
  document.addEventListener("htmx:sendError", () => {
    const box = document.getElementById("wizard-error");
    if (!box) return;
    box.textContent = "We couldn't reach Safelist. Check your connection and try again.";
    box.hidden = false;
  });
  document.addEventListener("htmx:beforeRequest", () => {
    const box = document.getElementById("wizard-error");
    if (box) box.hidden = true;
  });

  // After a new step is swapped in, move focus to its heading for keyboard and screen readers.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.elt && event.detail.elt.id === "wizard-panel") {
      const heading = document.getElementById("step-heading");
      if (heading) heading.focus();
    }
  });
})();
