// AdminHandler: the stand-in's own control surface. NOT part of BitRouter's API: it exists so
// that out-of-process users (the README demo, benchmark scripts) can script faults and read
// counters the way in-process tests do through BitRouterStandin.
//
//   POST /_standin/script  {ResponseScript fields..., "count": N}  -> {"queued": <total queued>}
//   GET  /_standin/stats                                            ->
//   {"chatRequests","connections",
//                                                                       "queuedScripts"}
//   POST /_standin/reset   clears scripts and records               -> {"queued": 0}
#pragma once

#include "HttpRequest.hpp"
#include "HttpResponse.hpp"
#include "StandinState.hpp"

namespace agent::standin {

class AdminHandler {
 public:
  static constexpr std::string_view kPrefix = "/_standin/";

  explicit AdminHandler(StandinState& state) : state_(state) {}

  HttpResponse handle(const HttpRequest& request) const;

 private:
  StandinState& state_;
};

}  // namespace agent::standin
