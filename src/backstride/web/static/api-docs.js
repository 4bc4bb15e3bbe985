// Starts the vendored Swagger UI on this server's own OpenAPI document (no CDN, works offline).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    domNode: root,
    deepLinking: true,
  });
})();
