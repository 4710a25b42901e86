// A member choice marked data-people-picker="<prompt>" (a select of one member, or a list of
// checkboxes of several) gets a field above it where one types a name: the members whose name
// holds every word typed (accents and case ignored) are offered, arrow keys move, Enter or a click
// chooses (the select takes that member, the checkbox is ticked). In a long checkbox list, typing
// also narrows the list to the matches and those already ticked. Without script the select and
// the checkboxes work as they are.
(function () {
  var LIMIT = 8;
  var number = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function entriesOf(controls) {
    if (controls[0].tagName === "SELECT") {
      var select = controls[0];
      return Array.prototype.filter.call(select.options, function (option) { return option.value; })
        .map(function (option) {
          return {
            label: option.textContent.trim(),
            row: null,
            chosen: function () { return select.value === option.value; },
            choose: function () { select.value = option.value; select.dispatchEvent(new Event("change", { bubbles: true })); }
          };
        });
    }
    return controls.map(function (box) {
      return {
        label: (box.labels && box.labels[0] ? box.labels[0].textContent : box.value).trim(),
        row: box.closest("label") ? box.closest("label").parentElement : box.parentElement,
        chosen: function () { return box.checked; },
        choose: function () { box.checked = true; box.dispatchEvent(new Event("change", { bubbles: true })); }
      };
    });
  }

  function setUp(controls) {
    var first = controls[0];
    var single = first.tagName === "SELECT";
    var entries = entriesOf(controls);
    var anchor = single ? first : (document.getElementById(first.id.replace(/_\d+$/, "")) || first);
    var finder = document.createElement("input");
    var list = document.createElement("ul");
    number += 1;
    finder.type = "text";
    finder.className = "people-finder";
    finder.placeholder = first.dataset.peoplePicker;
    finder.setAttribute("aria-label", first.dataset.peoplePicker);
    finder.setAttribute("role", "combobox");
    finder.setAttribute("aria-autocomplete", "list");
    finder.setAttribute("aria-expanded", "false");
    finder.setAttribute("autocomplete", "off");
    list.id = "people-picker-" + number;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", first.dataset.peoplePicker);
    list.hidden = true;
    finder.setAttribute("aria-controls", list.id);
    anchor.insertAdjacentElement("beforebegin", finder);
    finder.insertAdjacentElement("afterend", list);
    var shown = [];
    var active = -1;

    function close() {
      list.hidden = true;
      active = -1;
      finder.setAttribute("aria-expanded", "false");
      finder.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      if (!shown.length) { return; }
      active = (index + shown.length) % shown.length;
      Array.prototype.forEach.call(list.children, function (item, n) {
        item.setAttribute("aria-selected", n === active ? "true" : "false");
      });
      finder.setAttribute("aria-activedescendant", list.children[active].id);
    }
    function narrow(words) {
      entries.forEach(function (entry) {
        if (entry.row) { entry.row.hidden = words.length > 0 && !entry.chosen() && !matches(entry, words); }
      });
    }
    function matches(entry, words) {
      var name = fold(entry.label);
      return words.every(function (word) { return name.indexOf(word) !== -1; });
    }
    function choose(entry) {
      entry.choose();
      finder.value = single ? entry.label : "";
      narrow([]);
      close();
    }
    finder.addEventListener("input", function () {
      var words = fold(finder.value).split(/\s+/).filter(Boolean);
      narrow(words);
      shown = words.length ? entries.filter(function (entry) { return matches(entry, words); }).slice(0, LIMIT) : [];
      list.textContent = "";
      shown.forEach(function (entry, n) {
        var item = document.createElement("li");
        item.id = list.id + "-" + n;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = entry.label;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(entry); });
        list.appendChild(item);
      });
      active = -1;
      if (shown.length) { list.hidden = false; finder.setAttribute("aria-expanded", "true"); } else { close(); }
    });
    finder.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // The finder is never what a form sends: Enter chooses, or does nothing.
        event.preventDefault();
        if (!list.hidden && (active >= 0 || shown.length === 1)) { choose(shown[Math.max(active, 0)]); }
        return;
      }
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
    });
    finder.addEventListener("blur", close);
  }

  var groups = {};
  document.querySelectorAll("[data-people-picker]").forEach(function (control) {
    if (control.tagName === "SELECT") { setUp([control]); return; }
    var key = (control.form ? control.form.id || control.form.action : "") + "|" + control.name;
    (groups[key] = groups[key] || []).push(control);
  });
  Object.keys(groups).forEach(function (key) { setUp(groups[key]); });
})();
