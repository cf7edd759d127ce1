// The recurrence form shows only the parts the chosen repetition uses. Optional: without
// JavaScript every part is shown, and the server ignores the parts that do not apply.
(function () {
  document.querySelectorAll("fieldset.recurrence").forEach(function (box) {
    var weekdays = box.querySelector("fieldset.weekdays");
    var ends = box.querySelector("fieldset.ends");
    function update() {
      var chosen = box.querySelector('input[name="repeat"]:checked');
      var repeat = chosen ? chosen.value : "none";
      if (weekdays) weekdays.hidden = repeat !== "weekly";
      if (ends) ends.hidden = repeat === "none" || repeat === "custom";
    }
    box.addEventListener("change", update);
    update();
  });
})();
