// Small progressive enhancements; every page works without this file.
"use strict";

// Lets CSS hide notes meant only for pages without JavaScript (`.no-js-note`).
document.documentElement.classList.add("js");

// Copy buttons (and anything else marked data-js-only) are hidden in the HTML, because they
// need this file to work; show them once it runs, including in content htmx swaps in.
function showScriptedControls(root) {
  for (const el of root.querySelectorAll("[data-copy][hidden], [data-js-only][hidden]")) {
    el.hidden = false;
  }
}
document.addEventListener("DOMContentLoaded", () => showScriptedControls(document));
document.addEventListener("htmx:load", (event) => showScriptedControls(event.detail.elt));

// One polite live region, so screen readers hear what a click did.
function announce(message) {
  let region = document.getElementById("js-announce");
  if (!region) {
    region = document.createElement("div");
    region.id = "js-announce";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    document.body.append(region);
  }
  region.textContent = "";
  setTimeout(() => { region.textContent = message; }, 50);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  const text = source.value !== undefined ? source.value : source.textContent;
  navigator.clipboard.writeText(text.trim()).then(() => {
    if (!button.dataset.label) button.dataset.label = button.textContent;
    button.textContent = "Copied";
    announce("Copied.");
    setTimeout(() => { button.textContent = button.dataset.label; }, 1500);
  }, () => announce("Couldn't copy: select the text and copy it yourself."));
});
