// The help panel, raised by the member's own words: the page they land on after posting,
// replying or editing opens at the panel (#help-<post id>, the panel's heading). The
// browser scrolls there by itself; this moves focus there too, so a screen reader says
// "You don't have to carry this alone" and the next Tab goes into the panel, not back to
// the top of the page.
(function () {
  "use strict";
  function focusRaisedPanel() {
    var id = decodeURIComponent(location.hash.slice(1));
    var heading = id && document.getElementById(id);
    if (!heading || !heading.closest(".help-panel")) { return; }
    heading.focus({ preventScroll: true });
    heading.closest(".help-panel").scrollIntoView({ block: "start" });
  }
  focusRaisedPanel();
  window.addEventListener("hashchange", focusRaisedPanel);
}());
