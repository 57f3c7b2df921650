// labdocs: a copy button beside each answer on "Ready for the funder's form"; without JavaScript the answers
// are still there to select and copy.
(function () {
  "use strict";

  function announce(text) {
    var status = document.querySelector("[data-copy-status]");
    if (status) { status.textContent = text; }
  }

  function copy(area, label) {
    var done = function () { announce("Copied: " + label); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, function () {
        area.select();
        announce("Could not copy: the answer is selected, press Ctrl+C (Cmd+C on a Mac).");
      });
      return;
    }
    area.select();
    announce("The answer is selected: press Ctrl+C (Cmd+C on a Mac) to copy it.");
  }

  function copyButtons() {
    document.querySelectorAll("[data-paste]").forEach(function (group) {
      var area = group.querySelector("[data-copy-source]");
      var label = group.querySelector("label");
      if (!area || !label) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary";
      button.textContent = "Copy answer";
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = " " + label.textContent;
      button.appendChild(name);
      button.addEventListener("click", function () { copy(area, label.textContent); });
      group.appendChild(button);
    });
  }

  document.addEventListener("DOMContentLoaded", copyButtons);
})();
