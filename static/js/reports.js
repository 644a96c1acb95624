// Reports pages. The export page follows the exports in flight and reloads when one has
// finished; the results page loads the charts not yet built as they scroll into view.
(function () {
  "use strict";

  // Exports in flight ------------------------------------------------------------------
  var INTERVAL = 1500;
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-status-url]"));

  function show(row, job) {
    var bar = row.querySelector(".progress");
    var fill = row.querySelector(".progress-bar");
    var label = row.querySelector("[data-status-label]");
    if (bar && fill) {
      bar.setAttribute("aria-valuenow", String(job.progress));
      fill.style.width = job.progress + "%";
      fill.textContent = job.progress + " %";
    }
    if (label) {
      label.textContent = job.status_label;
    }
  }

  function poll() {
    var requests = rows.map(function (row) {
      return fetch(row.getAttribute("data-status-url"), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (job) {
          if (job === null) {
            return false;
          }
          show(row, job);
          return !job.in_flight;
        })
        .catch(function () {
          return false;
        });
    });
    Promise.all(requests).then(function (finished) {
      if (finished.indexOf(true) !== -1) {
        // The server renders the download link or the error message.
        window.location.reload();
      } else {
        window.setTimeout(poll, INTERVAL);
      }
    });
  }

  if (rows.length) {
    window.setTimeout(poll, INTERVAL);
  }

  // Charts loaded afterwards -----------------------------------------------------------
  var slots = Array.prototype.slice.call(document.querySelectorAll(".chart-slot[data-chart-url]"));
  if (!slots.length) {
    return;
  }
  // A chart takes the server a fifth of a second the first time: two at a time.
  var queue = [];
  var running = 0;
  var PARALLEL = 2;

  function next() {
    while (running < PARALLEL && queue.length) {
      load(queue.shift());
    }
  }

  function load(slot) {
    running += 1;
    fetch(slot.getAttribute("data-chart-url"), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        // The server's own fragment: the chart, its caption and its text alternative.
        slot.innerHTML = html;
        slot.removeAttribute("data-chart-url");
        slot.classList.add("chart-loaded");
      })
      .catch(function () {})
      .then(function () {
        running -= 1;
        next();
      });
  }

  function enqueue(slot) {
    if (queue.indexOf(slot) === -1 && slot.hasAttribute("data-chart-url")) {
      queue.push(slot);
      next();
    }
  }

  if (!("IntersectionObserver" in window)) {
    slots.forEach(enqueue);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          enqueue(entry.target);
        }
      });
    },
    { rootMargin: "600px 0px" }
  );
  slots.forEach(function (slot) {
    observer.observe(slot);
  });
})();
