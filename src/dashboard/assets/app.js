// Progressive enhancement only: the pages read fine without this file.
// 1. Remember the browser's time zone for dates (a cookie the server reads on the next page).
// 2. Draw the charts from the data-chart attribute each canvas carries (JSON, HTML-escaped by the server).
(function () {
  'use strict';
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !/(?:^|; )tz=/.test(document.cookie)) document.cookie = 'tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; samesite=lax';
  } catch (e) { /* no Intl: the server keeps UTC */ }

  function draw() {
    if (typeof window.Chart !== 'function') return;
    var rtl = document.documentElement.dir === 'rtl';
    var digits = document.documentElement.lang === 'ar' ? 'ar-SA' : 'en-GB';
    var canvases = document.querySelectorAll('canvas[data-chart]');
    for (var i = 0; i < canvases.length; i++) {
      var c = canvases[i];
      if (c.dataset.drawn) continue;
      var spec;
      try { spec = JSON.parse(c.getAttribute('data-chart')); } catch (e) { continue; }
      c.dataset.drawn = '1';
      var horizontal = spec.kind === 'hbar';
      new window.Chart(c, {
        type: 'bar',
        data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values, backgroundColor: '#2f6f8f' }] },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false, indexAxis: horizontal ? 'y' : 'x', locale: digits,
          plugins: { legend: { display: false, rtl: rtl }, tooltip: { rtl: rtl } },
          scales: horizontal ? { x: { min: 0, max: 100, reverse: rtl }, y: { position: rtl ? 'right' : 'left' } }
            : { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? 'right' : 'left', ticks: { precision: 0 } } },
        },
      });
    }
  }
  document.addEventListener('DOMContentLoaded', draw);
})();
