// Autocomplete for the search boxes: suggestions from /search?format=json as the reader types; choosing one
// opens its page. Without JavaScript the box is a plain form that opens the search page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete]"), function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var pages = {};
    var pending = null;
    var lang = document.documentElement.lang || "fr";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (pages[input.value]) {
        window.location.href = pages[input.value]; // a suggestion was chosen
        return;
      }
      if (text.length < 2) return;
      if (pending) pending.abort();
      pending = new AbortController();
      var url = input.getAttribute("data-autocomplete") + "?format=json&limit=10&lang=" + lang + "&q=" + encodeURIComponent(text);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (found) {
          list.textContent = "";
          pages = {};
          found.results.forEach(function (result) {
            var option = document.createElement("option");
            option.value = result.label;
            pages[result.label] = result.href + (result.href.indexOf("/doc/") >= 0 ? "?lang=" + lang : "");
            list.appendChild(option);
          });
        })
        .catch(function () { /* a newer keystroke took over, or the network failed: keep the plain form */ });
    });
  });
});
