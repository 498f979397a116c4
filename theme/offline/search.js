/* Site search for a site opened from disk (`ilp export`), in place of assets/search.js: a page
   opened from disk may not fetch JSON, so the index is this site's own search/search_index.js, a
   script that sets window.ilpSearchIndex. The form is shown only when JavaScript runs. */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var data = window.ilpSearchIndex;
  if (!form || typeof window.lunr === "undefined" || !data) { return; }
  var input = form.querySelector("input");
  var results = form.querySelector(".search-results");
  var base = form.getAttribute("data-base");
  var docs = {};
  var index = null;
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  index = window.lunr(function () {
    this.ref("location");
    this.field("title", { boost: 10 });
    this.field("text");
    var builder = this;
    data.docs.forEach(function (doc) { docs[doc.location] = doc; builder.add(doc); });
  });
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
  if (input.value) { show(); }
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; results.textContent = ""; }
  });
})();
