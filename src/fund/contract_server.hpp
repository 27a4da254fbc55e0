// The core-system side of the HTTP/JSON contract (docs/FUND-API.md "Core system contract"), served from any
// FundPort: the HTTP adapter's tests start it on port 0 in front of the embedded implementation, and a
// centre integrating its own core system can run it as a reference (`POST /v1/...`, JSON in and out).
// Request bodies are validated like any network input (bad ones: 400 invalid_request). Thread-safe when the
// backend is; the router must outlive neither the backend nor itself being served.
#pragma once

#include "fund/fund_port.hpp"
#include "web/router.hpp"

namespace hotline::fund {

void AddContractRoutes(web::Router& router, FundPort& backend);

}  // namespace hotline::fund
