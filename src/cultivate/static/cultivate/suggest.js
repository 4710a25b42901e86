// A field marked data-suggest="<address>" offers what the address suggests for what is typed
// (its options' data-value): a community's tags with their counts, people by name. Arrow keys
// move, Enter or a click chooses, Escape closes. With data-suggest-many the field holds a list
// separated by commas or spaces (tags) and a choice replaces the item at the cursor; otherwise
// a choice is the whole value. The field stays a plain text field, so typing something new, or
// having no script at all, works as before.
(function () {
  var WORD = /[^\s,]*$/;  // the end of a tag, up to the last separator

  function setUp(input, number) {
    var many = input.hasAttribute("data-suggest-many");
    var list = document.createElement("ul");
    list.id = "suggestions-" + number;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent.replace("*", "").trim() : "");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var active = -1;
    var timer = null;
    var asked = 0;

    function options() { return list.querySelectorAll("[role=option]"); }
    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      var all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      all.forEach(function (option, n) { option.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
    }
    function around() {
      if (!many) { return { start: 0, end: input.value.length, word: input.value.trim() }; }
      // The item being typed: from the last separator before the cursor to the next after it.
      var at = input.selectionStart === null ? input.value.length : input.selectionStart;
      var start = input.value.slice(0, at).search(WORD);
      var rest = input.value.slice(at).search(/[\s,]|$/);
      return { start: start, end: at + rest, word: input.value.slice(start, at + rest) };
    }
    function choose(option) {
      var place = around();
      var after = many ? input.value.slice(place.end).replace(/^[\s,]*/, "") : "";
      var chosen = input.value.slice(0, place.start) + option.dataset.value + (many ? ", " : "");
      input.value = chosen + after;
      input.setSelectionRange(chosen.length, chosen.length);
      close();
      input.focus();
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function ask() {
      var word = around().word;
      if (!word) { close(); return; }
      var mine = ++asked;
      var address = input.dataset.suggest;
      fetch(address + (address.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(word), { headers: { "HX-Request": "true" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (mine !== asked) { return; }  // a later keystroke asked again
          list.innerHTML = html;
          options().forEach(function (option) {
            option.id = list.id + "-" + option.id;
            option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(option); });
          });
          active = -1;
          if (options().length) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          } else {
            close();
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function (event) {
      if (event.isTrusted === false && list.hidden) { return; }  // our own write after a choice
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options()[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () {
      clearTimeout(timer);
      asked += 1;  // an answer still on its way must not open the list again
      close();
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(setUp);
})();
