// Shows and hides follow-up questions as answers change. The server decides the same on
// every save, so the page works without JavaScript too.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form) { return; }
  function currentValue(code, item) {
    var field = form.querySelector("#q-" + CSS.escape(code));
    if (!field) { return null; }
    var checked = Array.prototype.slice.call(field.querySelectorAll("input:checked"));
    if (item) {
      var ticked = checked.some(function (input) { return input.value === item; });
      return ticked ? "Ja" : "";
    }
    return checked.length ? checked[0].value : null;
  }
  function update() {
    form.querySelectorAll("[data-show-if-question]").forEach(function (fieldset) {
      var code = fieldset.dataset.showIfQuestion;
      var source = form.querySelector("#q-" + CSS.escape(code));
      if (!source) { return; }  // condition on another section: the server decides
      var show = !source.hidden &&
        currentValue(code, fieldset.dataset.showIfItem) === fieldset.dataset.showIfEquals;
      fieldset.hidden = !show;
    });
  }
  form.addEventListener("change", update);
  update();
}());
