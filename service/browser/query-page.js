// The query page's editor: YASGUI (installed by npm, served by the service) replaces the plain form when it loads.
// Without JavaScript, or without the editor, the form stays and the server renders the results.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var host = document.getElementById("yasgui");
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var permalink = document.getElementById("permalink");
  if (!host || !form || !textarea || typeof window.Yasgui === "undefined") return;
  var endpoint = host.getAttribute("data-endpoint");
  var link = function (query) {
    return endpoint + "?query=" + encodeURIComponent(query);
  };
  host.hidden = false; // shown before the editor starts, so that it measures its lines
  form.hidden = true;
  var yasgui = new window.Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: null, // nothing kept in the browser: the permalink is the way to keep a query
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    // no lookups on outside services: the bundled prefixes, no LOV class/property suggestions
    yasqe: { value: textarea.value, autocompleters: ["prefixes", "variables"], prefixCcApi: null },
    yasr: { defaultPlugin: "table" },
  });
  var tab = yasgui.getTab();
  tab.setQuery(textarea.value);
  tab.getYasqe().refresh();
  var server = document.getElementById("server-results");
  yasgui.on("query", function () {
    if (server) server.hidden = true; // the editor's own results replace the server's
  });
  var sync = function () {
    var query = yasgui.getTab().getQuery();
    textarea.value = query;
    if (permalink) permalink.href = link(query);
  };
  tab.getYasqe().on("change", sync);
  Array.prototype.forEach.call(document.querySelectorAll("a.example"), function (anchor) {
    anchor.addEventListener("click", function (event) {
      event.preventDefault();
      yasgui.getTab().setQuery(anchor.getAttribute("data-query"));
      sync();
      yasgui.getTab().getYasqe().query();
      host.scrollIntoView();
    });
  });
});
