// guatu's small progressive enhancement. Pages work without it; it adds
// confirmations, print buttons and self-submitting filter selects.
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="…">.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  // Print buttons: <button type="button" data-print>.
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
  });
  // Auto-submit filter selects: <select data-autosubmit>.
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-autosubmit")) { e.target.form.submit(); }
  });
})();
