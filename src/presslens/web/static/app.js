// Progressive enhancement only: every page reads fine without this file.
// On the story list, filter the visible stories as the user types in the search box.
(function () {
  "use strict";
  var list = document.getElementById("story-list");
  var box = document.querySelector('input[name="q"]');
  if (!list || !box) { return; }
  var items = Array.prototype.slice.call(list.querySelectorAll("li"));
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    items.forEach(function (li) {
      var text = (li.getAttribute("data-text") || "").toLowerCase();
      var show = words.every(function (w) { return text.indexOf(w) !== -1; });
      li.hidden = !show;
    });
  });
})();
