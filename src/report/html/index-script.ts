/**
 * The cohort index's only script: sortable columns and a filter by group. It is inlined and allowed
 * by the page's Content-Security-Policy through its sha256 hash (src/report/html/page.ts), so the
 * bytes of this constant are part of the page's identity. It only moves existing rows and reads
 * `data-*` attributes; it never parses data into markup.
 */
export const INDEX_SCRIPT = `(function () {
  'use strict';
  var table = document.getElementById('patients-table');
  var controls = document.getElementById('controls');
  var filter = document.getElementById('group-filter');
  var count = document.getElementById('shown-count');
  if (!table || !controls || !filter || !count) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  controls.hidden = false;
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
    if (!numeric) return raw.trim().toLowerCase();
    return raw === '' ? NaN : parseFloat(raw);
  }
  function update() {
    var want = filter.value;
    var shown = 0;
    rows.forEach(function (row) {
      var keep = want === '' || row.getAttribute('data-group') === want;
      row.hidden = !keep;
      if (keep) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' patients shown';
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    th.setAttribute('aria-sort', 'none');
    button.addEventListener('click', function () {
      var numeric = th.getAttribute('data-type') === 'number';
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var order = rows.map(function (row, i) { return { row: row, i: i, k: key(row, col, numeric) }; });
      order.sort(function (a, b) {
        var an = numeric && isNaN(a.k), bn = numeric && isNaN(b.k);
        if (an || bn) return an && bn ? a.i - b.i : an ? 1 : -1;
        if (a.k < b.k) return -dir;
        if (a.k > b.k) return dir;
        return a.i - b.i;
      });
      order.forEach(function (o) { body.appendChild(o.row); });
    });
  });
  filter.addEventListener('change', update);
  update();
})();`;
