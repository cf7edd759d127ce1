/* Optional: a form marked data-once is sent once — its button is disabled after the first
   tap. Without JavaScript the form's idempotency key keeps a second send from counting. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    var buttons = form.querySelectorAll("button[type=submit]");
    window.setTimeout(function () {  // after the browser has read the form
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].disabled = true;
        buttons[i].setAttribute("aria-busy", "true");
      }
    }, 0);
  });
  window.addEventListener("pageshow", function (event) {  // back from the page cache
    if (!event.persisted) { return; }
    var forms = document.querySelectorAll("form[data-sent]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute("data-sent");
      var buttons = forms[i].querySelectorAll("button[type=submit]");
      for (var j = 0; j < buttons.length; j++) { buttons[j].disabled = false; }
    }
  });
}());
