// A table or code block wider than its box scrolls inside it (on a phone); a keyboard user must
// be able to reach it to scroll it, so such a box joins the tab order while, and only while, it
// is wider than its box.
(function () {
  function mark() {
    document.querySelectorAll("table.data, .table-scroll, .content pre").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
