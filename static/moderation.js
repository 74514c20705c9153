// The live queue: on any flag event, fetch the queue fragment again (one rendering path,
// the server's) and announce what changed to screen readers. On a flag's page it listens
// for one thing: another moderator taking that flag over from you.
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  var flagAnnouncer = document.getElementById("flag-announcer");
  if ((!queue && !flagAnnouncer) || typeof io === "undefined") { return; }
  var socket = io("/moderation", { transports: ["websocket", "polling"] });

  function tookOver(f) {
    return f.by + " has taken over flag " + f.id + ". It's theirs now; thank you for looking after it.";
  }

  if (!queue) {
    var flagId = Number(flagAnnouncer.dataset.flagId);
    socket.on("flag.taken", function (f) {
      if (f.id === flagId) { flagAnnouncer.textContent = tookOver(f) + " Reload the page to see where it stands."; }
    });
    return;
  }

  var announcer = document.getElementById("queue-announcer");
  var status = document.getElementById("live-status");

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
  socket.on("flag.taken", function (f) { refresh(tookOver(f)); });
  socket.on("flag.updated", function () { refresh(); });
  socket.on("catch_up", function () { refresh(); }); // the server's link to the others was away
  socket.on("flag.resolved", function () { refresh(); });
})();
