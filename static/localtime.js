// Every time on every page in the reader's own time zone, in one format. The server writes
// each moment as <time datetime="…UTC…">3 Nov 2025, 21:12 UTC</time>, which is right
// without JavaScript; this rewrites it as the reader's clock shows it: "21:12" today,
// "Tue 21:12" within a week, "3 Nov 21:12" this year, "3 Nov 2024 21:12" before that,
// with the full date and time zone in the title. Times added later (a chat message, the
// live queue's refresh) are rewritten as they arrive; chat.js calls localTime.show itself
// so a new message is announced once, already in local time.
(function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  function format(options) { return new Intl.DateTimeFormat("en-GB", Object.assign({ hourCycle: "h23" }, options)); }
  var clock = format({ hour: "2-digit", minute: "2-digit" });
  var weekday = format({ weekday: "short" });
  var dayMonth = format({ day: "numeric", month: "short" });
  var dayMonthYear = format({ day: "numeric", month: "short", year: "numeric" });
  var full = format({ weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });

  function dayNumber(date) { return Math.floor(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86400000); }

  // The words for one moment, as the reader's clock shows it.
  function label(date, now) {
    now = now || new Date();
    var days = Math.abs(dayNumber(now) - dayNumber(date));
    var time = clock.format(date);
    if (days === 0) { return time; }
    if (days < 7) { return weekday.format(date) + " " + time; }
    if (date.getFullYear() === now.getFullYear()) { return dayMonth.format(date) + " " + time; }
    return dayMonthYear.format(date) + " " + time;
  }

  // Rewrite one <time datetime>, once. A date without a time of day (no "T") is left as
  // the server wrote it: there is no zone to convert.
  function show(element) {
    var value = element.getAttribute("datetime");
    if (!value || value.indexOf("T") === -1 || element.dataset.local === value) { return; }
    var date = new Date(value);
    if (isNaN(date.getTime())) { return; }
    element.textContent = label(date);
    element.title = full.format(date) + " (" + zone + ")";
    element.dataset.local = value;
  }

  function showAll(root) {
    if (root.matches && root.matches("time[datetime]")) { show(root); }
    if (root.querySelectorAll) { Array.prototype.forEach.call(root.querySelectorAll("time[datetime]"), show); }
  }

  window.localTime = { show: show, label: label };
  showAll(document);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) { Array.prototype.forEach.call(change.addedNodes, showAll); });
  }).observe(document.body, { childList: true, subtree: true });
}());
