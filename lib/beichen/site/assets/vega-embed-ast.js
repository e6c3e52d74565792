window.vegaEmbed = function (el, spec, opts) {
  return vegaEmbed(el, spec, Object.assign({}, opts, {ast: true}));
};