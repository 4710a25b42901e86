// Keep what a person types in a form marked data-draft="name" in this browser until the form is
// sent, so a closed tab or a lost connection loses nothing. A form the server sends back with
// text in it (a refused submit) keeps the server's text.
(function () {
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && (field.tagName === "TEXTAREA" || (field.tagName === "INPUT" && field.type === "text"));
    });
  }
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = "cultivate-draft:" + window.location.pathname + ":" + form.dataset.draft;
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (error) { saved = null; }
    var inputs = fields(form);
    var typed = inputs.some(function (field) { return field.value.trim() !== ""; });
    if (saved && !typed) {
      inputs.forEach(function (field) { if (saved[field.name]) { field.value = saved[field.name]; } });
      var note = form.querySelector("[data-draft-note]");
      if (note) { note.hidden = false; }
    }
    form.addEventListener("input", function () {
      var values = {};
      inputs.forEach(function (field) { values[field.name] = field.value; });
      try { window.localStorage.setItem(key, JSON.stringify(values)); } catch (error) { /* full: keep typing */ }
    });
    form.addEventListener("submit", function () {
      try { window.localStorage.removeItem(key); } catch (error) { /* nothing kept */ }
    });
  });
})();
