// Drag a booked callback onto a free slot of the same session: it posts the same "Move to" form the page shows
// without script (progressive enhancement; the keyboard uses the form itself).
(function () {
  var dragged = null;
  function slotOf(el) { return el && el.closest ? el.closest("[data-drop-session]") : null; }
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest(".cal-inv[draggable=true]");
    if (!item) { return; }
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.id);
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    document.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
  });
  document.addEventListener("dragover", function (event) {
    var slot = slotOf(event.target);
    if (dragged && slot && slot.getAttribute("data-drop-session") === dragged.getAttribute("data-session")) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      slot.classList.add("drop-target");
    }
  });
  document.addEventListener("dragleave", function (event) {
    var slot = slotOf(event.target);
    if (slot) { slot.classList.remove("drop-target"); }
  });
  document.addEventListener("drop", function (event) {
    var slot = slotOf(event.target);
    if (!dragged || !slot || slot.getAttribute("data-drop-session") !== dragged.getAttribute("data-session")) { return; }
    event.preventDefault();
    var form = document.getElementById(dragged.getAttribute("data-form"));
    var select = form && form.querySelector("select[name=starts_at]");
    if (!select) { return; }
    select.value = slot.getAttribute("data-starts-at");
    if (select.value !== slot.getAttribute("data-starts-at")) { return; }
    form.submit();
  });
}());
