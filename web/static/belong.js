// belong's only script: small enhancements to pages that work fully without it.
// It makes no request to anywhere but this site and stores nothing.
(function () {
  "use strict";

  // Meeting times are shown in the group's own time zone; where the person's
  // differs, add their local time alongside.
  function localTimes() {
    var here = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var zone = document.querySelector("[data-group-zone]");
    var groupZone = zone ? zone.getAttribute("data-group-zone") : null;
    document.querySelectorAll("time[data-local-label]").forEach(function (el) {
      var start = new Date(el.getAttribute("datetime"));
      if (isNaN(start) || !groupZone || groupZone === here) return;
      var lang = document.documentElement.lang || "en";
      var local = start.toLocaleString(lang, { weekday: "short", hour: "numeric", minute: "2-digit" });
      var note = document.createElement("span");
      note.className = "local-time";
      note.textContent = " (" + local + " " + el.getAttribute("data-local-label") + ")";
      el.after(note);
    });
  }

  // "Use my location": asked only when the button is pressed, put into the search
  // form for this one search, never stored.
  function useMyLocation() {
    var button = document.querySelector("[data-locate]");
    if (!button || !("geolocation" in navigator)) return;
    var form = button.form;
    var near = form.querySelector("input[name=near]");
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        near.value = pos.coords.latitude.toFixed(3) + "," + pos.coords.longitude.toFixed(3);
        var city = form.querySelector("select[name=city]");
        if (city) city.value = "";
        form.submit();
      }, function () {
        if (status) status.textContent = button.getAttribute("data-failed");
      }, { maximumAge: 600000, timeout: 10000 });
    });
  }

  // Live results: when a filter changes, fetch the same page and swap the results
  // in, keeping the URL shareable. Without this script the submit button does it.
  function liveResults() {
    var form = document.querySelector("form[data-live]");
    var results = document.getElementById("results");
    if (!form || !results || !window.fetch || !window.DOMParser) return;
    var pending, latest = 0;
    form.addEventListener("change", function (e) {
      if (e.target.name === "q") return;
      clearTimeout(pending);
      pending = setTimeout(function () {
        var url = form.action.split("?")[0] + "?" + new URLSearchParams(new FormData(form)).toString();
        var mine = ++latest;
        fetch(url, { headers: { Accept: "text/html" } }).then(function (r) { return r.text(); }).then(function (html) {
          if (mine !== latest) return; // a newer choice is on its way; an older answer must not win
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("results");
          var facets = doc.getElementById("filters");
          if (!fresh) return;
          results.replaceWith(fresh);
          results = fresh;
          if (facets) syncCounts(facets);
          history.replaceState(null, "", url);
          // Say what changed to people who cannot see it change.
          var live = document.getElementById("live-status");
          var line = fresh.querySelector(".summary-line");
          if (live && line) live.textContent = line.textContent;
        }).catch(function () { /* the submit button still works */ });
      }, 250);
    });
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

  localTimes();
  useMyLocation();
  liveResults();
})();
