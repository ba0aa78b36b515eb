// The readiness page's only script: the failing tests' filter box. A few lines,
// no framework; the box is hidden until this runs, so without scripts the page
// is simply the whole list. Rows are matched on their text. A constant: the
// Content-Security-Policy allows exactly this script by its hash.
export const FILTER_SCRIPT = `
(function () {
  var box = document.getElementById('filter-box'), input = document.getElementById('filter');
  var count = document.getElementById('filter-count'), rows = document.querySelectorAll('#failing-tests tbody tr'), texts;
  if (!box || !input) return;
  box.hidden = false;
  input.addEventListener('input', function () {
    texts = texts || Array.prototype.map.call(rows, function (r) { return r.textContent.toLowerCase(); });
    var q = input.value.trim().toLowerCase(), shown = 0;
    for (var i = 0; i < rows.length; i++) { var hit = !q || texts[i].indexOf(q) !== -1; rows[i].hidden = !hit; if (hit) shown++; }
    count.textContent = q ? shown + ' of ' + rows.length + ' shown' : '';
  });
})();
`;
