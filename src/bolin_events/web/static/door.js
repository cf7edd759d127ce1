/* The door page (签到) on a phone: a code typed or scanned, answered at once, and nothing lost
   when the connection drops. docs/check-in.md says it for people.

   - Each check-in gets its own idempotency key and is posted as JSON to the page's route
     (login cookie, X-CSRFToken from the form). The server answers "已签到 3人" or why not.
   - The night's confirmed codes are kept in localStorage (no phone numbers), so while offline
     the page still answers at once ("已签到 3人（待同步）") and queues the check-in, key and
     all; the queue survives a reload and is sent when the connection is back (the online
     event, and a retry timer). A check-in sent twice counts once: the server replays the
     first answer for the same key.
   - "扫码" reads QR codes with the camera: the browser's BarcodeDetector where it has one,
     else the vendored jsQR (static/vendor/jsqr, loaded only then). Browsers allow the camera
     only on https (or localhost); the page says so and the typed code always works.
   Without JavaScript the form posts as it is and the server answers with the page. */
(function () {
  "use strict";
  var RETRY_MS = 15000;  // the queue is tried again this often while it has items
  var REFRESH_MS = 60000;  // the night's codes and figures are read again this often
  var SEND_TIMEOUT_MS = 8000;  // a door cannot wait longer: queue it instead
  var SCAN_EVERY_MS = 200;
  var SAME_SCAN_MS = 3000;  // the same QR code held in view is read once
  var LOG_SHOWN = 20;
  var RETRY_STATUS = [0, 408, 429, 500, 502, 503, 504];  // nothing was done: send again
  var HOLD_STATUS = [401, 403];  // logged out, or the page's CSRF token is stale: log in again

  var root = document.getElementById("door");
  if (!root || !window.fetch || !window.localStorage || !window.JSON) { return; }
  var t = JSON.parse(document.getElementById("door-texts").textContent);
  var lang = root.getAttribute("data-lang");
  var night = root.getAttribute("data-night");
  var form = root.querySelector(".door-form");
  var codeInput = form.elements.code;
  var peopleInput = form.elements.people;
  var doorInput = form.elements.door;
  var answerBox = document.getElementById("door-answer");
  var queueNote = root.querySelector(".door-queue");
  var alertNote = root.querySelector(".door-alert");
  var logList = root.querySelector(".door-log");
  var scanButton = root.querySelector(".door-scan");
  var cameraNote = root.querySelector(".door-camera-note");
  var cameraBox = root.querySelector(".door-camera");
  var video = root.querySelector(".door-video");
  var QUEUE = "bolin-door:queue:" + night;
  var CODES = "bolin-door:codes:" + night;
  var DOOR = "bolin-door:door";
  var flushing = false;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  function load(name, fallback) {
    try {
      var kept = window.localStorage.getItem(name);
      return kept ? JSON.parse(kept) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function keep(name, value) {
    try { window.localStorage.setItem(name, JSON.stringify(value)); } catch (e) { /* full */ }
  }

  /* The server's rule (services/signups/checkin.normalise_code): any case, spaces and dashes
     dropped, full-width letters read as plain ones, "BOLIN:" in front of a QR code's code. */
  function normalise(raw) {
    var text = String(raw || "");
    if (text.normalize) { text = text.normalize("NFKC"); }
    text = text.toUpperCase().replace(/[\s\-_—–·.]/g, "");
    text = text.indexOf("BOLIN:") === 0 ? text.slice(6) : text;
    return text.slice(0, 40);  // a QR code of something else: "no such code", not a bad request
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function csrfToken() {
    var field = form.querySelector("input[name=_csrf_token]");
    return field ? field.value : "";
  }

  function messageOf(body) {
    return lang === "en" ? (body.message_en || body.message) : body.message;
  }

  /* The answer, large: green when in, red with the reason, amber while not yet confirmed. */
  function say(text, kind) {
    answerBox.textContent = text;
    answerBox.className = "door-answer is-" + kind;
    answerBox.hidden = false;
    if (navigator.vibrate) {
      try { navigator.vibrate(kind === "ok" ? 80 : [120, 80, 120]); } catch (e) { /* none */ }
    }
  }

  function log(code, text, kind) {
    var item = document.createElement("li");
    var now = new Date();
    item.className = "is-" + kind;
    item.textContent = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2)
      + " " + code + " · " + text;
    logList.insertBefore(item, logList.firstChild);
    while (logList.children.length > LOG_SHOWN) { logList.removeChild(logList.lastChild); }
  }

  /* ---- the night's codes and figures, kept for offline answers ---- */

  function codes() { return load(CODES, null); }

  function showFigures(figures) {
    if (!figures) { return; }
    ["checked_in", "registered", "walk_ins"].forEach(function (name) {
      var shown = root.querySelector("[data-count=" + name + "]");
      if (shown && typeof figures[name] === "number") { shown.textContent = figures[name]; }
    });
    var walkIns = root.querySelector("[data-walk-ins]");
    if (walkIns && figures.walk_ins) { walkIns.hidden = false; }
  }

  function markIn(code, people, figures) {
    var list = codes();
    if (!list) { return; }
    list.codes.forEach(function (entry) {
      if (entry.code === code) { entry.checked_in = true; entry.people = people; }
    });
    if (figures) {
      list.figures.checked_in = figures.checked_in;
      list.figures.registered = figures.registered;
    }
    keep(CODES, list);
  }

  function refresh() {
    if (navigator.onLine === false) { return Promise.resolve(); }
    return fetch(root.getAttribute("data-codes"), {credentials: "same-origin",
      headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok || !isJson(response)) { return; }
        return response.json().then(function (list) {
          // what this phone queued is in, even before the server has it
          var pending = {};
          load(QUEUE, []).forEach(function (item) { pending[item.code] = item.people; });
          list.codes.forEach(function (entry) {
            if (entry.code in pending && !entry.checked_in) {
              entry.checked_in = true;
              entry.people = pending[entry.code] || entry.party;
              list.figures.checked_in += entry.people;
            }
          });
          keep(CODES, list);
          showFigures(list.figures);
        });
      })
      .catch(function () { /* offline: the kept list stays */ });
  }

  /* ---- sending, and the queue ---- */

  /* What became of a sending: "ok", "refused" (for good: the door sees why), "hold" (kept
     until the staff member logs in again) or "retry" (offline, slow or busy). */
  function outcome(answer) {
    if (answer.body && answer.status === 200) { return "ok"; }
    if (HOLD_STATUS.indexOf(answer.status) >= 0 || (answer.status && !answer.body)) {
      alertNote.textContent = t.login;
      alertNote.hidden = false;
      return "hold";
    }
    if (answer.body && RETRY_STATUS.indexOf(answer.status) < 0) { return "refused"; }
    return "retry";
  }

  function isJson(response) {
    return (response.headers.get("content-type") || "").indexOf("application/json") === 0
      && !response.redirected;
  }

  /* Resolves with {status, body} (body null when the answer is no JSON, e.g. the log-in page
     after a lapsed session); status 0 when nothing came back in time. */
  function send(item) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS) : 0;
    return fetch(root.getAttribute("data-send"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": csrfToken()},
      body: JSON.stringify({code: item.code, key: item.key, people: item.people || null,
                            door: item.door || null}),
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      clearTimeout(timer);
      if (!isJson(response)) { return {status: response.status, body: null}; }
      return response.json().then(function (body) {
        return {status: response.status, body: body};
      });
    }, function () {
      clearTimeout(timer);
      return {status: 0, body: null};
    });
  }

  function queued() { return load(QUEUE, []); }

  function showQueue() {
    var n = queued().length;
    queueNote.hidden = n === 0;
    queueNote.textContent = fill(navigator.onLine === false ? t.queue_offline : t.queue_online,
                                 {n: n});
  }

  function enqueue(item) {
    var queue = queued();
    queue.push(item);
    keep(QUEUE, queue);
    showQueue();
  }

  function dequeue(key) {
    keep(QUEUE, queued().filter(function (item) { return item.key !== key; }));
    showQueue();
  }

  /* Sends the queue in order; stops at the first that cannot be sent (tried again later). */
  function flush() {
    showQueue();
    if (flushing || navigator.onLine === false) { return Promise.resolve(); }
    if (!queued().length) { return refresh(); }
    flushing = true;
    function next() {
      var queue = queued();
      if (!queue.length) { return Promise.resolve(); }
      var item = queue[0];
      return send(item).then(function (answer) {
        var result = outcome(answer);
        if (result === "ok") {
          alertNote.hidden = true;
          dequeue(item.key);
          markIn(item.code, answer.body.people, {checked_in: answer.body.night_checked_in,
                                                 registered: answer.body.night_registered});
          log(item.code, t.synced + " · " + messageOf(answer.body), "ok");
          return next();
        }
        if (result === "refused") {
          dequeue(item.key);
          log(item.code, t.refused + " · " + messageOf(answer.body), "bad");
          return next();
        }
        return null;  // offline, busy or logged out: left in the queue
      });
    }
    return next().then(function () {
      flushing = false;
      showQueue();
      return refresh();
    }, function () {
      flushing = false;
      showQueue();
    });
  }

  /* Answered from the kept list while the server cannot be asked; queued to be sent. */
  function offline(item) {
    var list = codes();
    var entry = null;
    if (list) {
      list.codes.forEach(function (c) { if (c.code === item.code) { entry = c; } });
    }
    if (entry && entry.checked_in) {
      say(fill(t.already_local, {people: entry.people || entry.party}), "bad");
      log(item.code, answerBox.textContent, "bad");
      return;
    }
    if (entry && item.people && item.people > entry.party) {
      say(fill(t.party_over, {party: entry.party, people: item.people}), "bad");
      return;
    }
    enqueue(item);
    if (entry) {
      var people = item.people || entry.party;
      markIn(item.code, people, null);
      bump(people);
      say(fill(t.ok_pending, {people: people}) + (entry.name ? " · " + entry.name : ""),
          "pending");
    } else {
      say(fill(list ? t.unknown_offline : t.blind_offline, {code: item.code}), "pending");
    }
    log(item.code, answerBox.textContent, "pending");
  }

  function bump(people) {
    var shown = root.querySelector("[data-count=checked_in]");
    if (shown) { shown.textContent = (parseInt(shown.textContent, 10) || 0) + people; }
  }

  function checkIn(raw) {
    var code = normalise(raw);
    if (!code) {
      say(t.empty, "bad");
      codeInput.focus();
      return;
    }
    var people = parseInt(peopleInput.value, 10);
    var door = doorInput.value.trim();
    keep(DOOR, door);
    var item = {code: code, key: newKey(), people: people > 0 ? people : null, door: door};
    codeInput.value = "";
    peopleInput.value = "";
    if (navigator.onLine === false || queued().length) {
      // offline, or earlier check-ins wait: this one waits behind them, answered from the list
      offline(item);
      flush();
      return;
    }
    send(item).then(function (answer) {
      var result = outcome(answer);
      if (result === "ok") {
        var body = answer.body;
        alertNote.hidden = true;
        say(messageOf(body) + (body.name ? " · " + body.name : ""), "ok");
        log(code, answerBox.textContent, "ok");
        markIn(code, body.people, {checked_in: body.night_checked_in,
                                   registered: body.night_registered});
        showFigures({checked_in: body.night_checked_in, registered: body.night_registered});
      } else if (result === "refused") {
        say(messageOf(answer.body), "bad");
        log(code, answerBox.textContent, "bad");
      } else {
        offline(item);  // answered from the list, queued with its key
        if (result === "retry" && answer.status) {
          log(code, fill(t.busy, {status: answer.status}), "pending");
        }
      }
    });
    codeInput.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    checkIn(codeInput.value);
  });

  /* A walk-in (现场加入) is a plain form post: it carries this door's entrance along. */
  var walkIn = root.querySelector(".door-walk-in form");
  walkIn.addEventListener("submit", function () {
    walkIn.elements.door.value = doorInput.value.trim();
    keep(DOOR, walkIn.elements.door.value);
  });

  /* ---- the camera ---- */

  var stream = null;
  var reader = null;
  var lastScan = {code: "", at: 0};
  var scanTimer = 0;

  function cameraAllowed() {
    return window.isSecureContext && navigator.mediaDevices
      && navigator.mediaDevices.getUserMedia;
  }

  function loadJsQR() {
    if (window.jsQR) { return Promise.resolve(); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root.getAttribute("data-jsqr");
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  /* A function frame → Promise of the text read (or null): BarcodeDetector or jsQR. */
  function makeReader() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") < 0) { throw new Error("no qr_code"); }
        var detector = new window.BarcodeDetector({formats: ["qr_code"]});
        return function () {
          return detector.detect(video).then(function (found) {
            return found.length ? found[0].rawValue : null;
          });
        };
      }).catch(jsQRReader);
    }
    return jsQRReader();
  }

  function jsQRReader() {
    return loadJsQR().then(function () {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", {willReadFrequently: true});
      return function () {
        var scale = Math.min(1, 640 / (video.videoWidth || 640));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        if (!canvas.width || !canvas.height) { return Promise.resolve(null); }
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height,
                                {inversionAttempts: "dontInvert"});
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  function scanLoop() {
    if (!stream || !reader) { return; }
    var read = video.readyState >= 2 ? reader() : Promise.resolve(null);
    read.then(function (text) {
      var code = normalise(text);
      var now = Date.now();
      if (code && !(code === lastScan.code && now - lastScan.at < SAME_SCAN_MS)) {
        lastScan = {code: code, at: now};
        checkIn(code);
      } else if (code) {
        lastScan.at = now;
      }
    }, function () { /* a frame that could not be read */ }).then(function () {
      if (stream) { scanTimer = setTimeout(scanLoop, SCAN_EVERY_MS); }
    });
  }

  function noCamera(text) {
    stopScan();
    cameraNote.textContent = text;
    cameraNote.hidden = false;
    say(text, "bad");
    codeInput.focus();
  }

  function startScan() {
    if (!cameraAllowed()) { noCamera(t.no_https); return; }
    navigator.mediaDevices.getUserMedia({audio: false,
      video: {facingMode: {ideal: "environment"}}})
      .then(function (opened) {
        stream = opened;
        video.srcObject = stream;
        cameraBox.hidden = false;
        cameraNote.textContent = t.scanning;
        cameraNote.hidden = false;
        return video.play().then(makeReader).then(function (made) {
          reader = made;
          scanLoop();
        }, function () { noCamera(t.no_decoder); });
      }, function () { noCamera(t.no_camera); });
  }

  function stopScan() {
    clearTimeout(scanTimer);
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    reader = null;
    video.srcObject = null;
    cameraBox.hidden = true;
    cameraNote.hidden = true;
  }

  scanButton.hidden = false;
  if (!cameraAllowed()) {
    cameraNote.textContent = t.no_https;
    cameraNote.hidden = false;
  }
  scanButton.addEventListener("click", function () { if (stream) { stopScan(); } else { startScan(); } });
  root.querySelector(".door-stop").addEventListener("click", stopScan);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stopScan(); }
  });

  /* ---- start ---- */

  if (!doorInput.value) { doorInput.value = load(DOOR, "") || ""; }
  window.addEventListener("online", flush);
  window.addEventListener("offline", showQueue);
  setInterval(function () { if (queued().length) { flush(); } }, RETRY_MS);
  setInterval(function () { if (!queued().length) { refresh(); } }, REFRESH_MS);
  var kept = codes();
  if (kept) { showFigures(kept.figures); }
  flush();
}());
