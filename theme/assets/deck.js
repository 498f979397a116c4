/* The conference deck: full-window slides with keyboard, click and touch navigation, a slide
   counter, a URL per slide (#slide-N) and, in the student's own view, a presenter view with the
   notes, the next slide and a timer (P opens it, Escape or P closes it). Without JavaScript the
   deck is one scrolling page. The words this script writes come from the page (data-* attributes
   of the controls), in the site's language. The address changes only when the reader moves to
   another slide, so the first Tab after loading still reaches the skip link. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll("section.slide"));
  var controls = document.querySelector(".deck-controls");
  var deck = document.querySelector("main.deck");
  if (!slides.length || !controls || !deck) { return; }
  var counter = controls.querySelector(".deck-counter");
  var presenterButton = controls.querySelector(".deck-presenter");
  var help = document.querySelector(".deck-help");
  var words = controls.dataset;
  var current = 0;
  var panel = null;
  var started = null;
  var timer = null;

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  document.body.classList.add("deck-active");
  controls.hidden = false;
  if (help) { help.hidden = false; }
  slides.forEach(function (slide) { slide.setAttribute("aria-roledescription", words.slide || "slide"); });

  /* Printed links say where they lead: a page of the portfolio by its address (the full one when
     the deck is served, the one inside the portfolio when it is a file, as the handout is). */
  var home = document.querySelector(".deck-back a");
  var root = home ? home.href.replace(/index\.html$/, "") : "";
  slides.forEach(function (slide) {
    slide.querySelectorAll("a[href]").forEach(function (link) {
      var href = link.getAttribute("href") || "";
      if (href.charAt(0) === "#" || /^[a-z][a-z0-9+.-]*:/i.test(href)) { return; }
      var address = link.href;
      if (window.location.protocol === "file:" && root && address.indexOf(root) === 0) {
        address = address.slice(root.length) || "./";
      }
      link.setAttribute("data-address", address);
    });
  });

  function indexFromHash() {
    var match = /^#slide-(\d+)$/.exec(window.location.hash);
    if (!match) { return 0; }
    var found = slides.findIndex(function (s) { return s.id === "slide-" + match[1]; });
    return found < 0 ? 0 : found;
  }

  function show(index, moved) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.classList.toggle("current", i === current);
      slide.setAttribute("aria-hidden", i === current ? "false" : "true");
    });
    counter.textContent = fill(words.counter || "{number} / {total}", { number: current + 1, total: slides.length });
    if (moved) {
      var hash = "#" + slides[current].id;
      if (window.location.hash !== hash) { history.replaceState(null, "", hash); }
      var heading = slides[current].querySelector("h1, h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
      window.scrollTo(0, 0);
    }
    if (panel) { updatePanel(); }
  }

  function next() { show(current + 1, true); }
  function previous() { show(current - 1, true); }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) { return; }
    var key = event.key;
    var onControl = target && (target.tagName === "BUTTON" || target.tagName === "A");
    if (key === "Escape") {
      if (document.body.classList.contains("presenter")) { event.preventDefault(); togglePresenter(); }
    } else if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || (key === " " && !event.shiftKey)) {
      if (onControl && key === " ") { return; }
      event.preventDefault(); next();
    } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || (key === " " && event.shiftKey)) {
      if (onControl && key === " ") { return; }
      event.preventDefault(); previous();
    } else if (key === "Home") {
      event.preventDefault(); show(0, true);
    } else if (key === "End") {
      event.preventDefault(); show(slides.length - 1, true);
    } else if ((key === "p" || key === "P") && presenterButton && !event.shiftKey) {
      togglePresenter();
    }
  });
  controls.querySelector(".deck-next").addEventListener("click", next);
  controls.querySelector(".deck-prev").addEventListener("click", previous);
  deck.addEventListener("click", function (event) {
    if (event.target.closest("a, button, summary, table, figure, .presenter-panel")) { return; }
    var selection = window.getSelection ? String(window.getSelection()) : "";
    if (selection) { return; }
    next();
  });
  var touchX = null;
  document.addEventListener("touchstart", function (event) { touchX = event.changedTouches[0].clientX; }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (touchX === null) { return; }
    var dx = event.changedTouches[0].clientX - touchX;
    touchX = null;
    if (Math.abs(dx) > 50) { if (dx < 0) { next(); } else { previous(); } }
  }, { passive: true });
  window.addEventListener("hashchange", function () { show(indexFromHash(), false); });

  function updatePanel() {
    var notes = slides[current].querySelector(".notes");
    var box = panel.querySelector(".presenter-notes");
    box.textContent = "";
    if (notes) {
      Array.prototype.forEach.call(notes.children, function (child) {
        if (!child.classList.contains("notes-label")) { box.appendChild(child.cloneNode(true)); }
      });
    } else {
      var none = document.createElement("p");
      none.textContent = words.noNotes || "";
      box.appendChild(none);
    }
    var upcoming = slides[current + 1];
    var heading = upcoming ? upcoming.querySelector("h1, h2") : null;
    panel.querySelector(".presenter-next").textContent = upcoming
      ? fill(words.nextSlide, { title: heading ? heading.textContent : "" })
      : (words.lastSlide || "");
  }

  function tick() {
    var seconds = Math.floor((Date.now() - started) / 1000);
    var text = String(Math.floor(seconds / 60)).padStart(2, "0") + ":" + String(seconds % 60).padStart(2, "0");
    panel.querySelector(".presenter-timer").textContent = text;
  }

  function togglePresenter() {
    var on = !document.body.classList.contains("presenter");
    document.body.classList.toggle("presenter", on);
    presenterButton.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) {
      panel = document.createElement("aside");
      panel.className = "presenter-panel";
      panel.setAttribute("aria-label", words.presenter || "");
      var clock = document.createElement("p");
      clock.className = "presenter-timer";
      clock.setAttribute("role", "timer");
      clock.setAttribute("aria-live", "off");
      clock.setAttribute("aria-label", words.timer || "");
      clock.textContent = "00:00";
      var upcoming = document.createElement("p");
      upcoming.className = "presenter-next";
      var notes = document.createElement("div");
      notes.className = "presenter-notes";
      panel.appendChild(clock);
      panel.appendChild(upcoming);
      panel.appendChild(notes);
      deck.appendChild(panel);
      started = Date.now();
      tick();
      timer = window.setInterval(tick, 1000);
      updatePanel();
    } else {
      window.clearInterval(timer);
      if (panel) { panel.remove(); }
      panel = null;
    }
  }
  if (presenterButton) { presenterButton.addEventListener("click", togglePresenter); }

  show(indexFromHash(), false);
})();
