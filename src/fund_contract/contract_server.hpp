// The core-system side of the HTTP/JSON contract (docs/FUND-API.md "Core system contract"), served from any
// FundPort: the HTTP adapter's tests start it on port 0 in front of the embedded implementation, and a
// centre integrating its own core system can run it as a reference (`POST /v1/...`, JSON in and out).
// Request bodies are validated like any network input (bad ones: 400 invalid_request). Thread-safe when the
// backend is; the router must outlive neither the backend nor itself being served.
//
// Its own library (hotline_fund_contract: fund + web), not part of fund: it registers routes on the HTTP
// server's router, and the fund module itself stays free of the server (docs/ARCHITECTURE.md).
#pragma once

#include "fund/fund_port.hpp"
#include "web/router.hpp"

namespace hotline::fund {

void AddContractRoutes(web::Router& router, FundPort& backend);

}  // namespace hotline::fund
