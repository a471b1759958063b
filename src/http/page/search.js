/* ratsuche search page: suggestions while typing and instant filters. The page works without
 * this script: the form submits with its buttons. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("s");
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!form || !input || !list) return;

  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var typed = input.value;
      if (typed === last || typed.trim().length < 2) return;
      last = typed;
      fetch("/api/suggest?q=" + encodeURIComponent(typed))
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (body) {
          if (input.value !== typed) return;
          list.textContent = "";
          body.suggestions.forEach(function (suggestion) {
            var option = document.createElement("option");
            option.value = suggestion.text;
            if (suggestion.title) option.label = suggestion.title;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });

  /* A ticked facet or another sort order searches at once; the page counter starts anew.
   * The control keeps the keyboard focus across the reload. */
  var focusKey = "ratsuche-focus";
  try {
    var focusId = sessionStorage.getItem(focusKey);
    sessionStorage.removeItem(focusKey);
    var focused = focusId && document.getElementById(focusId);
    if (focused) focused.focus();
  } catch (error) {}
  document.querySelectorAll("[data-autosubmit]").forEach(function (control) {
    control.addEventListener("change", function () {
      try { sessionStorage.setItem(focusKey, control.id); } catch (error) {}
      var page = form.querySelector("input[name=page]");
      if (page) page.remove();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  });
})();
