/* Keyboard: j/k move between inbox rows, Enter opens (the row link has focus), r focuses the reply. */
(function () {
  if (window.parcelcareKeys) { return; }
  window.parcelcareKeys = true;
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "j" || key === "k") {
      var links = Array.prototype.slice.call(document.querySelectorAll("[data-keys=rows] .row-anchor"));
      if (!links.length) { return; }
      var at = links.indexOf(document.activeElement);
      var next = key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
      links[next].focus();
      links[next].closest("tr").scrollIntoView({block: "nearest"});
      event.preventDefault();
    } else if (key === "r") {
      var reply = document.getElementById("reply-body");
      if (reply) { reply.focus(); event.preventDefault(); }
    }
  });
})();
