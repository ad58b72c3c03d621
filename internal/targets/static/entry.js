// The figure form: choosing a month that has a figure fills in its kept value
// and 去年同期, so a correction starts from what is kept instead of wiping
// what is left blank; a month without one starts empty. The kept figures
// come from the page as JSON (<script type="application/json" id="kept-data">).
// Without JavaScript the form opens on ?period= with the same values.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=figure-form]");
  var src = document.getElementById("kept-data");
  if (!form || !src) { return; }
  var kept = JSON.parse(src.textContent) || {};
  var period = form.querySelector("#period");
  var value = form.querySelector("#value");
  var lastYear = form.querySelector("#last_year_value");
  var note = document.getElementById("prefilled-note");
  period.addEventListener("change", function () {
    var k = kept[period.value];
    value.value = k ? k.value : "";
    lastYear.value = k ? k.last_year_value : "";
    if (note) { note.hidden = true; }
    form.classList.toggle("is-correction", !!k);
  });
})();
