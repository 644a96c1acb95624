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

  // A table that stacks on phones (<table class="table-stack">, see site.css): each cell
  // is shown with its column's heading, from data-label. A column whose heading is
  // visually hidden (an action) gets none.
  document.querySelectorAll("table.table-stack").forEach(function (table) {
    var headings = Array.prototype.map.call(
      table.querySelectorAll("thead th"),
      function (th) {
        return th.querySelector(".visually-hidden") ? "" : th.textContent.trim();
      }
    );
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (cell.tagName === "TD" && headings[index]) {
          cell.setAttribute("data-label", headings[index]);
        }
      });
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
