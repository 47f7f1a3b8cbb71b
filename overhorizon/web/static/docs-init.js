// Starts Swagger UI on /docs (overhorizon/web/docs.py). An external file, not an inline
// script, so that the page works under the API's Content-Security-Policy (script-src 'self').
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis],
    // No badge from validator.swagger.io: the page makes no request to another origin.
    validatorUrl: null,
  });
})();
