// guatu's small progressive enhancement. Pages work without it; it adds
// confirmations, print buttons and self-submitting filter selects.
(function () {
  "use strict";
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
})();
