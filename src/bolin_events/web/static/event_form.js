// The recurrence form shows only the parts the chosen repetition uses, and under them the
// first dates it gives ("接下来 5 次：…"), asked from the server as the choice changes — the
// same expansion as saving, so what it shows is what the series will hold. Optional: without
// JavaScript every part is shown, the server ignores the parts that do not apply, and the
// saved event's page says its dates.
(function () {
  "use strict";
  var ASKED = ["start_date", "start_time", "all_day", "repeat", "byday", "ends", "until",
               "count", "rrule_custom", "lunar_month", "lunar_day", "lunar_leap", "term",
               "ending"];
  var WAIT_MS = 250;  // a burst of typing asks once

  function previewOf(form, box) {
    var output = box.querySelector(".recurrence-preview");
    if (!output || !window.fetch || !window.URLSearchParams) return function () {};
    var timer = null;
    var asked = 0;

    function query() {
      var params = new URLSearchParams();
      ASKED.forEach(function (name) {
        form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
          if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
          params.append(name, input.value);
        });
      });
      return params.toString();
    }

    function show(text, refused) {
      output.textContent = text || "";
      output.hidden = !text;
      output.classList.toggle("field-error", Boolean(refused));
    }

    function ask() {
      var mine = ++asked;
      fetch(output.getAttribute("data-preview-url") + "?" + query(), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
      }).then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      }).then(function (answer) {
        if (mine !== asked) return;  // a later change was asked about since
        var text = answer.body && typeof answer.body.text === "string" ? answer.body.text : "";
        show(text, !answer.ok);
      }).catch(function () {
        if (mine === asked) show("", false);  // offline: the page still saves as it is
      });
    }

    return function (repeat) {
      clearTimeout(timer);
      if (repeat === "none") {
        asked++;
        show("", false);
        return;
      }
      timer = setTimeout(ask, WAIT_MS);
    };
  }

  document.querySelectorAll("fieldset.recurrence").forEach(function (box) {
    var form = box.closest("form");
    var weekdays = box.querySelector("fieldset.weekdays");
    var ends = box.querySelector("fieldset.ends");
    var parts = box.querySelectorAll("fieldset[data-for]");
    var refresh = form ? previewOf(form, box) : function () {};
    function update() {
      var chosen = box.querySelector('input[name="repeat"]:checked');
      var repeat = chosen ? chosen.value : "none";
      if (weekdays) weekdays.hidden = repeat !== "weekly";
      if (ends) ends.hidden = repeat === "none" || repeat === "custom";
      parts.forEach(function (part) {
        part.hidden = part.getAttribute("data-for") !== repeat;
      });
      return repeat;
    }
    box.addEventListener("change", function () { refresh(update()); });
    box.addEventListener("input", function () { refresh(update()); });
    if (form) {
      ["start_date", "start_time", "all_day"].forEach(function (name) {
        var input = form.elements[name];
        if (input) input.addEventListener("change", function () { refresh(update()); });
      });
    }
    update();
  });
})();
