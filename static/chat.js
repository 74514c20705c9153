/* Lantern chat room client: live messages, presence and typing, and a send queue that
 * survives dropped connections. Every message gets a client-made id; until the server
 * acknowledges it, it stays in the outbox and is re-sent (the server keeps one copy per id).
 * After a reconnect the client asks for everything after the last id it saw. The
 * connection line says in plain words where things stand; it never shows a raw error. */
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || typeof io === "undefined") { return; }

  var roomId = Number(root.dataset.roomId);
  var myId = Number(root.dataset.memberId);
  var facilitator = root.dataset.facilitator === "true";
  // A mentoring room whose pair has ended: it can be read, not written in; data-closed is
  // what the page says about it.
  var closedNote = root.dataset.closed || "";
  var closed = Boolean(closedNote);
  // The member's own blocks and filters (forum.filters.lens; empty in support rooms): lines
  // that match arrive tucked away, as the server tucks the history it renders.
  var blocked = (root.dataset.blocked || "").split(" ").filter(Boolean).map(Number);
  var filter = root.dataset.filter ? new RegExp(root.dataset.filter, "i") : null;
  var ACK_TIMEOUT = 8000;
  var logRegion = document.getElementById("chat-log"); // the live region that scrolls
  var log = document.getElementById("chat-messages");  // the list of messages inside it
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-body");
  var errorBox = document.getElementById("chat-error");
  var statusBox = document.getElementById("chat-status");
  var typingBox = document.getElementById("chat-typing");
  var presenceList = document.getElementById("chat-presence");
  var moderatorNote = document.getElementById("chat-moderator");
  var olderButton = document.getElementById("chat-older");
  var helpPanel = document.getElementById("chat-help");
  var connectionLine = document.getElementById("chat-connection");
  var newBelow = document.getElementById("chat-new-below");

  var lastId = 0;           // highest message id seen: the catch-up point
  var outbox = new Map();   // client_id -> {body, element}, until acknowledged
  // Whether the server has this socket in the room: a message sent before the join is
  // answered is refused ("Please join the room first"), so it waits in the outbox until then.
  var joined = false;
  var typers = new Map();   // handle -> timer
  var lastTypingSent = 0;

  // The script is running: swap the "needs JavaScript" note for the live controls.
  var needsScript = document.getElementById("chat-needs-script");
  if (needsScript) { needsScript.hidden = true; }
  form.hidden = closed;
  olderButton.hidden = log.children.length < Number(root.dataset.historySize);
  var tools = document.getElementById("facilitator-tools");
  if (tools) { tools.hidden = false; }

  Array.prototype.forEach.call(log.querySelectorAll("li[data-id]"), function (li) {
    lastId = Math.max(lastId, Number(li.dataset.id));
    addFacilitatorButtons(li);
  });

  // Follow the conversation: new messages scroll into view unless the reader has
  // scrolled up to read earlier ones.
  function atBottom() { return logRegion.scrollHeight - logRegion.scrollTop - logRegion.clientHeight < 80; }
  function scrollToEnd() { logRegion.scrollTop = logRegion.scrollHeight; newBelow.hidden = true; }
  scrollToEnd();
  // Someone reading back isn't pulled down; a button says there is more below.
  newBelow.addEventListener("click", function () { scrollToEnd(); logRegion.focus(); });
  logRegion.addEventListener("scroll", function () { if (atBottom()) { newBelow.hidden = true; } });

  // ----- the connection line: where things stand, in words -----
  function setConnection(text) { connectionLine.textContent = text; }
  function waiting() {
    var n = outbox.size;
    return n === 0 ? "" : " " + (n === 1 ? "1 message" : n + " messages") + " will go as soon as we're back.";
  }
  function offline() {
    setConnection("You're offline. Anything you send waits here (keep this page open) and goes when you're back." +
                  waiting());
  }
  function reconnecting() {
    if (navigator.onLine === false) { offline(); return; }
    setConnection("Reconnecting… your messages are safe." + waiting());
  }
  // The server's own refusal ("Please log in…") is meant to be read; a transport failure
  // ("websocket error", "timeout") is not, and reads as reconnecting.
  function refusal(err) {
    if (!err || err.type || !err.message) { return null; }
    return ["timeout", "server error"].indexOf(err.message) === -1 ? err.message : null;
  }
  connectionLine.hidden = false;
  setConnection("Connecting…");
  window.addEventListener("offline", offline);
  window.addEventListener("online", function () {
    if (socket.connected) { setConnection("Connected."); } else { reconnecting(); }
  });

  var socket = io({ transports: ["websocket"], reconnectionDelayMax: 10000 });

  function newClientId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function setStatus(text) { statusBox.textContent = text; }
  function showError(text) { errorBox.textContent = text || ""; }

  function messageItem(m) {
    var li = document.createElement("li");
    li.className = "chat-message" + (m.held ? " held" : "");
    li.id = "m" + m.id;
    li.dataset.id = m.id;
    li.dataset.authorId = m.author_id || "";
    var author = document.createElement("span");
    author.className = "author";
    if (m.author && m.author !== "former member") {  // the same link as templates/_macros.html handle_link
      var link = document.createElement("a");
      link.className = "handle";
      link.href = "/m/" + encodeURIComponent(m.author);
      link.textContent = m.author;
      author.append(link);
    } else {
      author.textContent = m.author;
    }
    var time = document.createElement("time");
    time.dateTime = m.created_at;
    time.textContent = new Date(m.created_at).toISOString().slice(11, 16) + " UTC";
    if (window.localTime) { window.localTime.show(time); } // static/localtime.js: the reader's own clock
    li.append(author, " ", time, " ");
    var mine = m.author_id === myId;
    if (m.held) {
      // held_note: kept back for the boundaries of mentoring (contact details, plans to
      // meet), as templates/chat/_message.html marks it; otherwise held for review.
      var note = document.createElement("span");
      note.className = "cw-label";
      note.textContent = !m.held_note ? "held for review: only you and moderators see this" :
        mine ? "not passed on: only you can see this" : "not passed on: contact details";
      li.append(note);
    }
    var body = document.createElement("div");
    body.className = "chat-body";
    body.innerHTML = m.html; // sanitised on the server (markdown-it + bleach), like posts
    li.append(body);
    if (m.held && m.held_note && mine) {
      var why = document.createElement("p");
      why.className = "hint kept-back-note";
      why.textContent = m.held_note;
      li.append(why);
    }
    var reason = hiddenBy(m, body.textContent);
    if (reason) { tuck(li, reason); }
    addFacilitatorButtons(li);
    return li;
  }

  // Why this reader would rather not see a line: "blocked", "filtered" or null. Their own
  // lines always show.
  function hiddenBy(m, text) {
    if (!m.author_id || m.author_id === myId) { return null; }
    if (blocked.indexOf(m.author_id) !== -1) { return "blocked"; }
    return filter && filter.test(text) ? "filtered" : null;
  }

  // The same markup as templates/filters/_tucked.html: a quiet line that opens in place.
  function tuck(li, reason) {
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = reason === "blocked" ? "1 message from a member you blocked" : "1 message hidden by your filters";
    var show = document.createElement("span");
    show.className = "tucked-show";
    show.textContent = "show";
    summary.append(" · ", show);
    details.append(summary);
    while (li.firstChild) { details.append(li.firstChild); }
    li.append(details);
    li.classList.add("tucked");
  }

  function addFacilitatorButtons(li) {
    if (!facilitator) { return; }
    var tools = document.createElement("span");
    tools.className = "message-tools";
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link-button";
    remove.textContent = "Remove";
    remove.addEventListener("click", function () {
      socket.emit("remove", { message_id: Number(li.dataset.id) });
    });
    tools.append(remove);
    var authorId = Number(li.dataset.authorId);
    if (authorId && authorId !== myId) {
      var mute = document.createElement("button");
      mute.type = "button";
      mute.className = "link-button";
      mute.textContent = "Mute 15 min";
      mute.addEventListener("click", function () {
        socket.emit("mute", { room_id: roomId, member_id: authorId, minutes: 15 }, function (res) {
          setStatus(res && res.ok ? "Muted for 15 minutes." : (res && res.error) || "");
        });
      });
      tools.append(" ", mute);
    }
    li.append(tools);
  }

  // Insert in id order, once: live broadcasts, acks and catch-up may bring the same message.
  function addMessage(m) {
    if (m.room_id !== roomId) { return; }
    var pending = outbox.get(m.client_id);
    if (pending && m.author_id === myId) {
      if (pending.element) { pending.element.remove(); }
      outbox.delete(m.client_id);
    }
    var shown = document.getElementById("m" + m.id);
    if (shown) {
      // A moderator released a hold: the same message, no longer marked as held.
      if (shown.classList.contains("held") && !m.held) { shown.replaceWith(messageItem(m)); }
      return;
    }
    // A new message, or one a moderator restored: either way it goes in id order.
    var follow = atBottom();
    var li = messageItem(m);
    var next = null;
    for (var el = log.lastElementChild; el; el = el.previousElementSibling) {
      if (el.dataset.id && Number(el.dataset.id) < m.id) { break; }
      if (el.dataset.id) { next = el; }
    }
    log.insertBefore(li, next);
    lastId = Math.max(lastId, m.id);
    if (follow) { scrollToEnd(); } else if (!next) { newBelow.hidden = false; }
  }

  function renderPresence(handles, moderatorHere) {
    presenceList.replaceChildren.apply(presenceList, handles.map(function (h) {
      var li = document.createElement("li");
      li.textContent = h;
      return li;
    }));
    moderatorNote.textContent = moderatorHere ? "A facilitator is here." : "No facilitator right now.";
  }

  // "A trained moderator has been asked to join." in a mentoring room: once said, it stays.
  var helpAsked = root.dataset.helpAsked || "";
  function renderState(state) {
    var parts = [helpAsked, closedNote].filter(Boolean);
    if (state.locked) { parts.push("This room is paused by a facilitator for now. You can still read along."); }
    if (state.slow_mode_s) { parts.push("Slow mode: one message every " + state.slow_mode_s + " seconds."); }
    setStatus(parts.join(" "));
    var lock = document.getElementById("chat-lock");
    if (lock) {
      lock.setAttribute("aria-pressed", state.locked ? "true" : "false");
      lock.textContent = state.locked ? "Unlock room" : "Lock room";
    }
  }

  function renderTyping() {
    var names = Array.from(typers.keys());
    typingBox.textContent = names.length === 0 ? "" :
      names.length === 1 ? names[0] + " is typing…" : names.join(", ") + " are typing…";
  }

  // ----- sending, with retries until acknowledged -----
  function transmit(clientId) {
    var item = outbox.get(clientId);
    if (!item) { return; }
    if (!socket.connected) { reconnecting(); return; } // it waits in the outbox; the line says so
    if (!joined) { return; } // it waits in the outbox: the join's answer sends it (retryOutbox)
    socket.timeout(ACK_TIMEOUT).emit("send", { room_id: roomId, client_id: clientId, body: item.body }, function (err, res) {
      if (err) { return; } // no answer: it stays in the outbox and goes again on reconnect
      if (res && res.ok) { addMessage(res.message); return; }
      // Refused for good (too long, slow mode, muted...): give the words back.
      outbox.delete(clientId);
      if (item.element) { item.element.remove(); }
      if (!input.value) { input.value = item.body; }
      showError(res && res.error);
    });
  }

  function retryOutbox() { outbox.forEach(function (_, clientId) { transmit(clientId); }); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = input.value.trim();
    if (!body) { showError("A message needs some text."); return; }
    if (body.length > Number(root.dataset.bodyMax)) { showError("That message is too long; you could split it in two."); return; }
    showError("");
    var clientId = newClientId();
    var pending = document.createElement("li");
    pending.className = "chat-message pending";
    pending.textContent = body;
    pending.setAttribute("aria-hidden", "true"); // announced once, when it is stored
    log.append(pending);
    scrollToEnd();
    outbox.set(clientId, { body: body, element: pending });
    input.value = "";
    transmit(clientId);
    socket.emit("typing", { room_id: roomId, typing: false });
    lastTypingSent = 0;
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  input.addEventListener("input", function () {
    var now = Date.now();
    if (socket.connected && input.value && now - lastTypingSent > 3000) {
      lastTypingSent = now;
      socket.emit("typing", { room_id: roomId, typing: true });
    }
  });

  olderButton.addEventListener("click", function () {
    var first = log.querySelector("li[data-id]");
    if (!first) { olderButton.hidden = true; return; }
    socket.emit("history", { room_id: roomId, before: Number(first.dataset.id) }, function (res) {
      if (!res || !res.ok) { return; }
      logRegion.setAttribute("aria-busy", "true"); // older messages are not news
      res.messages.slice().reverse().forEach(function (m) {
        if (!document.getElementById("m" + m.id)) { log.insertBefore(messageItem(m), log.firstElementChild); }
      });
      logRegion.removeAttribute("aria-busy");
      if (res.messages.length < Number(root.dataset.historySize)) { olderButton.hidden = true; }
    });
  });

  var slowButton = document.getElementById("chat-slow-set");
  if (slowButton) {
    slowButton.addEventListener("click", function () {
      socket.emit("slow_mode", { room_id: roomId, seconds: Number(document.getElementById("chat-slow").value) || 0 });
    });
    document.getElementById("chat-lock").addEventListener("click", function () {
      var locked = this.getAttribute("aria-pressed") === "true";
      socket.emit("lock", { room_id: roomId, locked: !locked });
    });
  }

  // ----- joining, and catching up after a reconnect -----
  function join() {
    socket.emit("join", { room_id: roomId, after: lastId }, function (res) {
      if (!res || !res.ok) { setStatus((res && res.error) || "We couldn't open this room."); return; }
      res.messages.forEach(addMessage);
      renderPresence(res.presence, res.moderator_present);
      renderState(res.room);
      if (res.more) { join(); return; } // a long absence: keep catching up
      joined = true;
      retryOutbox();
    });
  }

  socket.on("connect", function () { setConnection("Connected."); join(); });
  socket.on("catch_up", function () { join(); }); // the server's link to the others was away
  socket.on("disconnect", function (reason) {
    joined = false;
    if (reason === "io server disconnect") {
      // The server ended it (a logout somewhere): try once; a live login gets back in,
      // an ended one hears "Please log in" through connect_error.
      setConnection("You've been signed out of the chat.");
      setTimeout(function () { socket.connect(); }, 1000);
    } else {
      reconnecting();
    }
    typers.clear();
    renderTyping();
  });
  socket.on("connect_error", function (err) {
    var refused = refusal(err);
    if (refused) { setConnection(refused); } else { reconnecting(); }
  });
  socket.on("message", addMessage);
  socket.on("removed", function (m) {
    var li = document.getElementById("m" + m.id);
    if (li) { li.remove(); }
  });
  socket.on("presence", function (p) { if (p.room_id === roomId) { renderPresence(p.handles, p.moderator_present); } });
  socket.on("room_state", function (s) { if (s.room_id === roomId) { renderState(s); } });
  socket.on("help_asked", function (h) {
    if (h.room_id !== roomId) { return; }
    helpAsked = h.text;
    setStatus(h.text);
  });
  // The pair ended while the page was open: it says so, and nothing more can be sent.
  socket.on("ended", function (e) {
    if (e.room_id !== roomId) { return; }
    closedNote = e.text;
    form.hidden = true;
    setStatus([helpAsked, closedNote].filter(Boolean).join(" "));
  });
  socket.on("typing", function (t) {
    if (t.room_id !== roomId) { return; }
    clearTimeout(typers.get(t.handle));
    if (t.typing) {
      typers.set(t.handle, setTimeout(function () { typers.delete(t.handle); renderTyping(); }, 6000));
    } else {
      typers.delete(t.handle);
    }
    renderTyping();
  });
  socket.on("muted", function (m) {
    if (m.room_id === roomId) { showError("A facilitator has paused your messages here for a while. You can still read along."); }
  });
  socket.on("error", function (e) { if (e && e.event !== "send") { showError(e.message); } });
  socket.on("support_opened", function (invite) {
    var link = document.createElement("a");
    link.href = invite.url;
    link.textContent = "Go to your private conversation";
    statusBox.replaceChildren("A moderator has opened a private conversation with you. ", link);
  });
  // The help panel arrives rendered by the server (the same template as beside a post).
  socket.on("help", showHelp);

  // Shown, scrolled into view and focused, as on a post's page (static/help.js): the
  // member's eyes and screen reader go straight to it. Choosing a region there comes back
  // to this room.
  function showHelp(help) {
    helpPanel.innerHTML = help.html;
    helpPanel.hidden = false;
    var back = helpPanel.querySelector("input[name=next]");
    if (back) { back.value = location.pathname; }
    var heading = helpPanel.querySelector("h2");
    if (heading) {
      heading.focus({ preventScroll: true });
      helpPanel.scrollIntoView({ block: "start" });
    }
  }
}());
