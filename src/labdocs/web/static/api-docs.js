// The API description page: Swagger UI reads labdocs' own OpenAPI description (no inline script, no CDN).
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger");
  if (!root || typeof window.SwaggerUIBundle !== "function") { return; }
  window.SwaggerUIBundle({ url: root.getAttribute("data-spec"), dom_id: "#swagger", deepLinking: true,
                           tryItOutEnabled: false });
});
