#include "ModelResolver.hpp"

namespace agent::standin {

ModelResolver::ModelResolver(const StandinOptions& options)
    : providers_(options.providers.begin(), options.providers.end()) {
  for (const auto& model : options.catalog)
    catalog_.insert(model.id);
}

std::string ModelResolver::sanitise(std::string_view model) {
  std::string out;
  out.reserve(model.size());
  for (std::size_t i = 0; i < model.size(); ++i) {
    auto c = static_cast<unsigned char>(model[i]);
    if (c == 0x1B && i + 1 < model.size() && model[i + 1] == '[') {
      // CSI: ESC [ parameter/intermediate bytes, then one final byte in 0x40..0x7E.
      i += 2;
      while (i < model.size() && !(model[i] >= 0x40 && model[i] <= 0x7E))
        ++i;
      continue;
    }
    if (c < 0x20 || c == 0x7F) continue;
    out.push_back(static_cast<char>(c));
  }
  auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  auto last = out.find_last_not_of(' ');
  return out.substr(first, last - first + 1);
}

ModelResolver::Resolution ModelResolver::resolve(std::string_view requested) const {
  Resolution result{sanitise(requested), 200, {}};
  const std::string& model = result.model;
  auto badRequest = [&](std::string detail) {
    result.status = 400;
    result.error = std::move(detail);
    return result;
  };

  if (model.empty()) return badRequest("empty model name");
  if (model.front() == '@') {  // no presets are configured in the stand-in
    std::string preset = model.substr(0, model.find(':'));
    return badRequest("unknown preset '" + preset + "'");
  }
  if (model == "bitrouter/auto") {
    return badRequest(
        "'bitrouter/auto' needs a preset named 'auto' bound to a routing policy; run "
        "`bitrouter optimize setup`");
  }
  if (model.rfind("bitrouter/", 0) == 0) {
    return badRequest("unknown BitRouter model '" + model + "'");
  }
  if (model.rfind("bitrouter:", 0) == 0) {
    return badRequest("'" + model + "' is not a provider route; use 'bitrouter/" +
                      model.substr(10) + "'");
  }
  if (auto colon = model.find(':'); colon != std::string::npos && colon + 1 < model.size() &&
                                    providers_.count(std::string_view(model).substr(0, colon))) {
    return result;  // a pin: the model part is not checked against the provider's list
  }
  if (catalog_.count(model)) return result;
  result.status = 404;
  return result;
}

}  // namespace agent::standin
