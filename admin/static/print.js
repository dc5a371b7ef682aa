// The print page's button prints the page (a script of its own: the
// Content-Security-Policy allows no inline script).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-now");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
});
