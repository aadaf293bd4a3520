// Callback's only script, served from static/ so the Content-Security-Policy allows no inline script.
// A form with data-confirm asks before it is sent (cancelling a session, declining an offer, ...).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
