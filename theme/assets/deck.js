/* The conference deck: full-window slides with keyboard, click and touch navigation, a slide
   counter, a URL per slide (#slide-N) and, in the student's own view, a presenter view with the
   notes, the next slide and a timer. Without JavaScript the deck is one scrolling page. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll("section.slide"));
  var controls = document.querySelector(".deck-controls");
  if (!slides.length || !controls) { return; }
  var counter = controls.querySelector(".deck-counter");
  var presenterButton = controls.querySelector(".deck-presenter");
  var help = document.querySelector(".deck-help");
  var current = 0;
  var panel = null;
  var started = null;
  var timer = null;

  document.body.classList.add("deck-active");
  controls.hidden = false;
  if (help) { help.hidden = false; }
  slides.forEach(function (slide) { slide.setAttribute("aria-roledescription", "slide"); });

  function indexFromHash() {
    var match = /^#slide-(\d+)$/.exec(window.location.hash);
    if (!match) { return 0; }
    var found = slides.findIndex(function (s) { return s.id === "slide-" + match[1]; });
    return found < 0 ? 0 : found;
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.classList.toggle("current", i === current);
      slide.setAttribute("aria-hidden", i === current ? "false" : "true");
    });
    counter.textContent = (current + 1) + " / " + slides.length;
    var hash = "#" + slides[current].id;
    if (window.location.hash !== hash) { history.replaceState(null, "", hash); }
    if (focus) {
      var heading = slides[current].querySelector("h1, h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
    }
    if (panel) { updatePanel(); }
  }

  function next() { show(current + 1, true); }
  function previous() { show(current - 1, true); }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) { return; }
    var key = event.key;
    if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || (key === " " && !event.shiftKey)) {
      if (target && target.tagName === "BUTTON" && key === " ") { return; }
      event.preventDefault(); next();
    } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || (key === " " && event.shiftKey)) {
      event.preventDefault(); previous();
    } else if (key === "Home") {
      event.preventDefault(); show(0, true);
    } else if (key === "End") {
      event.preventDefault(); show(slides.length - 1, true);
    } else if ((key === "p" || key === "P") && presenterButton) {
      togglePresenter();
    }
  });
  controls.querySelector(".deck-next").addEventListener("click", next);
  controls.querySelector(".deck-prev").addEventListener("click", previous);
  document.querySelector("main.deck").addEventListener("click", function (event) {
    if (event.target.closest("a, button, .presenter-panel")) { return; }
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
    panel.querySelector(".presenter-notes").innerHTML = notes ? notes.innerHTML : "<p>No notes for this slide.</p>";
    var upcoming = slides[current + 1];
    var heading = upcoming ? upcoming.querySelector("h1, h2") : null;
    panel.querySelector(".presenter-next").textContent = upcoming ? "Next: " + (heading ? heading.textContent : "") : "Last slide";
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
      panel.setAttribute("aria-label", "Presenter view");
      panel.innerHTML = '<p class="presenter-timer" role="timer" aria-live="off">00:00</p>' +
        '<div class="presenter-next"></div><div class="presenter-notes"></div>';
      document.querySelector("main.deck").appendChild(panel);
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
