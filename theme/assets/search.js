/* Site search: the search form is shown only when JavaScript runs. The index is this site's own
   search/search_index.json, built from what this audience may see; lunr.js is shared. A site whose
   links name files (opened from disk: `ilp export`, `use_directory_urls: false`) may not fetch JSON:
   there the index is the script search/search_index.js, which sets window.ilpSearchIndex before this
   one runs. When the index cannot be had (a page opened from disk that has only the JSON, a missing
   script), the form says so, in the words of its data-unavailable attribute (translated by the theme). */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) { return; }
  var input = form.querySelector("input");
  var results = form.querySelector(".search-results");
  var base = form.getAttribute("data-base");
  var docs = {};
  var index = null;
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  function unavailable() {
    if (form.querySelector(".search-unavailable")) { return; }
    index = null;
    input.disabled = true;
    var note = document.createElement("p");
    note.className = "search-unavailable";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-unavailable") || "Search cannot run here.";
    form.appendChild(note);
  }
  function load(data) {
    try {
      index = window.lunr(function () {
        this.ref("location");
        this.field("title", { boost: 10 });
        this.field("text");
        var builder = this;
        data.docs.forEach(function (doc) { docs[doc.location] = doc; builder.add(doc); });
      });
    } catch (e) {
      unavailable();
      return;
    }
    if (input.value) { show(); }
  }
  var offline = window.ilpSearchIndex;
  if (typeof window.lunr === "undefined") {
    unavailable();
  } else if (offline) {
    load(offline);
  } else if (!window.fetch || window.location.protocol === "file:") {
    unavailable();  // a page opened from disk may not fetch its JSON index
  } else {
    fetch(form.getAttribute("data-index"))
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(load, unavailable);
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
    var none = form.getAttribute("data-no-results") || "No results.";
    html += found.length ? "</ul>" : "<li>" + escapeHtml(none) + "</li></ul>";
    results.innerHTML = html;
  }
  input.addEventListener("input", show);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; results.textContent = ""; }
  });
})();
