// The light/dark toggle. It shows the theme in use (the device's, until the person picks
// one) and saves a change in the background, so nothing typed on the page is lost.
(function () {
  "use strict";
  var form = document.getElementById("theme-form");
  if (!form) { return; }
  var root = document.documentElement;
  var button = form.querySelector("button");
  var choice = form.elements.theme;
  var deviceDark = window.matchMedia("(prefers-color-scheme: dark)");

  function isDark() { return root.dataset.theme ? root.dataset.theme === "dark" : deviceDark.matches; }
  function show() {
    button.setAttribute("aria-pressed", String(isDark()));
    choice.value = isDark() ? "light" : "dark";  // what pressing it next would choose
  }

  show();
  deviceDark.addEventListener("change", show);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = choice.value;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        root.dataset.theme = wanted;
        show();
      })
      .catch(function () { form.submit(); });  // the plain form post still works
  });
}());
