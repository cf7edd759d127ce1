/* The tally at the gates (docs/tally.md).

   On the clicker page (#tally):
   - A press counts on the phone at once and joins the batch being gathered; about 0.7 s
     after the first press the batch is sent as {key, delta, residents, visitors}. The key is
     made here at random: the server counts a key once, so a batch sent again after a dropped
     connection, or twice, is never counted twice.
   - Unsent batches live in localStorage (per night and entrance) before anything is sent, so
     a reload, a dropped connection or a phone switched off loses nothing pressed. A batch once
     sent is never changed again (the same key must always mean the same numbers); presses
     while it is out start the next one. The page shows the server's figure plus what is
     still queued.
   - Batches go one at a time, oldest first; a refusal (422: a count would go below 0) drops
     that batch and shows the server's figure; a closed tally (409) stops the counting.
   - The figures are asked for every 2 s while nothing is queued (each batch's answer brings
     them too), so every phone sees the night's total move.
   - −1 undoes the last press made on this phone (of its kind when residents and visitors are
     counted apart), and is refused here at 0.
   - A service worker (/staff/tally-sw.js) keeps a copy of this page and its files, so it opens
     even when reloaded without a connection.

   On the overview page (#tally-overview) the figures are kept live the same way. */
(function () {
  "use strict";
  var POLL_MS = 2000;
  var GATHER_MS = 700;
  var SEND_TIMEOUT_MS = 8000;
  var MAX_BACKOFF_MS = 10000;
  var MAX_MERGE = 500;      // presses one unsent batch gathers before the next one starts
  var MAX_UNDO = 200;       // presses −1 can take back
  var CACHE = "bolin-tally-v1";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  function getJson(url) {
    return fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin",
                       cache: "no-store"}).then(answerOf);
  }

  function answerOf(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") !== 0) { return {status: response.status, body: null}; }
    return response.json().then(function (body) {
      return {status: response.status, body: body};
    }, function () { return {status: response.status, body: null}; });
  }

  function setText(root, selector, value) {
    var node = root.querySelector(selector);
    if (node) { node.textContent = String(value); }
  }

  /* ---------------------------------------------------------------- the overview page */
  function overview(root) {
    var url = root.getAttribute("data-figures-url");
    if (root.getAttribute("data-state") !== "open") { return; }
    function show(figures) {
      setText(root, "[data-total]", figures.total);
      setText(root, "[data-residents]", figures.residents);
      setText(root, "[data-visitors]", figures.visitors);
      setText(root, "[data-unsorted]", figures.total - figures.residents - figures.visitors);
      var unknown = false;
      figures.entrances.forEach(function (e) {
        var row = root.querySelector('tr[data-entrance="' + e.id + '"]');
        if (!row) { unknown = true; return; }
        setText(row, "[data-count]", e.count);
        setText(row, "[data-residents]", e.residents);
        setText(row, "[data-visitors]", e.visitors);
      });
      var note = root.querySelector("[data-new-entrances]");
      if (note) { note.hidden = !unknown; }
    }
    function tick() {
      if (document.hidden) { window.setTimeout(tick, POLL_MS); return; }
      getJson(url).then(function (answer) {
        if (answer.status === 200 && answer.body) { show(answer.body); }
      }, function () { /* offline: the figures stay as they were */ }).then(function () {
        window.setTimeout(tick, POLL_MS);
      });
    }
    window.setTimeout(tick, POLL_MS);
  }

  /* ----------------------------------------------------------------- the clicker page */
  function storage() {
    try {
      var probe = "bolin-tally-probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (ignored) {
      return null;
    }
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function clicker(root) {
    var t = JSON.parse(document.getElementById("tally-texts").textContent);
    var entranceId = Number(root.getAttribute("data-entrance"));
    var split = root.getAttribute("data-split") === "true";
    var batchUrl = root.getAttribute("data-batch-url");
    var figuresUrl = root.getAttribute("data-figures-url");
    var storeKey = "bolin-tally:" + root.getAttribute("data-night") + ":" + entranceId;
    var store = storage();
    var conn = document.getElementById("tally-conn");
    var message = document.getElementById("tally-message");
    var form = root.querySelector("form.clicker-pad");
    var buttons = form.querySelectorAll("button[data-n]");

    var state = load();
    var rendered = JSON.parse(document.getElementById("tally-figures").textContent);
    if (!state.server || Date.parse(state.server.as_of) < Date.parse(rendered.as_of)) {
      state.server = rendered;  // the newer of the page's figures and the last ones kept
    }
    var closed = state.server.state === "closed";
    var sending = false;    // a batch is out
    var online = true;      // the last request was answered
    var loggedOut = false;
    var epoch = 0;          // bumped by every batch answered: older poll answers are stale
    var gatherTimer = null;
    var retryTimer = null;
    var backoff = 1000;

    function load() {
      var empty = {queue: [], undo: [], server: null};
      if (!store) { return empty; }
      try {
        var kept = JSON.parse(store.getItem(storeKey) || "null");
        return kept && kept.queue ? kept : empty;
      } catch (ignored) {
        return empty;
      }
    }

    function save() {
      if (!store) { return; }
      try { store.setItem(storeKey, JSON.stringify(state)); } catch (ignored) { /* full */ }
    }

    /* ------------------------------------------------------------ what the page shows */
    function mine() {
      var e = null;
      state.server.entrances.forEach(function (one) { if (one.id === entranceId) { e = one; } });
      return e || {count: 0, residents: 0, visitors: 0};
    }

    function queued() {
      var sum = {delta: 0, residents: 0, visitors: 0, presses: 0};
      state.queue.forEach(function (b) {
        sum.delta += b.delta;
        sum.residents += b.residents;
        sum.visitors += b.visitors;
        sum.presses += b.presses || Math.abs(b.delta);
      });
      return sum;
    }

    function shown() {
      var e = mine();
      var q = queued();
      return {
        count: e.count + q.delta, residents: e.residents + q.residents,
        visitors: e.visitors + q.visitors, total: state.server.total + q.delta, queued: q.presses
      };
    }

    function say(text) { message.textContent = text || ""; }

    function render() {
      var now = shown();
      setText(root, "[data-mine]", now.count);
      setText(root, "[data-mine-residents]", now.residents);
      setText(root, "[data-mine-visitors]", now.visitors);
      setText(root, "[data-total]", now.total);
      var text;
      var kind = "";
      if (closed) {
        text = now.queued ? fill(t.closed_lost, {n: now.queued}) : t.closed;
        kind = "is-bad";
      } else if (loggedOut) {
        text = fill(t.login, {n: now.queued});
        kind = "is-bad";
      } else if (!online) {
        text = now.queued ? fill(t.offline, {n: now.queued}) : t.offline_empty;
        kind = "is-offline";
      } else {
        text = now.queued ? fill(t.online_queue, {n: now.queued}) : t.online;
      }
      conn.textContent = text;
      conn.className = "clicker-conn " + kind;
      for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = closed; }
    }

    /* ------------------------------------------------------------------ pressing */
    function undoKind(now) {
      var left = {u: now.count - now.residents - now.visitors, r: now.residents,
                  v: now.visitors};
      var last = state.undo.length ? state.undo[state.undo.length - 1] : null;
      if (last && left[last[0]] > 0) { return last[0]; }
      if (left.u > 0) { return "u"; }
      return null;
    }

    function remember(kind, n) {
      var last = state.undo.length ? state.undo[state.undo.length - 1] : null;
      if (n > 0) {
        if (last && last[0] === kind) { last[1] += n; } else { state.undo.push([kind, n]); }
        if (state.undo.length > MAX_UNDO) { state.undo.shift(); }
      } else if (last && last[0] === kind) {
        last[1] -= 1;
        if (last[1] <= 0) { state.undo.pop(); }
      }
    }

    function press(kind, n) {
      if (closed) { return; }
      if (n < 0) {
        kind = undoKind(shown());
        if (kind === null) { say(t.at_zero); return; }
      }
      say("");
      remember(kind, n);
      var last = state.queue.length ? state.queue[state.queue.length - 1] : null;
      if (!last || last.sent || last.presses >= MAX_MERGE) {
        last = {key: newKey(), delta: 0, residents: 0, visitors: 0, presses: 0, sent: false};
        state.queue.push(last);
      }
      last.delta += n;
      if (kind === "r") { last.residents += n; }
      if (kind === "v") { last.visitors += n; }
      last.presses += Math.abs(n);
      if (!last.delta && !last.residents && !last.visitors) { state.queue.pop(); }
      save();  // kept before anything is sent
      render();
      if (navigator.vibrate) { navigator.vibrate(12); }
      if (gatherTimer === null) {
        gatherTimer = window.setTimeout(function () { gatherTimer = null; pump(); }, GATHER_MS);
      }
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-n]") : null;
      if (!button) { return; }
      event.preventDefault();
      press(button.getAttribute("data-kind") || "u", Number(button.getAttribute("data-n")));
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    /* ------------------------------------------------------------------- sending */
    function csrf() {
      var field = form.querySelector("input[name=_csrf_token]");
      return field ? field.value : "";
    }

    function drop(key) {
      state.queue = state.queue.filter(function (b) { return b.key !== key; });
    }

    function retryLater() {
      if (retryTimer !== null) { return; }
      retryTimer = window.setTimeout(function () { retryTimer = null; pump(); }, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }

    function refused(answer) {
      var body = answer.body || {};
      var reason = t.lang === "en" ? (body.message_en || body.message) : body.message;
      return reason || String(answer.status);
    }

    function answered(batch, answer) {
      var body = answer.body;
      var status = answer.status;
      online = true;
      if ((status === 200 || status === 201) && body) {
        drop(batch.key);
        state.server = body;
        epoch += 1;
        backoff = 1000;
        return true;
      }
      if (status === 409 && body && body.details && body.details[0] &&
          body.details[0].state === "closed") {
        closed = true;
        state.server.state = "closed";
        return false;
      }
      if (status === 401 || status === 403) {
        loggedOut = true;
        return false;
      }
      if (status === 422 || status === 404 || status === 409) {
        drop(batch.key);        // refused for good: not counted, shown as the server has it
        state.undo = [];
        say(fill(t.refused, {reason: refused(answer)}));
        poll();
        return true;
      }
      online = status !== 502 && status !== 503 && status !== 504;
      retryLater();             // busy or restarting: the same batch again, later
      return false;
    }

    function pump() {
      if (sending || closed || loggedOut || !state.queue.length) { render(); return; }
      var batch = state.queue[0];
      if (!batch.sent) { batch.sent = true; save(); }  // never merged into from now on
      sending = true;
      var controller = window.AbortController ? new AbortController() : null;
      var timer = window.setTimeout(function () { if (controller) { controller.abort(); } },
                                    SEND_TIMEOUT_MS);
      fetch(batchUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", Accept: "application/json",
                  "X-CSRFToken": csrf()},
        body: JSON.stringify({key: batch.key, delta: batch.delta, residents: batch.residents,
                              visitors: batch.visitors}),
        signal: controller ? controller.signal : undefined
      }).then(answerOf).then(function (answer) {
        window.clearTimeout(timer);
        sending = false;
        var next = answered(batch, answer);
        save();
        render();
        if (next) { pump(); }
      }, function () {
        window.clearTimeout(timer);
        sending = false;
        online = false;
        render();
        retryLater();
      });
    }

    /* ------------------------------------------------------------------- polling */
    function poll() {
      if (document.hidden || sending || closed) { return; }
      if (state.queue.length && !loggedOut) { pump(); return; }  // their answers bring figures
      var started = epoch;
      getJson(figuresUrl).then(function (answer) {
        if (answer.status === 200 && answer.body) {
          online = true;
          if (loggedOut) { loggedOut = false; pump(); }  // logged in again (another tab)
          if (epoch === started && !state.queue.length) {
            state.server = answer.body;
            closed = answer.body.state === "closed";
            save();
          }
        } else if (answer.status === 401 || answer.status === 403) {
          loggedOut = true;
        } else {
          online = false;
        }
        render();
      }, function () {
        online = false;
        render();
      });
    }

    window.addEventListener("online", function () {
      if (retryTimer !== null) { window.clearTimeout(retryTimer); retryTimer = null; }
      backoff = 1000;
      pump();
      poll();
    });
    window.addEventListener("offline", function () { online = false; render(); });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { pump(); poll(); }
    });
    window.setInterval(poll, POLL_MS);

    if (!store) { say(t.no_storage); }
    render();
    pump();
    keepForOffline(root);
  }

  /* The page and its files kept for a reload without a connection (the service worker
     answers from this copy when the network does not). */
  function keepForOffline(root) {
    if (!("serviceWorker" in navigator) || !window.caches) { return; }
    var scope = root.getAttribute("data-scope");
    navigator.serviceWorker.register(root.getAttribute("data-worker"), {scope: scope})
      .catch(function () { /* not over https, or refused: counting works all the same */ });
    var files = navigator.serviceWorker.controller ? [] : [location.pathname];
    var links = document.querySelectorAll("link[rel=stylesheet][href^='/static/'], script[src^='/static/']");
    for (var i = 0; i < links.length; i++) {
      files.push(links[i].getAttribute("href") || links[i].getAttribute("src"));
    }
    window.caches.open(CACHE).then(function (cache) {
      return cache.addAll(files);
    }).catch(function () { /* offline now: the worker keeps the page when it next loads */ });
  }

  var page = document.getElementById("tally");
  if (page) { clicker(page); }
  var list = document.getElementById("tally-overview");
  if (list) { overview(list); }
}());
