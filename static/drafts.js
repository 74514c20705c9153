// Writing forms: the draft is saved on the server a moment after the member stops typing
// (and every few seconds while they type on), so a refused submit, a rate limit or a
// dropped connection loses nothing; "Preview" and "Discard draft" work in place. Without
// this script the same buttons are plain submits that the server answers with the page.
(function () {
  "use strict";
  var PAUSE_MS = 1500;     // save this long after the last keystroke
  var LONGEST_MS = 8000;   // and at least this often while someone types without a pause
  var RETRY_MS = 10000;    // after a failed save (offline, too many saves)

  function post(url, form) {
    return fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          data.ok = response.ok;
          return data;
        });
      });
  }

  function setUp(status) {
    var form = status.closest("form");
    var saveUrl = status.dataset.saveUrl;
    var discard = form.querySelector("[data-discard]");
    var previewButton = form.querySelector("[data-preview-url]");
    var previewRegion = form.querySelector("[data-preview]");
    var previewBody = form.querySelector("[data-preview-body]");
    var pause = null, longest = null, sending = false, again = false, submitted = false;

    function say(words) { status.textContent = words; }

    function save(quiet) {
      clearTimeout(pause); clearTimeout(longest); pause = longest = null;
      if (submitted) { return; }
      if (sending) { again = true; return; }
      sending = true;
      post(saveUrl, form).then(function (data) {
        if (submitted) { return; }
        if (data.ok) {
          if (quiet !== true) { say(data.saved ? "Draft saved" : ""); }
          if (discard) { discard.hidden = !data.saved; }
        } else {
          say(data.error || "Your draft isn't saved just now. We'll try again in a moment.");
          pause = setTimeout(save, RETRY_MS);
        }
      }).catch(function () {
        say("You seem to be offline, so your draft isn't saved yet. Your words are still here; we'll keep trying.");
        pause = setTimeout(save, RETRY_MS);
      }).then(function () {
        sending = false;
        if (again) { again = false; save(); }
      });
    }

    if (saveUrl) {
      form.addEventListener("input", function () {
        clearTimeout(pause);
        pause = setTimeout(save, PAUSE_MS);
        if (!longest) { longest = setTimeout(save, LONGEST_MS); }
      });
      form.addEventListener("submit", function (event) {
        var button = event.submitter;
        if (button && (button === previewButton || button === discard)) { return; }
        submitted = true;  // posting: no late save may bring back a draft of posted words
        clearTimeout(pause); clearTimeout(longest);
      });
    }

    if (discard) {
      discard.addEventListener("click", function (event) {
        event.preventDefault();
        clearTimeout(pause); clearTimeout(longest);
        post(discard.getAttribute("formaction"), form).then(function (data) {
          if (!data.ok) { throw new Error("not discarded"); }
          ["title", "content_warning", "body"].forEach(function (name) {
            if (form.elements[name]) { form.elements[name].value = ""; }
          });
          previewRegion.hidden = true;
          discard.hidden = true;
          say("Draft discarded");
          form.elements.body.focus();
        }).catch(function () { say("Your draft couldn't be discarded just now. Please try again."); });
      });
    }

    if (previewButton) {
      previewButton.addEventListener("click", function (event) {
        event.preventDefault();
        if (saveUrl) { save(true); }  // as the plain form's preview does: the words are kept too
        post(previewButton.dataset.previewUrl, form).then(function (data) {
          if (!data.ok) { say(data.error || "The preview couldn't be made just now. Please try again."); return; }
          if (!data.html) { say(data.empty || "Nothing to preview yet."); previewRegion.hidden = true; return; }
          previewBody.innerHTML = data.html;  // rendered and sanitised by the server (forum/content.py)
          previewRegion.hidden = false;
          say("Preview shown below your words.");
        }).catch(function () { say("You seem to be offline, so the preview can't be made. Your words are still here."); });
      });
    }
  }

  document.querySelectorAll("[data-draft-status]").forEach(setUp);
}());
