// belong's only script: small enhancements to pages that work fully without it.
// It makes no request to anywhere but this site and stores nothing.
(function () {
  "use strict";

  // A clock time in the style the server writes: "7 pm", "7:30 pm" in English,
  // "19:00" otherwise.
  function clock(date, lang, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "2-digit", hourCycle: lang === "en" ? "h12" : "h23" })
      .formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    if (lang !== "en") return (parts.hour.length < 2 ? "0" : "") + parts.hour + ":" + parts.minute;
    return parts.hour + (parts.minute === "00" ? "" : ":" + parts.minute) + " " + (parts.dayPeriod || "").toLowerCase();
  }

  // Meeting times are shown in the group's own time zone; where the person's
  // differs, add their local time alongside, in the same style.
  function localTimes(root) {
    var here = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var lang = document.documentElement.lang || "en";
    var zone = document.querySelector("[data-group-zone]");
    var pageZone = zone ? zone.getAttribute("data-group-zone") : null;
    root.querySelectorAll("time[data-local-label]").forEach(function (el) {
      var start = new Date(el.getAttribute("datetime"));
      var groupZone = el.getAttribute("data-zone") || pageZone;
      if (isNaN(start) || !groupZone || groupZone === here || el.nextElementSibling && el.nextElementSibling.className === "local-time") return;
      var day = new Intl.DateTimeFormat(lang, { weekday: "short" }).format(start);
      var note = document.createElement("span");
      note.className = "local-time";
      note.textContent = " · " + day + " " + clock(start, lang) + " " + el.getAttribute("data-local-label");
      el.after(note);
    });
  }

  // "Use my location": asked only when the button is pressed, put into the search
  // form for this one search, never stored.
  function useMyLocation() {
    var button = document.querySelector("[data-locate]");
    if (!button || !button.form || !("geolocation" in navigator)) return;
    var form = button.form;
    var near = form.querySelector("input[name=near]");
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    // Beside the button, so the failure is heard and seen where the person is.
    var live = button.parentNode.querySelector("[data-locate-status]");
    (button.closest("[hidden]") || button).hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        near.value = pos.coords.latitude.toFixed(3) + "," + pos.coords.longitude.toFixed(3);
        var city = form.querySelector("select[name=city]");
        if (city) city.value = "";
        form.submit();
      }, function () {
        if (status) status.textContent = button.getAttribute("data-failed");
        if (live) live.textContent = button.getAttribute("data-failed");
      }, { maximumAge: 600000, timeout: 10000 });
    });
  }

  // The address of a search holds only what was chosen: no empty fields, no
  // order that is the default anyway.
  function chosenQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string" || value.trim() === "") return;
      if (name === "sort" && value === "relevance") return;
      if (name === "radius_km" && !form.querySelector("input[name=near]").value) return;
      params.append(name, value);
    });
    return params.toString();
  }

  // Where focus goes when the option holding it disappears: the nearest option
  // still shown after it, else before it, else its group's heading or the form.
  function keepFocus(lost) {
    var all = Array.prototype.slice.call(document.querySelectorAll("#filters .option"));
    var at = all.indexOf(lost);
    var visible = function (el) { return !el.closest("[hidden]") && el.offsetParent !== null; };
    var pick = all.slice(at + 1).filter(visible)[0] || all.slice(0, at).filter(visible).pop();
    var cat = lost.closest("details");
    var form = document.getElementById("filters");
    // Try the nearest option, then the group's heading, then the form itself
    // (which may take focus only when told it may); a candidate that is hidden
    // does not take focus, so go on until one does.
    var candidates = [pick && pick.querySelector("input"), cat && cat.querySelector("summary"), form];
    for (var i = 0; i < candidates.length; i++) {
      var target = candidates[i];
      if (!target) continue;
      if (target === form && !form.hasAttribute("tabindex")) form.setAttribute("tabindex", "-1");
      target.focus();
      if (document.activeElement === target) return;
    }
  }

  // Live results: when a filter changes, fetch the same page and swap the results
  // in, keeping the URL shareable. Without this script the submit button does it.
  function liveResults() {
    var form = document.querySelector("form[data-live]");
    var results = document.getElementById("results");
    if (!form || !results || !window.fetch || !window.DOMParser) return;
    var pending, latest = 0, chosen;
    form.addEventListener("change", function (e) {
      if (e.target.name === "q") return;
      chosen = e.target;
      // Until the answer to the newest choice is in, the results are out of date.
      results.setAttribute("aria-busy", "true");
      clearTimeout(pending);
      pending = setTimeout(function () {
        var url = form.action.split("?")[0] + "?" + chosenQuery(form);
        var mine = ++latest;
        fetch(url, { headers: { Accept: "text/html" } }).then(function (r) { return r.text(); }).then(function (html) {
          if (mine !== latest) return; // a newer choice is on its way; an older answer must not win
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("results");
          var facets = doc.getElementById("filters");
          if (!fresh) { results.removeAttribute("aria-busy"); return; }
          var focused = document.activeElement;
          var holder = focused && focused.closest ? focused.closest("#filters .option") : null;
          var kept = stayPut(chosen);
          results.replaceWith(fresh);
          results = fresh;
          localTimes(fresh);
          // The summary of choices and the links to other places follow the choices.
          ["chosen-summary", "where"].forEach(function (id) {
            var now = document.getElementById(id), next = doc.getElementById(id);
            if (now && next) now.replaceWith(next);
          });
          if (facets) syncCounts(facets);
          if (holder && (holder.closest("[hidden]") || holder.offsetParent === null)) keepFocus(holder);
          kept();
          history.replaceState(null, "", url);
          // Say what changed to people who cannot see it change.
          var live = document.getElementById("live-status");
          var line = fresh.querySelector(".summary-line");
          if (live && line) live.textContent = line.textContent;
        }).catch(function () {
          // The submit button still works.
          if (mine === latest) results.removeAttribute("aria-busy");
        });
      }, 250);
    });
  }

  // stayPut notes where el is on the screen and returns a function that scrolls
  // it back there. On a phone the results come before the form, so new results
  // of another length would move the box a person just ticked from under their
  // finger; not every browser keeps it in place by itself.
  function stayPut(el) {
    if (!el || !el.isConnected || el.offsetParent === null) return function () {};
    var top = el.getBoundingClientRect().top;
    return function () {
      if (!el.isConnected || el.offsetParent === null || el.closest("[hidden]")) return;
      var moved = el.getBoundingClientRect().top - top;
      if (Math.abs(moved) >= 1) window.scrollBy({ top: moved, behavior: "instant" });
    };
  }

  // Copy option counts from a freshly rendered page so choices that would return
  // nothing stay hidden.
  function syncCounts(fresh) {
    document.querySelectorAll("#filters [data-option]").forEach(function (el) {
      var twin = fresh.querySelector('[data-option="' + el.getAttribute("data-option") + '"]');
      el.hidden = !twin || twin.hidden;
      var count = el.querySelector(".count");
      var freshCount = twin && twin.querySelector(".count");
      if (count && freshCount) count.textContent = freshCount.textContent;
    });
    var twins = fresh.querySelectorAll("[data-category]");
    document.querySelectorAll("#filters [data-category]").forEach(function (cat, i) {
      var summary = cat.querySelector("summary");
      var twin = twins[i] && twins[i].querySelector("summary");
      if (summary && twin) {
        summary.replaceChildren.apply(summary, Array.prototype.map.call(twin.childNodes, function (n) {
          return document.importNode(n, true);
        }));
      }
    });
  }

  localTimes(document);
  useMyLocation();
  liveResults();
})();
