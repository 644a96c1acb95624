// Ticking "Andelen/Antalet kan inte uppskattas" disables and clears the figure beside
// it; unticking gives the figure back. Without JavaScript the server refuses a figure
// and the tick together, with a message, so the page works without it too.
(function () {
  "use strict";
  function sync(box, clear) {
    var field = document.getElementById(box.dataset.cannotEstimateFor);
    if (!field) { return; }
    if (box.checked) {
      if (clear && field.value) {
        field.dataset.setAside = field.value;
        field.value = "";
      }
      field.disabled = !field.value;  // a figure the server refused stays visible
    } else {
      field.disabled = false;
      if (!field.value && field.dataset.setAside) { field.value = field.dataset.setAside; }
      delete field.dataset.setAside;
    }
  }
  var boxes = document.querySelectorAll("input[data-cannot-estimate-for]");
  boxes.forEach(function (box) {
    sync(box, false);
    // Capture: before the follow-up script reads the form on the same change.
    box.addEventListener("change", function () { sync(box, true); }, true);
  });
}());
