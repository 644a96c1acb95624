// The error summary at the top of a page (the GOV.UK Design System pattern): focused
// when the page opens, so that it is read first; each link moves the focus to its
// field and shows the question it belongs to.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-error-field]");
    if (!link) { return; }
    var field = document.getElementById(link.dataset.errorField);
    if (!field) { return; }
    event.preventDefault();
    var question = field.closest("fieldset");
    var legend = question ? question.querySelector("legend") : null;
    (legend || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
}());
