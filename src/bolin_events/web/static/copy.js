/* Optional: a "copy" button beside a read-only text (the review paragraph). Without
   JavaScript the button stays hidden and the text can be selected and copied by hand. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function (event) {
      var button = event.currentTarget;
      var source = document.getElementById(button.getAttribute("data-copy"));
      var done = button.parentNode.querySelector("[data-copied]");
      if (!source) { return; }
      var shown = function () { if (done) { done.hidden = false; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(shown, function () {
          source.select(); document.execCommand("copy"); shown();
        });
      } else {
        source.select();
        document.execCommand("copy");
        shown();
      }
    });
  }
}());
