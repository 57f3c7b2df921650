// labdocs: a little live feedback on top of pages that already work without JavaScript.
(function () {
  "use strict";

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  // A word count under a textarea, as the GOV.UK character count does it: announced politely.
  function wordCounts() {
    document.querySelectorAll("textarea[data-word-limit]").forEach(function (area) {
      var limit = parseInt(area.getAttribute("data-word-limit"), 10);
      var info = document.getElementById(area.id + "-info");
      if (!info) { return; }
      var update = function () {
        var left = limit - countWords(area.value);
        var n = Math.abs(left);
        info.textContent = left >= 0
          ? "You have " + n + " word" + (n === 1 ? "" : "s") + " remaining"
          : "You have " + n + " word" + (n === 1 ? "" : "s") + " too many";
        info.classList.toggle("count-over", left < 0);
      };
      area.addEventListener("input", update);
      update();  // what was typed before the script ran (or kept after an error) counts too
    });
  }

  function pounds(value) {
    var number = parseFloat(String(value).replace(/[£,\s]/g, ""));
    return isNaN(number) ? 0 : number;
  }

  function format(amount) {
    return "£" + amount.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  // The budget's running total against the amount asked for, as lines are typed.
  function budgetTotals() {
    var budget = document.querySelector("[data-budget]");
    if (!budget) { return; }
    var total = budget.querySelector("[data-budget-total]");
    var verdict = budget.querySelector("[data-budget-verdict]");
    var requested = pounds(budget.getAttribute("data-requested"));
    var update = function () {
      var sum = 0;
      budget.querySelectorAll("[data-budget-line]").forEach(function (line) {
        var amount = line.querySelector("[data-amount]");
        var quantity = line.querySelector("[data-quantity]");
        sum += pounds(amount ? amount.value : 0) * (parseInt(quantity && quantity.value, 10) || 1);
      });
      total.textContent = format(sum);
      if (!budget.getAttribute("data-requested")) { verdict.textContent = ""; return; }
      var gap = Math.round((sum - requested) * 100) / 100;
      verdict.textContent = gap === 0 ? "They match." :
        "That is " + format(Math.abs(gap)) + (gap > 0 ? " more" : " less") + " than the funding requested.";
    };
    budget.addEventListener("input", update);
    update();
  }

  // Watch a document being made, then show it: the page reloads once it is ready or has failed. Each request
  // waits on the server (up to 10 s) until the status changes, so the page learns at once without busy polling;
  // a busy server answers at once with Retry-After, and the page does as it says.
  function statusPolling() {
    var panel = document.querySelector("[data-status-url]");
    if (!panel) { return; }
    var label = panel.querySelector("[data-status-label]");
    var poll = function () {
      fetch(panel.getAttribute("data-status-url") + "?wait=10", { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          var later = parseFloat(response.headers.get("Retry-After") || "0");
          return response.json().then(function (body) { return { body: body, later: later }; });
        })
        .then(function (answer) {
          var body = answer.body;
          if (label && label.textContent !== body.label) { label.textContent = body.label; }
          if (body.status === "finished" || body.status === "failed") { window.location.reload(); }
          else { window.setTimeout(poll, answer.later > 0 ? answer.later * 1000 : 100); }
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    poll();
  }

  // A colour picker's #RRGGBB in its hint, kept in step as the colour changes. Choosing a colour unticks its
  // "Automatic" box (or the choice would be ignored), and the contrast measured for the saved colour says it is
  // measured again on saving. Without this script the page still works: the hint shows the colour as saved.
  function colourHexes() {
    document.querySelectorAll("input[type=color]").forEach(function (input) {
      var hex = document.querySelector('[data-colour-hex="' + input.id + '"]');
      var measured = document.querySelector('[data-colour-measured="' + input.id + '"]');
      var automatic = document.querySelector('[data-automatic-for="' + input.id + '"]');
      var show = function () {
        if (hex) { hex.textContent = automatic && automatic.checked ? "automatic" : input.value.toUpperCase(); }
        if (measured && measured.textContent) { measured.textContent = " Save to measure its contrast again."; }
      };
      input.addEventListener("input", function () {
        if (automatic) { automatic.checked = false; }
        show();
      });
      if (automatic) { automatic.addEventListener("change", show); }
    });
  }

  // Move focus to the error summary, so screen readers announce it and keyboards start there.
  function focusErrors() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    wordCounts();
    budgetTotals();
    statusPolling();
    colourHexes();
    focusErrors();
  });
})();
