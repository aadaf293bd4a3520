// Typeahead for search boxes marked data-typeahead="<JSON url>" (the shortlist's "add talent"): as the user
// types, asks the server for at most 20 matches and redraws the list named by data-typeahead-results, each with
// its own Add form. Without script the box is a plain GET search form, so the page works the same.
(function () {
  "use strict";

  function item(list, csrf, found) {
    var li = document.createElement("li");
    li.className = "row candidate";
    var name = document.createElement("span");
    name.textContent = found.name;
    if (found.legal_name) {
      var legal = document.createElement("span");
      legal.className = "muted small";
      legal.textContent = " (" + found.legal_name + ")";
      name.appendChild(legal);
    }
    var form = document.createElement("form");
    form.method = "post";
    form.action = list.getAttribute("data-add-url");
    form.className = "inline";
    [["csrf_token", csrf], ["talent_id", String(found.id)]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "small primary";
    button.textContent = "Add";
    form.appendChild(button);
    li.appendChild(name);
    li.appendChild(form);
    return li;
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("data-typeahead-results"));
    if (!list) { return; }
    var csrf = list.getAttribute("data-csrf") || "";
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var mine = ++asked;
        var url = input.getAttribute("data-typeahead") + "?q=" + encodeURIComponent(input.value);
        window.fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (resp) { return resp.ok ? resp.json() : null; })
          .then(function (body) {
            if (!body || mine !== asked) { return; }  // a later keystroke has its own answer coming
            while (list.firstChild) { list.removeChild(list.firstChild); }
            body.items.forEach(function (found) { list.appendChild(item(list, csrf, found)); });
            if (!body.items.length) {
              var empty = document.createElement("li");
              empty.className = "empty";
              empty.textContent = "Nobody who could be added matches.";
              list.appendChild(empty);
            }
          })
          .catch(function () { /* the Search button still works */ });
      }, 200);
    });
  }

  document.querySelectorAll("input[data-typeahead]").forEach(attach);
})();
