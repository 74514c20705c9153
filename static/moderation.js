// The live queue: on any flag event, fetch the queue fragment again (one rendering path,
// the server's) and announce what changed to screen readers.
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  if (!queue || typeof io === "undefined") { return; }
  var announcer = document.getElementById("queue-announcer");
  var status = document.getElementById("live-status");
  var socket = io("/moderation", { transports: ["websocket", "polling"] });

  function refresh(message) {
    fetch(queue.dataset.fragmentUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        queue.innerHTML = html;
        if (message) { announcer.textContent = message; }
      })
      .catch(function () { status.textContent = "Couldn't refresh the queue; reload the page."; });
  }

  socket.on("connect", function () { status.textContent = "Live: new flags appear here by themselves."; refresh(); });
  socket.on("disconnect", function () { status.textContent = "Reconnecting…"; });
  socket.on("flag.new", function (f) { refresh("New " + f.severity + " flag."); });
  socket.on("flag.escalated", function (f) { refresh("Flag " + f.id + " escalated: it needs someone now."); });
  socket.on("flag.reminder", function (f) { refresh("Flag " + f.id + " is still waiting."); });
  socket.on("flag.updated", function () { refresh(); });
  socket.on("flag.resolved", function () { refresh(); });
})();
