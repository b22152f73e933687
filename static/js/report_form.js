/* The monthly report form, live: the balance line (PUS = PA + hamil + IAS + IAT + TIAL) says
   "seimbang", "kurang 2" or "lebih 3" as the cadre types — and, when it is off, which parts
   differ from the register ("PA 20 (register 24)") — and a count's reason input shows when
   the count differs from the register. The server checks both again; without this script the
   page still works (the server shows the same line and asks for missing reasons). Data comes
   from the json_script element #report-form-data: {pus, balance: [fields], register, words,
   parts: [[name, [fields]]]}. */
(function () {
  "use strict";
  var form = document.querySelector("form.report-form");
  var source = document.getElementById("report-form-data");
  if (!form || !source) return;
  var data = JSON.parse(source.textContent);
  var box = document.getElementById("balance");

  // A count as typed: null when blank, NaN when not a whole number >= 0.
  function count(name) {
    var input = form.elements[name];
    if (!input || input.value.trim() === "") return null;
    var value = Number(input.value);
    return Number.isInteger(value) && value >= 0 ? value : NaN;
  }

  function showBalance() {
    var pus = count(data.pus);
    var total = 0;
    data.balance.forEach(function (name) {
      var value = count(name);
      if (value !== null && !isNaN(value)) total += value;
    });
    var text;
    var balanced = false;
    if (pus === null || isNaN(pus)) {
      text = data.words.no_pus;
    } else if (total === pus) {
      text = data.words.balanced;
      balanced = true;
    } else {
      text = (total < pus ? data.words.short : data.words.over) + " " + Math.abs(total - pus);
    }
    box.querySelector(".balance-text").textContent = text;
    box.querySelector(".balance-pus").textContent = pus === null || isNaN(pus) ? "—" : String(pus);
    box.querySelector(".balance-total").textContent = String(total);
    box.classList.toggle("text-success", balanced);
    box.classList.toggle("text-danger", !balanced);
    showWhere(balanced || pus === null || isNaN(pus));
  }

  function showWhere(hide) {
    var where = box.querySelector(".balance-where");
    if (!where || !data.register) return;
    var differing = [];
    data.parts.forEach(function (part) {
      var mine = 0;
      var theirs = 0;
      part[1].forEach(function (name) {
        var value = count(name);
        if (value !== null && !isNaN(value)) mine += value;
        theirs += data.register[name] || 0;
      });
      if (mine !== theirs) differing.push(part[0] + " " + mine + " (" + data.words.register + " " + theirs + ")");
    });
    where.querySelector(".balance-where-list").textContent = differing.join(", ");
    where.hidden = hide || differing.length === 0;
  }

  function showReason(name) {
    var wrap = form.querySelector('[data-reason-wrap="' + name + '"]');
    if (!wrap || !data.register) return;
    var value = count(name);
    var differs = value !== null && value !== (data.register[name] || 0);
    var hasError = wrap.querySelector(".is-invalid") !== null;
    wrap.hidden = !differs && !hasError;
  }

  form.addEventListener("input", function (event) {
    var name = event.target.getAttribute("data-field");
    if (!name) return;
    showBalance();
    showReason(name);
  });
  showBalance();
})();
