// Callback's only script, served from static/ so the Content-Security-Policy allows no inline script.
// A form with data-confirm asks before it is sent (cancelling a session, declining an offer, ...).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// Phone widths: the menu collapses behind a button (without JavaScript it simply stays open).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var bar = document.querySelector(".topbar");
  var toggle = document.querySelector(".menu-toggle");
  if (bar && toggle) {
    toggle.addEventListener("click", function () {
      var open = bar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // A table wider than its box scrolls inside it: make it reachable and named for keyboard and screen-reader users.
  var tables = document.querySelectorAll("main table");
  for (var i = 0; i < tables.length; i++) {
    var table = tables[i];
    if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
      if (!table.hasAttribute("aria-label") && !table.hasAttribute("aria-labelledby")) {
        var caption = table.querySelector("caption");
        var heading = table.closest("section, .card, main");
        heading = heading && heading.querySelector("h1, h2, h3");
        table.setAttribute("aria-label", (caption || heading) ? (caption || heading).textContent.trim() + " (scrolls sideways)"
                                                               : "Table (scrolls sideways)");
      }
    }
  }
});
