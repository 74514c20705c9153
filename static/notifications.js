/* Lantern notifications on every page of a signed-in member: the header's bell count and
 * the "a moderator would like to talk with you" banner, kept up to date live over
 * Socket.IO (the /notifications namespace); and @mention autocomplete in the post forms.
 *
 * The live event carries nothing but "something new": the page then asks over HTTP for
 * the unread notifications after the last id it has seen, exactly as it does after every
 * (re)connect (Socket.IO delivers at most once), so a notification reaches the page one
 * way, and is shown once (deduplicated by id).
 * Without JavaScript the bell and banner are as fresh as the page, and every form works. */
(function () {
  "use strict";
  var bell = document.getElementById("bell");
  if (!bell) { return; }
  var countBox = document.getElementById("bell-count");
  var banner = document.getElementById("outreach");
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var base = bell.dataset.base.replace(/\/$/, "");

  var lastId = Number(bell.dataset.lastId) || 0;  // the newest id this page knows of: catch-ups start there
  var unread = Number(bell.dataset.unread) || 0;
  var known = new Set();     // the ids shown: each notification once

  // Said to screen readers without moving their focus.
  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.id = "notification-announcer";
  bell.closest("header").appendChild(announcer);

  function setUnread(n) {
    unread = Math.max(0, n);
    countBox.hidden = unread === 0;
    countBox.innerHTML = "";
    var words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = " unread";
    countBox.append(String(unread), words);
  }

  function openUrl(id) { return base + "/" + id + "/open"; }

  function showBanner(n) {
    if (!banner || banner.querySelector('[data-id="' + n.id + '"]')) { return; }
    banner.innerHTML = "";
    var section = document.createElement("section");
    section.className = "outreach";
    section.dataset.id = n.id;
    section.setAttribute("aria-labelledby", "outreach-title");
    var heading = document.createElement("h2");
    heading.id = "outreach-title";
    heading.textContent = "A moderator would like to talk with you";
    var words = document.createElement("p");
    words.textContent = "They've opened a private room for you both. Only you and moderators can see it. " +
      "Go whenever you're ready.";
    var row = document.createElement("div");
    row.className = "actions-row";
    var link = document.createElement("a");
    link.className = "button";
    link.href = openUrl(n.id);
    link.textContent = "Open the private room";
    var form = document.createElement("form");
    form.method = "post";
    form.action = base + "/" + n.id + "/read";
    form.className = "inline outreach-dismiss";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrf;
    var next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = location.pathname + location.search;
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "button secondary";
    button.textContent = "Not now";
    form.append(token, next, button);
    row.append(link, form);
    section.append(heading, words, row);
    banner.appendChild(section);
  }

  function receive(n) {
    if (known.has(n.id)) { return; }  // each notification once
    known.add(n.id);
    lastId = Math.max(lastId, n.id);
    announcer.textContent = n.text;
    if (n.kind === "outreach") { showBanner(n); }
  }

  // One request at a time: a poke that comes while one is out asks again when it is back.
  var asking = false, askAgain = false;

  function catchUp() {
    if (asking) { askAgain = true; return; }
    asking = true;
    fetch(bell.dataset.since + "?after=" + lastId, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (missed) {
        missed.items.forEach(receive);
        setUnread(missed.unread);
      })
      .catch(function () { /* the next poke or reconnect asks again; the page's count still stands */ })
      .then(function () {
        asking = false;
        if (askAgain) { askAgain = false; catchUp(); }
      });
  }

  if (typeof io !== "undefined") {
    // WebSocket first; polling when a network in between refuses WebSockets.
    var socket = io("/notifications", { transports: ["websocket", "polling"], tryAllTransports: true,
                                        reconnectionDelayMax: 10000 });
    // Every connect catches up: the first one covers what came between the page's render
    // and the connection, a reconnect what came while the connection was away; so does
    // every poke, and the server's own link to the other processes coming back.
    socket.on("connect", catchUp);
    socket.on("notification", catchUp);
    socket.on("catch_up", catchUp);
  }

  // "Not now" on the banner: in the background, so the page stays as it is.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("outreach-dismiss")) { return; }
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        form.closest(".outreach").remove();
        setUnread(unread - 1);
        document.getElementById("main").focus();
      })
      .catch(function () { form.submit(); });
  });

  // ---- @mention autocomplete in the post and reply forms --------------------------------
  var MENTION = /(^|[^\w@-])@([A-Za-z0-9_-]{2,24})$/;
  var counter = 0;

  function enhance(textarea) {
    counter += 1;
    var list = document.createElement("ul");
    list.id = "mention-options-" + counter;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Handles to mention");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    textarea.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    var options = [], active = -1, timer = null, asked = "";

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      options = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }
    function highlight(i) {
      active = i;
      options.forEach(function (li, j) { li.setAttribute("aria-selected", String(j === i)); });
      if (i >= 0) { textarea.setAttribute("aria-activedescendant", options[i].id); }
    }
    function typed() {
      var match = MENTION.exec(textarea.value.slice(0, textarea.selectionStart));
      return match ? match[2] : null;
    }
    function choose(handle) {
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret).replace(MENTION, function (all, lead) { return lead + "@" + handle + " "; });
      textarea.value = before + textarea.value.slice(caret);
      textarea.selectionStart = textarea.selectionEnd = before.length;
      close();
      status.textContent = "@" + handle + " added.";
      textarea.focus();
    }
    function show(handles) {
      close();
      if (!handles.length) { return; }
      handles.forEach(function (handle, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = "@" + handle;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(handle); });
        list.appendChild(li);
        options.push(li);
      });
      list.hidden = false;
      status.textContent = handles.length + (handles.length === 1 ? " handle" : " handles") +
        " found. Use the up and down arrows to choose, Enter to add.";
    }
    function lookUp() {
      var prefix = typed();
      if (!prefix) { close(); return; }
      if (prefix === asked && !list.hidden) { return; }
      asked = prefix;
      fetch(bell.dataset.handles + "?q=" + encodeURIComponent(prefix),
            { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { handles: [] }; })
        .then(function (found) { if (typed() === prefix) { show(found.handles); } })
        .catch(close);
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 150);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(options[active].textContent.slice(1));
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form textarea[name='body']"), function (textarea) {
    if (!textarea.closest("#chat")) { enhance(textarea); }
  });
}());
