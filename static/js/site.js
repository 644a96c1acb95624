// Behaviour every page may use, bound from data attributes: the Content-Security-Policy
// allows no inline script, no on...= handler and no style="" attribute in the pages.
(function () {
  "use strict";

  // A progress bar's width: <div class="progress-bar" data-progress="40">.
  document.querySelectorAll("[data-progress]").forEach(function (bar) {
    var value = parseFloat(bar.getAttribute("data-progress"));
    if (!isNaN(value)) {
      bar.style.width = Math.max(0, Math.min(100, value)) + "%";
    }
  });

  // A button that prints the page: <button data-print>.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // "Select all" ticks every organisation box of the list: <input id="pick-all">.
  var all = document.getElementById("pick-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="organisations"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  // A page that follows work in progress looks again after a while:
  // <body data-reload-after="5000"> (milliseconds).
  var reload = document.querySelector("[data-reload-after]");
  if (reload) {
    var delay = parseInt(reload.getAttribute("data-reload-after"), 10);
    if (delay > 0) {
      window.setTimeout(function () {
        window.location.reload();
      }, delay);
    }
  }
})();
