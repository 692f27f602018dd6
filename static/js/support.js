// Support console keyboard use: "/" jumps to the search box; ↓/↑ move between the results and
// back to the box. Everything still works without this file.
(function () {
  "use strict";

  function resultLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("#results .support-result-link"));
  }

  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("q");
    if (!box) return;
    var target = event.target;
    var typing = target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;

    var links = resultLinks();
    if (!links.length) return;
    if (target === box && event.key === "ArrowDown") {
      event.preventDefault();
      links[0].focus();
      return;
    }
    var index = links.indexOf(target);
    if (index === -1) return;
    event.preventDefault();
    if (event.key === "ArrowDown" && index < links.length - 1) links[index + 1].focus();
    else if (event.key === "ArrowUp") (index === 0 ? box : links[index - 1]).focus();
  });
})();
