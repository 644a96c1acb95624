// The key figures fill page: the list of unknown names takes the focus, and a button
// copies the filled-in text (shown only where the browser can copy; the text can always
// be selected by hand).
(function () {
  "use strict";
  var unknown = document.getElementById("unknown-names");
  if (unknown) {
    unknown.focus();
  }
  var button = document.getElementById("copy-filled");
  var text = document.getElementById("filled-text");
  if (!button || !text || !navigator.clipboard) {
    return;
  }
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(text.value).then(function () {
      button.textContent = button.getAttribute("data-copied");
    });
  });
})();
