/* Site search: the search form is shown only when JavaScript runs. The index is this site's own
   search/search_index.json, built from what this audience may see; lunr.js is shared. A site opened
   from disk (`ilp export`) may not fetch JSON: there the index is the script search/search_index.js,
   which sets window.ilpSearchIndex before this one runs. */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var offline = window.ilpSearchIndex;
  if (!form || typeof window.lunr === "undefined" || !(offline || window.fetch)) { return; }
  var input = form.querySelector("input");
  var results = form.querySelector(".search-results");
  var base = form.getAttribute("data-base");
  var docs = {};
  var index = null;
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  function load(data) {
    index = window.lunr(function () {
      this.ref("location");
      this.field("title", { boost: 10 });
      this.field("text");
      var builder = this;
      data.docs.forEach(function (doc) { docs[doc.location] = doc; builder.add(doc); });
    });
    if (input.value) { show(); }
  }
  if (offline) {
    load(offline);
  } else {
    fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(load);
  }
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function show() {
    var query = input.value.trim();
    results.textContent = "";
    if (!index || query.length < 2) { return; }
    var found = [];
    var terms = query.split(/\s+/).map(function (t) { return t.replace(/[:^~*+\-]/g, ""); }).filter(Boolean);
    var expression = terms.map(function (t) { return t + " " + t + "*"; }).join(" ");
    try { found = index.search(expression); } catch (e) { found = []; }
    var html = "<ul>";
    found.slice(0, 10).forEach(function (hit) {
      var doc = docs[hit.ref];
      html += '<li><a href="' + base + "/" + escapeHtml(doc.location) + '">' + escapeHtml(doc.title) + "</a></li>";
    });
    html += found.length ? "</ul>" : "<li>No results.</li></ul>";
    results.innerHTML = html;
  }
  input.addEventListener("input", show);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; results.textContent = ""; }
  });
})();
