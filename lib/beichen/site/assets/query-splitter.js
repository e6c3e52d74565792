function splitQuery(query) {
  var index = (typeof Search !== "undefined" && Search._index) ? Search._index : null;
  var terms = index ? Object.assign({}, index.terms, index.titleterms) : {};
  var has = function (word) { return Object.prototype.hasOwnProperty.call(terms, word); };
  var out = [];
  query.split(/[^\p{Letter}\p{Number}_]+/gu).filter(function (t) { return t; }).forEach(function (part) {
    if (!/\p{Script=Han}/u.test(part) || has(part)) { out.push(part); return; }
    var i = 0;
    while (i < part.length) {
      var j = Math.min(part.length, i + 12);
      while (j > i + 1 && !has(part.slice(i, j))) { j--; }
      out.push(part.slice(i, j));
      i = j;
    }
  });
  return out;
}
