// Saves a questionnaire section in the background: after a pause in typing and when a
// field is left, through the same POST as the "Save draft" button (with the X-Autosave
// header, answered in JSON) and so the same version check against lost updates. Shows
// "Sparat 14.32" in a polite live region, warns before a page with unsaved changes is
// left, and never lets a change that removes follow-up answers pass unsaid. Without
// JavaScript the form works as before: nothing here is needed to save.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !form.hasAttribute("data-autosave") || !window.fetch) {
    return;
  }
  var PAUSE_MS = 2000;
  var RETRY_MS = 15000;
  var text = form.dataset;
  var edits = 0;        // changes made on the page so far
  var savedEdits = 0;   // changes the last successful save included
  var invalidLeft = false;  // the last save left invalid answers unsaved
  var inFlight = null;  // the save under way: one at a time
  var again = false;    // a change came while a save was under way
  var timer = null;
  var stopped = false;  // a conflict or a closed questionnaire: no more autosave
  var submitting = false;

  function dirty() {
    return edits !== savedEdits || invalidLeft;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }

  var KINDS = {
    ok: ["text-success-emphasis"],
    warn: ["text-warning-emphasis"],
    error: ["text-danger-emphasis", "fw-semibold"]
  };

  function show(message, kind, extra) {
    Object.keys(KINDS).forEach(function (key) {
      KINDS[key].forEach(function (name) { status.classList.remove(name); });
    });
    KINDS[kind].forEach(function (name) { status.classList.add(name); });
    status.dataset.state = kind;
    status.textContent = message;
    if (extra) { status.appendChild(extra); }
  }

  function csrfToken() {
    // The cookie, not the page's copy: after logging in again in another tab only the
    // cookie holds the valid token.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function hasAnswer(fieldset) {
    return Array.prototype.some.call(
      fieldset.querySelectorAll("input, textarea, select"),
      function (input) {
        if (input.type === "radio" || input.type === "checkbox") { return input.checked; }
        return input.type !== "hidden" && input.value.trim() !== "";
      }
    );
  }

  // Follow-up questions now hidden that still hold answers, by the question they
  // follow: saving removes those answers.
  function removals() {
    var bySource = {};
    form.querySelectorAll("fieldset[data-show-if-question]").forEach(function (fieldset) {
      if (fieldset.hidden && hasAnswer(fieldset)) {
        var source = fieldset.dataset.showIfQuestion;
        (bySource[source] = bySource[source] || []).push(fieldset.id.replace(/^q-/, ""));
      }
    });
    return bySource;
  }

  function allRemoved() {
    var bySource = removals();
    return Object.keys(bySource).reduce(function (codes, key) {
      return codes.concat(bySource[key]);
    }, []);
  }

  function markRemovals() {
    var bySource = removals();
    form.querySelectorAll(".followup-note").forEach(function (note) {
      if (!bySource[note.dataset.source]) { note.remove(); }
    });
    Object.keys(bySource).forEach(function (source) {
      var fieldset = form.querySelector("#q-" + CSS.escape(source));
      if (!fieldset) { return; }
      var note = fieldset.querySelector(".followup-note");
      if (!note) {
        note = document.createElement("p");
        note.className = "followup-note alert alert-warning mt-2 mb-0";
        note.setAttribute("role", "status");
        note.dataset.source = source;
        fieldset.appendChild(note);
      }
      note.textContent = format(text.followupNote, { codes: bySource[source].join(", ") });
    });
  }

  function invalidList(items) {
    var list = document.createElement("ul");
    list.className = "mb-0";
    items.forEach(function (item) {
      item.errors.forEach(function (error) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + item.anchor;
        link.textContent = item.label + ": " + error;
        li.appendChild(link);
        list.appendChild(li);
      });
    });
    return list;
  }

  function loginLink() {
    var link = document.createElement("a");
    link.href = text.autosaveLogin;
    link.target = "_blank";
    link.rel = "noopener";
    link.className = "ms-1";
    link.textContent = text.autosaveLoginText;
    return link;
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function handle(response, upTo) {
    if (response.type === "opaqueredirect" || response.status === 401) {
      // Logged out (idle timeout or session expired): keep everything on the page.
      show(text.autosaveExpired, "error", loginLink());
      return false;
    }
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) {
      show(format(text.autosaveFailed, { status: response.status }), "error");
      return false;
    }
    return response.json().then(function (body) {
      if (response.ok && body.status === "saved") {
        form.querySelector("input[name=version]").value = body.version;
        savedEdits = upTo;
        invalidLeft = body.invalid.length > 0;
        if (invalidLeft) {
          var wrapper = document.createElement("span");
          wrapper.className = "d-block";
          wrapper.textContent = body.invalid_message;
          show(body.message + ". ", "warn", wrapper);
          status.appendChild(invalidList(body.invalid));
        } else {
          show(body.message, "ok");
        }
        return !invalidLeft;
      }
      if (body.status === "conflict" || body.status === "locked") {
        stopped = true;  // never overwrite a colleague's save, never write a closed one
      }
      show(body.message, "error");
      return false;
    });
  }

  // Saves now if there is anything to save; resolves to true when all is saved.
  function save() {
    window.clearTimeout(timer);
    if (stopped || submitting) { return Promise.resolve(false); }
    if (inFlight) {
      again = true;
      return inFlight;
    }
    if (!dirty()) { return Promise.resolve(true); }
    var removed = allRemoved();
    if (removed.length) {
      show(format(text.autosaveHeld, { codes: removed.join(", ") }), "warn");
      return Promise.resolve(false);
    }
    var upTo = edits;
    var data = new FormData(form);
    var token = csrfToken();
    data.set("csrfmiddlewaretoken", token);
    data.set("action", "save");
    inFlight = window.fetch(form.getAttribute("action") || window.location.pathname + window.location.search, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Autosave": "1", "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      return handle(response, upTo);
    }, function () {
      show(text.autosaveOffline, "error");
      schedule(RETRY_MS);
      return false;
    }).then(function (ok) {
      inFlight = null;
      if (again) {
        again = false;
        if (edits !== upTo) { return save(); }
      }
      return ok;
    });
    return inFlight;
  }

  function changed() {
    edits += 1;
    schedule(PAUSE_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", function () {
    changed();
    markRemovals();  // after questionnaire.js has shown or hidden the follow-ups
  });
  form.addEventListener("focusout", function (event) {
    if (event.target.matches("input[type=text], textarea") && dirty()) { save(); }
  });

  // Back from another tab after logging in again, or back online: try again.
  window.addEventListener("focus", function () { if (dirty()) { save(); } });
  window.addEventListener("online", function () { if (dirty()) { save(); } });

  form.addEventListener("submit", function (event) {
    if (submitting) {  // a double click: the first submit is under way
      event.preventDefault();
      return;
    }
    window.clearTimeout(timer);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { token.value = csrfToken(); }
    submitting = true;
    if (inFlight) {
      // Wait for the background save, or this save would meet its new version.
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        submitting = false;
        form.requestSubmit(submitter);
      });
    }
  });
  window.addEventListener("pageshow", function () { submitting = false; });

  // Leaving by a link of the page (another section, review) saves first.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey ||
        event.metaKey || event.shiftKey || event.altKey || link.target ||
        link.origin !== window.location.origin || link.getAttribute("href").charAt(0) === "#" ||
        stopped || (!dirty() && !inFlight)) {
      return;
    }
    // Save first; if that fails, the leave warning asks before the changes are lost.
    event.preventDefault();
    save().then(function () { window.location.href = link.href; });
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (dirty() || inFlight)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  status.hidden = false;
  show(text.autosaveIntro, "ok");
  markRemovals();
}());
