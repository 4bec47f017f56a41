// ReDoc on /api/v1/redoc/ (templates/drf_spectacular/redoc.html) under the page's strict
// Content Security Policy (core.api.docs.REDOC_CSP). Loaded before ReDoc's bundle, it
// 1. gives every <style> element that the page's own scripts insert this script's nonce,
//    the one the policy names in style-src: ReDoc writes its styles (styled-components,
//    and a scrollbar stylesheet as soon as its bundle loads, before it could be told the
//    nonce) into such elements. Only script that already runs here, from our server,
//    inserts elements; no 'unsafe-inline' is needed;
// 2. keeps ReDoc from fetching its one image from another host (Redocly's logo, at the
//    foot of the menu): the image gets an empty data: address, fails, and ReDoc hides it;
// 3. starts ReDoc once the page is parsed: the options come from a
//    <script type="application/json"> (json_script, not executed), the schema's URL from
//    this script's data-spec-url.
(function () {
  "use strict";
  var script = document.currentScript;
  var nonce = script.nonce;

  function stamp(node) {
    if (node && node.nodeName === "STYLE" && !node.nonce) {
      node.setAttribute("nonce", nonce);
    }
    return node;
  }
  var appendChild = Node.prototype.appendChild;
  var insertBefore = Node.prototype.insertBefore;
  Node.prototype.appendChild = function (node) {
    return appendChild.call(this, stamp(node));
  };
  Node.prototype.insertBefore = function (node, reference) {
    return insertBefore.call(this, stamp(node), reference);
  };

  function local(value) {
    var address = new URL(String(value), document.baseURI);
    return address.protocol === "data:" || address.origin === window.location.origin ? value : "data:,";
  }
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this.nodeName === "IMG" && String(name).toLowerCase() === "src") {
      value = local(value);
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, local(value));
    },
  });

  document.addEventListener("DOMContentLoaded", function () {
    var options = JSON.parse(document.getElementById("redoc-options").textContent);
    options.nonce = nonce;
    window.Redoc.init(script.dataset.specUrl, options, document.getElementById("redoc-container"));
  });
})();
