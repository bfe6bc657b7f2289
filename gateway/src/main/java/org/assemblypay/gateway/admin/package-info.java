/**
 * The admin REST API under {@code /api/v1}: an OpenAPI 3.1 contract ({@code api/openapi.yaml}) that
 * validates every request, API-key authentication, role and assembly scoping, a per-credential rate
 * limit, and handlers that run ledger calls on the bounded worker pool and write every change to
 * the assembly's audit log. Entry class: {@link org.assemblypay.gateway.admin.AdminRoutes}.
 */
package org.assemblypay.gateway.admin;
