// Registers the service worker that shows the crisis lines when the network is gone
// (static/sw.js). Without JavaScript, or in a browser without service workers, the site
// works as ever.
"use strict";
(() => {
  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) return;
  navigator.serviceWorker.register(script.dataset.worker, { scope: script.dataset.scope })
    .catch(() => {}); // a private window or a browser setting may refuse: nothing else changes
})();
