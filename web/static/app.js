// guatu's small progressive enhancement. Pages work without it; it adds
// confirmations, print buttons, self-submitting filter selects, the menu
// button at narrow widths and the error summary of a failed form.
(function () {
  "use strict";
  // The narrow layout hides the navigation behind the menu button only when
  // this script runs, so without it the links stay shown.
  document.documentElement.className += " js";

  // Ask before destructive actions: <form data-confirm="…">.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  // Print buttons: <button type="button" data-print> prints on the default
  // sheet, A4 landscape (app.css); data-print="A3" or "A4" chooses it. The
  // sheet is set by a later @page rule added through the CSSOM (the CSP
  // forbids <style> elements; CSS named pages came after Chromium 86, still
  // on many office PCs) and is named on <html data-paper> for the rules that
  // differ by sheet. Both are undone after printing, so Ctrl+P prints A4.
  var paperRule = null;
  function setPaper(paper) {
    var root = document.documentElement;
    if (paperRule) {
      var rules = paperRule.parentStyleSheet.cssRules;
      for (var i = 0; i < rules.length; i++) {
        if (rules[i] === paperRule) { paperRule.parentStyleSheet.deleteRule(i); break; }
      }
      paperRule = null;
    }
    root.removeAttribute("data-paper");
    if (paper !== "A3" && paper !== "A4") { return; }
    root.setAttribute("data-paper", paper.toLowerCase());
    // The last style sheet of our own, so the rule comes after every room's.
    for (var s = document.styleSheets.length - 1; s >= 0; s--) {
      var sheet = document.styleSheets[s];
      try {
        var n = sheet.insertRule("@page { size: " + paper + " landscape; margin: 10mm; }", sheet.cssRules.length);
        paperRule = sheet.cssRules[n];
        return;
      } catch (err) { /* not ours or not writable: try the one before */ }
    }
  }
  // The print date in a page's header ([data-print-date]) is the day it is
  // printed, in Beijing, not the day the page was loaded.
  function stampDate() {
    var els = document.querySelectorAll("[data-print-date]");
    if (!els.length || !window.Intl) { return; }
    var day;
    try {
      day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    } catch (err) { return; }
    for (var i = 0; i < els.length; i++) { els[i].textContent = day; }
  }
  window.addEventListener("beforeprint", stampDate);
  window.addEventListener("afterprint", function () { setPaper(""); });
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-print]");
    if (!b) { return; }
    setPaper(b.getAttribute("data-print"));
    window.print();
  });
  // Auto-submit filter selects: <select data-autosubmit>.
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-autosubmit")) { e.target.form.submit(); }
  });

  // The menu button (a <button>, so Enter and Space work) shows and hides
  // the navigation it controls and says which with aria-expanded.
  var toggle = document.querySelector(".nav-toggle[aria-controls]");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (nav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && toggle.getAttribute("aria-expanded") === "true") {
        toggle.click();
        toggle.focus();
      }
    });
  }

  // A wide table scrolls inside its .table-wrap; the box takes the focus
  // then, so the keyboard can scroll it too (arrow keys), and is named by
  // the heading above it.
  function scrollers() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (w) {
      if (w.scrollWidth > w.clientWidth + 1) {
        if (!w.hasAttribute("tabindex")) {
          w.setAttribute("tabindex", "0");
          w.setAttribute("role", "region");
          var card = w.closest("section, .card");
          var h = card && card.querySelector("h1, h2, h3");
          var t = (h && h.textContent.trim()) || document.title;
          w.setAttribute("aria-label", t);
        }
      } else if (w.getAttribute("role") === "region") {
        w.removeAttribute("tabindex");
        w.removeAttribute("role");
        w.removeAttribute("aria-label");
      }
    });
  }
  scrollers();
  var settle;
  window.addEventListener("resize", function () { clearTimeout(settle); settle = setTimeout(scrollers, 150); });

  // The skip link moves the focus, not only the view, to the main content
  // (older Chromium scrolls to #main but leaves the focus behind).
  var main = document.getElementById("main");
  var skip = document.querySelector(".skip-link");
  if (skip && main) {
    skip.addEventListener("click", function (e) {
      e.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
  }

  // A form that failed comes back with each message in a .field-error next
  // to its field (forms.go, the rooms' templates), often far down the page.
  // Every bad field is marked aria-invalid and described by its message, and
  // a summary at the top of the page, announced as an alert, links to each;
  // the focus goes to the summary so the keyboard and the screen reader
  // start there. Whole-form errors ([data-form-error]) are listed too.
  if (!main) { return; }
  var errors = main.querySelectorAll(".field-error, [data-form-error]");
  if (!errors.length) { return; }
  var items = [];
  var seq = 0;
  Array.prototype.forEach.call(errors, function (msg) {
    if (!msg.id) { msg.id = "error-" + (++seq); }
    var field = null;
    if (msg.classList.contains("field-error")) {
      // The field shares the message's wrapper; a message placed in the
      // form itself (a hidden field's) belongs to the whole form.
      var wrap = msg.parentElement;
      if (wrap && wrap.tagName !== "FORM") {
        field = wrap.querySelector("input:not([type=hidden]), select, textarea");
      }
    }
    var label = "";
    if (field) {
      field.setAttribute("aria-invalid", "true");
      var by = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      if (by.indexOf(msg.id) < 0) { by.push(msg.id); }
      field.setAttribute("aria-describedby", by.join(" "));
      if (!field.id) { field.id = msg.id + "-field"; }
      var l = field.labels && field.labels[0];
      if (l) {
        // The label without its hint (<span class="hint">).
        var c = l.cloneNode(true);
        Array.prototype.forEach.call(c.querySelectorAll(".hint"), function (h) { h.remove(); });
        label = c.textContent.trim();
      }
    }
    // The summary is the one alert read out; the message stays where it is.
    if (msg.getAttribute("role") === "alert") { msg.removeAttribute("role"); }
    items.push({ href: "#" + (field ? field.id : msg.id), label: label, text: msg.textContent.trim(), field: field, msg: msg });
  });
  var box = document.createElement("div");
  box.className = "error-summary";
  box.setAttribute("role", "alert");
  box.setAttribute("tabindex", "-1");
  box.setAttribute("data-testid", "error-summary");
  var h = document.createElement("h2");
  h.id = "error-summary-title";
  h.textContent = main.getAttribute("data-error-title") || "";
  box.setAttribute("aria-labelledby", h.id);
  box.appendChild(h);
  var colon = /^zh/.test(document.documentElement.lang) ? "：" : ": ";
  var ul = document.createElement("ul");
  items.forEach(function (it) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = it.href;
    a.textContent = it.label ? it.label + colon + it.text : it.text;
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var to = it.field || it.msg;
      if (!it.field) { to.setAttribute("tabindex", "-1"); }
      to.focus();
      to.scrollIntoView({ block: "center" });
    });
    li.appendChild(a);
    ul.appendChild(li);
  });
  box.appendChild(ul);
  var hint = main.getAttribute("data-error-hint");
  if (hint && items.some(function (it) { return it.field; })) {
    var p = document.createElement("p");
    p.className = "small";
    p.textContent = hint;
    box.appendChild(p);
  }
  main.insertBefore(box, main.firstChild);
  box.focus();
  box.scrollIntoView();
})();
