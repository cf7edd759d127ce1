/* The attendance forms on a phone. Everything here is optional: without JavaScript the forms
   post as they are, and the server checks them all the same.

   - A form marked data-once is sent once: its button is disabled after the first tap (the
     form's idempotency key keeps a second send from counting anyway).
   - The report's figures are checked before anything is sent, by the server's rule
     (services/attendance/figures.py), with the message beside the field.
   - A form marked data-upload with photos chosen, in a browser that can draw them, shrinks
     each photo (longest side 2048 px, JPEG 0.8, turned as the camera meant), refuses one still
     over data-max-photo-bytes, and sends with a progress bar; a dropped connection is retried
     with the same idempotency key, which the server counts once. */
(function () {
  "use strict";
  var MAX_SIDE = 2048;
  var QUALITY = 0.8;
  var RETRIES = 3;
  var RETRY_STATUS = [502, 503, 504];  // a proxy while the server restarts: nothing was done
  var SPLIT = ["onsite", "online", "residents", "visitors", "volunteers"];
  var MAX_COUNT = 1000000;

  function texts() {
    var block = document.getElementById("attendance-texts");
    return block ? JSON.parse(block.textContent) : null;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  /* Messages beside fields: the same look as the server's (.has-error, .field-error). */
  function clearErrors(form) {
    var made = form.querySelectorAll("[data-browser-error]");
    for (var i = 0; i < made.length; i++) {
      var field = made[i].parentNode;
      field.classList.remove("has-error");
      var input = field.querySelector("input, select, textarea");
      if (input) { input.removeAttribute("aria-invalid"); }
      field.removeChild(made[i]);
    }
  }

  function showError(input, message) {
    var field = input.closest(".field");
    var note = document.createElement("p");
    note.className = "field-error";
    note.setAttribute("data-browser-error", "");
    note.textContent = message;
    field.classList.add("has-error");
    input.setAttribute("aria-invalid", "true");
    field.appendChild(note);
  }

  /* The figures as typed: a number, null for empty, or {error} for what is not a number. */
  function readFigures(form, t) {
    var read = {};
    var names = ["total"].concat(SPLIT);
    for (var i = 0; i < names.length; i++) {
      var input = form.elements[names[i]];
      if (!input) { continue; }
      var text = input.value.trim().replace(/[,，]/g, "");
      if (input.validity && input.validity.badInput) { text = "?"; }
      if (text === "") {
        read[names[i]] = null;
      } else if (/^[+-]?\d+$/.test(text)) {
        read[names[i]] = parseInt(text, 10);
      } else {
        read[names[i]] = {error: fill(t.whole, {name: t.names[names[i]]})};
      }
    }
    return read;
  }

  function rangeProblems(v, t) {
    var found = [];
    Object.keys(v).forEach(function (name) {
      var value = v[name];
      var label = t.names[name];
      if (value !== null && typeof value === "object") {
        found.push([name, value.error]);
      } else if (value !== null && value < 0) {
        found.push([name, fill(t.negative, {name: label, value: value})]);
      } else if (value !== null && value > MAX_COUNT) {
        found.push([name, fill(t.too_many, {name: label, value: value, max: t.max})]);
      }
    });
    return found;
  }

  function over(v, names, limit, whole, t) {
    return names.filter(function (name) { return v[name] !== null && v[name] > limit; })
      .map(function (name) {
        return [name, fill(t.over, {name: t.names[name], value: v[name], whole: whole})];
      });
  }

  /* figures.problems, in the same order and words. */
  function figureProblems(v, t) {
    if (v.total === null) { return [["total", t.required]]; }
    var found = rangeProblems(v, t);
    if (found.length) { return found; }
    var onsite = v.onsite, online = v.online, total = v.total;
    if (onsite !== null && online !== null && onsite + online !== total) {
      found.push(["total", fill(t.onsite_online,
        {onsite: onsite, online: online, sum: onsite + online, total: total})]);
    }
    found = found.concat(over(v, ["onsite", "online"], total,
      fill(t.whole_total, {value: total}), t));
    if (found.length) { return found; }
    var base = onsite !== null ? onsite : total - (online || 0);
    var baseName = onsite !== null ? t.base_onsite : online === null ? t.base_total : t.base_rest;
    var residents = v.residents, visitors = v.visitors;
    if (residents !== null && visitors !== null) {
      if (residents + visitors !== base) {
        found.push(["residents", fill(t.residents_visitors, {residents: residents,
          visitors: visitors, sum: residents + visitors, base: baseName, value: base})]);
      }
      return found;
    }
    return over(v, ["residents", "visitors"], base,
      fill(t.whole_base, {base: baseName, value: base}), t);
  }

  function checkFigures(form, t) {
    if (!form.elements.total) { return true; }  // the photos-only form
    var found = figureProblems(readFigures(form, t), t);
    found.forEach(function (problem) { showError(form.elements[problem[0]], problem[1]); });
    var split = form.querySelector("details.split");
    if (found.length && split) {
      var typed = SPLIT.some(function (name) { return form.elements[name].value !== ""; });
      if (typed) { split.open = true; }
    }
    if (found.length) { form.elements[found[0][0]].focus(); }
    return found.length === 0;
  }

  function megabytes(bytes) { return (bytes / 1e6).toFixed(1); }

  /* Each photo over the server's limit is refused here, before megabytes go up a slow line. */
  function checkSizes(form, files, t) {
    var limit = Number(form.getAttribute("data-max-photo-bytes"));
    var input = form.elements.photos;
    var big = files.filter(function (f) { return limit && f.blob.size > limit; });
    big.forEach(function (f) {
      showError(input, fill(t.too_big,
        {file: f.name, size: megabytes(f.blob.size), limit: megabytes(limit)}));
    });
    if (big.length) { input.focus(); }
    return big.length === 0;
  }

  function chosen(form) {
    var input = form.elements.photos;
    return input && input.files ? Array.prototype.slice.call(input.files) : [];
  }

  function canShrink() {
    var canvas = document.createElement("canvas");
    return Boolean(window.createImageBitmap && window.XMLHttpRequest && window.FormData &&
      window.Promise && canvas.getContext && canvas.toBlob);
  }

  function jpegName(name) {
    return (name.replace(/\.[^.]*$/, "") || "photo") + ".jpg";
  }

  /* One photo decoded (EXIF orientation applied), scaled and encoded as JPEG; a file the
     browser cannot decode is sent as it is, for the server to say what is wrong with it. */
  function shrink(file) {
    var original = {blob: file, name: file.name};
    return createImageBitmap(file, {imageOrientation: "from-image"}).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";  // a transparent PNG becomes white, not black
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? {blob: blob, name: jpegName(file.name)} : original);
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return original; });
  }

  /* The photos shrunk for a form, kept so that tapping submit again after a failed send
     sends the very same bytes (the server knows a photo it has by its bytes). */
  var shrunk = new WeakMap();

  function sameFiles(a, b) {
    return a.length === b.length && a.every(function (file, i) { return file === b[i]; });
  }

  function shrinkAll(form, files) {
    var before = shrunk.get(form);
    if (before && sameFiles(before.files, files)) { return Promise.resolve(before.small); }
    var done = [];
    return files.reduce(function (previous, file) {  // one at a time: a phone's memory is small
      return previous.then(function () {
        return shrink(file).then(function (small) { done.push(small); });
      });
    }, Promise.resolve()).then(function () {
      shrunk.set(form, {files: files, small: done});
      return done;
    });
  }

  function progressOf(form) {
    var box = form.querySelector(".upload-progress");
    return {
      box: box,
      show: function (percent) {
        box.hidden = false;
        box.querySelector("progress").value = percent;
        box.querySelector(".upload-percent").textContent = percent + "%";
      },
      say: function (message) {
        box.hidden = false;
        box.querySelector(".upload-note").textContent = message;
      }
    };
  }

  function release(form) {
    form.removeAttribute("data-sent");
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = false;
      buttons[i].removeAttribute("aria-busy");
    }
  }

  function hold(form) {
    form.setAttribute("data-sent", "1");
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = true;
      buttons[i].setAttribute("aria-busy", "true");
    }
  }

  /* A refused form comes back as the page with the reason and the figures as typed: it
     replaces this one, and the photos chosen stay chosen. */
  function showAnswer(form, xhr, t) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") !== 0) {
      progressOf(form).say(fill(t.refused, {status: xhr.status}));
      release(form);
      return;
    }
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var kept = {};
    var inputs = document.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) { kept[inputs[i].id] = inputs[i].files; }
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    Object.keys(kept).forEach(function (id) {
      var input = document.getElementById(id);
      if (input && kept[id] && kept[id].length) {
        try { input.files = kept[id]; } catch (ignored) { /* an older browser: choose again */ }
      }
    });
    var first = document.querySelector("[aria-invalid=true], .errors");
    if (first) {
      var split = first.closest("details");
      if (split) { split.open = true; }
      first.scrollIntoView({block: "center"});
    }
  }

  function attempt(form, body, tries, t) {
    var progress = progressOf(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "text/html");
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) { progress.show(Math.round(100 * event.loaded / event.total)); }
    };
    function retry() {
      if (tries >= RETRIES) {
        progress.say(t.gave_up);
        release(form);
        return;
      }
      var seconds = Math.pow(2, tries);
      progress.say(fill(t.retrying, {seconds: seconds, n: tries + 1, of: RETRIES}));
      window.setTimeout(function () { attempt(form, body, tries + 1, t); }, seconds * 1000);
    }
    xhr.onload = function () {
      if (xhr.status >= 200 && xhr.status < 300) {  // after the server's redirect
        progress.show(100);
        progress.say(t.sent);
        window.location.assign(xhr.responseURL || form.action);
      } else if (RETRY_STATUS.indexOf(xhr.status) >= 0) {
        retry();
      } else {
        showAnswer(form, xhr, t);
      }
    };
    xhr.onerror = retry;
    xhr.ontimeout = retry;
    progress.show(0);
    progress.say(t.sending);
    xhr.send(body);
  }

  /* The same fields and idempotency key as the form, with the shrunk photos. */
  function upload(form, files, t) {
    hold(form);
    progressOf(form).say(t.shrinking);
    shrinkAll(form, files).then(function (small) {
      if (!checkSizes(form, small, t)) {
        progressOf(form).box.hidden = true;
        release(form);
        return;
      }
      var body = new FormData(form);
      body.delete("photos");
      small.forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
      attempt(form, body, 0, t);
    }).catch(function () {  // something this browser lacks: the form goes as it is
      form.submit();
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    var t = texts();
    if (t) {
      clearErrors(form);
      var files = chosen(form);
      if (!checkFigures(form, t)) { event.preventDefault(); return; }
      if (form.hasAttribute("data-upload") && files.length && canShrink()) {
        event.preventDefault();
        upload(form, files, t);
        return;
      }
      var sizes = files.map(function (f) { return {blob: f, name: f.name}; });
      if (!checkSizes(form, sizes, t)) { event.preventDefault(); return; }
    }
    form.setAttribute("data-sent", "1");
    window.setTimeout(function () { hold(form); }, 0);  // after the browser has read the form
  });

  window.addEventListener("pageshow", function (event) {  // back from the page cache
    if (!event.persisted) { return; }
    var forms = document.querySelectorAll("form[data-sent]");
    for (var i = 0; i < forms.length; i++) { release(forms[i]); }
  });
}());
