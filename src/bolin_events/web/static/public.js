/* Optional enhancement: the poster's Print button. Without JavaScript the browser's own
   Print menu does the same, so the button stays hidden. */
document.querySelectorAll(".print-button").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
