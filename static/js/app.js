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
// "Select all" for a list of checkboxes: an element with data-select-all="<id>" and data-name="<checkbox name>"
// ticks every box named so inside the element with that id, or belonging to the form with that id (form="<id>"),
// or clears them when all are ticked, and says how many are ticked in [data-selected-count] (inside it, or
// data-selected-count="<id>"). A link keeps its href for browsers without script (the server renders the boxes
// ticked); a button with the hidden attribute appears only with script.
(function () {
  function boxes(control) {
    var id = control.getAttribute("data-select-all");
    var name = control.getAttribute("data-name");
    var sel = 'input[type=checkbox][name="' + name + '"]';
    return Array.prototype.slice.call(document.querySelectorAll("#" + id + " " + sel + ", " + sel + '[form="' + id + '"]'));
  }
  function count(control) {
    var id = control.getAttribute("data-select-all");
    var out = document.querySelector("#" + id + " [data-selected-count], [data-selected-count=\"" + id + "\"]");
    if (out) {
      out.textContent = boxes(control).filter(function (b) { return b.checked; }).length + " selected";
    }
  }
  var controls = Array.prototype.slice.call(document.querySelectorAll("[data-select-all]"));
  controls.forEach(function (control) {
    control.removeAttribute("hidden");
    count(control);
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.type === "checkbox") { controls.forEach(count); }
  });
  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest("[data-select-all]");
    if (!control) { return; }
    var all = boxes(control);
    if (!all.length) { return; }
    event.preventDefault();
    var tick = !all.every(function (b) { return b.checked; });
    all.forEach(function (b) { b.checked = tick; });
    count(control);
  });
}());
