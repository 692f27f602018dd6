// The wizard's enhancements: fields per sending mode, the console-path toggle, focus after
// htmx swaps. Every page works without this file.
"use strict";

(() => {
  // Single fields inside a group that apply to fewer modes than the group does.
  const MODE_FIELDS = { permit_whole_domain: ["sending_domain"] };

  // Hide what doesn't apply to the chosen mode. Hidden fields are still posted, and a field
  // with an error is never hidden (the customer must be able to see and fix it).
  function show(el, on) {
    el.classList.toggle("mode-hidden", !on && !el.querySelector(".is-invalid"));
  }

  function applyMode(form) {
    const checked = form.querySelector("input[name=mode]:checked");
    const mode = checked ? checked.value : "";
    for (const group of form.querySelectorAll("[data-modes]")) {
      show(group, group.dataset.modes.split(" ").includes(mode));
    }
    for (const [name, modes] of Object.entries(MODE_FIELDS)) {
      const field = form.querySelector(`#id_${name}`);
      const wrapper = field && field.closest(".mb-3");
      if (wrapper) show(wrapper, modes.includes(mode));
    }
    for (const el of form.querySelectorAll("[data-mode-only]")) {
      show(el, el.dataset.modeOnly === mode);
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

  // Whether the customer changed a field of a form since the page was shown.
  function changed(form) {
    for (const el of form.elements) {
      if (el.type === "hidden" || el.type === "submit" || el.type === "button") continue;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked !== el.defaultChecked) return true;
      } else if (el.tagName === "SELECT") {
        for (const option of el.options) if (option.selected !== option.defaultSelected) return true;
      } else if (el.value !== el.defaultValue) {
        return true;
      }
    }
    return false;
  }

  // The in-page Back link leaves the step without saving it: ask first if something was typed.
  // Capture phase, so a "stay" stops the click before htmx sees it.
  document.addEventListener(
    "click",
    (event) => {
      const back = event.target.closest("[data-wizard-back]");
      if (!back) return;
      const panel = back.closest("#wizard-panel") || document;
      const dirty = Array.from(panel.querySelectorAll("form")).some(changed);
      if (dirty && !window.confirm("You have changed this step without saving it. Go back and lose those changes?")) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  // A page the browser kept in its back-forward cache holds the answers as they were: fetch it
  // again so it shows what is saved now.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.reload();
  });

  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:load", (event) => init(event.detail.elt));

  // htmx leaves the page as it was when a request fails: say so instead of doing nothing.
  document.addEventListener("htmx:responseError", (event) => {
    if (event.detail.xhr.status === 429) {
      refusedHere(event.detail.elt, event.detail.xhr);
      return;
    }
    const box = document.getElementById("wizard-error");
    if (!box) return;
    box.textContent = "Something went wrong. Please try again, or reload the page.";
    box.hidden = false;
  });

  // A rate-limit refusal is said next to the control that was refused (the form, or the field
  // whose live check it was), with the server's words on when to try again.
  function refusedHere(control, xhr) {
    const anchor = control.closest("form") && control.tagName !== "FORM" && control.matches("input, textarea, select")
      ? control
      : (control.closest("form") || control);
    const seconds = xhr.getResponseHeader("Retry-After") || "60";
    // The 429's body is a short fragment (apps/core/ratelimit.py) saying what was limited and
    // when to try again; its text is shown, never its markup.
    const said = new DOMParser().parseFromString(xhr.responseText || "", "text/html").body
      .textContent.trim();
    const text = said && said.length < 300
      ? said
      : `Too many requests in a short time: try again in ${seconds} seconds.`;
    let note = anchor.nextElementSibling;
    if (!note || !note.matches("[data-rate-limited]")) {
      note = document.createElement("div");
      note.className = "alert alert-warning small py-1 mt-1";
      note.setAttribute("role", "alert");
      note.setAttribute("data-rate-limited", "");
      note.setAttribute("data-testid", "rate-limited");
      anchor.insertAdjacentElement("afterend", note);
    }
    note.textContent = text;
  }
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt.closest("form") || event.detail.elt;
    for (const old of [form.nextElementSibling, event.detail.elt.nextElementSibling]) {
      if (old && old.matches("[data-rate-limited]")) old.remove();
    }
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

  // The status region says "Working…" only while a request takes a noticeable time, and is
  // empty again once it ends, so screen readers hear nothing when nothing is happening.
  let working = null;
  document.addEventListener("htmx:beforeRequest", () => {
    const status = document.getElementById("wizard-status");
    if (!status || working) return;
    working = setTimeout(() => { status.textContent = "Working…"; }, 400);
  });
  document.addEventListener("htmx:afterRequest", () => {
    clearTimeout(working);
    working = null;
    const status = document.getElementById("wizard-status");
    if (status) status.textContent = "";
  });

  // After a swap, put the keyboard focus where the customer continues: the first field with an
  // error; else an element marked data-focus-after-swap (the ticked step's button, a new share
  // link, a form being changed); else a new step's heading. Without this, focus would fall back
  // to the top of the page when the element holding it is replaced.
  document.addEventListener("htmx:afterSettle", (event) => {
    const elt = event.detail.elt;
    if (!elt || !elt.id) return;
    const root = document.getElementById(elt.id);
    if (!root) return;
    const invalid = root.querySelector("[aria-invalid=true], .is-invalid");
    if (invalid) {
      invalid.focus();
      return;
    }
    const marked = root.querySelector("[data-focus-after-swap]");
    if (marked) {
      const field = marked.matches("form, fieldset, div")
        ? marked.querySelector("input:not([type=hidden]), textarea, select, button")
        : marked;
      if (field) field.focus();
      return;
    }
    if (elt.id === "wizard-panel") {
      const heading = document.getElementById("step-heading");
      if (heading) heading.focus();
    } else if (elt.id === "recipients") {
      const heading = document.getElementById("recipients-heading");
      if (heading) heading.focus();
    }
  });
})();
