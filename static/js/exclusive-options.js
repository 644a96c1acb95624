// An exclusive alternative of a multiple choice ("Inget av ovanstående"): ticking it
// unticks the others, ticking another unticks it. The server refuses the combination
// with a message, so the page works without JavaScript too.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form) { return; }
  // Capture phase: the boxes are changed before the follow-up script reads them.
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.checked || box.type !== "checkbox") { return; }
    var group = form.querySelectorAll('input[type="checkbox"][name="' + CSS.escape(box.name) + '"]');
    if (!Array.prototype.some.call(group, function (other) { return other.hasAttribute("data-exclusive"); })) {
      return;
    }
    var exclusive = box.hasAttribute("data-exclusive");
    group.forEach(function (other) {
      if (other !== box && (exclusive || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }, true);
}());
