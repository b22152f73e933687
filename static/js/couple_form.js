// The add-couple form asks one of two questions, by the status chosen: for a method, whether it
// is her first use (a PB) or a continuing one; for a non-user, whether they ever used a method.
// Without JavaScript both questions show, each saying when it applies.
(function () {
  "use strict";
  var form = document.querySelector("form.couple-form[data-methods]");
  if (!form) { return; }
  var status = form.querySelector("select[name=status]");
  var firstUse = document.getElementById("div_id_first_use");
  var everUsed = document.getElementById("div_id_ever_used");
  if (!status || !firstUse || !everUsed) { return; }
  var methods = form.getAttribute("data-methods").split(" ");

  function show() {
    var value = status.value;
    var isMethod = methods.indexOf(value) !== -1;
    firstUse.hidden = value !== "" && !isMethod;
    everUsed.hidden = value === "" || isMethod;
  }

  status.addEventListener("change", show);
  show();
})();
