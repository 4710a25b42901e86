// A field marked data-select-on-focus (a new token's secret) is selected whole when reached, ready
// to copy; an inline onfocus would break the Content-Security-Policy.
(function () {
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
