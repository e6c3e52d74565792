(function () {
  if (typeof Documentation === "undefined") return;
  Documentation.addTranslations = function (catalog) {
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    var rule = String(catalog.plural_expr).trim();
    Documentation.PLURAL_EXPR = /^\d+$/.test(rule) ? function () { return Number(rule); }
                                                     : function (n) { return n === 1 ? 0 : 1; };
    Documentation.LOCALE = catalog.locale;
  };
})();
