// Callback's only script, served from static/ so the Content-Security-Policy allows no inline script.
// A form with data-confirm asks before it is sent (cancelling a session, declining an offer, ...).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// "Select all" for a list of checkboxes: an element with data-select-all="<form or list id>" and
// data-name="<checkbox name>" ticks every box (or clears them when all are ticked) and says how many are
// ticked in the list's [data-selected-count]. A link keeps its href for browsers without script (the server
// renders the boxes ticked); a button with the hidden attribute appears only with script.
(function () {
  function boxes(control) {
    var scope = document.getElementById(control.getAttribute("data-select-all"));
    var name = control.getAttribute("data-name");
    return scope ? Array.prototype.slice.call(scope.querySelectorAll('input[type=checkbox][name="' + name + '"]'))
      : [];
  }
  function count(control) {
    var scope = document.getElementById(control.getAttribute("data-select-all"));
    var out = scope && scope.querySelector("[data-selected-count]");
    if (out) {
      out.textContent = boxes(control).filter(function (b) { return b.checked; }).length + " selected";
    }
  }
  document.querySelectorAll("[data-select-all]").forEach(function (control) {
    control.removeAttribute("hidden");
    count(control);
    var scope = document.getElementById(control.getAttribute("data-select-all"));
    if (scope) { scope.addEventListener("change", function () { count(control); }); }
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
