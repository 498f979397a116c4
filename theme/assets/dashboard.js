/* The educator dashboard: sort the table by a column and filter its rows. The page reads, in the most
   urgent order, without JavaScript; this script only reorders and hides what is already there.

   The markup it works on:
     <table class="dashboard">  header cells <th data-key="KEY" data-type="number|text|date">,
       body rows <tr data-grade="9" data-school="Name" data-attention="1|0">,
       cells <td data-value="SORTVALUE"> (the cell's text when it has none);
     <form class="dashboard-filters" hidden> with <select name="grade">, <select name="school"> and
       <input type="checkbox" name="attention">; empty selects are filled from the rows;
     <p class="dashboard-count" aria-live="polite">, which says "N of M students".
   Each sortable header gets a button (click, Enter or Space): the first press sorts ascending, the
   next descending, and the header's aria-sort says which. Empty values sort last either way.
   Plain ES5, no library, nothing loaded, no inline handler: it runs under script-src 'self'. */
(function () {
  "use strict";
  var table = document.querySelector("table.dashboard");
  if (!table || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var form = document.querySelector("form.dashboard-filters");
  var count = document.querySelector(".dashboard-count");
  var current = null;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var value = cell.getAttribute("data-value");
    return (value === null ? cell.textContent : value).replace(/^\s+|\s+$/g, "");
  }

  function compare(type, a, b) {
    if (type === "number") {
      var x = parseFloat(a), y = parseFloat(b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (type === "date") { return a < b ? -1 : (a > b ? 1 : 0); }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function missing(type, value) {
    return value === "" || (type === "number" && isNaN(parseFloat(value)));
  }

  function sortBy(header) {
    var type = header.getAttribute("data-type") || "text";
    var index = header.cellIndex;
    var descending = current === header && header.getAttribute("aria-sort") === "ascending";
    var keyed = rows.map(function (row, position) {
      return { row: row, value: cellValue(row, index), position: position };
    });
    keyed.sort(function (a, b) {
      var emptyA = missing(type, a.value), emptyB = missing(type, b.value);
      if (emptyA || emptyB) { return emptyA === emptyB ? a.position - b.position : (emptyA ? 1 : -1); }
      var order = compare(type, a.value, b.value);
      return (descending ? -order : order) || a.position - b.position;
    });
    keyed.forEach(function (item) { body.appendChild(item.row); });
    each(table.querySelectorAll("thead th[data-key]"), function (other) {
      if (other !== header) { other.removeAttribute("aria-sort"); }
      var mark = other.querySelector(".sort-mark");
      if (mark) { mark.textContent = other === header ? (descending ? " \u25BC" : " \u25B2") : ""; }
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    current = header;
  }

  each(table.querySelectorAll("thead th[data-key]"), function (header) {
    var button = header.querySelector("button");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
    }
    var mark = document.createElement("span");
    mark.className = "sort-mark";
    mark.setAttribute("aria-hidden", "true");
    button.appendChild(mark);
    button.addEventListener("click", function () { sortBy(header); });
  });

  function showCount() {
    if (!count) { return; }
    var shown = rows.filter(function (row) { return !row.hidden; }).length;
    // The words come from the page, in its language: data-template="{shown} of {total} students".
    var template = count.getAttribute("data-template") || "{shown} of {total} students";
    count.textContent = template.replace("{shown}", String(shown)).replace("{total}", String(rows.length));
  }

  if (!form) { showCount(); return; }
  var grade = form.querySelector("select[name=grade]");
  var school = form.querySelector("select[name=school]");
  var attention = form.querySelector("input[name=attention]");

  function fill(select, attribute, all, numeric) {
    if (!select || select.options.length) { return; }
    var seen = {}, values = [];
    rows.forEach(function (row) {
      var value = row.getAttribute(attribute);
      if (value !== null && value !== "" && !seen.hasOwnProperty(value)) { seen[value] = true; values.push(value); }
    });
    values.sort(function (a, b) { return numeric ? parseFloat(a) - parseFloat(b) : a.localeCompare(b); });
    select.appendChild(new Option(all, ""));
    values.forEach(function (value) { select.appendChild(new Option(value, value)); });
  }

  fill(grade, "data-grade", "All grades", true);
  fill(school, "data-school", "All schools", false);

  function apply() {
    var wantGrade = grade ? grade.value : "";
    var wantSchool = school ? school.value : "";
    var onlyAttention = attention ? attention.checked : false;
    rows.forEach(function (row) {
      row.hidden = !((wantGrade === "" || row.getAttribute("data-grade") === wantGrade) &&
        (wantSchool === "" || row.getAttribute("data-school") === wantSchool) &&
        (!onlyAttention || row.getAttribute("data-attention") === "1"));
    });
    showCount();
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();
