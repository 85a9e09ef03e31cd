// Swagger UI over the app's own schema (no inline script: the CSP forbids it)
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
