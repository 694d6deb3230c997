// collate report: filters, annotation highlighting, keyboard navigation. No network, no eval;
// the page reads well without it.
(function () {
  "use strict";
  var doc = document;
  var rows = Array.prototype.slice.call(doc.querySelectorAll(".grid .row[id]"));
  var changed = doc.getElementById("only-changed");
  var doubtful = doc.getElementById("only-doubtful");
  var shown = doc.getElementById("shown");

  function applyFilters() {
    var onlyChanged = changed && changed.checked;
    var onlyDoubtful = doubtful && doubtful.checked;
    var count = 0;
    rows.forEach(function (row) {
      var hide = (onlyChanged && row.getAttribute("data-change") !== "1") ||
        (onlyDoubtful && !row.classList.contains("doubtful"));
      row.hidden = hide;
      if (!hide) { count += 1; }
    });
    if (shown) { shown.textContent = String(count); }
  }
  [changed, doubtful].forEach(function (box) {
    if (box) { box.addEventListener("change", applyFilters); }
  });

  function noteIds(el) {
    var ids = el && el.getAttribute("data-notes");
    return ids ? ids.split(" ") : [];
  }
  function light(ids, on) {
    ids.forEach(function (id) {
      var item = doc.getElementById(id);
      if (item) { item.classList.toggle("lit", on); }
      doc.querySelectorAll('[data-notes~="' + id + '"]').forEach(function (m) {
        m.classList.toggle("lit", on);
      });
    });
  }
  function hovered(event, on) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var mark = target.closest("[data-notes]");
    if (mark) { light(noteIds(mark), on); return; }
    var item = target.closest(".notes li[id]");
    if (item) { light([item.id], on); }
  }
  doc.addEventListener("mouseover", function (e) { hovered(e, true); });
  doc.addEventListener("mouseout", function (e) { hovered(e, false); });
  doc.addEventListener("click", function (e) {
    var target = e.target;
    if (!(target instanceof Element)) { return; }
    var mark = target.closest("[data-notes]");
    var ids = noteIds(mark);
    var item = ids.length ? doc.getElementById(ids[0]) : null;
    if (item) { item.scrollIntoView({ block: "nearest" }); }
  });

  // n / p: next or previous row that differs (or is doubtful).
  function step(direction) {
    var y = window.scrollY + 80;
    var candidates = rows.filter(function (r) {
      return !r.hidden && (r.getAttribute("data-change") === "1" || r.classList.contains("doubtful"));
    });
    if (direction < 0) { candidates.reverse(); }
    var next = candidates.find(function (r) {
      var top = r.getBoundingClientRect().top + window.scrollY;
      return direction > 0 ? top > y + 1 : top < y - 1;
    });
    if (next) { location.hash = next.id; }
  }
  doc.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var tag = e.target instanceof Element ? e.target.tagName : "";
    if (tag === "INPUT" || tag === "TEXTAREA") { return; }
    if (e.key === "n" || e.key === "j") { step(1); }
    if (e.key === "p" || e.key === "k") { step(-1); }
  });

  applyFilters();
  doc.body.setAttribute("data-ready", "1");
})();
